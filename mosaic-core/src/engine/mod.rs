//! The engine: librqbit behind one facade that adds what Mosaic promises on
//! top of it — a SQLite record of every accepted torrent, lifetime totals,
//! staged priorities, categories and checked paths.
//!
//! Concurrency: `entries` is a plain lock held only for short, non-async
//! work. Operations that change a torrent's place in librqbit (add, remove,
//! recheck, move, pause) also take `ops`, an async mutex, so two of them
//! never interleave on the same torrent.

mod add;
mod blocklist;
mod control;
mod detail;
mod entry;
mod restore;
mod settings;
mod staging;
mod storage;
mod tick;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use librqbit::Session;
use parking_lot::{Mutex, RwLock};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::credentials::Credentials;
use crate::events::EventBus;
use crate::paths::SavePathPolicy;
use crate::store::Store;
use crate::wire::{Stats, Torrent};
use crate::{InfoHash, Result};

use entry::Entry;

pub use add::AddOptions;
pub use detail::Tabs;

/// How long a blocklist or feed download may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(60);

/// How often totals, completion and priority stages are refreshed.
pub const TICK: Duration = Duration::from_secs(1);

/// Where and how the engine runs.
#[derive(Clone, Debug, Default)]
pub struct EngineOptions {
    /// Holds the database, librqbit's resume data and the certificate.
    pub data_dir: PathBuf,
    /// Replaces the stored default save path when given.
    pub save_path: Option<PathBuf>,
    /// When not empty, save paths must lie inside one of these folders.
    pub download_roots: Vec<PathBuf>,
    /// Address for incoming peers; `None` uses the stored listen port on
    /// every interface.
    pub peer_listen: Option<SocketAddr>,
    /// Overrides the stored DHT setting when given.
    pub dht: Option<bool>,
    /// DHT nodes to join through (`host:port`). None are built in, so a
    /// DHT without them only learns nodes from connected peers.
    pub dht_bootstrap: Vec<String>,
    /// Let blocklist and release-feed fetches reach loopback and private
    /// networks (refused by default).
    pub allow_private_fetch: bool,
}

/// The running engine. Cheap to clone.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    /// Replaced as a whole when the blocklist changes (librqbit reads it
    /// only when a session starts).
    session: RwLock<Arc<Session>>,
    options: EngineOptions,
    store: Arc<Store>,
    credentials: Credentials,
    paths: SavePathPolicy,
    entries: RwLock<HashMap<InfoHash, Entry>>,
    ops: tokio::sync::Mutex<()>,
    fetcher: crate::fetch::Fetcher,
    settings: Mutex<settings::Runtime>,
    cancel: CancellationToken,
    tasks: TaskTracker,
    /// Where librqbit reads and writes torrent data; outlives sessions.
    storage: storage::PooledStorageFactory,
    session_down: AtomicU64,
    session_up: AtomicU64,
    events: EventBus,
    /// The last published list, to tell whether a tick changed anything.
    last_rows: Mutex<Arc<Vec<Torrent>>>,
    seq: AtomicU64,
}

impl Engine {
    /// Opens the store in `options.data_dir`, starts librqbit, and brings
    /// back every stored torrent.
    ///
    /// # Errors
    /// Fails when the data directory, the database or librqbit cannot be
    /// opened, or the peer port cannot be bound.
    pub async fn open(options: EngineOptions) -> Result<Self> {
        std::fs::create_dir_all(&options.data_dir)?;
        let store = Arc::new(Store::open(&options.data_dir.join("mosaic.db"))?);
        let runtime = settings::Runtime::load(&store, &options)?;
        forget_unclean_bitfields(&options.data_dir)?;
        let storage = storage::PooledStorageFactory::new(Arc::new(storage::FilePool::new(
            storage::open_file_budget(),
        )));
        restore::record_folders(&store, &storage)?;
        let session = settings::start_session(&options, &runtime, &storage).await?;
        let inner = Arc::new(Inner {
            session: RwLock::new(session),
            options: options.clone(),
            credentials: Credentials::new(store.clone()),
            store,
            paths: SavePathPolicy::new(&options.download_roots)?,
            entries: RwLock::default(),
            ops: tokio::sync::Mutex::new(()),
            fetcher: crate::fetch::Fetcher::new(options.allow_private_fetch, FETCH_TIMEOUT)
                .map_err(|e| crate::Error::Fetch(e.0))?,
            settings: Mutex::new(runtime),
            cancel: CancellationToken::new(),
            tasks: TaskTracker::new(),
            storage,
            session_down: AtomicU64::new(0),
            session_up: AtomicU64::new(0),
            events: EventBus::default(),
            last_rows: Mutex::default(),
            seq: AtomicU64::new(0),
        });
        let engine = Self { inner };
        engine.restore().await?;
        engine.spawn_ticker();
        Ok(engine)
    }

    /// The librqbit session in use.
    fn session(&self) -> Arc<Session> {
        self.inner.session.read().clone()
    }

    /// The fetcher for operator-configured URLs.
    pub fn fetcher(&self) -> &crate::fetch::Fetcher {
        &self.inner.fetcher
    }

    /// The SQLite store.
    pub fn store(&self) -> &Arc<Store> {
        &self.inner.store
    }

    /// Users and API keys.
    pub fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    /// The address librqbit accepts peers on.
    pub fn peer_listen_addr(&self) -> Option<SocketAddr> {
        self.session().listen_addr()
    }

    /// Every torrent, newest first (ties by id).
    ///
    /// Reading the list samples every torrent the way the tick does, so a
    /// row that says `completed` also carries its totals and
    /// `completed_at`.
    pub fn torrents(&self) -> Vec<Torrent> {
        self.sample().rows
    }

    /// How many torrents the engine holds, without reading their stats.
    pub fn torrent_count(&self) -> usize {
        self.inner.entries.read().len()
    }

    /// The event stream's publishing side: subscribe to it, or publish
    /// events that originate outside the engine (such as update checks).
    pub fn events(&self) -> &EventBus {
        &self.inner.events
    }

    /// Session totals.
    pub fn stats(&self) -> Stats {
        self.stats_of_rows(&self.torrents())
    }

    fn stats_of_rows(&self, rows: &[Torrent]) -> Stats {
        let count = |f: &dyn Fn(&Torrent) -> bool| rows.iter().filter(|t| f(t)).count() as u64;
        let save_path = self.inner.settings.lock().save_path.clone();
        Stats {
            total_torrents: rows.len() as u64,
            active_torrents: count(&|t| !t.paused && !t.completed),
            seeding_torrents: count(&|t| !t.paused && t.completed),
            total_download_rate: rows.iter().map(|t| t.download_rate).sum(),
            total_upload_rate: rows.iter().map(|t| t.upload_rate).sum(),
            total_peers: rows.iter().map(|t| u64::from(t.peers)).sum(),
            downloaded_session: self.inner.session_down.load(Ordering::Relaxed),
            uploaded_session: self.inner.session_up.load(Ordering::Relaxed),
            free_space: settings::free_space(&save_path),
        }
    }

    /// Writes totals, stops every task and librqbit.
    pub async fn shutdown(&self) {
        self.inner.cancel.cancel();
        self.inner.tasks.close();
        self.inner.tasks.wait().await;
        self.save_totals();
        self.session().stop().await;
        let _ = std::fs::write(self.inner.options.data_dir.join(CLEAN_MARK), b"");
    }
}

/// Written after librqbit stopped cleanly, removed at start.
const CLEAN_MARK: &str = "engine-clean";

/// After a crash librqbit's piece bitfields lag behind the data on disk (it
/// saves them only every 16 MiB of pieces or on a selection change), and it
/// would trust them and fetch verified pieces again. Dropping them makes it
/// hash the files instead: slower to start after a crash, nothing fetched
/// twice.
fn forget_unclean_bitfields(data_dir: &std::path::Path) -> std::io::Result<()> {
    let mark = data_dir.join(CLEAN_MARK);
    let clean = mark.exists();
    let _ = std::fs::remove_file(&mark);
    let Ok(dir) = std::fs::read_dir(data_dir.join("engine")) else {
        return Ok(());
    };
    if clean {
        return Ok(());
    }
    for item in dir.flatten() {
        if item.path().extension().is_some_and(|e| e == "bitv") {
            std::fs::remove_file(item.path())?;
        }
    }
    Ok(())
}

/// List order: newest first, ties by id.
fn sort_rows(rows: &mut [Torrent]) {
    rows.sort_by(|a, b| b.added_at.cmp(&a.added_at).then(a.id.cmp(&b.id)));
}

/// Seconds since the Unix epoch.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
