//! The clients under test, each run as its own long-lived process on
//! loopback with a private state folder, and driven through its own remote
//! API: Mosaic's REST API, qBittorrent's Web API, Transmission's RPC and
//! aria2's JSON-RPC.
//!
//! Every client is configured the same way where the choice exists: bound
//! to 127.0.0.1, TCP only, no DHT, no local peer discovery, no peer
//! exchange, no UPnP/NAT-PMP, no queueing limits. Everything else is left
//! at the client's defaults, as a user would run it.

mod aria2;
mod mosaic;
mod qbittorrent;
mod transmission;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::bail;
use mosaic_tests::Process;

pub(crate) use aria2::Aria2;
pub(crate) use mosaic::Mosaic;
pub(crate) use qbittorrent::Qbittorrent;
pub(crate) use transmission::Transmission;

use crate::synth::Synthetic;
use crate::wrk::Target;

/// Time a client may take to stop after SIGTERM (qBittorrent and
/// Transmission write resume data for every torrent on the way out).
const STOP_TIMEOUT: Duration = Duration::from_secs(300);
/// Pause between two readiness probes.
const PROBE_PAUSE: Duration = Duration::from_millis(10);

/// A client process with a state folder that survives restarts.
pub(crate) trait Daemon {
    /// The client's name in tables.
    fn name(&self) -> &'static str;

    /// The running process's id, when one runs.
    fn pid(&self) -> Option<u32>;

    /// Starts the process on the existing state and returns at once,
    /// without waiting for it to answer.
    async fn launch(&mut self) -> anyhow::Result<()>;

    /// One probe of the API: `Ok(true)` when it answered a request,
    /// `Ok(false)` while it does not answer yet, an error when it answered
    /// in a way that must stop the bench (a setting did not take).
    async fn answers(&self) -> anyhow::Result<bool>;

    /// The running process, to notice an early exit.
    fn process(&mut self) -> Option<&mut Process>;

    /// Stops the process gracefully (its state is saved) and reaps it.
    async fn stop(&mut self) -> anyhow::Result<()>;

    /// Adds `torrent` to download into `save_path` and returns the id to
    /// poll with [`Daemon::completed`].
    async fn add_download(&self, torrent: &Path, save_path: &Path) -> anyhow::Result<String>;

    /// Whether the download `id` holds every byte, verified.
    async fn completed(&self, id: &str) -> anyhow::Result<bool>;

    /// The command line the process was started with, for the report.
    fn command_line(&self) -> String;
}

/// A daemon that can hold many torrents and list them over its API.
pub(crate) trait Lister: Daemon {
    /// Adds `torrents` paused, saving to `save_path`, and returns once the
    /// client lists all of them (with those it held before).
    async fn add_paused(&self, torrents: &[Synthetic], save_path: &Path) -> anyhow::Result<()>;

    /// How many torrents one listing request returns.
    async fn count(&self) -> anyhow::Result<usize>;

    /// The listing request, as the load generator sends it.
    fn listing(&self) -> Target;
}

/// Launches `daemon` and waits until its API answers; returns how long
/// that took from just before the process was spawned.
pub(crate) async fn start(daemon: &mut impl Daemon, timeout: Duration) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let name = daemon.name();
    daemon.launch().await?;
    while started.elapsed() < timeout {
        if daemon.answers().await? {
            return Ok(started.elapsed());
        }
        if let Some(process) = daemon.process()
            && let Some(status) = process.exit_status()
        {
            bail!("{name} exited with {status}\n{}", process.tails());
        }
        tokio::time::sleep(PROBE_PAUSE).await;
    }
    bail!("{} did not answer within {timeout:?}", daemon.name())
}

/// Polls `count` until the daemon lists `n` torrents.
pub(crate) async fn wait_count(
    daemon: &impl Lister,
    n: usize,
    timeout: Duration,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut last = None;
    while started.elapsed() < timeout {
        match daemon.count().await {
            Ok(count) if count >= n => return Ok(()),
            other => last = Some(other),
        }
        if daemon.pid().is_some_and(|pid| !crate::procfs::alive(pid)) {
            bail!("{} exited (last: {last:?})", daemon.name());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!(
        "{} does not list {n} torrents after {timeout:?} (last: {last:?})",
        daemon.name()
    )
}

/// Spawns `command` with its output in `<log_dir>/<name>.*.log`.
fn spawn(name: &str, command: Command, log_dir: &Path) -> anyhow::Result<Process> {
    std::fs::create_dir_all(log_dir)?;
    Process::spawn(name, command, log_dir)
}

/// SIGTERM, then waits for the exit; SIGKILL when that takes too long.
async fn terminate(process: &mut Process, name: &str) -> anyhow::Result<()> {
    if process.exit_status().is_some() {
        bail!("{name} exited on its own\n{}", process.tails());
    }
    process.signal("TERM")?;
    if process.wait_exit(STOP_TIMEOUT).await.is_none() {
        process.kill();
        bail!("{name} ignored SIGTERM for {STOP_TIMEOUT:?}");
    }
    Ok(())
}

/// A plain HTTP(S) client for loopback APIs: no proxy, and the
/// self-signed certificate of a Mosaic server accepted.
fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .tls_danger_accept_invalid_certs(true)
        .timeout(Duration::from_secs(120))
        .build()
        .expect("a static client configuration builds")
}

/// The printable form of a command: program and arguments, space-separated.
fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first line of a program's `--version`-style output (stdout or
/// stderr), or `unknown`.
pub(crate) fn version_of(program: &str, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output();
    let Ok(output) = output else {
        return "not installed".to_owned();
    };
    let text = [output.stdout, output.stderr].concat();
    String::from_utf8_lossy(&text)
        .lines()
        .find(|l| !l.trim().is_empty())
        .map_or_else(|| "unknown".to_owned(), |l| l.trim().to_owned())
}
