//! transmission-daemon as a seeder, driven over its RPC interface.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::process::Process;
use crate::{TestDir, free_port, loopback, wait_until};

/// Starts tried before giving up, each with fresh ports.
const ATTEMPTS: usize = 3;
/// Time for the daemon to verify its data and report itself seeding.
const SEED_TIMEOUT: Duration = Duration::from_secs(120);
/// Time for the RPC interface to come up.
const RPC_TIMEOUT: Duration = Duration::from_secs(15);
/// What the daemon logs (and then keeps running) when a port is taken.
const BIND_FAILURE: &str = "Couldn't bind";
/// Transmission's torrent status code for "seeding".
const STATUS_SEEDING: i64 = 6;
/// Fields asked of `torrent-get`.
const STATUS_FIELDS: &[&str] = &[
    "hashString",
    "status",
    "percentDone",
    "leftUntilDone",
    "haveValid",
    "totalSize",
    "uploadedEver",
    "peersConnected",
    "error",
    "errorString",
];

/// transmission-daemon seeding one torrent from existing data, killed on
/// drop.
#[derive(Debug)]
pub struct TransmissionSeeder {
    // Declared first so the daemon dies before its folders are removed.
    process: Process,
    _dirs: TestDir,
    peer_port: u16,
    rpc: Rpc,
}

impl TransmissionSeeder {
    /// Seeds `torrent` from the files under `data_parent_dir`, announcing
    /// to the torrent's trackers; returns once Transmission has verified
    /// every piece and reports the torrent as seeding.
    pub async fn start(torrent: &Path, data_parent_dir: &Path) -> Self {
        let dirs = TestDir::new("transmission");
        for attempt in 1..=ATTEMPTS {
            let config = dirs.subdir(&format!("config-{attempt}"));
            let (peer_port, rpc) = (free_port(), Rpc::new(free_port()));
            let mut process = spawn(&config, data_parent_dir, peer_port, rpc.port, &dirs);

            match start_seeding(&mut process, &rpc, torrent, data_parent_dir).await {
                Ok(()) => {
                    return Self {
                        process,
                        _dirs: dirs,
                        peer_port,
                        rpc,
                    };
                }
                Err(_) if attempt < ATTEMPTS && process.stderr_text().contains(BIND_FAILURE) => {}
                // `process` is dropped while this unwinds, printing its logs.
                Err(e) => panic!("transmission did not start seeding: {e:#}"),
            }
        }
        unreachable!("the last attempt returns or panics")
    }

    /// Where other peers reach this seeder.
    pub fn peer_addr(&self) -> SocketAddr {
        loopback(self.peer_port)
    }

    /// Transmission's `torrent-get` fields for the torrent.
    ///
    /// # Errors
    ///
    /// When the RPC call fails or the daemon holds no torrent.
    pub async fn status(&self) -> anyhow::Result<Value> {
        let answer = self
            .rpc
            .call("torrent-get", json!({"fields": STATUS_FIELDS}))
            .await?;
        answer["torrents"]
            .get(0)
            .cloned()
            .context("transmission holds no torrent")
    }

    /// Bytes this seeder has uploaded so far.
    ///
    /// # Errors
    ///
    /// When the status cannot be read.
    pub async fn uploaded_bytes(&self) -> anyhow::Result<u64> {
        let status = self.status().await?;
        status["uploadedEver"]
            .as_u64()
            .with_context(|| format!("no uploadedEver in {status}"))
    }

    /// The tails of the daemon's output.
    pub fn tails(&self) -> String {
        self.process.tails()
    }
}

/// `settings.json` for a transmission-daemon kept on loopback and away
/// from every peer source but trackers, seeding without limit; files go
/// to `data_parent_dir`.
pub fn settings(data_parent_dir: &Path, peer_port: u16, rpc_port: u16) -> Value {
    json!({
        "dht-enabled": false,
        "lpd-enabled": false,
        "pex-enabled": false,
        "utp-enabled": false,
        "port-forwarding-enabled": false,
        "blocklist-enabled": false,
        "peer-port": peer_port,
        "peer-port-random-on-start": false,
        "bind-address-ipv4": "127.0.0.1",
        "bind-address-ipv6": "::1",
        "rpc-bind-address": "127.0.0.1",
        "rpc-port": rpc_port,
        "rpc-authentication-required": false,
        "rpc-whitelist-enabled": true,
        "rpc-whitelist": "127.0.0.1",
        "download-dir": data_parent_dir,
        "ratio-limit-enabled": false,
        "idle-seeding-limit-enabled": false,
        "start-added-torrents": true,
        "message-level": 2,
    })
}

fn spawn(
    config: &Path,
    data_parent_dir: &Path,
    peer_port: u16,
    rpc_port: u16,
    logs: &Path,
) -> Process {
    let settings = settings(data_parent_dir, peer_port, rpc_port);
    std::fs::write(config.join("settings.json"), settings.to_string())
        .unwrap_or_else(|e| panic!("cannot write transmission settings: {e}"));

    let mut command = Command::new("transmission-daemon");
    command.arg("--foreground").arg("--config-dir").arg(config);
    Process::spawn("transmission", command, logs)
        .unwrap_or_else(|e| panic!("{e:#} (apt-get install transmission-daemon)"))
}

/// Adds the torrent and waits until it is verified and seeding.
async fn start_seeding(
    process: &mut Process,
    rpc: &Rpc,
    torrent: &Path,
    data_parent_dir: &Path,
) -> anyhow::Result<()> {
    let up = wait_until(RPC_TIMEOUT, || async {
        rpc.call("session-get", json!({})).await.ok()
    });
    up.await.context("transmission RPC did not come up")?;
    if process.stderr_text().contains(BIND_FAILURE) {
        bail!("transmission could not bind a port");
    }

    let add = json!({"filename": torrent, "download-dir": data_parent_dir});
    rpc.call("torrent-add", add)
        .await
        .context("adding the torrent")?;
    let seeding = wait_until(SEED_TIMEOUT, || async {
        let answer = rpc
            .call("torrent-get", json!({"fields": STATUS_FIELDS}))
            .await
            .ok()?;
        let torrent = answer["torrents"].get(0)?;
        let done = torrent["status"] == STATUS_SEEDING && torrent["leftUntilDone"] == 0;
        (done && torrent["haveValid"] == torrent["totalSize"]).then_some(())
    });
    seeding
        .await
        .with_context(|| format!("not seeding after {SEED_TIMEOUT:?}"))
}

/// Transmission's RPC endpoint on loopback, with its CSRF session id.
#[derive(Debug)]
struct Rpc {
    port: u16,
    http: reqwest::Client,
    session_id: Mutex<String>,
}

impl Rpc {
    fn new(port: u16) -> Self {
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("a plain HTTP client always builds");
        Self {
            port,
            http,
            session_id: Mutex::new(String::new()),
        }
    }

    /// Calls `method`; a 409 answer hands out a fresh session id, which is
    /// stored and the call sent once more.
    async fn call(&self, method: &str, arguments: Value) -> anyhow::Result<Value> {
        let body = json!({"method": method, "arguments": arguments});
        let url = format!("http://127.0.0.1:{}/transmission/rpc", self.port);
        let mut session_id = self.session_id.lock().await;
        for _ in 0..2 {
            let request = self
                .http
                .post(&url)
                .header("X-Transmission-Session-Id", &*session_id);
            let response = request.json(&body).send().await?;
            if response.status() == reqwest::StatusCode::CONFLICT {
                let fresh = response.headers().get("X-Transmission-Session-Id");
                let fresh = fresh.context("409 without a session id")?.to_str()?;
                *session_id = fresh.to_owned();
                continue;
            }
            return answer(method, response.json().await?);
        }
        bail!("transmission kept refusing the session id")
    }
}

fn answer(method: &str, mut body: Value) -> anyhow::Result<Value> {
    if body["result"] != "success" {
        bail!("transmission {method} failed: {}", body["result"]);
    }
    Ok(body["arguments"].take())
}
