//! Adding torrents: by magnet (metadata fetched in the background) or by
//! .torrent bytes, and (re)starting a known torrent inside librqbit.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use librqbit::{AddTorrent, AddTorrentOptions, AddTorrentResponse};

use super::entry::Entry;
use super::{Engine, now, staging};
use crate::events::Event;
use crate::magnet::Magnet;
use crate::metainfo::Metainfo;
use crate::store::{Removal, TorrentRecord};
use crate::wire::AddMagnet;
use crate::{CategoryId, InfoHash, Priority, Result};

/// Options for adding a torrent.
#[derive(Clone, Debug, Default)]
pub struct AddOptions {
    /// Absolute save path; empty means the category's or the global default.
    pub save_path: String,
    /// Category for the torrent.
    pub category_id: Option<CategoryId>,
    /// Add without starting.
    pub paused: bool,
}

impl Engine {
    /// Adds a magnet link and answers its info hash at once; metadata is
    /// fetched in the background while the torrent is listed as
    /// `metadata`. Peers named by `x.pe` are contacted directly.
    ///
    /// Adding a torrent that is already present changes nothing.
    ///
    /// # Errors
    /// [`Error::InvalidMagnet`], [`Error::InvalidSavePath`] or
    /// [`Error::CategoryNotFound`].
    pub async fn add_magnet(&self, request: &AddMagnet) -> Result<InfoHash> {
        let magnet = Magnet::parse(&request.magnet)?;
        let hash = magnet.info_hash;
        let options = AddOptions {
            save_path: request.save_path.clone(),
            category_id: request.category_id,
            paused: request.paused,
        };
        let save_path = self.resolve_save_path(&options)?;
        let _ops = self.inner.ops.lock().await;
        if self.inner.entries.read().contains_key(&hash) {
            return Ok(hash);
        }

        let record = TorrentRecord {
            name: magnet.name.clone().unwrap_or_else(|| hash.to_string()),
            magnet: request.magnet.clone(),
            torrent: None,
            priorities: Vec::new(),
            ..new_record(hash, save_path, &options)
        };
        self.inner.store.insert_torrent(&record)?;
        self.inner
            .entries
            .write()
            .insert(hash, Entry::new(record, None));
        self.spawn_resolve(hash, magnet);
        let name = record_name(self, hash);
        self.inner.events.publish(Event::Added { id: hash, name });
        tracing::debug!(torrent = %hash, "magnet added");
        Ok(hash)
    }

    /// Adds a torrent from .torrent bytes and starts it (unless paused).
    ///
    /// Adding a torrent that is already present changes nothing.
    ///
    /// # Errors
    /// [`Error::InvalidTorrent`] (including file names that would escape the
    /// save path), [`Error::InvalidSavePath`] or [`Error::CategoryNotFound`].
    pub async fn add_torrent_file(&self, bytes: &[u8], options: &AddOptions) -> Result<InfoHash> {
        let meta = Arc::new(Metainfo::parse(bytes)?);
        let hash = meta.info_hash;
        let save_path = self.resolve_save_path(options)?;
        let _ops = self.inner.ops.lock().await;
        if self.inner.entries.read().contains_key(&hash) {
            return Ok(hash);
        }

        let record = TorrentRecord {
            name: meta.name.clone(),
            magnet: Magnet::build(hash, &meta.name, &meta.trackers),
            torrent: Some(bytes.to_vec()),
            priorities: vec![Priority::Normal; meta.files.len()],
            ..new_record(hash, save_path, options)
        };
        self.inner.store.insert_torrent(&record)?;
        self.inner
            .entries
            .write()
            .insert(hash, Entry::new(record, Some(meta.clone())));
        self.start(hash, Vec::new()).await;
        self.inner.events.publish(Event::Added {
            id: hash,
            name: meta.name.clone(),
        });
        tracing::debug!(torrent = %hash, "torrent added");
        Ok(hash)
    }

    fn resolve_save_path(&self, options: &AddOptions) -> Result<String> {
        let category_path = self.category_save_path(options.category_id)?;
        if options.save_path.is_empty() {
            self.inner.paths.check(&category_path)?;
            return Ok(category_path);
        }
        self.inner.paths.check(&options.save_path)?;
        Ok(options.save_path.clone())
    }

    /// Hands a torrent with metadata to librqbit. Failures are kept on the
    /// entry (shown as state `error`) rather than returned: the torrent is
    /// accepted and stored either way.
    pub(super) async fn start(&self, hash: InfoHash, mut peers: Vec<SocketAddr>) {
        let Some((bytes, options)) = self.add_options(hash, &mut peers) else {
            return;
        };
        let session = self.session();
        let added = session.add_torrent(AddTorrent::TorrentFileBytes(bytes), Some(options));
        let result = added.await.map(AddTorrentResponse::into_handle);

        let mut entries = self.inner.entries.write();
        let Some(entry) = entries.get_mut(&hash) else {
            return;
        };
        match result {
            Ok(Some(handle)) => (entry.handle, entry.error) = (Some(handle), None),
            Ok(None) => entry.error = Some("engine did not start the torrent".into()),
            Err(e) => {
                tracing::warn!(torrent = %hash, error = %format!("{e:#}"), "torrent failed to start");
                entry.error = Some(format!("{e:#}"));
            }
        }
    }

    fn add_options(
        &self,
        hash: InfoHash,
        peers: &mut Vec<SocketAddr>,
    ) -> Option<(Bytes, AddTorrentOptions)> {
        let entries = self.inner.entries.read();
        let entry = entries.get(&hash)?;
        let meta = entry.meta.as_ref()?;
        let bytes = Bytes::from(entry.record.torrent.clone()?);
        let sizes: Vec<u64> = meta.files.iter().map(|f| f.size).collect();
        let selected = staging::selected_files(&entry.record.priorities, &sizes, &[]);
        let trackers = Magnet::parse(&entry.record.magnet)
            .map(|m| m.trackers)
            .unwrap_or_default();
        peers.dedup();
        let folder = entry.output_folder();
        self.inner.storage.set_folder(hash, folder.clone());
        let options = AddTorrentOptions {
            paused: entry.record.paused,
            only_files: Some(selected.into_iter().collect()),
            overwrite: true,
            output_folder: Some(folder.to_string_lossy().into_owned()),
            initial_peers: Some(std::mem::take(peers)),
            trackers: Some(trackers),
            ..AddTorrentOptions::default()
        };
        Some((bytes, options))
    }

    /// Fetches a magnet's metadata in a task that removal and shutdown can
    /// cancel, then starts the torrent.
    pub(super) fn spawn_resolve(&self, hash: InfoHash, magnet: Magnet) {
        let engine = self.clone();
        let cancel = self.inner.cancel.clone();
        let task = self.inner.tasks.spawn(async move {
            tokio::select! {
                () = cancel.cancelled() => {}
                () = engine.resolve(hash, magnet) => {}
            }
        });
        if let Some(entry) = self.inner.entries.write().get_mut(&hash) {
            entry.resolving = Some(task.abort_handle());
        }
    }

    async fn resolve(&self, hash: InfoHash, magnet: Magnet) {
        let uri = self
            .inner
            .entries
            .read()
            .get(&hash)
            .map(|e| e.record.magnet.clone());
        let Some(uri) = uri else { return };
        let options = AddTorrentOptions {
            list_only: true,
            initial_peers: Some(magnet.peers.clone()),
            ..AddTorrentOptions::default()
        };
        let listed = self
            .session()
            .add_torrent(AddTorrent::from_url(uri), Some(options))
            .await;
        let (bytes, seen) = match listed {
            Ok(AddTorrentResponse::ListOnly(list)) => (list.torrent_bytes, list.seen_peers),
            Ok(_) => return self.fail_resolve(hash, "engine did not list the metadata".into()),
            Err(e) => return self.fail_resolve(hash, format!("{e:#}")),
        };
        match Metainfo::parse(&bytes) {
            Ok(meta) if meta.info_hash == hash => {
                let peers = magnet.peers.into_iter().chain(seen).collect();
                self.finish_resolve(hash, Arc::new(meta), &bytes, peers)
                    .await;
            }
            Ok(_) => self.fail_resolve(hash, "metadata does not match the info hash".into()),
            Err(e) => self.fail_resolve(hash, e.to_string()),
        }
    }

    async fn finish_resolve(
        &self,
        hash: InfoHash,
        meta: Arc<Metainfo>,
        bytes: &[u8],
        peers: Vec<SocketAddr>,
    ) {
        let _ops = self.inner.ops.lock().await;
        let priorities = vec![Priority::Normal; meta.files.len()];
        if let Err(e) = self
            .inner
            .store
            .set_metadata(hash, &meta.name, bytes, &priorities)
        {
            return self.fail_resolve(hash, e.to_string());
        }
        {
            let mut entries = self.inner.entries.write();
            let Some(entry) = entries.get_mut(&hash) else {
                return;
            };
            entry.record.name = meta.name.clone();
            entry.record.torrent = Some(bytes.to_vec());
            entry.record.priorities = priorities;
            entry.meta = Some(meta);
            entry.resolving = None;
        }
        tracing::debug!(torrent = %hash, "metadata received");
        self.start(hash, peers).await;
    }

    fn fail_resolve(&self, hash: InfoHash, error: String) {
        tracing::warn!(torrent = %hash, error, "magnet metadata failed");
        if let Some(entry) = self.inner.entries.write().get_mut(&hash) {
            entry.resolving = None;
            entry.error = Some(error);
        }
    }
}

fn record_name(engine: &Engine, hash: InfoHash) -> String {
    engine
        .inner
        .entries
        .read()
        .get(&hash)
        .map(|e| e.record.name.clone())
        .unwrap_or_default()
}

fn new_record(hash: InfoHash, save_path: String, options: &AddOptions) -> TorrentRecord {
    TorrentRecord {
        info_hash: hash,
        name: String::new(),
        magnet: String::new(),
        torrent: None,
        save_path,
        category_id: options.category_id,
        priorities: Vec::new(),
        added_at: now(),
        completed_at: None,
        downloaded: 0,
        uploaded: 0,
        paused: options.paused,
        removing: Removal::None,
    }
}
