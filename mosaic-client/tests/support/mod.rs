//! Helpers for the client's end-to-end tests, on top of the shared harness
//! (`mosaic-tests`): clients that trust a test server's own certificate,
//! its logged fingerprint, small torrents, and a server kept on one port
//! across restarts (the harness's restarts may change the port, which a
//! client holding a base URL cannot follow).

#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use futures::{Stream, StreamExt};
use mosaic_client::{Client, Event};
use mosaic_tests::server::server_binary;
use mosaic_tests::{DataSet, MosaicServer, Process, TestDir, free_port, make_torrent};

/// How long a test waits for one expected event.
pub const EVENT_TIMEOUT: Duration = Duration::from_secs(30);

/// The server's certificate file.
pub fn cert_path(data_dir: &Path) -> PathBuf {
    data_dir.join("tls/cert.pem")
}

/// A client for `server` with its API key, trusting its own certificate.
pub fn client_for(server: &MosaicServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .api_key(server.api_key())
        .ca_file(cert_path(server.data_dir()))
        .build()
        .unwrap()
}

/// The fingerprint as the server logged it: `tls certificate sha256="AA:…"`.
pub fn logged_fingerprint(log: &str) -> String {
    let line = log
        .lines()
        .find(|l| l.contains("tls certificate"))
        .unwrap_or_else(|| panic!("no certificate line in the log:\n{log}"));
    let value = line
        .split_whitespace()
        .find_map(|word| word.strip_prefix("sha256="))
        .unwrap_or_else(|| panic!("no sha256 field in {line:?}"));
    value.trim_matches('"').to_owned()
}

/// A small two-file torrent (made by mktorrent) and its data folder.
pub struct SmallTorrent {
    pub dir: TestDir,
    pub path: PathBuf,
    pub info_hash: String,
}

/// Torrents with different `name`s have different info hashes (the
/// content is the same).
pub fn small_torrent(label: &str, name: &str) -> SmallTorrent {
    let dir = TestDir::new(label);
    let data = DataSet::create(
        &dir.subdir("data").join(name),
        &[("a.bin", 300_000), ("b/c.txt", 10)],
    );
    let path = dir.join(format!("{name}.torrent"));
    let torrent = make_torrent(data.root(), "http://127.0.0.1:1/announce", &path, 15);
    SmallTorrent {
        dir,
        path,
        info_hash: torrent.info_hash_hex,
    }
}

/// The next event that `pick` accepts, skipping others; panics after
/// [`EVENT_TIMEOUT`] or when the stream fails or ends.
pub async fn next_matching<S, T>(
    events: &mut S,
    what: &str,
    mut pick: impl FnMut(Event) -> Option<T>,
) -> T
where
    S: Stream<Item = mosaic_client::Result<Event>> + Unpin,
{
    let deadline = tokio::time::Instant::now() + EVENT_TIMEOUT;
    loop {
        let next = tokio::time::timeout_at(deadline, events.next()).await;
        let event = match next {
            Ok(Some(Ok(event))) => event,
            Ok(Some(Err(e))) => panic!("stream failed while waiting for {what}: {e:?}"),
            Ok(None) => panic!("stream ended while waiting for {what}"),
            Err(_) => panic!("no {what} within {EVENT_TIMEOUT:?}"),
        };
        if let Some(found) = pick(event) {
            return found;
        }
    }
}

/// `mosaic-server` on a port chosen once and kept across restarts, with
/// the same data folder; killed on drop.
pub struct FixedServer {
    process: Option<Process>,
    port: u16,
    pub api_key: String,
    pub dirs: TestDir,
    logs: TestDir,
}

impl FixedServer {
    pub async fn start() -> Self {
        let mut server = Self {
            process: None,
            port: free_port(),
            api_key: String::new(),
            dirs: TestDir::new("client-fixed"),
            logs: TestDir::new("client-fixed-logs"),
        };
        let banner = server.launch().await;
        server.api_key = banner.expect("a first start prints an api key");
        server
    }

    pub fn base_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dirs.join("data")
    }

    pub fn client(&self) -> Client {
        Client::builder()
            .base_url(self.base_url())
            .api_key(&self.api_key)
            .ca_file(cert_path(&self.data_dir()))
            .build()
            .unwrap()
    }

    /// Starts the process and waits for `listening:`; answers the API key
    /// when this start printed one.
    async fn launch(&mut self) -> Option<String> {
        let mut command = Command::new(server_binary());
        command
            .arg("--data-dir")
            .arg(self.data_dir())
            .args(["--listen", &format!("127.0.0.1:{}", self.port)])
            .args(["--peer-listen", "127.0.0.1:0", "--no-dht", "--save-path"])
            .arg(self.dirs.join("downloads"))
            .env("RUST_LOG", "info");
        let (process, stdout) = Process::spawn_piped("mosaic-server", command, &self.logs).unwrap();
        self.process = Some(process);
        // The thread keeps draining stdout after the banner so that the
        // server never writes into a closed pipe.
        let (banner, read) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let mut banner = Some(banner);
            let mut key = None;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(value) = line.strip_prefix("api key: ") {
                    key = Some(value.trim().to_owned());
                }
                if line.starts_with("listening: ")
                    && let Some(banner) = banner.take()
                {
                    let _ = banner.send(key.clone());
                }
            }
        });
        match tokio::time::timeout(Duration::from_secs(60), read).await {
            Ok(Ok(key)) => key,
            _ => panic!("mosaic-server did not start:\n{}", self.tails()),
        }
    }

    /// Stops the server with SIGTERM (sockets are closed with 1001).
    pub async fn stop(&mut self) {
        let mut process = self.process.take().expect("the server runs");
        process.signal("TERM").unwrap();
        if process.wait_exit(Duration::from_secs(30)).await.is_none() {
            process.kill();
            panic!("mosaic-server ignored SIGTERM");
        }
    }

    /// Starts it again on the same port and data.
    pub async fn start_again(&mut self) {
        self.launch().await;
    }

    pub fn tails(&self) -> String {
        self.process
            .as_ref()
            .map(Process::tails)
            .unwrap_or_default()
    }
}

/// The `mosaic` binary: the one cargo built for these tests when the `cli`
/// feature is on, else built here once with that feature (so that
/// `cargo test -p mosaic-client` runs the CLI tests too). Cargo names the
/// binary's path even when the feature is off and nothing fresh is there,
/// so the feature decides, not the name.
pub fn mosaic_bin() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        if cfg!(feature = "cli") {
            PathBuf::from(env!("CARGO_BIN_EXE_mosaic"))
        } else {
            cargo_build(&["--features", "cli", "--bin", "mosaic"]).join("mosaic")
        }
    })
    .clone()
}

/// The compiled example `name` (built here if needed).
pub fn example_bin(name: &str) -> PathBuf {
    cargo_build(&["--example", name])
        .join("examples")
        .join(name)
}

/// Runs `cargo build -p mosaic-client <args>` and answers the profile
/// folder it built into.
fn cargo_build(args: &[&str]) -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "-p", "mosaic-client"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo build {args:?} failed");
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("inside the workspace");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace.join("target"), |dir| workspace.join(dir));
    target.join("debug")
}

/// A `mosaic` command aimed at `server` through the environment, as a
/// user's shell would set it, with its own config folder.
pub fn mosaic(server: &MosaicServer, config_dir: &Path) -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(mosaic_bin());
    aim(&mut command, server, config_dir);
    command
}

/// Sets `MOSAIC`, `MOSAIC_API_KEY`, `MOSAIC_CA_FILE` and
/// `MOSAIC_CONFIG_DIR` for `server`, and clears the developer's own.
pub fn aim(command: &mut assert_cmd::Command, server: &MosaicServer, config_dir: &Path) {
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("MOSAIC") {
            command.env_remove(name);
        }
    }
    command
        .env("MOSAIC", server.base_url())
        .env("MOSAIC_API_KEY", server.api_key())
        .env("MOSAIC_CA_FILE", cert_path(server.data_dir()))
        .env("MOSAIC_CONFIG_DIR", config_dir)
        .timeout(Duration::from_secs(120));
}
