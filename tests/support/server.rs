//! The `mosaic-server` binary run as a child process over real TLS.
//!
//! The harness relies on the server's stdout contract, each line alone:
//! `username: admin`, `password: <pw>` and `api key: <key>` on the first
//! start of a data dir only, `peers: 127.0.0.1:<port>` (the BitTorrent
//! listen address) when the engine listens, then
//! `listening: https://127.0.0.1:<port>` on every start once the API
//! answers. Logs (stderr) go to a file.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{ChildStdout, Command, ExitStatus};
use std::time::Duration;

use anyhow::{Context, bail};
use serde_json::Value;
use tokio::sync::mpsc;

use crate::process::{Process, append_file};
use crate::{Api, TestDir};

/// Time for a start to print `listening:`; a first start makes a
/// certificate and hashes a password, which is slow in debug builds.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// Time for a graceful shutdown after SIGTERM.
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// How to start a server; unset folders are made in a temp dir that lives
/// as long as the [`MosaicServer`].
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// `--data-dir`; reuse one to start on existing state.
    pub data_dir: Option<PathBuf>,
    /// `--save-path`, where downloads go.
    pub save_path: Option<PathBuf>,
    /// Appended after the harness's own arguments.
    pub extra_args: Vec<String>,
}

/// The admin account a fresh data dir prints once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// Always `admin` today.
    pub username: String,
    /// The generated password.
    pub password: String,
    /// The generated API key.
    pub api_key: String,
}

/// A running `mosaic-server`, killed on drop.
#[derive(Debug)]
pub struct MosaicServer {
    // Declared first so the process dies before its folders are removed.
    process: Option<Process>,
    base_url: String,
    peer_addr: Option<SocketAddr>,
    credentials: Option<Credentials>,
    data_dir: PathBuf,
    save_path: PathBuf,
    extra_args: Vec<String>,
    logs: TestDir,
    _dirs: TestDir,
}

impl MosaicServer {
    /// Starts the server on `127.0.0.1:0` (API and peers), DHT off, and
    /// returns once it prints its listening address.
    pub async fn start(options: ServerOptions) -> Self {
        let dirs = TestDir::new("server");
        let data_dir = options.data_dir.unwrap_or_else(|| dirs.join("data"));
        let save_path = options.save_path.unwrap_or_else(|| dirs.join("downloads"));
        let mut server = Self {
            process: None,
            base_url: String::new(),
            peer_addr: None,
            credentials: None,
            data_dir,
            save_path,
            extra_args: options.extra_args,
            logs: TestDir::new("server-logs"),
            _dirs: dirs,
        };
        server.launch().await;
        server
    }

    async fn launch(&mut self) {
        let (process, stdout) = Process::spawn_piped("mosaic-server", self.command(), &self.logs)
            .unwrap_or_else(|e| panic!("{e:#}"));
        let lines = forward_lines(stdout, process.stdout_log().to_owned());
        self.process = Some(process);

        let banner = tokio::time::timeout(START_TIMEOUT, read_banner(lines)).await;
        // On panic the process is dropped while unwinding; its drop prints
        // the log tails.
        let banner = match banner {
            Ok(Ok(banner)) => banner,
            Ok(Err(e)) => panic!("mosaic-server did not start: {e:#}"),
            Err(_) => panic!("mosaic-server not listening after {START_TIMEOUT:?}"),
        };
        self.base_url = banner.url;
        self.peer_addr = banner.peers;
        // Credentials are printed only by the first start of a data dir;
        // later starts keep the ones already known.
        if banner.credentials.is_some() {
            self.credentials = banner.credentials;
        }
    }

    fn command(&self) -> Command {
        let mut command = Command::new(server_binary());
        command
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args([
                "--listen",
                "127.0.0.1:0",
                "--peer-listen",
                "127.0.0.1:0",
                "--no-dht",
            ])
            .arg("--save-path")
            .arg(&self.save_path)
            .args(&self.extra_args)
            .env("RUST_LOG", "info");
        // The developer's own MOSAIC_* settings must not leak into tests.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("MOSAIC_") {
                command.env_remove(name);
            }
        }
        command
    }

    /// `https://127.0.0.1:<port>` of the current run.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Where the current run accepts BitTorrent peers, as printed on its
    /// `peers:` line (`None` when it printed none).
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        self.peer_addr
    }

    /// A client for the API that sends the admin API key.
    pub fn api(&self) -> Api {
        Api::new(
            &self.base_url,
            self.credentials.as_ref().map(|c| c.api_key.as_str()),
        )
    }

    /// Polls `GET /api/torrents/{id}` until `done` holds and returns that
    /// detail; after `timeout` it panics, naming `what` it waited for and
    /// showing the last detail and the server's log tails.
    pub async fn wait_torrent(
        &self,
        id: &str,
        timeout: Duration,
        what: &str,
        done: impl Fn(&Value) -> bool,
    ) -> Value {
        let waited = self.api().wait_detail(id, timeout, done).await;
        waited.unwrap_or_else(|last| self.waited_in_vain(id, timeout, what, &last))
    }

    /// Like [`MosaicServer::wait_torrent`] on the torrent's row in
    /// `GET /api/torrents`.
    pub async fn wait_row(
        &self,
        id: &str,
        timeout: Duration,
        what: &str,
        done: impl Fn(&Value) -> bool,
    ) -> Value {
        let waited = self.api().wait_row(id, timeout, done).await;
        waited.unwrap_or_else(|last| self.waited_in_vain(id, timeout, what, &last))
    }

    fn waited_in_vain(&self, id: &str, timeout: Duration, what: &str, last: &Value) -> ! {
        panic!(
            "torrent {id} not {what} after {timeout:?}; last seen: {last}\n{}",
            self.tails()
        )
    }

    /// The admin credentials, if this harness saw a first start.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// Replaces the known credentials (after a test rotates the key or
    /// changes the password).
    pub fn set_credentials(&mut self, credentials: Credentials) {
        self.credentials = Some(credentials);
    }

    /// The admin API key.
    pub fn api_key(&self) -> &str {
        &self.known_credentials().api_key
    }

    /// The admin password.
    pub fn password(&self) -> &str {
        &self.known_credentials().password
    }

    fn known_credentials(&self) -> &Credentials {
        self.credentials.as_ref().unwrap_or_else(|| {
            panic!("no credentials: the server was started on an existing data dir")
        })
    }

    /// The `--data-dir` folder.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The `--save-path` folder.
    pub fn save_path(&self) -> &Path {
        &self.save_path
    }

    /// The server's process id while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.process.as_ref().map(Process::pid)
    }

    /// Whether the server process is running.
    pub fn is_running(&mut self) -> bool {
        self.process.as_mut().is_some_and(Process::is_running)
    }

    /// Kills the server with SIGKILL (no shutdown code runs) and reaps it.
    pub fn kill9(&mut self) -> Option<ExitStatus> {
        self.process.as_mut().map(Process::kill)
    }

    /// Sends SIGTERM and waits for the server to exit, returning its
    /// status; panics if it is still running after 30 s.
    pub async fn stop(&mut self) -> ExitStatus {
        let process = self
            .process
            .as_mut()
            .expect("a started server has a process");
        if let Some(status) = process.exit_status() {
            return status;
        }
        if let Err(e) = process.signal("TERM") {
            panic!("cannot stop mosaic-server: {e:#}");
        }

        match process.wait_exit(STOP_TIMEOUT).await {
            Some(status) => status,
            None => {
                process.kill();
                panic!("mosaic-server ignored SIGTERM for {STOP_TIMEOUT:?}");
            }
        }
    }

    /// Starts the server again on the same data dir, stopping it with
    /// SIGTERM first if it still runs. The port may change; the known
    /// credentials stay.
    pub async fn restart(&mut self) {
        if self.is_running() {
            self.stop().await;
        }
        self.launch().await;
    }

    /// Everything the server logged (stderr) across all its runs.
    pub fn log_text(&self) -> String {
        self.process
            .as_ref()
            .map(Process::stderr_text)
            .unwrap_or_default()
    }

    /// The tails of stdout and the log, for failure messages.
    pub fn tails(&self) -> String {
        self.process
            .as_ref()
            .map(Process::tails)
            .unwrap_or_default()
    }
}

/// The binary built by `cargo build -p mosaic-server`, or the one named by
/// `MOSAIC_SERVER_BIN`.
pub fn server_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("MOSAIC_SERVER_BIN") {
        return PathBuf::from(path);
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits inside the workspace");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| workspace.join(dir))
        .unwrap_or_else(|| workspace.join("target"));

    let binary = target.join("debug").join("mosaic-server");
    if !binary.is_file() {
        panic!(
            "mosaic-server binary not found at {}: build it first with \
             `cargo build -p mosaic-server` (or set MOSAIC_SERVER_BIN)",
            binary.display()
        );
    }
    binary
}

/// Copies each stdout line to `log` and into the returned channel, until
/// the server closes stdout. Draining continues after the receiver is gone
/// so the server never blocks on a full pipe.
fn forward_lines(stdout: ChildStdout, log: PathBuf) -> mpsc::UnboundedReceiver<String> {
    let (tx, rx) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        let mut file = append_file(&log).ok();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(file) = file.as_mut() {
                // Losing a log line must not stop the draining.
                let _ = writeln!(file, "{line}");
            }
            let _ = tx.send(line);
        }
    });
    rx
}

/// What a start printed before it was ready.
#[derive(Debug, PartialEq)]
struct Banner {
    url: String,
    peers: Option<SocketAddr>,
    credentials: Option<Credentials>,
}

async fn read_banner(mut lines: mpsc::UnboundedReceiver<String>) -> anyhow::Result<Banner> {
    let (mut username, mut password, mut api_key) = (None, None, None);
    let mut peers = None;
    loop {
        let line = lines
            .recv()
            .await
            .context("server exited before printing `listening:`")?;
        let line = line.trim();
        if let Some(url) = line.strip_prefix("listening: ") {
            let credentials = credentials_from(username, password, api_key)?;
            return Ok(Banner {
                url: url.trim().to_owned(),
                peers,
                credentials,
            });
        }
        if let Some(addr) = line.strip_prefix("peers: ") {
            let addr = addr.trim();
            peers = Some(
                addr.parse()
                    .with_context(|| format!("unreadable peers line {addr:?}"))?,
            );
            continue;
        }

        let field = |prefix: &str| line.strip_prefix(prefix).map(|v| v.trim().to_owned());
        username = field("username: ").or(username);
        password = field("password: ").or(password);
        api_key = field("api key: ").or(api_key);
    }
}

fn credentials_from(
    username: Option<String>,
    password: Option<String>,
    api_key: Option<String>,
) -> anyhow::Result<Option<Credentials>> {
    match (username, password, api_key) {
        (Some(username), Some(password), Some(api_key)) => Ok(Some(Credentials {
            username,
            password,
            api_key,
        })),
        (None, None, None) => Ok(None),
        (username, password, api_key) => bail!(
            "incomplete credentials printed (username {}, password {}, api key {})",
            username.is_some(),
            password.is_some(),
            api_key.is_some(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn banner_of(lines: &[&str]) -> anyhow::Result<Banner> {
        let (tx, rx) = mpsc::unbounded_channel();
        for line in lines {
            tx.send((*line).to_owned()).unwrap();
        }
        drop(tx);
        read_banner(rx).await
    }

    #[tokio::test]
    async fn reads_first_start_banner() {
        // Proves credentials and the URL are taken from the stdout contract.
        let banner = banner_of(&[
            "username: admin",
            "password: pw1",
            "api key: key1",
            "peers: 127.0.0.1:51413",
            "listening: https://127.0.0.1:4443",
        ])
        .await
        .unwrap();
        assert_eq!(banner.url, "https://127.0.0.1:4443");
        assert_eq!(banner.peers, Some("127.0.0.1:51413".parse().unwrap()));
        let credentials = banner.credentials.unwrap();
        assert_eq!(credentials.password, "pw1");
        assert_eq!(credentials.api_key, "key1");
    }

    #[tokio::test]
    async fn restart_banner_has_no_credentials() {
        // Proves a later start gives only the URL and exit is an error.
        let banner = banner_of(&["something else", "listening: https://127.0.0.1:1"]).await;
        let banner = banner.unwrap();
        assert_eq!((banner.credentials, banner.peers), (None, None));
        assert!(
            banner_of(&["peers: nowhere", "listening: https://127.0.0.1:1"])
                .await
                .is_err()
        );
        assert!(banner_of(&["username: admin"]).await.is_err());
        assert!(
            banner_of(&["password: x", "listening: https://127.0.0.1:1"])
                .await
                .is_err()
        );
    }
}
