//! Settings and categories: stored in SQLite, applied to librqbit where it
//! can change them at runtime (speed limits), and at the next start where
//! it cannot (peer port, DHT).

use std::net::{Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use librqbit::{
    DhtSessionConfig, ListenerMode, ListenerOptions, Session, SessionOptions,
    SessionPersistenceConfig, limits::LimitsConfig,
};

use super::storage::PooledStorageFactory;
use super::{Engine, EngineOptions};
use crate::store::Store;
use crate::wire::{
    AltSpeed, Category, CategoryUpdate, ConnectionSettings, NewCategory, SavePath, SpeedLimits,
};
use crate::{CategoryId, Error, Result};

const SAVE_PATH: &str = "save_path";
const LIMITS: &str = "limits";
const CONNECTION: &str = "connection";

/// Colour of a category created without one.
const DEFAULT_COLOR: &str = "#808080";

/// Longest category name, in bytes.
const MAX_CATEGORY_NAME: usize = 256;

/// Settings the engine consults while running.
#[derive(Debug, Clone)]
pub(super) struct Runtime {
    pub(super) save_path: PathBuf,
    pub(super) limits: SpeedLimits,
    pub(super) connection: ConnectionSettings,
    pub(super) peer_listen: SocketAddr,
    pub(super) dht_bootstrap: Vec<String>,
    /// The stored blocklist file, when a list is enabled.
    pub(super) blocklist: Option<PathBuf>,
}

impl Runtime {
    pub(super) fn load(store: &Store, options: &EngineOptions) -> Result<Self> {
        let save_path = match &options.save_path {
            Some(path) => {
                store.set_setting(SAVE_PATH, &path.to_string_lossy())?;
                path.clone()
            }
            None => store
                .setting::<String>(SAVE_PATH)?
                .map_or_else(|| default_save_path(&options.data_dir), PathBuf::from),
        };
        let mut connection = store.setting(CONNECTION)?.unwrap_or(ConnectionSettings {
            listen_port: 6881,
            dht_enabled: true,
            max_peers_per_torrent: 128,
            upnp_enabled: false,
        });
        if let Some(dht) = options.dht {
            connection.dht_enabled = dht;
        }
        let peer_listen = options
            .peer_listen
            .unwrap_or_else(|| (Ipv4Addr::UNSPECIFIED, connection.listen_port).into());
        Ok(Self {
            save_path,
            limits: store.setting(LIMITS)?.unwrap_or_default(),
            connection,
            peer_listen,
            dht_bootstrap: options.dht_bootstrap.clone(),
            blocklist: super::blocklist::file_in_force(store, &options.data_dir)?,
        })
    }

    fn ratelimits(&self) -> LimitsConfig {
        let l = &self.limits;
        let (down, up) = if l.alt_active {
            (l.alt_down_kbps, l.alt_up_kbps)
        } else {
            (l.down_kbps, l.up_kbps)
        };
        LimitsConfig {
            download_bps: kbps(down),
            upload_bps: kbps(up),
        }
    }
}

fn kbps(kib: u32) -> Option<NonZeroU32> {
    NonZeroU32::new(kib.saturating_mul(1024))
}

/// `~/Downloads`, or `<data>/downloads` without a home.
fn default_save_path(data_dir: &Path) -> PathBuf {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map_or_else(
            || data_dir.join("downloads"),
            |home| PathBuf::from(home).join("Downloads"),
        )
}

/// Starts librqbit with resume data in the data directory. Local service
/// discovery and UPnP stay off: both send traffic to the local network
/// that nobody asked for.
pub(super) async fn start_session(
    options: &EngineOptions,
    rt: &Runtime,
    storage: &PooledStorageFactory,
) -> Result<Arc<Session>> {
    // Mosaic ships no bootstrap nodes (it contacts nobody on its own), and
    // a DHT without any has nothing to join: it stays off until the
    // operator names nodes.
    let dht_usable = rt.connection.dht_enabled && !rt.dht_bootstrap.is_empty();
    if rt.connection.dht_enabled && !dht_usable {
        tracing::debug!("dht off: no bootstrap nodes configured");
    }
    let dht = dht_usable.then(|| DhtSessionConfig {
        bootstrap_addrs: Some(rt.dht_bootstrap.clone()),
        port: None,
        persistence: None,
    });
    // librqbit announces no port for a loopback listener (a fixed fallback
    // instead), so the port is chosen here and announced explicitly.
    let listen_addr = match rt.peer_listen.port() {
        0 => std::net::TcpListener::bind(rt.peer_listen)?.local_addr()?,
        _ => rt.peer_listen,
    };
    let opts = SessionOptions {
        dht,
        fastresume: true,
        default_storage_factory: Some(storage.boxed_factory()),
        persistence: Some(SessionPersistenceConfig::Json {
            folder: Some(options.data_dir.join("engine")),
        }),
        listen: Some(ListenerOptions {
            mode: ListenerMode::TcpOnly,
            listen_addr,
            announce_port: Some(listen_addr.port()),
            enable_upnp_port_forwarding: rt.connection.upnp_enabled,
            ipv4_only: rt.peer_listen.is_ipv4(),
            ..ListenerOptions::default()
        }),
        disable_local_service_discovery: true,
        blocklist_url: rt
            .blocklist
            .as_ref()
            .map(|path| format!("file://{}", path.display())),
        ratelimits: rt.ratelimits(),
        peer_limit: Some(rt.connection.max_peers_per_torrent as usize),
        ipv4_only: false,
        client_name_and_version: Some(format!("Mosaic {}", env!("CARGO_PKG_VERSION"))),
        ..SessionOptions::default()
    };
    Session::new_with_opts(rt.save_path.clone(), opts)
        .await
        .map_err(Error::Engine)
}

/// Bytes free on the file system holding `path` (or its nearest existing
/// parent); 0 when unknown.
pub(super) fn free_space(path: &Path) -> u64 {
    path.ancestors()
        .find_map(|p| fs4::available_space(p).ok())
        .unwrap_or(0)
}

impl Engine {
    /// The default save path.
    pub fn save_path(&self) -> SavePath {
        SavePath {
            path: self
                .inner
                .settings
                .lock()
                .save_path
                .to_string_lossy()
                .into_owned(),
        }
    }

    /// Changes the default save path.
    ///
    /// # Errors
    /// [`Error::InvalidSavePath`] for a relative, `..` or out-of-roots path.
    pub fn set_save_path(&self, new: &SavePath) -> Result<()> {
        let path = self.inner.paths.check(&new.path)?;
        self.inner.store.set_setting(SAVE_PATH, &new.path)?;
        self.inner.settings.lock().save_path = path;
        Ok(())
    }

    /// The speed limits.
    pub fn limits(&self) -> SpeedLimits {
        self.inner.settings.lock().limits
    }

    /// Changes the speed limits; they apply at once.
    ///
    /// # Errors
    /// Fails when the store does.
    pub fn set_limits(&self, limits: SpeedLimits) -> Result<()> {
        self.inner.store.set_setting(LIMITS, &limits)?;
        let mut settings = self.inner.settings.lock();
        settings.limits = limits;
        let config = settings.ratelimits();
        self.session()
            .ratelimits
            .set_download_bps(config.download_bps);
        self.session().ratelimits.set_upload_bps(config.upload_bps);
        Ok(())
    }

    /// Switches between the normal and the alternative limits.
    ///
    /// # Errors
    /// Fails when the store does.
    pub fn toggle_alt_speed(&self) -> Result<AltSpeed> {
        let mut limits = self.limits();
        limits.alt_active = !limits.alt_active;
        self.set_limits(limits)?;
        Ok(AltSpeed {
            alt_active: limits.alt_active,
        })
    }

    /// The connection settings (as stored; they apply at the next start).
    pub fn connection(&self) -> ConnectionSettings {
        self.inner.settings.lock().connection.clone()
    }

    /// Stores connection settings for the next start.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `max_peers_per_torrent` is 0.
    pub fn set_connection(&self, new: ConnectionSettings) -> Result<()> {
        if new.max_peers_per_torrent == 0 {
            return Err(Error::InvalidInput(
                "max_peers_per_torrent must be at least 1".into(),
            ));
        }
        self.inner.store.set_setting(CONNECTION, &new)?;
        self.inner.settings.lock().connection = new;
        Ok(())
    }

    /// Every category, by name.
    ///
    /// # Errors
    /// Fails when the store does.
    pub fn categories(&self) -> Result<Vec<Category>> {
        self.inner.store.categories()
    }

    /// Creates a category.
    ///
    /// # Errors
    /// [`Error::CategoryExists`], or [`Error::InvalidInput`] for an empty or
    /// overlong name, a bad colour or save path.
    pub fn create_category(&self, new: &NewCategory) -> Result<CategoryId> {
        check_category_name(&new.name)?;
        self.check_optional_path(&new.default_save_path)?;
        let color = new.color.as_deref().unwrap_or(DEFAULT_COLOR);
        check_color(color)?;
        self.inner
            .store
            .insert_category(new.name.trim(), &new.default_save_path, color)
    }

    /// Changes a category.
    ///
    /// # Errors
    /// As [`Engine::create_category`], plus [`Error::CategoryNotFound`].
    pub fn update_category(&self, update: &CategoryUpdate) -> Result<()> {
        if let Some(name) = &update.name {
            check_category_name(name)?;
        }
        if let Some(path) = &update.default_save_path {
            self.check_optional_path(path)?;
        }
        if let Some(color) = &update.color {
            check_color(color)?;
        }
        let mut update = update.clone();
        update.name = update.name.map(|n| n.trim().to_owned());
        self.inner.store.update_category(&update)
    }

    /// Deletes a category; its torrents keep their data and lose the
    /// category.
    ///
    /// # Errors
    /// [`Error::CategoryNotFound`].
    pub fn delete_category(&self, id: CategoryId) -> Result<()> {
        self.inner.store.delete_category(id)?;
        for entry in self.inner.entries.write().values_mut() {
            if entry.record.category_id == Some(id) {
                entry.record.category_id = None;
            }
        }
        Ok(())
    }

    fn check_optional_path(&self, path: &str) -> Result<()> {
        if !path.is_empty() {
            self.inner.paths.check(path)?;
        }
        Ok(())
    }

    /// The category's default save path, or the global one.
    pub(super) fn category_save_path(&self, id: Option<CategoryId>) -> Result<String> {
        let global = || self.save_path().path;
        let Some(id) = id else {
            return Ok(global());
        };
        let category = self.categories()?.into_iter().find(|c| c.id == id);
        let category = category.ok_or(Error::CategoryNotFound)?;
        Ok(if category.default_save_path.is_empty() {
            global()
        } else {
            category.default_save_path
        })
    }
}

fn check_category_name(name: &str) -> Result<()> {
    let name = name.trim();
    if name.is_empty() || name.len() > MAX_CATEGORY_NAME || name.chars().any(char::is_control) {
        return Err(Error::InvalidInput(format!(
            "category name must be 1 to {MAX_CATEGORY_NAME} bytes without control characters"
        )));
    }
    Ok(())
}

fn check_color(color: &str) -> Result<()> {
    let hex = color.strip_prefix('#').filter(|h| h.len() == 6);
    if !hex.is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit())) {
        return Err(Error::InvalidInput("color must look like #rrggbb".into()));
    }
    Ok(())
}
