//! State that must survive the server going away: a crash (SIGKILL) in the
//! middle of a download, a graceful stop, and the loss of librqbit's own
//! resume folder, each followed by a start on the same data dir.

use std::collections::BTreeMap;
use std::time::Duration;

use mosaic_tests::api::number;
use mosaic_tests::{MosaicServer, ServerOptions, Swarm, path_str};
use serde_json::{Value, json};

/// Odd sizes, one file in a subfolder; about 16 MiB.
const FILES: &[(&str, u64)] = &[
    ("one.bin", 4_194_319),
    ("two.bin", 3_145_739),
    ("three/four.bin", 5_242_883),
    ("five.txt", 3_670_027),
];
/// Slow enough that 30 % of the wanted files takes several seconds, so
/// the engine has written its totals at least once before the kill.
const SLOW_KBPS: u32 = 512;
/// Levels set before the download starts, by file path. Every wanted file
/// is in one stage, so the download runs as one stretch as it would with
/// default priorities (a change of stage makes librqbit write its resume
/// state, which would hide what a crash in a plain download loses).
const LEVELS: &[(&str, &str)] = &[
    ("one.bin", "high"),
    ("two.bin", "high"),
    ("three/four.bin", "high"),
    ("five.txt", "skip"),
];
/// Bytes that may be fetched again after a crash: pieces in flight at the
/// kill (4 pieces).
const REFETCH_SLACK: u64 = 4 * 256 * 1024;

const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(120);
const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);

fn limits(down_kbps: u32) -> Value {
    json!({
        "down_kbps": down_kbps,
        "up_kbps": 0,
        "alt_down_kbps": 0,
        "alt_up_kbps": 0,
        "alt_active": false,
    })
}

/// `files[].priority` of a detail, keyed by path.
fn priorities(detail: &Value) -> BTreeMap<String, String> {
    let files = detail["files"]
        .as_array()
        .expect("a detail lists its files");
    files
        .iter()
        .map(|f| {
            let path = f["path"].as_str().expect("a file has a path").to_owned();
            let level = f["priority"].as_str().expect("a file has a priority");
            (path, level.to_owned())
        })
        .collect()
}

/// The body of `POST /api/torrents/file_priorities` that sets [`LEVELS`],
/// with file indexes taken from `detail`.
fn priority_request(hash: &str, detail: &Value) -> Value {
    let files = detail["files"]
        .as_array()
        .expect("a detail lists its files");
    let by_index: serde_json::Map<String, Value> = files
        .iter()
        .map(|f| {
            let path = f["path"].as_str().expect("a file has a path");
            let (_, level) = LEVELS
                .iter()
                .find(|(p, _)| *p == path)
                .unwrap_or_else(|| panic!("unexpected file {path}"));
            (number(f, "index").to_string(), json!(level))
        })
        .collect();
    json!({"infohash": hash, "priorities": by_index})
}

/// `tree` without the files [`LEVELS`] skips.
fn wanted_only(mut tree: BTreeMap<String, String>) -> BTreeMap<String, String> {
    tree.retain(|path, _| LEVELS.iter().any(|(p, l)| p == path && *l != "skip"));
    tree
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_mid_download_keeps_torrent_settings_and_verified_data() {
    // Proves a SIGKILL mid-download keeps torrent, category, priorities, totals and verified data.
    let swarm = Swarm::multi_file("restart-crash", "crash", FILES, 18).await;
    let mut server = MosaicServer::start(ServerOptions::default()).await;
    let api = server.api();
    let hash = swarm.hash();
    let category_path = swarm.subdir("category-default");

    let slow = limits(SLOW_KBPS);
    assert_eq!(
        api.put_json("/api/settings/limits", &slow).await,
        (200, json!({"ok": true}))
    );
    let category = json!({
        "name": "isos",
        "default_save_path": path_str(&category_path),
        "color": "#3366cc",
    });
    let (status, created) = api.post_json("/api/categories", &category).await;
    assert_eq!(status, 200, "{created}");
    let category_id = number(&created, "id");

    let fields = [
        ("category_id", category_id.to_string()),
        ("paused", "true".into()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let added = api.upload_torrent(&swarm.torrent().path, &fields).await;
    assert_eq!(added, (200, json!({ "id": hash })));
    // A paused torrent still hashes what is on disk before it rests.
    let detail = server
        .wait_torrent(hash, SETTLE_TIMEOUT, "paused", |d| d["state"] == "paused")
        .await;
    assert_eq!(detail["paused"], true, "{detail}");
    assert_eq!(number(&detail, "bytes_done"), 0, "{detail}");
    assert_eq!(detail["category_id"], category_id, "{detail}");
    assert_eq!(
        detail["save_path"],
        path_str(&category_path),
        "an empty save path takes the category's: {detail}"
    );

    let set = api
        .post_json(
            "/api/torrents/file_priorities",
            &priority_request(hash, &detail),
        )
        .await;
    assert_eq!(set, (200, json!({"ok": true})));
    let levels: BTreeMap<String, String> = LEVELS
        .iter()
        .map(|(p, l)| ((*p).to_owned(), (*l).to_owned()))
        .collect();
    let detail = api.detail(hash).await;
    assert_eq!(priorities(&detail), levels);
    let total = number(&detail, "total_bytes");
    let expected = wanted_only(swarm.expected());
    let wanted_len: u64 = FILES
        .iter()
        .filter(|(path, _)| expected.contains_key(*path))
        .map(|(_, len)| len)
        .sum();
    assert_eq!(total, wanted_len, "skipped files do not count: {detail}");
    let resumed = api
        .post_json(&format!("/api/torrents/{hash}/resume"), &json!({}))
        .await;
    assert_eq!(resumed, (200, json!({"ok": true})));

    let partial = server
        .wait_torrent(hash, DOWNLOAD_TIMEOUT, "30 % done", |d| {
            d["bytes_done"]
                .as_u64()
                .is_some_and(|b| b * 10 >= total * 3)
        })
        .await;
    server.kill9();
    let done_at_kill = number(&partial, "bytes_done");
    assert!(
        done_at_kill * 10 <= total * 7,
        "the {SLOW_KBPS} KiB/s limit did not hold: {done_at_kill} of {total} bytes at the kill"
    );

    server.restart().await;
    let back = api_after_restart(&server).await;
    let api = server.api();
    assert_eq!(back["id"], hash, "{back}");
    assert_eq!(back["category_id"], category_id, "{back}");
    assert_eq!(back["save_path"], path_str(&category_path), "{back}");
    assert_eq!(back["paused"], false, "{back}");
    assert_eq!(priorities(&back), levels, "{back}");
    let saved_downloaded = number(&back, "downloaded");
    assert!(saved_downloaded > 0, "downloaded total lost: {back}");
    assert_eq!(api.get("/api/settings/limits").await, (200, slow));
    let categories = api.get("/api/categories").await.1;
    assert_eq!(categories[0]["name"], "isos", "{categories}");

    // The hash check of what is on disk ends before the limit goes, so
    // what it found and what is fetched afterwards are both measured.
    let checked = server
        .wait_torrent(hash, SETTLE_TIMEOUT, "past its hash check", |d| {
            d["state"] == "downloading" || d["state"] == "seeding"
        })
        .await;
    let have_at_restart = number(&checked, "bytes_done");
    let downloaded_at_restart = number(&checked, "downloaded");
    assert_eq!(
        api.put_json("/api/settings/limits", &limits(0)).await,
        (200, json!({"ok": true}))
    );

    let finished = server
        .wait_torrent(hash, DOWNLOAD_TIMEOUT, "completed", |d| {
            d["completed"] == true
        })
        .await;
    assert_eq!(wanted_only(swarm.downloaded(&category_path)), expected);
    assert_eq!(expected.len(), 3);
    assert_eq!(finished["state"], "seeding", "{finished}");

    // Totals are written once per tick; let the last bytes be counted.
    let counted = server
        .wait_torrent(hash, SETTLE_TIMEOUT, "counted", |d| {
            let least = downloaded_at_restart + total - have_at_restart;
            d["downloaded"].as_u64().is_some_and(|got| got >= least)
        })
        .await;
    let final_downloaded = number(&counted, "downloaded");
    let fetched_after = final_downloaded - downloaded_at_restart;
    let refetched = fetched_after.saturating_sub(total - done_at_kill);
    let measured = format!(
        "wanted {total} B; {done_at_kill} B verified at the kill; after restart \
         {have_at_restart} B verified and {saved_downloaded} B downloaded on record; final \
         downloaded {final_downloaded} B, {fetched_after} B of it after the restart, so \
         {refetched} B verified before the kill were fetched again"
    );
    println!("crash restart: {measured}");
    assert!(
        final_downloaded * 2 < total * 3,
        "downloaded must stay under 1.5 x size: {measured}"
    );
    assert!(
        refetched <= REFETCH_SLACK,
        "data verified before the kill must not be fetched again: {measured}"
    );

    let status = server.stop().await;
    assert!(status.success(), "SIGTERM must end in exit 0, got {status}");
}

/// The torrent's detail right after a start, which must already list it.
async fn api_after_restart(server: &MosaicServer) -> Value {
    let rows = server.api().list().await;
    assert_eq!(rows.len(), 1, "exactly one torrent after restart: {rows:?}");
    let id = rows[0]["id"].as_str().expect("a row has an id");
    server.api().detail(id).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_torrent_survives_restarts_even_without_the_engine_folder() {
    // Proves a finished torrent comes back seeding from disk, even without <data>/engine.
    let mut swarm = Swarm::multi_file("restart-engine", "kept", &FILES[..2], 18).await;
    let mut server = MosaicServer::start(ServerOptions::default()).await;
    let api = server.api();
    let hash = swarm.hash().to_owned();
    let total = swarm.data().total_len();
    let save = swarm.subdir("mosaic");

    let fields = [("save_path", path_str(&save))];
    let added = api.upload_torrent(&swarm.torrent().path, &fields).await;
    assert_eq!(added, (200, json!({ "id": hash })));
    let done = server
        .wait_torrent(&hash, DOWNLOAD_TIMEOUT, "completed with a time", |d| {
            d["completed"] == true && d["completed_at"].is_u64()
        })
        .await;
    // Without a seeder only the files on disk can complete it again.
    swarm.stop_seeder();

    let status = server.stop().await;
    assert!(status.success(), "SIGTERM must end in exit 0, got {status}");
    server.restart().await;
    let after_stop = seeding_again(&server, &hash).await;

    let status = server.stop().await;
    assert!(status.success(), "SIGTERM must end in exit 0, got {status}");
    let engine_dir = server.data_dir().join("engine");
    assert!(engine_dir.is_dir(), "no {}", engine_dir.display());
    std::fs::remove_dir_all(&engine_dir).unwrap();
    server.restart().await;
    let after_loss = seeding_again(&server, &hash).await;
    assert!(engine_dir.is_dir(), "the engine folder was not recreated");

    assert_eq!(swarm.downloaded(&save), swarm.expected());
    for back in [&after_stop, &after_loss] {
        assert_eq!(back["save_path"], path_str(&save), "{back}");
        assert_eq!(number(back, "bytes_done"), total, "{back}");
        assert_eq!(
            back["downloaded"], done["downloaded"],
            "nothing fetched again: {back}"
        );
    }
    let status = server.stop().await;
    assert!(status.success(), "SIGTERM must end in exit 0, got {status}");

    let kept = |back: &Value| back["completed_at"] == done["completed_at"];
    assert!(
        kept(&after_stop) && kept(&after_loss),
        "the completion time {} must survive restarts; after a stop it read {}, \
         after losing the engine folder {}",
        done["completed_at"],
        after_stop["completed_at"],
        after_loss["completed_at"]
    );
}

/// The detail of `hash` once a fresh start lists it at once and it is
/// seeding again (with a completion time) after hashing its files.
async fn seeding_again(server: &MosaicServer, hash: &str) -> Value {
    let listed = server.api().row(hash).await;
    assert_eq!(listed["id"], hash, "not listed right after the start");
    server
        .wait_torrent(
            hash,
            SETTLE_TIMEOUT,
            "seeding with a completion time",
            |d| d["state"] == "seeding" && d["completed"] == true && d["completed_at"].is_u64(),
        )
        .await
}
