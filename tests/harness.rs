//! Self-tests of the shared harness: the tracker, the torrent maker and the
//! independent peers work together on loopback before Mosaic is tested
//! with them.

use std::process::Command;
use std::time::{Duration, Instant};

use mosaic_tests::{
    Aria2Leecher, Aria2Seeder, DataSet, TestDir, Tracker, TransmissionSeeder, make_torrent,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aria2_swarm_transfers_a_multi_file_torrent_through_the_tracker() {
    // Proves seeder, tracker and leecher move a 24 MiB multi-file torrent intact.
    let dir = TestDir::new("harness-swarm");
    let data = DataSet::standard_multi(&dir.subdir("seed"), "album");
    let tracker = Tracker::start();
    let torrent = make_torrent(
        data.root(),
        &tracker.announce_url(),
        &dir.join("album.torrent"),
        18,
    );
    assert_eq!(torrent.name, "album");
    assert_eq!(data.total_len(), 25_110_577);

    tracker.whitelist(&torrent.info_hash_hex).await;
    let probe_gone = tracker.scrape(&torrent.info_hash_hex).await.unwrap();
    assert_eq!((probe_gone.complete, probe_gone.incomplete), (0, 0));

    let seeder = Aria2Seeder::start(&torrent.path, &dir.join("seed")).await;
    let scrape = tracker
        .wait_seeders(&torrent.info_hash_hex, 1, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(scrape.complete, 1);
    assert_eq!(seeder.peer_addr().ip().to_string(), "127.0.0.1");

    let out = dir.subdir("leech");
    Aria2Leecher::download(&torrent.path, &out, Duration::from_secs(120))
        .await
        .unwrap();
    assert_eq!(
        mosaic_tests::sha256_tree(&out.join("album")),
        data.sha256_tree()
    );
    assert_eq!(data.sha256_tree().len(), 5);
    assert!(seeder.uploaded_bytes().await.unwrap() >= data.total_len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aria2_leecher_fetches_metadata_from_a_magnet_link() {
    // Proves magnet_for links resolve through the tracker to the same files.
    let dir = TestDir::new("harness-magnet");
    let data = DataSet::create(&dir.subdir("seed"), &[("solo.bin", 3_000_001)]);
    let tracker = Tracker::start();
    let source = data.root().join("solo.bin");
    let torrent = make_torrent(
        &source,
        &tracker.announce_url(),
        &dir.join("solo.torrent"),
        16,
    );
    tracker.whitelist(&torrent.info_hash_hex).await;

    let seeder = Aria2Seeder::start(&torrent.path, data.root()).await;
    tracker
        .wait_seeders(&torrent.info_hash_hex, 1, Duration::from_secs(60))
        .await
        .unwrap();
    let magnet = torrent.magnet(Some(&tracker.announce_url()), &[seeder.peer_addr()]);
    assert!(magnet.starts_with(&format!(
        "magnet:?xt=urn:btih:{}&dn=solo.bin&tr=http%3A%2F%2F127.0.0.1%3A",
        torrent.info_hash_hex
    )));

    let out = dir.subdir("leech");
    Aria2Leecher::download(&magnet, &out, Duration::from_secs(120))
        .await
        .unwrap();
    assert_eq!(
        mosaic_tests::sha256_file(&out.join("solo.bin")),
        mosaic_tests::sha256_file(&source)
    );
}

#[test]
fn info_hash_matches_independent_tools() {
    // Proves our bencode walker's info hash equals aria2's and Transmission's.
    let dir = TestDir::new("harness-hash");
    let data = DataSet::create(&dir.join("set"), &[("a.bin", 70_001), ("b/c.txt", 123)]);
    let torrent = make_torrent(
        data.root(),
        "http://127.0.0.1:1/announce",
        &dir.join("set.torrent"),
        15,
    );

    let aria2 = tool_output(
        Command::new("aria2c")
            .arg("--show-files=true")
            .arg(&torrent.path),
    );
    let aria2_hash = field_after(&aria2, "Info Hash:").to_ascii_lowercase();
    let transmission = tool_output(Command::new("transmission-show").arg(&torrent.path));
    let transmission_hash = field_after(&transmission, "Hash:");

    assert_eq!(torrent.info_hash_hex.len(), 40);
    assert_eq!(torrent.info_hash_hex, aria2_hash);
    assert_eq!(torrent.info_hash_hex, transmission_hash);
    assert_eq!(torrent.name, "set");
}

fn tool_output(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(output.status.success(), "{command:?} failed: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// The trimmed text after the first line starting (after indentation) with `label`.
fn field_after<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find_map(|line| line.trim().strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label:?} in:\n{text}"))
        .trim()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transmission_seeds_to_aria2() {
    // Proves the Transmission seeder verifies existing data and serves it.
    let dir = TestDir::new("harness-transmission");
    let data = DataSet::create(
        &dir.subdir("seed").join("pair"),
        &[("one.bin", 2_500_003), ("two/b.bin", 1_048_577)],
    );
    let tracker = Tracker::start();
    let torrent = make_torrent(
        data.root(),
        &tracker.announce_url(),
        &dir.join("pair.torrent"),
        17,
    );
    tracker.whitelist(&torrent.info_hash_hex).await;

    let seeder = TransmissionSeeder::start(&torrent.path, &dir.join("seed")).await;
    let status = seeder.status().await.unwrap();
    assert_eq!(status["hashString"], torrent.info_hash_hex.as_str());
    assert_eq!(status["totalSize"], data.total_len());
    tracker
        .wait_seeders(&torrent.info_hash_hex, 1, Duration::from_secs(60))
        .await
        .unwrap();

    let out = dir.subdir("leech");
    Aria2Leecher::download(&torrent.path, &out, Duration::from_secs(120))
        .await
        .unwrap();
    assert_eq!(
        mosaic_tests::sha256_tree(&out.join("pair")),
        data.sha256_tree()
    );
    assert_ne!(seeder.peer_addr().port(), 0);
}

#[tokio::test]
async fn leecher_reports_timeout_with_its_logs() {
    // Proves a stalled download ends in an error carrying aria2's output.
    let dir = TestDir::new("harness-stall");
    let tracker = Tracker::start();
    let hash = "00112233445566778899aabbccddeeff00112233";
    tracker.whitelist(hash).await;
    let magnet = mosaic_tests::magnet_for(hash, "nothing", Some(&tracker.announce_url()), &[]);

    let started = Instant::now();
    let error = Aria2Leecher::download(&magnet, &dir, Duration::from_secs(3))
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("unfinished after 3s"), "{error}");
    assert!(
        error.contains("--- aria2-leecher stdout (tail) ---"),
        "{error}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    // aria2 announces `left=0` while it has no metadata yet, so the tracker
    // counts the stalled magnet leecher as a seeder.
    let scrape = tracker.scrape(hash).await.unwrap();
    assert_eq!((scrape.complete, scrape.incomplete), (1, 0));
}
