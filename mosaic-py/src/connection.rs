//! [`Connection`]: a mosaic-client `Client` with every route as a method
//! that returns a [`Call`].
//!
//! Arguments are checked here, before anything is sent, and refused with
//! `ValueError`; the pure-Python layer has already turned enums and paths
//! into the strings and numbers taken here.

use std::future::Future;
use std::path::PathBuf;
use std::sync::RwLock;
use std::time::Duration;

use mosaic_client::wire::{CategoryUpdate, NewCategory, UpdateChannel, WebSettingsUpdate};
use mosaic_client::{AddOptions, CategoryId, Client, InfoHash, Priority, Tab};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde::Serialize;

use crate::call::Call;
use crate::errors::{Failure, raise};
use crate::events::EventStream;
use crate::json::outcome;
use crate::settings::{self, ConnectionChange, LimitsChange, UpdaterChange};

/// One server, as configured; closed by `close()`.
#[pyclass(frozen, module = "mosaic._mosaic")]
pub(crate) struct Connection {
    client: RwLock<Option<Client>>,
    base_url: String,
}

impl Connection {
    fn client(&self, py: Python<'_>) -> PyResult<Client> {
        let client = self.client.read().map(|c| c.clone()).unwrap_or(None);
        client.ok_or_else(|| raise(py, "MosaicError", "the client is closed"))
    }

    /// A [`Call`] running `request` with this connection's client.
    fn call<T, F, Fut>(&self, py: Python<'_>, request: F) -> PyResult<Call>
    where
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = mosaic_client::Result<T>> + Send + 'static,
        T: Serialize,
    {
        let answer = request(self.client(py)?);
        Ok(Call::new(async move { outcome(answer.await) }))
    }
}

#[pymethods]
impl Connection {
    #[new]
    #[pyo3(signature = (
        base_url, *, api_key=None, username=None, password=None, fingerprint=None,
        ca_file=None, accept_invalid_certs=false, timeout=30.0,
    ))]
    // One parameter per keyword of the Python constructor.
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        base_url: String,
        api_key: Option<String>,
        username: Option<String>,
        password: Option<String>,
        fingerprint: Option<String>,
        ca_file: Option<PathBuf>,
        accept_invalid_certs: bool,
        timeout: f64,
    ) -> PyResult<Self> {
        let timeout = Duration::try_from_secs_f64(timeout)
            .ok()
            .filter(|t| !t.is_zero())
            .ok_or_else(|| PyValueError::new_err("timeout must be a positive number of seconds"))?;
        let mut builder = Client::builder()
            .base_url(base_url.clone())
            .timeout(timeout)
            .user_agent(concat!("mosaic-py/", env!("CARGO_PKG_VERSION")));
        if let Some(key) = api_key {
            builder = builder.api_key(key);
        }
        match (username, password) {
            (Some(user), Some(password)) => builder = builder.login(user, password),
            (None, None) => {}
            _ => return Err(PyValueError::new_err("username and password go together")),
        }
        if let Some(path) = ca_file {
            builder = builder.ca_file(path);
        }
        if accept_invalid_certs {
            builder = builder.danger_accept_invalid_certs(true);
        }
        // Last, so that a pinned certificate wins over the other choices.
        if let Some(fingerprint) = fingerprint {
            builder = builder.fingerprint(&fingerprint);
        }

        let client = builder
            .build()
            .map_err(|e| Failure::from(e).into_py_err(py))?;
        Ok(Self {
            client: RwLock::new(Some(client)),
            base_url,
        })
    }

    /// The base URL as given.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.client.read().map(|c| c.is_none()).unwrap_or(true)
    }

    /// Drops the client: its pooled connections close; open event streams
    /// keep their own handle and close when they are closed.
    fn close(&self) {
        if let Ok(mut client) = self.client.write() {
            client.take();
        }
    }

    fn version(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.version().await })
    }

    fn login(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.login().await })
    }

    fn logout(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.logout().await })
    }

    fn torrents(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.torrents().await })
    }

    fn torrent(&self, py: Python<'_>, id: &str) -> PyResult<Call> {
        let id = info_hash(id)?;
        self.call(py, |c| async move { c.torrent(id).await })
    }

    fn stats(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.stats().await })
    }

    #[pyo3(signature = (uri, *, save_path=None, category_id=None, paused=false))]
    fn add_magnet(
        &self,
        py: Python<'_>,
        uri: String,
        save_path: Option<String>,
        category_id: Option<i64>,
        paused: bool,
    ) -> PyResult<Call> {
        let options = add_options(save_path, category_id, paused);
        self.call(py, |c| async move { c.add_magnet(&uri, &options).await })
    }

    #[pyo3(signature = (data, *, save_path=None, category_id=None, paused=false))]
    fn add_torrent(
        &self,
        py: Python<'_>,
        data: Vec<u8>,
        save_path: Option<String>,
        category_id: Option<i64>,
        paused: bool,
    ) -> PyResult<Call> {
        let options = add_options(save_path, category_id, paused);
        self.call(py, |c| async move { c.add_torrent(data, &options).await })
    }

    #[pyo3(signature = (path, *, save_path=None, category_id=None, paused=false))]
    fn add_torrent_file(
        &self,
        py: Python<'_>,
        path: PathBuf,
        save_path: Option<String>,
        category_id: Option<i64>,
        paused: bool,
    ) -> PyResult<Call> {
        let options = add_options(save_path, category_id, paused);
        self.call(
            py,
            |c| async move { c.add_torrent_file(path, &options).await },
        )
    }

    fn pause(&self, py: Python<'_>, id: &str) -> PyResult<Call> {
        let id = info_hash(id)?;
        self.call(py, |c| async move { c.pause(id).await })
    }

    fn resume(&self, py: Python<'_>, id: &str) -> PyResult<Call> {
        let id = info_hash(id)?;
        self.call(py, |c| async move { c.resume(id).await })
    }

    fn recheck(&self, py: Python<'_>, id: &str) -> PyResult<Call> {
        let id = info_hash(id)?;
        self.call(py, |c| async move { c.recheck(id).await })
    }

    #[pyo3(signature = (id, *, delete_data=false))]
    fn remove(&self, py: Python<'_>, id: &str, delete_data: bool) -> PyResult<Call> {
        let id = info_hash(id)?;
        if delete_data {
            self.call(py, |c| async move { c.remove_with_data(id).await })
        } else {
            self.call(py, |c| async move { c.remove(id).await })
        }
    }

    #[pyo3(signature = (id, category_id))]
    fn set_category(&self, py: Python<'_>, id: &str, category_id: Option<i64>) -> PyResult<Call> {
        let id = info_hash(id)?;
        let category = category_id.map(CategoryId);
        self.call(py, |c| async move { c.set_category(id, category).await })
    }

    fn set_priorities(
        &self,
        py: Python<'_>,
        id: &str,
        priorities: Vec<(usize, String)>,
    ) -> PyResult<Call> {
        let id = info_hash(id)?;
        let priorities = priorities
            .into_iter()
            .map(|(index, level)| Ok((index, priority(&level)?)))
            .collect::<PyResult<Vec<_>>>()?;
        self.call(py, |c| async move {
            c.set_file_priorities(id, priorities).await
        })
    }

    fn move_torrent(&self, py: Python<'_>, id: &str, save_path: String) -> PyResult<Call> {
        let id = info_hash(id)?;
        self.call(py, |c| async move { c.move_torrent(id, &save_path).await })
    }

    fn focus(&self, py: Python<'_>, id: &str, tabs: Vec<String>) -> PyResult<Call> {
        let id = info_hash(id)?;
        let tabs = tabs.iter().map(|t| tab(t)).collect::<PyResult<Vec<_>>>()?;
        self.call(py, |c| async move { c.focus_inspector(id, &tabs).await })
    }

    fn clear_focus(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.clear_inspector().await })
    }

    fn categories(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.categories().await })
    }

    #[pyo3(signature = (name, *, save_path=None, color=None))]
    fn create_category(
        &self,
        py: Python<'_>,
        name: String,
        save_path: Option<String>,
        color: Option<String>,
    ) -> PyResult<Call> {
        let category = NewCategory {
            name,
            default_save_path: save_path.unwrap_or_default(),
            color,
        };
        self.call(py, |c| async move { c.create_category(&category).await })
    }

    #[pyo3(signature = (id, *, name=None, save_path=None, color=None))]
    fn update_category(
        &self,
        py: Python<'_>,
        id: i64,
        name: Option<String>,
        save_path: Option<String>,
        color: Option<String>,
    ) -> PyResult<Call> {
        let update = CategoryUpdate {
            id: CategoryId(id),
            name,
            default_save_path: save_path,
            color,
        };
        self.call(py, |c| async move { c.update_category(&update).await })
    }

    fn delete_category(&self, py: Python<'_>, id: i64) -> PyResult<Call> {
        self.call(
            py,
            |c| async move { c.delete_category(CategoryId(id)).await },
        )
    }

    fn save_path(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.save_path().await })
    }

    fn set_save_path(&self, py: Python<'_>, path: String) -> PyResult<Call> {
        self.call(py, |c| async move { c.set_save_path(&path).await })
    }

    fn limits(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.limits().await })
    }

    #[pyo3(signature = (
        *, down_kbps=None, up_kbps=None, alt_down_kbps=None, alt_up_kbps=None, alt_active=None,
    ))]
    fn set_limits(
        &self,
        py: Python<'_>,
        down_kbps: Option<u32>,
        up_kbps: Option<u32>,
        alt_down_kbps: Option<u32>,
        alt_up_kbps: Option<u32>,
        alt_active: Option<bool>,
    ) -> PyResult<Call> {
        let change = LimitsChange {
            down_kbps,
            up_kbps,
            alt_down_kbps,
            alt_up_kbps,
            alt_active,
        };
        self.call(py, |c| settings::set_limits(c, change))
    }

    fn toggle_alt_speed(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.toggle_alt_speed().await })
    }

    fn connection_settings(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.connection_settings().await })
    }

    #[pyo3(signature = (
        *, listen_port=None, dht_enabled=None, max_peers_per_torrent=None, upnp_enabled=None,
    ))]
    fn set_connection_settings(
        &self,
        py: Python<'_>,
        listen_port: Option<u16>,
        dht_enabled: Option<bool>,
        max_peers_per_torrent: Option<u32>,
        upnp_enabled: Option<bool>,
    ) -> PyResult<Call> {
        let change = ConnectionChange {
            listen_port,
            dht_enabled,
            max_peers_per_torrent,
            upnp_enabled,
        };
        self.call(py, |c| settings::set_connection(c, change))
    }

    fn web_settings(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.web_settings().await })
    }

    #[pyo3(signature = (*, host_names=None, session_ttl_secs=None))]
    fn set_web_settings(
        &self,
        py: Python<'_>,
        host_names: Option<Vec<String>>,
        session_ttl_secs: Option<u64>,
    ) -> PyResult<Call> {
        let update = WebSettingsUpdate {
            host_names,
            session_ttl_secs,
        };
        self.call(py, |c| async move { c.set_web_settings(&update).await })
    }

    fn change_password(
        &self,
        py: Python<'_>,
        old_password: String,
        new_password: String,
    ) -> PyResult<Call> {
        self.call(py, |c| async move {
            c.change_password(&old_password, &new_password).await
        })
    }

    fn rotate_api_key(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.rotate_api_key().await })
    }

    fn blocklist(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.blocklist().await })
    }

    #[pyo3(signature = (*, url=None, enabled=None))]
    fn set_blocklist(
        &self,
        py: Python<'_>,
        url: Option<String>,
        enabled: Option<bool>,
    ) -> PyResult<Call> {
        self.call(py, |c| settings::set_blocklist(c, url, enabled))
    }

    fn refresh_blocklist(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.refresh_blocklist().await })
    }

    fn updater_settings(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.updater_settings().await })
    }

    #[pyo3(signature = (*, enabled=None, channel=None, feed_url=None))]
    fn set_updater_settings(
        &self,
        py: Python<'_>,
        enabled: Option<bool>,
        channel: Option<String>,
        feed_url: Option<String>,
    ) -> PyResult<Call> {
        let change = UpdaterChange {
            enabled,
            channel: channel.as_deref().map(update_channel).transpose()?,
            feed_url,
        };
        self.call(py, |c| settings::set_updater(c, change))
    }

    fn check_update(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.check_for_update().await })
    }

    fn install_update(&self, py: Python<'_>) -> PyResult<Call> {
        self.call(py, |c| async move { c.install_update().await })
    }

    /// The live events; `delta` asks the server for delta frames, which
    /// the stream turns back into full lists.
    #[pyo3(signature = (*, delta=false))]
    fn events(&self, py: Python<'_>, delta: bool) -> PyResult<EventStream> {
        let client = self.client(py)?;
        Ok(EventStream::new(&client, delta))
    }
}

fn add_options(save_path: Option<String>, category_id: Option<i64>, paused: bool) -> AddOptions {
    AddOptions {
        save_path,
        category_id: category_id.map(CategoryId),
        paused,
    }
}

fn info_hash(id: &str) -> PyResult<InfoHash> {
    id.parse()
        .map_err(|e| PyValueError::new_err(format!("torrent id '{id}': {e}")))
}

fn priority(level: &str) -> PyResult<Priority> {
    level
        .parse()
        .map_err(|e: mosaic_client::InvalidPriority| PyValueError::new_err(e.to_string()))
}

fn tab(name: &str) -> PyResult<Tab> {
    Ok(match name {
        "overview" => Tab::Overview,
        "files" => Tab::Files,
        "peers" => Tab::Peers,
        "trackers" => Tab::Trackers,
        "pieces" => Tab::Pieces,
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown tab '{other}': expected overview, files, peers, trackers or pieces"
            )));
        }
    })
}

fn update_channel(name: &str) -> PyResult<UpdateChannel> {
    match name {
        "stable" => Ok(UpdateChannel::Stable),
        "beta" => Ok(UpdateChannel::Beta),
        other => Err(PyValueError::new_err(format!(
            "unknown update channel '{other}': expected stable or beta"
        ))),
    }
}
