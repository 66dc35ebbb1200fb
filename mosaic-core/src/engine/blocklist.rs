//! Applying an IP blocklist. librqbit reads its blocklist only when a
//! session starts, so a new list (or turning the list on or off) rebuilds
//! the session: torrents are paused, the session stops, and a new one
//! starts from librqbit's resume data with the list loaded from
//! `<data>/blocklist.txt`. The cost is that every peer connection drops
//! and is re-established, and each torrent goes through its (fast) resume
//! check again: a few seconds, no re-download.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Engine;
use super::entry::Handle;
use super::settings::start_session;
use crate::blocklist::Blocklist;
use crate::magnet::Magnet;
use crate::store::Store;
use crate::wire::{BlocklistSettings, BlocklistUpdate};
use crate::{Error, InfoHash, Result};

const SETTING: &str = "blocklist";
const FILE: &str = "blocklist.txt";
/// Largest list body downloaded.
const MAX_DOWNLOAD: u64 = 64 * 1024 * 1024;
/// Tries at binding the peer port again while the old session lets go.
const REBIND_TRIES: u32 = 40;

/// The list file librqbit should load, when a list is enabled and stored.
pub(super) fn file_in_force(store: &Store, data_dir: &Path) -> Result<Option<PathBuf>> {
    let settings: BlocklistSettings = store.setting(SETTING)?.unwrap_or_default();
    let path = data_dir.join(FILE);
    Ok((settings.enabled && path.exists()).then_some(path))
}

impl Engine {
    /// The blocklist settings and the state of the list in force.
    ///
    /// # Errors
    /// Fails when the store does.
    pub fn blocklist(&self) -> Result<BlocklistSettings> {
        Ok(self.inner.store.setting(SETTING)?.unwrap_or_default())
    }

    /// Changes the list URL and whether it applies. The URL is only checked
    /// for shape here; fetching happens at [`Engine::refresh_blocklist`].
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a URL that is not http(s).
    pub async fn set_blocklist(&self, update: &BlocklistUpdate) -> Result<()> {
        let url = update.url.trim();
        if !url.is_empty() {
            let parsed =
                url::Url::parse(url).map_err(|_| Error::InvalidInput("malformed url".into()))?;
            if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
                return Err(Error::InvalidInput(
                    "blocklist url must be http or https".into(),
                ));
            }
        }
        let mut settings = self.blocklist()?;
        let toggled = settings.enabled != update.enabled;
        (settings.url, settings.enabled) = (url.to_owned(), update.enabled);
        self.inner.store.set_setting(SETTING, &settings)?;
        if toggled {
            self.rebuild_session().await?;
        }
        Ok(())
    }

    /// Downloads, parses and stores the list, then applies it when enabled.
    /// On any failure the list in force stays and the reason is recorded.
    ///
    /// # Errors
    /// [`Error::Fetch`] when the URL does not answer, answers non-2xx, is
    /// refused as internal, or its body holds no valid entry.
    pub async fn refresh_blocklist(&self) -> Result<BlocklistSettings> {
        let mut settings = self.blocklist()?;
        if settings.url.is_empty() {
            return Err(Error::InvalidInput("no blocklist url is configured".into()));
        }
        let fetched = self.inner.fetcher.get(&settings.url, MAX_DOWNLOAD).await;
        let parsed = fetched
            .map_err(|e| e.0)
            .and_then(|body| Blocklist::parse(&body).map_err(|e| e.to_string()));
        let list = match parsed {
            Ok(list) => list,
            Err(reason) => {
                settings.error = Some(reason.clone());
                self.inner.store.set_setting(SETTING, &settings)?;
                return Err(Error::Fetch(format!("blocklist refresh failed: {reason}")));
            }
        };

        self.write_list(&list)?;
        settings.last_loaded_at = Some(super::now());
        settings.entries = list.len() as u64;
        settings.error = None;
        self.inner.store.set_setting(SETTING, &settings)?;
        if settings.enabled {
            self.rebuild_session().await?;
        }
        Ok(settings)
    }

    fn write_list(&self, list: &Blocklist) -> Result<()> {
        let path = self.inner.options.data_dir.join(FILE);
        let temporary = path.with_extension("txt.new");
        std::fs::write(&temporary, list.to_engine_text())?;
        std::fs::rename(&temporary, &path)?;
        Ok(())
    }

    /// Replaces the librqbit session with one that loads the current list,
    /// keeping the peer port, and hands every torrent to it.
    pub(super) async fn rebuild_session(&self) -> Result<()> {
        let _ops = self.inner.ops.lock().await;
        let hashes: Vec<InfoHash> = self.inner.entries.read().keys().copied().collect();
        for hash in &hashes {
            self.sample_one(*hash);
        }
        self.save_totals();
        let magnets = self.detach_all();

        let old = self.session();
        let listen = old.listen_addr();
        old.stop().await;
        drop(old);

        let mut runtime = self.inner.settings.lock().clone();
        runtime.blocklist = file_in_force(&self.inner.store, &self.inner.options.data_dir)?;
        runtime.peer_listen = listen.unwrap_or(runtime.peer_listen);
        let session = self.start_session_retrying(&runtime).await?;
        *self.inner.session.write() = session;
        *self.inner.settings.lock() = runtime;

        self.reattach(magnets).await;
        tracing::debug!("librqbit session rebuilt");
        Ok(())
    }

    /// Drops every handle and metadata task, returning the magnets whose
    /// metadata must be fetched again.
    fn detach_all(&self) -> Vec<(InfoHash, String)> {
        let mut magnets = Vec::new();
        for entry in self.inner.entries.write().values_mut() {
            entry.handle = None;
            if let Some(task) = entry.resolving.take() {
                task.abort();
                magnets.push((entry.id(), entry.record.magnet.clone()));
            }
        }
        magnets
    }

    async fn start_session_retrying(
        &self,
        runtime: &super::settings::Runtime,
    ) -> Result<std::sync::Arc<librqbit::Session>> {
        let mut tries = 0;
        loop {
            match start_session(&self.inner.options, runtime, &self.inner.storage).await {
                Ok(session) => return Ok(session),
                Err(e) if tries < REBIND_TRIES => {
                    tries += 1;
                    tracing::debug!(error = %e, "peer port not free yet");
                    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn reattach(&self, magnets: Vec<(InfoHash, String)>) {
        let mut running: HashMap<InfoHash, Handle> = self.running_in_librqbit();
        let hashes: Vec<(InfoHash, bool, bool)> = self
            .inner
            .entries
            .read()
            .values()
            .map(|e| (e.id(), e.meta.is_some(), e.record.paused))
            .collect();
        for (hash, has_meta, paused) in hashes {
            match running.remove(&hash) {
                Some(handle) if has_meta => {
                    self.apply_pause(&handle, paused).await;
                    if let Some(entry) = self.inner.entries.write().get_mut(&hash) {
                        entry.handle = Some(handle);
                    }
                }
                _ if has_meta => self.start(hash, Vec::new()).await,
                _ => {}
            }
        }
        for (hash, uri) in magnets {
            if let Ok(magnet) = Magnet::parse(&uri) {
                self.spawn_resolve(hash, magnet);
            }
        }
    }
}
