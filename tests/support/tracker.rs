//! A real HTTP tracker: Debian's opentracker on 127.0.0.1.
//!
//! Debian builds opentracker in whitelist mode: it serves only the info
//! hashes listed in its whitelist file and rereads that file on SIGHUP.
//! When started as root it chroots into its `-d` folder and drops to
//! `nobody`, so that folder and its files are made world-readable.

use std::cell::RefCell;
use std::fs;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::encode::{info_hash_bytes, percent_encode};
use crate::process::Process;
use crate::{TestDir, bencode, free_port, loopback, wait_until};

/// Ports tried before giving up, in case another process takes the free
/// port between [`free_port`] and opentracker's bind.
const START_ATTEMPTS: usize = 5;
/// How long opentracker may take to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whitelist reload may take to show.
const RELOAD_TIMEOUT: Duration = Duration::from_secs(10);
/// The peer id of the harness's own probe announces (20 bytes).
const PROBE_PEER_ID: &str = "-MOSAICPROBE-0000000";
/// The port the probe announces; nothing listens there.
const PROBE_PORT: u16 = 1;
/// How many peers [`Tracker::peers`] asks for.
const PEERS_WANTED: u32 = 50;

/// The counts a tracker reports for one torrent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scrape {
    /// Peers that announced they have everything (seeders).
    pub complete: u64,
    /// Peers still downloading.
    pub incomplete: u64,
    /// Completed downloads the tracker has seen.
    pub downloaded: u64,
}

/// A running opentracker, killed on drop.
#[derive(Debug)]
pub struct Tracker {
    // Declared first so the process dies before its folders are removed.
    process: Mutex<Process>,
    root: TestDir,
    _logs: TestDir,
    port: u16,
    http: reqwest::Client,
}

impl Tracker {
    /// Starts opentracker on a free TCP port of 127.0.0.1 (no UDP), with an
    /// empty whitelist.
    pub fn start() -> Self {
        let root = TestDir::new("tracker-root");
        write_root(root.path()).unwrap_or_else(|e| panic!("cannot prepare tracker root: {e:#}"));
        let logs = TestDir::new("tracker-logs");

        for attempt in 1..=START_ATTEMPTS {
            let port = free_port();
            let mut process = spawn(root.path(), logs.path(), port);
            match wait_listening(&mut process, port) {
                Ok(()) => return Self::new(process, root, logs, port),
                Err(_) if attempt < START_ATTEMPTS => {}
                // `process` is dropped while this unwinds, printing its logs.
                Err(e) => panic!("opentracker did not start: {e:#}"),
            }
        }
        unreachable!("the last attempt returns or panics")
    }

    fn new(process: Process, root: TestDir, logs: TestDir, port: u16) -> Self {
        // No idle connections: opentracker closes each one after its answer,
        // and a request sent on a pooled connection it already closed fails
        // with a reset.
        let http = reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(0)
            .timeout(Duration::from_secs(10))
            .build()
            .expect("a plain HTTP client always builds");
        Self {
            process: Mutex::new(process),
            root,
            _logs: logs,
            port,
            http,
        }
    }

    /// The TCP port the tracker listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:<port>/announce`.
    pub fn announce_url(&self) -> String {
        format!("http://127.0.0.1:{}/announce", self.port)
    }

    /// Adds `info_hash_hex` to the whitelist and returns once the tracker
    /// accepts announces for it.
    pub async fn whitelist(&self, info_hash_hex: &str) {
        let hash = info_hash_bytes(info_hash_hex)
            .unwrap_or_else(|e| panic!("bad info hash {info_hash_hex:?}: {e:#}"));
        self.append_whitelist(info_hash_hex)
            .unwrap_or_else(|e| panic!("cannot update the whitelist: {e:#}"));
        self.signal_reload();

        let accepted = wait_until(RELOAD_TIMEOUT, || self.probe_accepts(&hash)).await;
        if accepted.is_none() {
            panic!("opentracker still refuses {info_hash_hex} after SIGHUP");
        }
        // The probe registered a fake leecher; take it out of the swarm.
        if let Err(e) = self.announce(&hash, 0, "&event=stopped").await {
            panic!("probe stop announce failed: {e:#}");
        }
    }

    fn append_whitelist(&self, info_hash_hex: &str) -> anyhow::Result<()> {
        let path = self.root.path().join("whitelist.txt");
        let mut list = fs::read_to_string(&path).context("reading whitelist")?;
        list.push_str(&info_hash_hex.to_ascii_lowercase());
        list.push('\n');
        fs::write(&path, list).context("writing whitelist")
    }

    fn signal_reload(&self) {
        let signalled = self.lock_process().signal("HUP");
        if let Err(e) = signalled {
            panic!("cannot signal opentracker: {e:#}");
        }
    }

    /// Whether an announce for `hash` is answered without a failure, which
    /// is how opentracker reports a hash missing from its whitelist.
    async fn probe_accepts(&self, hash: &[u8; 20]) -> Option<()> {
        let body = self.announce(hash, 0, "").await.ok()?;
        let failure = bencode::dict_get(&body, b"failure reason").ok()?;
        failure.is_none().then_some(())
    }

    async fn announce(
        &self,
        hash: &[u8; 20],
        numwant: u32,
        extra: &str,
    ) -> anyhow::Result<Vec<u8>> {
        let url = format!(
            "http://127.0.0.1:{}/announce?info_hash={}&peer_id={PROBE_PEER_ID}&port={PROBE_PORT}\
             &uploaded=0&downloaded=0&left=1&numwant={numwant}&compact=1{extra}",
            self.port,
            percent_encode(hash),
        );
        self.get_bytes(&url).await
    }

    async fn get_bytes(&self, url: &str) -> anyhow::Result<Vec<u8>> {
        let response = self.http.get(url).send().await.context("tracker request")?;
        let response = response.error_for_status().context("tracker status")?;
        Ok(response.bytes().await.context("tracker body")?.to_vec())
    }

    /// The peers the tracker hands out for `info_hash_hex`, learnt with a
    /// probe announce that is withdrawn right after (the probe itself is
    /// left out).
    ///
    /// # Errors
    ///
    /// When an announce fails or its answer holds no compact peer list.
    pub async fn peers(&self, info_hash_hex: &str) -> anyhow::Result<Vec<SocketAddr>> {
        let hash = info_hash_bytes(info_hash_hex)?;
        let body = self.announce(&hash, PEERS_WANTED, "").await?;
        self.announce(&hash, 0, "&event=stopped").await?;
        let peers = parse_peers(&body).with_context(|| {
            format!(
                "unexpected announce answer {:?}",
                String::from_utf8_lossy(&body)
            )
        })?;
        Ok(peers
            .into_iter()
            .filter(|p| p.port() != PROBE_PORT)
            .collect())
    }

    /// The tracker's counts for `info_hash_hex` (all zero when it knows no
    /// peer for it).
    ///
    /// # Errors
    ///
    /// When the request fails or the answer is not a scrape answer.
    pub async fn scrape(&self, info_hash_hex: &str) -> anyhow::Result<Scrape> {
        let hash = info_hash_bytes(info_hash_hex)?;
        let url = format!(
            "http://127.0.0.1:{}/scrape?info_hash={}",
            self.port,
            percent_encode(&hash)
        );
        let body = self.get_bytes(&url).await?;
        parse_scrape(&body, &hash).with_context(|| {
            format!(
                "unexpected scrape answer {:?}",
                String::from_utf8_lossy(&body)
            )
        })
    }

    /// Waits until the tracker counts at least `n` seeders for the torrent
    /// and returns the scrape that showed it.
    ///
    /// # Errors
    ///
    /// When `timeout` passes first; the message holds the last scrape.
    pub async fn wait_seeders(
        &self,
        info_hash_hex: &str,
        n: u64,
        timeout: Duration,
    ) -> anyhow::Result<Scrape> {
        // A shared cell rather than a `&mut` capture: each probe's future
        // must record its result after the closure call that made it ends.
        let last = RefCell::new(None);
        let found = wait_until(timeout, || async {
            let scrape = self.scrape(info_hash_hex).await;
            let done = matches!(&scrape, Ok(s) if s.complete >= n);
            *last.borrow_mut() = Some(scrape);
            done.then_some(())
        })
        .await;
        match (found, last.into_inner()) {
            (Some(()), Some(Ok(scrape))) => Ok(scrape),
            (_, last) => bail!("fewer than {n} seeders after {timeout:?}; last scrape: {last:?}"),
        }
    }

    /// The tails of opentracker's logs.
    pub fn tails(&self) -> String {
        self.lock_process().tails()
    }

    /// The process, even after a panic elsewhere poisoned the lock: it only
    /// guards signalling, which leaves nothing half-done.
    fn lock_process(&self) -> MutexGuard<'_, Process> {
        self.process.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Writes the config and an empty whitelist, readable by `nobody`.
///
/// The whitelist path is relative: opentracker resolves it against its
/// working folder, which is the root after the chroot done as root, and
/// the `-d` folder itself when run unprivileged (no chroot), so the same
/// config works either way.
fn write_root(root: &Path) -> anyhow::Result<()> {
    let config = root.join("opentracker.conf");
    let whitelist = root.join("whitelist.txt");
    fs::write(&config, "access.whitelist whitelist.txt\n")?;
    fs::write(&whitelist, "")?;

    fs::set_permissions(root, fs::Permissions::from_mode(0o755))?;
    for file in [&config, &whitelist] {
        fs::set_permissions(file, fs::Permissions::from_mode(0o644))?;
    }
    Ok(())
}

fn spawn(root: &Path, logs: &Path, port: u16) -> Process {
    let mut command = Command::new("opentracker");
    command
        .arg("-f")
        .arg(root.join("opentracker.conf"))
        // `-i` applies to the `-p` after it; with no `-P` no UDP socket is
        // opened at all, so only one port can collide.
        .args(["-i", "127.0.0.1", "-p", &port.to_string()])
        .arg("-d")
        .arg(root)
        .args(["-u", "nobody"]);
    Process::spawn("opentracker", command, logs)
        .unwrap_or_else(|e| panic!("{e:#} (apt-get install opentracker)"))
}

/// Waits until `port` accepts connections while the process still runs; a
/// failed bind makes opentracker exit, which ends the wait early.
fn wait_listening(process: &mut Process, port: u16) -> anyhow::Result<()> {
    let deadline = Instant::now() + START_TIMEOUT;
    while Instant::now() < deadline {
        if let Some(status) = process.exit_status() {
            bail!("opentracker exited with {status}");
        }
        let connected = TcpStream::connect_timeout(&loopback(port), Duration::from_millis(200));
        if connected.is_ok() && process.is_running() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    bail!("opentracker did not listen on port {port} within {START_TIMEOUT:?}")
}

/// Reads `d5:filesd20:<hash>d8:completei..e10:downloadedi..e10:incompletei..eeee`.
fn parse_scrape(body: &[u8], hash: &[u8; 20]) -> anyhow::Result<Scrape> {
    let files = bencode::dict_get(bencode::whole(body)?, b"files")?.context("no files key")?;
    let Some(entry) = bencode::dict_get(files, hash)? else {
        return Ok(Scrape::default());
    };
    let count = |key: &[u8]| -> anyhow::Result<u64> {
        match bencode::dict_get(entry, key)? {
            Some(raw) => u64::try_from(bencode::as_int(raw)?).context("negative count"),
            None => Ok(0),
        }
    };
    Ok(Scrape {
        complete: count(b"complete")?,
        incomplete: count(b"incomplete")?,
        downloaded: count(b"downloaded")?,
    })
}

/// Reads the compact `peers` string of an announce answer: 4 address
/// bytes and 2 port bytes (big-endian) per peer.
fn parse_peers(body: &[u8]) -> anyhow::Result<Vec<SocketAddr>> {
    let raw = bencode::dict_get(bencode::whole(body)?, b"peers")?.context("no peers key")?;
    let compact = bencode::as_bytes(raw).context("peers is not a compact string")?;
    anyhow::ensure!(
        compact.len() % 6 == 0,
        "compact peers of {} bytes",
        compact.len()
    );
    let peer = |c: &[u8]| {
        let ip = Ipv4Addr::new(c[0], c[1], c[2], c[3]);
        SocketAddr::from((ip, u16::from_be_bytes([c[4], c[5]])))
    };
    Ok(compact.chunks_exact(6).map(peer).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_scrape_answers() {
        // Proves counts are read for the right hash and missing means zero.
        let hash = [7u8; 20];
        let mut body = b"d5:filesd20:".to_vec();
        body.extend_from_slice(&hash);
        body.extend_from_slice(b"d8:completei2e10:downloadedi5e10:incompletei1eeee");
        let scrape = parse_scrape(&body, &hash).unwrap();
        assert_eq!(
            scrape,
            Scrape {
                complete: 2,
                incomplete: 1,
                downloaded: 5
            }
        );

        assert_eq!(
            parse_scrape(b"d5:filesdee", &hash).unwrap(),
            Scrape::default()
        );
        assert!(parse_scrape(b"d5:filesi1ee", &hash).is_err());
    }

    #[test]
    fn parses_compact_peer_lists() {
        // Proves each 6-byte entry becomes an address with a big-endian port.
        let body = b"d8:intervali1800e5:peers12:\x7f\x00\x00\x01\x1a\xe1\x0a\x00\x00\x02\x00\x01e";
        let peers = parse_peers(body).unwrap();
        assert_eq!(
            peers,
            [
                "127.0.0.1:6881".parse().unwrap(),
                "10.0.0.2:1".parse().unwrap()
            ]
        );
        assert!(parse_peers(b"d5:peers5:abcdee").is_err());
        assert!(parse_peers(b"d8:intervali1ee").is_err());
    }
}
