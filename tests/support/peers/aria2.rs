//! aria2c as a seeder (watched over its JSON-RPC interface) and as a
//! one-shot leecher.

use std::ffi::OsStr;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::process::Process;
use crate::{TestDir, free_port, wait_until};

/// Starts tried before giving up: each picks fresh ports, in case another
/// process took one between [`free_port`] and aria2's bind.
const ATTEMPTS: usize = 3;
/// Time for a seeder to hash-check its data; generous for slow CI disks.
const SEED_TIMEOUT: Duration = Duration::from_secs(120);
/// What aria2 prints when its BitTorrent port is taken.
const BIND_FAILURE: &str = "failed to bind";
/// Fields asked of the RPC interface about each download.
const STATUS_KEYS: &[&str] = &[
    "gid",
    "status",
    "seeder",
    "infoHash",
    "completedLength",
    "totalLength",
    "uploadLength",
    "connections",
    "errorCode",
    "errorMessage",
];

/// Options shared by seeders and leechers: loopback only, no peer sources
/// other than trackers and the link itself, quiet console, full log file.
fn common_args(listen_port: u16, log_dir: &Path) -> Vec<String> {
    common_args_on(Ipv4Addr::LOCALHOST, listen_port, log_dir)
}

/// [`common_args`] for a peer living on another loopback address.
fn common_args_on(ip: Ipv4Addr, listen_port: u16, log_dir: &Path) -> Vec<String> {
    let mut args: Vec<String> = [
        "--no-conf=true",
        "--enable-dht=false",
        "--enable-dht6=false",
        "--bt-enable-lpd=false",
        "--enable-peer-exchange=false",
        "--disable-ipv6=true",
        "--file-allocation=none",
        "--auto-file-renaming=false",
        "--show-console-readout=false",
        "--summary-interval=0",
        "--console-log-level=notice",
        "--log-level=info",
    ]
    .map(String::from)
    .into();
    args.push(format!("--bt-external-ip={ip}"));
    args.push(format!("--interface={ip}"));
    args.push(format!("--listen-port={listen_port}"));
    args.push(format!("--log={}", log_dir.join("aria2.log").display()));
    // If the test process dies without running destructors, aria2 still
    // goes away instead of seeding forever.
    args.push(format!("--stop-with-process={}", std::process::id()));
    args
}

/// aria2c seeding one torrent from existing data, killed on drop.
#[derive(Debug)]
pub struct Aria2Seeder {
    // Declared first so the process dies before its log folder is removed.
    process: Process,
    _logs: TestDir,
    ip: Ipv4Addr,
    listen_port: u16,
    rpc: Rpc,
}

impl Aria2Seeder {
    /// Seeds `torrent` from the files under `data_parent_dir` (the folder
    /// that holds the torrent's top folder or single file), announcing to
    /// the torrent's trackers.
    ///
    /// Returns once aria2 has hash-checked the data and reports itself a
    /// seeder with every byte; panics if that does not happen, e.g.
    /// because the data does not match the torrent.
    pub async fn start(torrent: &Path, data_parent_dir: &Path) -> Self {
        Self::start_on(Ipv4Addr::LOCALHOST, torrent, data_parent_dir).await
    }

    /// [`Aria2Seeder::start`] with the seeder bound to another loopback
    /// address (127.0.0.2, …), for tests that tell peers apart by address.
    pub async fn start_on(ip: Ipv4Addr, torrent: &Path, data_parent_dir: &Path) -> Self {
        for attempt in 1..=ATTEMPTS {
            let mut seeder = Self::spawn(ip, torrent, data_parent_dir);
            match seeder.wait_seeding().await {
                Ok(()) => return seeder,
                Err(_) if attempt < ATTEMPTS && seeder.tails().contains(BIND_FAILURE) => {}
                // The seeder's drop prints its logs while this unwinds.
                Err(e) => panic!("aria2 did not start seeding: {e:#}"),
            }
        }
        unreachable!("the last attempt returns or panics")
    }

    fn spawn(ip: Ipv4Addr, torrent: &Path, data_parent_dir: &Path) -> Self {
        let logs = TestDir::new("aria2-seeder");
        let listen_port = free_port();
        let rpc = Rpc::new(free_port());
        let mut command = Command::new("aria2c");
        command
            .args(common_args_on(ip, listen_port, &logs))
            // Seed forever, and only what was verified against the torrent.
            .args([
                "--seed-ratio=0.0",
                "--check-integrity=true",
                "--bt-seed-unverified=false",
            ])
            .args(["--enable-rpc=true", "--rpc-listen-all=false"])
            .arg(format!("--rpc-listen-port={}", rpc.port))
            .arg(format!("--rpc-secret={}", rpc.secret))
            .arg(format!("--dir={}", data_parent_dir.display()))
            .arg(torrent);

        let process = Process::spawn("aria2-seeder", command, &logs)
            .unwrap_or_else(|e| panic!("{e:#} (apt-get install aria2)"));
        Self {
            process,
            _logs: logs,
            ip,
            listen_port,
            rpc,
        }
    }

    /// Waits until aria2 says it is a seeder holding every byte.
    async fn wait_seeding(&mut self) -> anyhow::Result<()> {
        let rpc = &self.rpc;
        let process = &mut self.process;
        let outcome = wait_until(SEED_TIMEOUT, || {
            // Checked before each RPC round: a dead aria2 (port taken, bad
            // argument) will never answer.
            let exited = process.exit_status();
            async move {
                if let Some(status) = exited {
                    return Some(Err(anyhow::anyhow!("aria2 exited with {status}")));
                }
                seed_state(rpc).await
            }
        })
        .await;
        outcome.unwrap_or_else(|| bail!("not seeding after {SEED_TIMEOUT:?}"))
    }

    /// Where other peers reach this seeder.
    pub fn peer_addr(&self) -> SocketAddr {
        SocketAddr::from((self.ip, self.listen_port))
    }

    /// aria2's status of the torrent (`tellActive` fields, numbers as
    /// strings as aria2 sends them).
    ///
    /// # Errors
    ///
    /// When the RPC call fails or aria2 has no active download.
    pub async fn status(&self) -> anyhow::Result<Value> {
        let active = self
            .rpc
            .call("aria2.tellActive", json!([STATUS_KEYS]))
            .await?;
        active
            .get(0)
            .cloned()
            .context("aria2 has no active download")
    }

    /// Bytes this seeder has uploaded so far.
    ///
    /// # Errors
    ///
    /// When the status cannot be read.
    pub async fn uploaded_bytes(&self) -> anyhow::Result<u64> {
        number(&self.status().await?, "uploadLength")
    }

    /// The tails of aria2's console output (notices and errors; the full
    /// log is `aria2.log` in the folder kept by `MOSAIC_TEST_KEEP_DIRS`).
    pub fn tails(&self) -> String {
        self.process.tails()
    }
}

/// `Some(Ok)` when seeding, `Some(Err)` when the download failed, `None`
/// while aria2 is still starting or checking.
async fn seed_state(rpc: &Rpc) -> Option<anyhow::Result<()>> {
    let active = rpc
        .call("aria2.tellActive", json!([STATUS_KEYS]))
        .await
        .ok()?;
    let seeding = active
        .as_array()?
        .iter()
        .any(|d| d["seeder"] == "true" && d["completedLength"] == d["totalLength"]);
    if seeding {
        return Some(Ok(()));
    }

    let stopped = rpc
        .call("aria2.tellStopped", json!([0, 10, STATUS_KEYS]))
        .await
        .ok()?;
    let failed = stopped
        .as_array()?
        .iter()
        .find(|d| d["status"] == "error")?;
    Some(Err(anyhow::anyhow!(
        "aria2 download failed: {} (code {})",
        failed["errorMessage"],
        failed["errorCode"]
    )))
}

/// A numeric field of an aria2 status, which aria2 sends as a string.
fn number(status: &Value, key: &str) -> anyhow::Result<u64> {
    let text = status[key]
        .as_str()
        .with_context(|| format!("no {key} in {status}"))?;
    text.parse()
        .with_context(|| format!("{key} is not a number: {text:?}"))
}

/// aria2's JSON-RPC endpoint on loopback.
#[derive(Debug)]
struct Rpc {
    port: u16,
    secret: String,
    http: reqwest::Client,
}

impl Rpc {
    fn new(port: u16) -> Self {
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("a plain HTTP client always builds");
        let secret = format!("{:016x}", rand::random::<u64>());
        Self { port, secret, http }
    }

    /// Calls `method` with the secret token prepended to `params`.
    async fn call(&self, method: &str, params: Value) -> anyhow::Result<Value> {
        let mut all = vec![json!(format!("token:{}", self.secret))];
        all.extend(params.as_array().cloned().unwrap_or_default());
        let request = json!({"jsonrpc": "2.0", "id": "harness", "method": method, "params": all});

        let url = format!("http://127.0.0.1:{}/jsonrpc", self.port);
        let response = self.http.post(url).json(&request).send().await?;
        let mut body: Value = response.json().await.context("aria2 rpc answer")?;
        if let Some(error) = body.get("error") {
            bail!("aria2 rpc {method} failed: {error}");
        }
        Ok(body["result"].take())
    }
}

/// aria2c downloading one torrent or magnet link to completion.
#[derive(Debug, Clone, Copy, Default)]
pub struct Aria2Leecher;

impl Aria2Leecher {
    /// Downloads `source` (a `.torrent` path or a magnet link) into
    /// `out_dir` and returns once aria2 has every piece, hash-checked, and
    /// has exited (it does not seed afterwards).
    ///
    /// aria2 ignores `x.pe` peer addresses in magnet links: a magnet must
    /// name a tracker (`tr=`) that knows a seeder.
    ///
    /// # Errors
    ///
    /// When aria2 fails or `timeout` passes first; the message holds the
    /// tails of aria2's output.
    pub async fn download(
        source: impl AsRef<OsStr>,
        out_dir: &Path,
        timeout: Duration,
    ) -> anyhow::Result<()> {
        for attempt in 1..=ATTEMPTS {
            match Self::run_once(source.as_ref(), out_dir, timeout).await {
                Err(e) if attempt < ATTEMPTS && e.to_string().contains(BIND_FAILURE) => {}
                outcome => return outcome,
            }
        }
        unreachable!("the last attempt returns")
    }

    async fn run_once(source: &OsStr, out_dir: &Path, timeout: Duration) -> anyhow::Result<()> {
        let logs = TestDir::new("aria2-leecher");
        let mut command = Command::new("aria2c");
        command
            .args(common_args(free_port(), &logs))
            // Stop as soon as the download is complete instead of seeding.
            .args(["--seed-time=0", "--bt-save-metadata=false"])
            .arg(format!("--dir={}", out_dir.display()))
            .arg(source);
        let mut process = Process::spawn("aria2-leecher", command, &logs)?;

        let Some(status) = process.wait_exit(timeout).await else {
            process.kill();
            bail!(
                "aria2 download unfinished after {timeout:?}\n{}",
                process.tails()
            );
        };
        if !status.success() {
            bail!("aria2 download failed ({status})\n{}", process.tails());
        }
        Ok(())
    }
}
