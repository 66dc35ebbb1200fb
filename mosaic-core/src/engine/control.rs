//! Changing torrents: pause, resume, recheck, remove, category, file
//! priorities and moving data.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::entry::Handle as ManagedTorrentHandle;
use librqbit::api::TorrentIdOrHash;

use super::Engine;
use super::entry::output_folder;
use crate::events::Event;
use crate::paths::remove_torrent_data;
use crate::store::Removal;
use crate::wire::SetFilePriorities;
use crate::{CategoryId, Error, InfoHash, Priority, Result};

impl Engine {
    /// Pauses a torrent (a magnet still fetching metadata starts paused).
    ///
    /// # Errors
    /// [`Error::TorrentNotFound`].
    pub async fn pause(&self, hash: InfoHash) -> Result<()> {
        let _ops = self.inner.ops.lock().await;
        let handle = self.set_paused_flag(hash, true)?;
        self.sample_one(hash);
        if let Some(handle) = handle {
            self.apply_pause(&handle, true).await;
        }
        Ok(())
    }

    /// Resumes a paused torrent.
    ///
    /// # Errors
    /// [`Error::TorrentNotFound`].
    pub async fn resume(&self, hash: InfoHash) -> Result<()> {
        let _ops = self.inner.ops.lock().await;
        let handle = self.set_paused_flag(hash, false)?;
        if let Some(handle) = handle {
            // Priorities set while paused must hold from the first piece,
            // not from the next tick.
            if let Some(files) = self.stage_now(hash, &handle) {
                let _ = self.session().update_only_files(&handle, &files).await;
            }
            self.apply_pause(&handle, false).await;
        }
        Ok(())
    }

    /// The files the current priority stage selects.
    fn stage_now(&self, hash: InfoHash, handle: &ManagedTorrentHandle) -> Option<HashSet<usize>> {
        let entries = self.inner.entries.read();
        let entry = entries.get(&hash)?;
        let meta = entry.meta.as_ref()?;
        let sizes: Vec<u64> = meta.files.iter().map(|f| f.size).collect();
        let have = handle.stats().file_progress;
        let chosen = super::staging::selected_files(&entry.record.priorities, &sizes, &have);
        Some(chosen.into_iter().collect())
    }

    /// Brings librqbit in line with the user's pause flag. librqbit refuses
    /// to pause a torrent whose start is still under way; such a refusal is
    /// left to the tick, which compares the two again every second.
    pub(super) async fn apply_pause(&self, handle: &ManagedTorrentHandle, paused: bool) {
        let result = match (paused, handle.is_paused()) {
            (true, false) => self.session().pause(handle).await,
            (false, true) => self.session().unpause(handle).await,
            _ => Ok(()),
        };
        if let Err(e) = result {
            tracing::debug!(error = %format!("{e:#}"), paused, "pause state deferred");
        }
    }

    fn set_paused_flag(
        &self,
        hash: InfoHash,
        paused: bool,
    ) -> Result<Option<ManagedTorrentHandle>> {
        let mut entries = self.inner.entries.write();
        let entry = entries.get_mut(&hash).ok_or(Error::TorrentNotFound)?;
        self.inner.store.set_paused(hash, paused)?;
        entry.record.paused = paused;
        Ok(entry.handle.clone())
    }

    /// Hashes the data on disk again. librqbit has no recheck, so the
    /// torrent is forgotten (with its resume data) and added back.
    ///
    /// # Errors
    /// [`Error::TorrentNotFound`], or [`Error::MetadataPending`] for a
    /// magnet without metadata.
    pub async fn recheck(&self, hash: InfoHash) -> Result<()> {
        let _ops = self.inner.ops.lock().await;
        self.forget(hash).await?;
        self.start(hash, Vec::new()).await;
        Ok(())
    }

    /// Removes a torrent, and its files when `delete_data` is set. Only
    /// files inside the torrent's save path are ever deleted.
    ///
    /// # Errors
    /// [`Error::TorrentNotFound`].
    pub async fn remove(&self, hash: InfoHash, delete_data: bool) -> Result<()> {
        let _ops = self.inner.ops.lock().await;
        let removal = if delete_data {
            Removal::DeleteData
        } else {
            Removal::KeepData
        };
        if !self.inner.entries.read().contains_key(&hash) {
            return Err(Error::TorrentNotFound);
        }
        self.inner.store.set_removing(hash, removal)?;
        self.finish_removal(hash, removal).await
    }

    /// Completes a removal whose start is recorded in the store.
    pub(super) async fn finish_removal(&self, hash: InfoHash, removal: Removal) -> Result<()> {
        let entry = self.inner.entries.write().remove(&hash);
        let librqbit_handle = self.session().get(TorrentIdOrHash::Hash(hash_id(hash)));
        if let Some(task) = entry.as_ref().and_then(|e| e.resolving.as_ref()) {
            task.abort();
        }
        if let Some(handle) = librqbit_handle {
            self.drop_from_librqbit(&handle).await?;
        }
        if let (Removal::DeleteData, Some(entry)) = (removal, &entry)
            && let Some(meta) = &entry.meta
        {
            let files: Vec<PathBuf> = meta.files.iter().map(|f| f.path.clone()).collect();
            let save_path = PathBuf::from(&entry.record.save_path);
            let folder = entry.output_folder();
            tokio::task::spawn_blocking(move || remove_torrent_data(&save_path, &folder, &files))
                .await
                .map_err(|e| Error::Engine(e.into()))?;
        }
        self.inner.store.delete_torrent(hash)?;
        let name = entry.map(|e| e.record.name).unwrap_or_default();
        self.inner.events.publish(Event::Removed { id: hash, name });
        tracing::debug!(torrent = %hash, delete_data = removal == Removal::DeleteData, "torrent removed");
        Ok(())
    }

    /// Sets or clears a torrent's category.
    ///
    /// # Errors
    /// [`Error::TorrentNotFound`] or [`Error::CategoryNotFound`].
    pub fn set_category(&self, hash: InfoHash, category: Option<CategoryId>) -> Result<()> {
        let mut entries = self.inner.entries.write();
        let entry = entries.get_mut(&hash).ok_or(Error::TorrentNotFound)?;
        self.inner.store.set_category(hash, category)?;
        entry.record.category_id = category;
        Ok(())
    }

    /// Changes file priorities; see [`Priority`] for how levels download.
    /// The change applies within one engine tick and persists.
    ///
    /// # Errors
    /// [`Error::TorrentNotFound`], [`Error::MetadataPending`], or
    /// [`Error::InvalidInput`] for an unknown index or level.
    pub fn set_file_priorities(&self, request: &SetFilePriorities) -> Result<()> {
        let hash = request.infohash;
        let mut entries = self.inner.entries.write();
        let entry = entries.get_mut(&hash).ok_or(Error::TorrentNotFound)?;
        let file_count = entry
            .meta
            .as_ref()
            .ok_or(Error::MetadataPending(hash))?
            .files
            .len();
        let mut priorities = entry.record.priorities.clone();
        priorities.resize(file_count, Priority::Normal);
        for (index, level) in &request.priorities {
            let i: usize = index
                .parse()
                .ok()
                .filter(|&i| i < file_count)
                .ok_or_else(|| Error::InvalidInput(format!("unknown file index {index:?}")))?;
            priorities[i] = level
                .parse()
                .map_err(|e: crate::priority::InvalidPriority| {
                    Error::InvalidInput(e.to_string())
                })?;
        }
        self.inner.store.set_priorities(hash, &priorities)?;
        entry.record.priorities = priorities;
        Ok(())
    }

    /// Moves a torrent's data to a new save path: librqbit forgets the
    /// torrent, the files move, and the torrent is added back there.
    ///
    /// # Errors
    /// [`Error::TorrentNotFound`], [`Error::InvalidSavePath`],
    /// [`Error::MetadataPending`], or an I/O error when the files cannot
    /// move (the torrent then restarts at its old place).
    pub async fn move_storage(&self, hash: InfoHash, save_path: &str) -> Result<()> {
        self.inner.paths.check(save_path)?;
        let _ops = self.inner.ops.lock().await;
        let (from, to) = {
            let entries = self.inner.entries.read();
            let entry = entries.get(&hash).ok_or(Error::TorrentNotFound)?;
            let meta = entry.meta.as_deref().ok_or(Error::MetadataPending(hash))?;
            (entry.output_folder(), output_folder(save_path, Some(meta)))
        };
        if from == to {
            return Ok(());
        }

        self.forget(hash).await?;
        let moved = tokio::task::spawn_blocking(move || move_path(&from, &to))
            .await
            .map_err(|e| Error::Engine(e.into()))
            .and_then(|r| {
                r.map_err(|e| Error::InvalidSavePath(format!("cannot move the data there: {e}")))
            });
        if moved.is_ok() {
            self.inner.store.set_save_path(hash, save_path)?;
            if let Some(entry) = self.inner.entries.write().get_mut(&hash) {
                entry.record.save_path = save_path.to_owned();
            }
        }
        self.start(hash, Vec::new()).await;
        moved
    }

    /// Drops a torrent from librqbit (keeping data and our record) so it can
    /// be added back; its resume data goes too, forcing a full hash check.
    async fn forget(&self, hash: InfoHash) -> Result<()> {
        self.sample_one(hash);
        let handle = {
            let mut entries = self.inner.entries.write();
            let entry = entries.get_mut(&hash).ok_or(Error::TorrentNotFound)?;
            if entry.meta.is_none() {
                return Err(Error::MetadataPending(hash));
            }
            entry.handle.take()
        };
        if let Some(handle) = handle {
            self.drop_from_librqbit(&handle).await?;
        }
        Ok(())
    }

    /// Makes librqbit forget a torrent (and its resume data), keeping files.
    async fn drop_from_librqbit(&self, handle: &ManagedTorrentHandle) -> Result<()> {
        let id = TorrentIdOrHash::Id(handle.id());
        self.session()
            .delete(id, false)
            .await
            .map_err(Error::Engine)
    }
}

pub(super) fn hash_id(hash: InfoHash) -> librqbit_core::hash_id::Id20 {
    librqbit_core::hash_id::Id20::new(*hash.as_bytes())
}

/// Moves a file or folder, copying across file systems when a rename
/// cannot. Nothing to move (data never written) is not an error.
fn move_path(from: &Path, to: &Path) -> std::io::Result<()> {
    if !from.exists() {
        return Ok(());
    }
    if to.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} already exists", to.display()),
        ));
    }
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    copy_tree(from, to)?;
    if from.is_dir() {
        std::fs::remove_dir_all(from)
    } else {
        std::fs::remove_file(from)
    }
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if !from.is_dir() {
        return std::fs::copy(from, to).map(drop);
    }
    std::fs::create_dir_all(to)?;
    for item in std::fs::read_dir(from)? {
        let item = item?;
        copy_tree(&item.path(), &to.join(item.file_name()))?;
    }
    Ok(())
}
