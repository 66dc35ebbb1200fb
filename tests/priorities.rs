//! File priorities against a real seeder: a `max` file is fetched before
//! `normal` ones, and a `skip` file is never fetched beyond the pieces it
//! shares with wanted neighbours.

use std::time::Duration;

use mosaic_tests::{MosaicServer, ServerOptions, Swarm, path_str, sha256_file};
use serde_json::{Value, json};

/// Four files of a few MiB with odd sizes, so every boundary falls inside
/// a 256 KiB piece that two files share; about 11.5 MiB.
const FILES: &[(&str, u64)] = &[
    ("a.bin", 3_145_733),
    ("b.bin", 2_621_447),
    ("c.bin", 3_407_881),
    ("d.bin", 2_883_593),
];
const MAX_FILE: &str = "c.bin";
const SKIP_FILE: &str = "b.bin";
const NORMAL_FILES: &[&str] = &["a.bin", "d.bin"];
/// Slow enough that a piece takes a quarter second, so the order in which
/// files fill is visible to a poll every [`POLL`].
const LIMIT_KBPS: u32 = 1024;
const POLL: Duration = Duration::from_millis(50);

const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(120);
const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Where each file of a torrent sits in the stream of pieces.
struct Layout {
    piece_length: u64,
    /// Path, first byte and size of each file, by file index.
    files: Vec<(String, u64, u64)>,
}

impl Layout {
    fn of(detail: &Value) -> Self {
        let mut offset = 0;
        let mut files = Vec::new();
        for (index, file) in detail["files"].as_array().unwrap().iter().enumerate() {
            assert_eq!(file["index"], index, "files come in index order: {detail}");
            let size = file["size"].as_u64().unwrap();
            files.push((file["path"].as_str().unwrap().to_owned(), offset, size));
            offset += size;
        }
        let piece_length = detail["piece_length"].as_u64().unwrap();
        Self {
            piece_length,
            files,
        }
    }

    fn index(&self, path: &str) -> usize {
        let found = self.files.iter().position(|(p, _, _)| p == path);
        found.unwrap_or_else(|| panic!("no file {path} in the torrent"))
    }

    /// The bytes of file `path` that lie in pieces which also hold bytes of
    /// one of `wanted`: what fetching only `wanted` may put into it.
    fn shared_bytes(&self, path: &str, wanted: &[&str]) -> u64 {
        let (_, start, size) = &self.files[self.index(path)];
        let (start, end) = (*start, start + size);
        let first_piece = start / self.piece_length;
        let last_piece = (end - 1) / self.piece_length;

        (first_piece..=last_piece)
            .filter(|&piece| wanted.iter().any(|w| self.piece_touches(piece, w)))
            .map(|piece| {
                let piece_start = piece * self.piece_length;
                let piece_end = piece_start + self.piece_length;
                end.min(piece_end) - start.max(piece_start)
            })
            .sum()
    }

    fn piece_touches(&self, piece: u64, path: &str) -> bool {
        let (_, start, size) = &self.files[self.index(path)];
        let piece_start = piece * self.piece_length;
        *size > 0 && piece_start < start + size && *start < piece_start + self.piece_length
    }
}

/// `files[i]` of a detail by path.
fn file<'a>(detail: &'a Value, layout: &Layout, path: &str) -> &'a Value {
    &detail["files"][layout.index(path)]
}

fn bytes_done(detail: &Value, layout: &Layout, path: &str) -> u64 {
    file(detail, layout, path)["bytes_done"].as_u64().unwrap()
}

/// Asks for the detail every [`POLL`] (faster than the harness's waits,
/// so the first detail showing the `max` file complete comes close to the
/// moment it completed) until `done` holds.
async fn poll_closely(server: &MosaicServer, hash: &str, done: impl Fn(&Value) -> bool) -> Value {
    let watched = server
        .api()
        .watch_detail(hash, POLL, DOWNLOAD_TIMEOUT, done)
        .await;
    watched.unwrap_or_else(|last| {
        panic!(
            "condition not met after {DOWNLOAD_TIMEOUT:?}; last detail {last}\n{}",
            server.tails()
        )
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_file_comes_first_and_skipped_file_is_left_out() {
    // Proves a max file completes before normal files get data, and a skip file is never fetched.
    let swarm = Swarm::multi_file("priorities", "quartet", FILES, 18).await;
    let server = MosaicServer::start(ServerOptions::default()).await;
    let api = server.api();
    let hash = swarm.hash();
    let save = swarm.subdir("mosaic");

    let limits = json!({
        "down_kbps": LIMIT_KBPS, "up_kbps": 0,
        "alt_down_kbps": 0, "alt_up_kbps": 0, "alt_active": false,
    });
    let limited = api.put_json("/api/settings/limits", &limits).await;
    assert_eq!(limited, (200, json!({"ok": true})));
    let fields = [("save_path", path_str(&save)), ("paused", "1")];
    let added = api.upload_torrent(&swarm.torrent().path, &fields).await;
    assert_eq!(added, (200, json!({ "id": hash })));
    let paused = server
        .wait_torrent(hash, SETTLE_TIMEOUT, "paused", |d| d["state"] == "paused")
        .await;
    let layout = Layout::of(&paused);
    assert_eq!(layout.piece_length, 256 * 1024);

    let mut levels = serde_json::Map::new();
    levels.insert(layout.index(MAX_FILE).to_string(), json!("max"));
    levels.insert(layout.index(SKIP_FILE).to_string(), json!("skip"));
    for path in NORMAL_FILES {
        levels.insert(layout.index(path).to_string(), json!("normal"));
    }
    let request = json!({"infohash": hash, "priorities": levels});
    let set = api
        .post_json("/api/torrents/file_priorities", &request)
        .await;
    assert_eq!(set, (200, json!({"ok": true})));
    let detail = api.detail(hash).await;
    assert_eq!(file(&detail, &layout, MAX_FILE)["priority"], "max");
    assert_eq!(file(&detail, &layout, SKIP_FILE)["priority"], "skip");
    let skip_size = FILES.iter().find(|(p, _)| *p == SKIP_FILE).unwrap().1;
    let wanted_total = swarm.data().total_len() - skip_size;
    assert_eq!(
        detail["total_bytes"], wanted_total,
        "skip files do not count"
    );

    let resumed = api
        .post_json(&format!("/api/torrents/{hash}/resume"), &json!({}))
        .await;
    assert_eq!(resumed, (200, json!({"ok": true})));
    let first = poll_closely(&server, hash, |d| {
        file(d, &layout, MAX_FILE)["progress"].as_f64() == Some(1.0)
    })
    .await;

    // Only pieces the max file shares with a neighbour may have touched
    // the others by now.
    for path in NORMAL_FILES.iter().chain([&SKIP_FILE]) {
        let (got, allowed) = (
            bytes_done(&first, &layout, path),
            layout.shared_bytes(path, &[MAX_FILE]),
        );
        assert!(
            got <= allowed,
            "{path} had {got} B when {MAX_FILE} completed; pieces shared with it hold \
             {allowed} B: {first}"
        );
    }

    let finished = server
        .wait_torrent(hash, DOWNLOAD_TIMEOUT, "completed", |d| {
            d["completed"] == true
        })
        .await;
    let skipped = file(&finished, &layout, SKIP_FILE);
    let mut wanted = NORMAL_FILES.to_vec();
    wanted.push(MAX_FILE);
    let allowed = layout.shared_bytes(SKIP_FILE, &wanted);
    assert!(skipped["progress"].as_f64().unwrap() < 1.0, "{finished}");
    assert!(
        bytes_done(&finished, &layout, SKIP_FILE) <= allowed,
        "{SKIP_FILE} may hold only the {allowed} B it shares with wanted files: {finished}"
    );
    assert_eq!(finished["total_bytes"], wanted_total, "{finished}");
    assert_eq!(finished["bytes_done"], wanted_total, "{finished}");
    assert_eq!(finished["progress"].as_f64(), Some(1.0), "{finished}");

    let source = swarm.data().root();
    for path in &wanted {
        let got = sha256_file(&save.join("quartet").join(path));
        assert_eq!(got, sha256_file(&source.join(path)), "{path} differs");
        assert_eq!(
            file(&finished, &layout, path)["progress"].as_f64(),
            Some(1.0)
        );
    }
}
