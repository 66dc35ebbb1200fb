//! Mosaic moving real data with independent clients on loopback: it
//! downloads from an aria2 seeder (found through opentracker, or named only
//! by a magnet's `x.pe`) and seeds data it already holds to an aria2
//! leecher.
//!
//! Run with `--nocapture` to see the measured download rates.

use std::path::Path;
use std::time::{Duration, Instant};

use mosaic_tests::api::number;
use mosaic_tests::data::STANDARD_FILES;
use mosaic_tests::{
    Aria2Leecher, DataSet, MosaicServer, ServerOptions, Swarm, TestDir, Tracker, make_torrent,
    path_str,
};
use serde_json::{Value, json};

/// Longest a 24 MiB transfer on loopback may take, with room for slow CI.
const TRANSFER_TIMEOUT: Duration = Duration::from_secs(180);
/// Time for a hash check of local data, an announce, or a totals update.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How often a download being timed is looked at; its rate is exact to
/// about this much.
const TIMING_POLL: Duration = Duration::from_millis(20);

const MIB: f64 = 1024.0 * 1024.0;

/// Prints the average rate of a download in MiB/s.
fn report_rate(label: &str, bytes: u64, elapsed: Duration) {
    let rate = bytes as f64 / MIB / elapsed.as_secs_f64();
    println!(
        "download rate ({label}): {rate:.1} MiB/s ({:.1} MiB in {:.2} s)",
        bytes as f64 / MIB,
        elapsed.as_secs_f64()
    );
}

/// The first list row of torrent `id` that says it is completed, looked
/// for every [`TIMING_POLL`].
async fn wait_completed(server: &MosaicServer, id: &str) -> Value {
    let api = server.api();
    let completed = |row: &Value| row["completed"] == true;
    let watched = api.watch_row(id, TIMING_POLL, TRANSFER_TIMEOUT, completed);
    watched.await.unwrap_or_else(|last| {
        panic!(
            "not completed after {TRANSFER_TIMEOUT:?}; last row {last}\n{}",
            server.tails()
        )
    })
}

/// Checks the first list row that says a torrent is completed, after it
/// downloaded `total` bytes into `save_path`: every field must already
/// agree with `completed`.
fn assert_finished_row(row: &Value, name: &str, total: u64, save_path: &Path) {
    assert_eq!(row["name"], name, "{row}");
    assert_eq!(row["save_path"], path_str(save_path), "{row}");
    assert_eq!(number(row, "total_bytes"), total, "{row}");
    assert_eq!(number(row, "bytes_done"), total, "{row}");
    assert_eq!(row["progress"].as_f64(), Some(1.0), "{row}");
    assert_eq!(row["state"], "seeding", "{row}");
    assert_eq!(row["error"], Value::Null, "{row}");
    assert!(
        number(row, "downloaded") >= total,
        "a completed row must count every byte it downloaded: {row}"
    );

    let added_at = number(row, "added_at");
    let completed_at = row["completed_at"].as_u64();
    assert!(
        completed_at.is_some_and(|at| at >= added_at),
        "a completed row must have completed_at set, not before added_at: {row}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploaded_torrent_downloads_every_file_from_aria2_through_the_tracker() {
    // Proves an uploaded .torrent finds aria2 via the tracker and ends seeding identical files.
    let swarm = Swarm::multi_file("transfer-upload", "album", STANDARD_FILES, 18).await;
    let server = MosaicServer::start(ServerOptions::default()).await;
    let api = server.api();
    let save = swarm.subdir("mosaic");
    let total = swarm.data().total_len();

    let started = Instant::now();
    let fields = [("save_path", path_str(&save))];
    let added = api.upload_torrent(&swarm.torrent().path, &fields).await;
    assert_eq!(added, (200, json!({ "id": swarm.hash() })));
    let row = wait_completed(&server, swarm.hash()).await;
    report_rate(".torrent upload, tracker", total, started.elapsed());

    assert_eq!(swarm.downloaded(&save), swarm.expected());
    assert_eq!(swarm.expected().len(), STANDARD_FILES.len());
    let listed = api.list().await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_finished_row(&row, "album", total, &save);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn magnet_with_only_an_x_pe_peer_downloads_every_file() {
    // Proves a magnet without trackers is listed at once and completes from the x.pe peer alone.
    let swarm = Swarm::multi_file("transfer-magnet", "album", STANDARD_FILES, 18).await;
    let server = MosaicServer::start(ServerOptions::default()).await;
    let api = server.api();
    let save = swarm.subdir("mosaic-magnet");
    let total = swarm.data().total_len();
    let magnet = swarm.torrent().magnet(None, &[swarm.seeder().peer_addr()]);
    assert!(!magnet.contains("tr="), "{magnet}");
    assert!(magnet.contains("&x.pe=127.0.0.1%3A"), "{magnet}");

    let started = Instant::now();
    let added = api.add_magnet(&magnet, path_str(&save)).await;
    assert_eq!(added, (200, json!({ "id": swarm.hash() })));
    let listed = api.list().await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["id"], swarm.hash());
    let state = listed[0]["state"].as_str().unwrap_or_default();
    assert!(
        ["metadata", "checking", "downloading", "seeding"].contains(&state),
        "a fresh magnet must be listed as metadata or later: {}",
        listed[0]
    );
    assert_eq!(listed[0]["error"], Value::Null, "{}", listed[0]);

    let row = wait_completed(&server, swarm.hash()).await;
    report_rate("magnet, x.pe only", total, started.elapsed());

    assert_eq!(swarm.downloaded(&save), swarm.expected());
    let detail = api.detail(swarm.hash()).await;
    assert_eq!(
        detail["trackers"],
        json!([]),
        "no tracker was known: {detail}"
    );
    assert_eq!(detail["magnet"], magnet.as_str(), "{detail}");
    assert_finished_row(&row, "album", total, &save);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mosaic_seeds_data_it_holds_to_an_aria2_leecher() {
    // Proves Mosaic hashes data in place, announces its peer port and serves every file intact.
    let dir = TestDir::new("transfer-seed");
    let save = dir.subdir("data");
    let data = DataSet::create(&save.join("album"), STANDARD_FILES);
    let tracker = Tracker::start();
    let torrent = make_torrent(
        data.root(),
        &tracker.announce_url(),
        &dir.join("album.torrent"),
        18,
    );
    let hash = torrent.info_hash_hex.as_str();
    tracker.whitelist(hash).await;
    let server = MosaicServer::start(ServerOptions::default()).await;
    let api = server.api();
    let total = data.total_len();

    let fields = [("save_path", path_str(&save))];
    let added = api.upload_torrent(&torrent.path, &fields).await;
    assert_eq!(added, (200, json!({ "id": hash })));
    let row = server
        .wait_torrent(hash, SETTLE_TIMEOUT, "seeding", |d| {
            d["state"] == "seeding" && d["completed"] == true
        })
        .await;
    assert_eq!(number(&row, "bytes_done"), total, "{row}");
    assert_eq!(number(&row, "downloaded"), 0, "nothing was fetched: {row}");

    let seen = tracker.wait_seeders(hash, 1, SETTLE_TIMEOUT).await;
    assert_eq!(seen.map(|s| s.complete).ok(), Some(1), "{}", server.tails());
    let mosaic_peer = server
        .peer_addr()
        .expect("the server prints its peers line");
    let announced = tracker.peers(hash).await.unwrap();
    assert!(
        announced.contains(&mosaic_peer),
        "tracker peers {announced:?} lack Mosaic's {mosaic_peer}"
    );

    let out = dir.subdir("leech");
    let fetched = Aria2Leecher::download(&torrent.path, &out, TRANSFER_TIMEOUT).await;
    fetched.unwrap_or_else(|e| panic!("aria2 could not download from Mosaic: {e:#}"));
    assert_eq!(
        mosaic_tests::sha256_tree(&out.join("album")),
        data.sha256_tree()
    );

    let row = server
        .wait_torrent(hash, SETTLE_TIMEOUT, "counted as uploaded", |d| {
            d["uploaded"].as_u64().is_some_and(|up| up >= total)
        })
        .await;
    assert_eq!(number(&row, "downloaded"), 0, "{row}");
    assert!(row["ratio"].as_f64().is_some_and(|r| r >= 1.0), "{row}");
}
