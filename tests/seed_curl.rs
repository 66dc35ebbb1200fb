//! The user's own curl examples, run word for word through bash against a
//! real server, with a real torrent download behind example 3.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use mosaic_tests::{MosaicServer, ServerOptions, Swarm};
use serde_json::Value;

/// Example 1 of the seed's curl section, verbatim.
const EXAMPLE_1: &str = r#"curl -k "$MOSAIC/api/torrents" \
  -H "Authorization: Bearer $MOSAIC_API_KEY" | jq ."#;

/// Example 3 of the seed's curl section, verbatim.
const EXAMPLE_3: &str = r#"curl -k -X POST "$MOSAIC/api/torrents/file" \
  -H "Authorization: Bearer $MOSAIC_API_KEY" \
  -F "file=@./ubuntu-24.04-desktop-amd64.iso.torrent" \
  -F "save_path=/srv/downloads/iso""#;

/// The file example 3 uploads, made and seeded locally (12 MiB).
const ISO_NAME: &str = "ubuntu-24.04-desktop-amd64.iso";
const ISO_LEN: u64 = 12_582_917;
/// Where example 3 saves.
const SAVE_PATH: &str = "/srv/downloads/iso";

const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(120);

/// Proxy settings curl would honour; loopback traffic must not use them.
const PROXY_VARS: &[&str] = &[
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
];

/// Removes what the test put under [`SAVE_PATH`] when dropped: the
/// downloaded file and the folders that did not exist before.
struct SaveDirCleanup {
    file: PathBuf,
    created: Vec<PathBuf>,
}

impl SaveDirCleanup {
    fn prepare() -> Self {
        let save = Path::new(SAVE_PATH);
        let file = save.join(ISO_NAME);
        assert!(
            !file.exists(),
            "{} is left from an earlier run; remove it",
            file.display()
        );
        let created = save
            .ancestors()
            .take_while(|dir| !dir.exists())
            .map(Path::to_owned)
            .collect();
        Self { file, created }
    }
}

impl Drop for SaveDirCleanup {
    fn drop(&mut self) {
        // Errors are ignored: the file may never have been written, and a
        // folder that someone else filled meanwhile must stay.
        let _ = std::fs::remove_file(&self.file);
        for dir in &self.created {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Runs `script` with `bash -c` in `dir`, with the environment the seed's
/// examples assume.
async fn run_example(script: &str, dir: &Path, server: &MosaicServer) -> Output {
    let port = server
        .base_url()
        .rsplit(':')
        .next()
        .expect("the base URL ends in a port");
    let mut command = tokio::process::Command::new("bash");
    command
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("MOSAIC", format!("https://localhost:{port}"))
        .env("MOSAIC_API_KEY", server.api_key())
        // No personal .curlrc may change what the command does.
        .env("CURL_HOME", dir);
    for var in PROXY_VARS {
        command.env_remove(var);
    }
    let output = command.output().await.unwrap();
    assert!(
        output.status.success(),
        "{script}\nexited {}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn stdout_json(output: &Output) -> Value {
    let text = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_curl_examples_list_and_upload_a_torrent_that_downloads() {
    // Proves seed curl examples 1 and 3 work verbatim, down to a whole file in /srv/downloads/iso.
    let cleanup = SaveDirCleanup::prepare();
    let swarm = Swarm::single_file("seed-curl", ISO_NAME, ISO_LEN, 18).await;
    let torrent_path = swarm.dir().join(format!("{ISO_NAME}.torrent"));
    assert_eq!(swarm.torrent().path, torrent_path);
    let server = MosaicServer::start(ServerOptions::default()).await;
    let hash = swarm.hash();

    let listed = stdout_json(&run_example(EXAMPLE_1, swarm.dir(), &server).await);
    assert_eq!(listed, Value::Array(Vec::new()));

    let added = run_example(EXAMPLE_3, swarm.dir(), &server).await;
    assert_eq!(
        String::from_utf8_lossy(&added.stdout),
        format!(r#"{{"id":"{hash}"}}"#)
    );

    let listed = stdout_json(&run_example(EXAMPLE_1, swarm.dir(), &server).await);
    let rows = listed.as_array().expect("example 1 prints an array");
    assert_eq!(rows.len(), 1, "{listed}");
    assert_eq!(rows[0]["id"], hash);
    assert_eq!(rows[0]["name"], ISO_NAME);
    assert_eq!(rows[0]["save_path"], SAVE_PATH);

    let done = server
        .wait_row(hash, DOWNLOAD_TIMEOUT, "completed", |row| {
            row["completed"] == true
        })
        .await;
    assert_eq!(done["total_bytes"], ISO_LEN, "{done}");
    assert_eq!(swarm.downloaded(Path::new(SAVE_PATH)), swarm.expected());
    assert_eq!(swarm.expected().len(), 1);

    // The server goes first, so nothing writes there while it is cleaned.
    drop(server);
    drop(cleanup);
    assert!(!Path::new(SAVE_PATH).join(ISO_NAME).exists());
}
