//! Shared harness for Mosaic's end-to-end tests.
//!
//! It starts real things on loopback and cleans them up on `Drop`: the
//! `mosaic-server` binary over real TLS ([`MosaicServer`]), Debian's
//! opentracker ([`Tracker`]), independent BitTorrent clients ([`peers`]),
//! torrents made with mktorrent ([`make_torrent`]) from deterministic data
//! ([`DataSet`]).
//!
//! Conventions: setting something up (a process, a folder, a torrent) panics
//! with a message that says what went wrong and shows the tails of the
//! process logs, because a test cannot go on without it; operations a test
//! may want to assert on (a download, a scrape, a wait) return a `Result` or
//! an `Option`. Every process is bound to `127.0.0.1` with DHT, local peer
//! discovery and peer exchange off, so no traffic leaves the machine.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use mosaic_tests::{Aria2Seeder, DataSet, TestDir, Tracker, make_torrent};
//!
//! let dir = TestDir::new("demo");
//! let data = DataSet::standard_multi(&dir.join("seed"), "album");
//! let tracker = Tracker::start();
//! let torrent = make_torrent(data.root(), &tracker.announce_url(), &dir.join("a.torrent"), 18);
//! tracker.whitelist(&torrent.info_hash_hex).await;
//! let _seeder = Aria2Seeder::start(&torrent.path, &dir.join("seed")).await;
//! tracker.wait_seeders(&torrent.info_hash_hex, 1, std::time::Duration::from_secs(30)).await?;
//! # Ok(()) }
//! ```

pub mod api;
pub mod bencode;
pub mod data;
pub mod encode;
pub mod peers;
pub mod process;
pub mod server;
pub mod swarm;
pub mod torrent;
pub mod tracker;
pub mod wait;

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::ops::Deref;
use std::path::{Path, PathBuf};

pub use api::Api;
pub use data::{DataSet, sha256_file, sha256_tree};
pub use peers::{Aria2Leecher, Aria2Seeder, TransmissionSeeder};
pub use process::Process;
pub use server::{Credentials, MosaicServer, ServerOptions};
pub use swarm::Swarm;
pub use torrent::{TorrentFile, info_hash_of_file, magnet_for, make_torrent};
pub use tracker::{Scrape, Tracker};
pub use wait::wait_until;

/// Environment variable that keeps every [`TestDir`] on disk for inspection.
pub const KEEP_DIRS_ENV: &str = "MOSAIC_TEST_KEEP_DIRS";

/// A port on 127.0.0.1 that was free a moment ago.
///
/// The port is released before returning so the caller's process can bind
/// it; another process may grab it in between, which is why the starters in
/// this crate retry with a fresh port when a bind fails.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap_or_else(|e| panic!("cannot bind 127.0.0.1:0 to find a free port: {e}"));
    listener
        .local_addr()
        .expect("a bound listener has a local address")
        .port()
}

/// `path` as text, for JSON bodies and form fields; test paths are UTF-8.
pub fn path_str(path: &Path) -> &str {
    path.to_str()
        .unwrap_or_else(|| panic!("{} is not UTF-8", path.display()))
}

/// The loopback socket address with `port`.
pub fn loopback(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, port))
}

/// A temporary folder removed on drop (kept when `MOSAIC_TEST_KEEP_DIRS` is
/// set, so a failing test's files can be inspected).
#[derive(Debug)]
pub struct TestDir {
    dir: tempfile::TempDir,
}

impl TestDir {
    /// Creates a fresh folder under the system temp dir, named after `label`.
    pub fn new(label: &str) -> Self {
        let prefix = format!("mosaic-{label}-");
        let dir = tempfile::Builder::new()
            .prefix(&prefix)
            .disable_cleanup(std::env::var_os(KEEP_DIRS_ENV).is_some())
            .tempdir()
            .unwrap_or_else(|e| panic!("cannot create a temp dir for {label}: {e}"));
        Self { dir }
    }

    /// The folder's path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the folder, and creates that path as a folder.
    pub fn subdir(&self, name: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        path
    }
}

impl Deref for TestDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        self.dir.path()
    }
}

impl AsRef<Path> for TestDir {
    fn as_ref(&self) -> &Path {
        self.dir.path()
    }
}
