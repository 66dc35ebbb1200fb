//! Bringing torrents back at start by reconciling the two records: the
//! SQLite store (what the user accepted) and librqbit's own resume data
//! (what it was running). Neither may silently lose a torrent: one known
//! only to the store is added back to librqbit, one known only to librqbit
//! is adopted into the store, and both cases are logged.

use std::collections::HashMap;

use std::sync::Arc;

use super::entry::Handle as ManagedTorrentHandle;
use librqbit::api::TorrentIdOrHash;

use super::entry::{Entry, output_folder};
use super::storage::PooledStorageFactory;
use super::{Engine, now};
use crate::magnet::Magnet;
use crate::metainfo::Metainfo;
use crate::store::{Removal, Store, TorrentRecord};
use crate::{InfoHash, Priority, Result};

impl Engine {
    pub(super) async fn restore(&self) -> Result<()> {
        let mut running = self.running_in_librqbit();
        for record in self.inner.store.torrents()? {
            let hash = record.info_hash;
            let handle = running.remove(&hash);
            if record.removing != Removal::None {
                self.inner
                    .entries
                    .write()
                    .insert(hash, Entry::new(record.clone(), parse(&record)));
                self.finish_removal(hash, record.removing).await?;
                continue;
            }
            self.restore_one(record, handle).await;
        }
        for (hash, handle) in running {
            self.adopt(hash, &handle).await;
        }
        Ok(())
    }

    pub(super) fn running_in_librqbit(&self) -> HashMap<InfoHash, ManagedTorrentHandle> {
        self.session().with_torrents(|iter| {
            iter.map(|(_, h)| (InfoHash::from_bytes(h.info_hash().0), h.clone()))
                .collect()
        })
    }

    async fn restore_one(&self, record: TorrentRecord, handle: Option<ManagedTorrentHandle>) {
        let hash = record.info_hash;
        let meta = parse(&record);
        let paused = record.paused;
        let entry = Entry::new(record, meta.clone());
        let expected_folder = entry.output_folder();
        self.inner.entries.write().insert(hash, entry);

        match (handle, meta) {
            (Some(handle), Some(_)) if handle.output_folder() == expected_folder => {
                self.apply_pause(&handle, paused).await;
                if let Some(entry) = self.inner.entries.write().get_mut(&hash) {
                    entry.handle = Some(handle);
                }
            }
            (handle, Some(_)) => {
                if let Some(handle) = handle {
                    tracing::warn!(torrent = %hash, "engine state had another folder; re-adding");
                    let _ = self
                        .session()
                        .delete(TorrentIdOrHash::Id(handle.id()), false)
                        .await;
                } else {
                    tracing::warn!(torrent = %hash, "torrent missing from engine state; re-adding");
                }
                self.start(hash, Vec::new()).await;
            }
            (_, None) => match Magnet::parse(&self.magnet_of(hash)) {
                Ok(magnet) => self.spawn_resolve(hash, magnet),
                Err(e) => self.mark_error(hash, e.to_string()),
            },
        }
    }

    /// Takes a torrent that only librqbit knew into the store.
    async fn adopt(&self, hash: InfoHash, handle: &ManagedTorrentHandle) {
        let bytes = handle.with_metadata(|m| m.torrent_bytes.to_vec()).ok();
        let Some(meta) = bytes.as_deref().and_then(|b| Metainfo::parse(b).ok()) else {
            tracing::warn!(torrent = %hash, "engine state holds an unreadable torrent; dropping it");
            let _ = self
                .session()
                .delete(TorrentIdOrHash::Id(handle.id()), false)
                .await;
            return;
        };
        let folder = handle.output_folder();
        let save_path = match folder.parent() {
            Some(parent) if meta.multi_file && folder.file_name() == Some(meta.name.as_ref()) => {
                parent
            }
            _ => folder,
        };
        let record = TorrentRecord {
            info_hash: hash,
            name: meta.name.clone(),
            magnet: Magnet::build(hash, &meta.name, &meta.trackers),
            torrent: bytes,
            save_path: save_path.to_string_lossy().into_owned(),
            category_id: None,
            priorities: vec![Priority::Normal; meta.files.len()],
            added_at: now(),
            completed_at: None,
            downloaded: 0,
            uploaded: 0,
            paused: handle.is_paused(),
            removing: Removal::None,
        };
        if let Err(e) = self.inner.store.insert_torrent(&record) {
            tracing::warn!(torrent = %hash, error = %e, "could not adopt torrent");
            return;
        }
        tracing::warn!(torrent = %hash, "torrent missing from the store; adopted");
        let mut entry = Entry::new(record, Some(Arc::new(meta)));
        entry.handle = Some(handle.clone());
        self.inner.entries.write().insert(hash, entry);
    }

    fn magnet_of(&self, hash: InfoHash) -> String {
        self.inner
            .entries
            .read()
            .get(&hash)
            .map(|e| e.record.magnet.clone())
            .unwrap_or_default()
    }

    fn mark_error(&self, hash: InfoHash, error: String) {
        if let Some(entry) = self.inner.entries.write().get_mut(&hash) {
            entry.error = Some(error);
        }
    }
}

/// Tells the storage where every stored torrent's files live, before
/// librqbit starts and brings back the torrents it was running.
pub(super) fn record_folders(store: &Store, storage: &PooledStorageFactory) -> Result<()> {
    for record in store.torrents()? {
        if let Some(meta) = parse(&record) {
            storage.set_folder(
                record.info_hash,
                output_folder(&record.save_path, Some(&meta)),
            );
        }
    }
    Ok(())
}

fn parse(record: &TorrentRecord) -> Option<Arc<Metainfo>> {
    let bytes = record.torrent.as_deref()?;
    match Metainfo::parse(bytes) {
        Ok(meta) => Some(Arc::new(meta)),
        Err(e) => {
            tracing::warn!(torrent = %record.info_hash, error = %e, "stored torrent unreadable");
            None
        }
    }
}
