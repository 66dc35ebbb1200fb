//! `mosaic add --wait` following a real download from an aria2 seeder.

mod support;

use mosaic_tests::{MosaicServer, ServerOptions, Swarm, TestDir};
use serde_json::Value;
use support::{aim, example_bin, mosaic, mosaic_bin};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_wait_returns_when_the_download_is_complete() {
    // Proves `add --wait` exits 0 only once the data is complete and identical, and `--json` prints the finished rows.
    let swarm = Swarm::single_file("cli-wait", "disk.img", 6_000_011, 16).await;
    let server = MosaicServer::start(ServerOptions::default()).await;
    let config = TestDir::new("cli-config");
    let save = swarm.subdir("mosaic");

    let output = mosaic(&server, &config)
        .args(["add", "--wait", "--save-path", save.to_str().unwrap()])
        .arg(&swarm.torrent().path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let output = String::from_utf8(output).unwrap();
    let hash = swarm.hash();
    assert_eq!(
        output,
        format!("added {hash}\ncomplete {hash} disk.img (5.7 MiB)\n")
    );
    assert_eq!(swarm.downloaded(&save), swarm.expected());

    let again = mosaic(&server, &config)
        .args(["--json", "add", "--wait"])
        .arg(&swarm.torrent().path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let rows: Value = serde_json::from_slice(&again).unwrap();
    assert_eq!(rows[0]["id"], hash);
    assert_eq!(
        (rows[0]["completed"].as_bool(), rows[0]["progress"].as_f64()),
        (Some(true), Some(1.0))
    );

    // The shipped examples run against the same server and torrent.
    let bin_dir = mosaic_bin().parent().unwrap().to_owned();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/cli.sh");
    let mut shell = assert_cmd::Command::new("bash");
    aim(&mut shell, &server, &config);
    let shell = shell
        .env("PATH", path)
        .arg(script)
        .arg(&swarm.torrent().path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let shell = String::from_utf8(shell).unwrap();
    assert!(
        shell.contains(&format!("resumed {hash}")) && shell.contains("\"torrents\": 1"),
        "{shell}"
    );

    let mut rust = std::process::Command::new(example_bin("add_wait_list"));
    rust.env("MOSAIC", server.base_url())
        .env("MOSAIC_API_KEY", server.api_key());
    rust.env(
        "MOSAIC_FINGERPRINT",
        support::logged_fingerprint(&server.log_text()),
    );
    let listed = rust.arg(&swarm.torrent().path).output().unwrap();
    let listed = String::from_utf8(listed.stdout).unwrap();
    assert!(listed.starts_with(&format!("added {hash}\n")), "{listed}");
    assert!(
        listed.contains("complete: disk.img") && listed.contains(&format!("{hash}  100.0%")),
        "{listed}"
    );
}
