//! Many torrents on a small descriptor budget: Mosaic keeps a bounded
//! number of data files open, so a server allowed 1,024 descriptors seeds
//! 300 torrents of 4 files each (1,200 data files, more than it may open
//! at all), serves their pieces to a real peer, and brings them all back
//! after a restart.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use mosaic_tests::{
    Aria2Leecher, DataSet, MosaicServer, ServerOptions, TestDir, Tracker, make_torrent, path_str,
    sha256_tree, wait_until,
};
use serde_json::{Value, json};

/// Descriptors the test (and the server it starts) may hold.
const LIMIT: u64 = 1024;
/// Data files Mosaic keeps open under [`LIMIT`]: an eighth of it.
const OPEN_DATA_FILES: usize = (LIMIT / 8) as usize;
const TORRENTS: usize = 300;
/// Odd sizes, two in a subfolder. Each torrent gets the same bytes under a
/// different folder name, which makes its info hash different.
const FILES: &[(&str, u64)] = &[("a.bin", 20_011), ("b.bin", 7_919), ("sub/c.bin", 33_331)];
/// Torrents a peer downloads from Mosaic.
const LEECHED: [usize; 2] = [0, TORRENTS - 1];

const SETTLE_TIMEOUT: Duration = Duration::from_secs(180);
const LEECH_TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeds_more_files_than_its_descriptor_limit_allows_open() {
    // Proves that data files are opened on use from a bounded pool: every torrent seeds, a peer gets exact bytes, a restart restores all, and open data files never pass the budget.
    rlimit::setrlimit(rlimit::Resource::NOFILE, LIMIT, LIMIT).expect("lowering the limit works");
    let dir = TestDir::new("open-files");
    let save = dir.subdir("data");
    let tracker = Tracker::start();
    let mut hashes = Vec::new();
    for i in 0..TORRENTS {
        let name = format!("pack-{i:03}");
        DataSet::create(&save.join(&name), FILES);
        let out = dir.join(format!("{name}.torrent"));
        let torrent = make_torrent(&save.join(&name), &tracker.announce_url(), &out, 15);
        hashes.push(torrent.info_hash_hex);
    }
    for i in LEECHED {
        tracker.whitelist(&hashes[i]).await;
    }

    let mut server = MosaicServer::start(ServerOptions {
        save_path: Some(save.clone()),
        ..ServerOptions::default()
    })
    .await;
    let api = server.api();
    for (i, hash) in hashes.iter().enumerate() {
        let torrent = dir.join(format!("pack-{i:03}.torrent"));
        let added = api
            .upload_torrent(&torrent, &[("save_path", path_str(&save))])
            .await;
        assert_eq!(added, (200, json!({ "id": hash })));
    }
    all_seeding(&server, &hashes).await;
    assert_open_data_files_bounded(&server, &save);

    for i in LEECHED {
        let out = dir.subdir(&format!("leech-{i}"));
        let torrent = dir.join(format!("pack-{i:03}.torrent"));
        let got = Aria2Leecher::download(&torrent, &out, LEECH_TIMEOUT).await;
        got.unwrap_or_else(|e| {
            panic!(
                "a peer could not download from Mosaic: {e:#}\n{}",
                server.tails()
            )
        });
        let name = format!("pack-{i:03}");
        assert_eq!(
            sha256_tree(&out.join(&name)),
            sha256_tree(&save.join(&name))
        );
    }
    assert_open_data_files_bounded(&server, &save);

    server.restart().await;
    all_seeding(&server, &hashes).await;
    assert_open_data_files_bounded(&server, &save);
    let log = server.log_text();
    assert!(
        !log.contains("Too many open files"),
        "descriptors ran out:\n{}",
        server.tails()
    );
}

/// Waits until every torrent in `hashes` is listed as seeding; panics with
/// the states seen when some never get there or any fails.
async fn all_seeding(server: &MosaicServer, hashes: &[String]) {
    let wanted: BTreeSet<&str> = hashes.iter().map(String::as_str).collect();
    let api = server.api();
    let seeding = wait_until(SETTLE_TIMEOUT, || async {
        let rows = api.list().await;
        let failed: Vec<&Value> = rows.iter().filter(|t| t["state"] == "error").collect();
        assert!(
            failed.is_empty(),
            "torrents failed: {failed:#?}\n{}",
            server.tails()
        );
        let done: BTreeSet<&str> = rows
            .iter()
            .filter(|t| t["state"] == "seeding" && t["progress"] == 1.0)
            .filter_map(|t| t["id"].as_str())
            .collect();
        wanted.iter().all(|hash| done.contains(hash)).then_some(())
    })
    .await;
    if seeding.is_none() {
        let rows = api.list().await;
        let states: BTreeSet<String> = rows.iter().map(|t| t["state"].to_string()).collect();
        panic!(
            "not all {} torrents seeding after {SETTLE_TIMEOUT:?}; states seen: {states:?}\n{}",
            hashes.len(),
            server.tails()
        );
    }
}

/// Counts the server's open descriptors on files under `save`.
fn assert_open_data_files_bounded(server: &MosaicServer, save: &Path) {
    let pid = server.pid().expect("the server runs");
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).expect("/proc lists the descriptors");
    let data_files = fds
        .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
        .filter(|target| target.starts_with(save))
        .count();
    assert!(
        data_files <= OPEN_DATA_FILES,
        "{data_files} data files open, more than the budget of {OPEN_DATA_FILES}"
    );
}
