//! Torrent data on disk through a bounded pool of open files.
//!
//! librqbit's own file storage opens every file of every torrent when the
//! torrent starts and keeps it open, paused or not, so thousands of
//! torrents run out of file descriptors. This storage writes the same
//! files in the same places but opens them on use and keeps only the most
//! recently used ones open; the rest are closed and reopened when a peer
//! asks for them again.
//!
//! What stays per torrent: librqbit keeps each torrent's resume bitfield
//! (`<hash>.bitv`) open while the torrent is loaded, paused or not, so a
//! server still needs one descriptor per torrent besides this pool; the
//! engine warns at start when the limit leaves too little room.
//!
//! librqbit hands a storage only the torrent's info hash, not its output
//! folder, so the engine records each torrent's folder here before adding
//! it (and, at start, for every stored torrent). A torrent with no folder
//! on record falls back to librqbit's own file storage.

use std::collections::{BTreeMap, HashMap};
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context;
use librqbit::storage::filesystem::FilesystemStorageFactory;
use librqbit::storage::{BoxStorageFactory, StorageFactory, StorageFactoryExt, TorrentStorage};
use librqbit::{ManagedTorrentShared, TorrentMetadata};
use parking_lot::{Mutex, RwLock};

use crate::InfoHash;

/// Data files kept open at most when the descriptor limit is unknown.
const DEFAULT_OPEN_FILES: usize = 256;

/// How many data files to keep open: an eighth of the process's
/// descriptor limit, leaving the rest for peers, clients and resume
/// files, within sensible bounds.
pub(super) fn open_file_budget() -> usize {
    match rlimit::getrlimit(rlimit::Resource::NOFILE) {
        Ok((soft, _)) => usize::try_from(soft / 8)
            .unwrap_or(usize::MAX)
            .clamp(16, 1024),
        Err(_) => DEFAULT_OPEN_FILES,
    }
}

/// Open files shared by every torrent, closed least recently used first.
pub(super) struct FilePool {
    capacity: usize,
    state: Mutex<PoolState>,
}

#[derive(Default)]
struct PoolState {
    open: HashMap<PathBuf, Slot>,
    /// Last use → path; the first entry is the next to close.
    by_use: BTreeMap<u64, PathBuf>,
    clock: u64,
}

struct Slot {
    file: Arc<File>,
    used: u64,
}

impl FilePool {
    pub(super) fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            state: Mutex::default(),
        }
    }

    /// The open file at `path`, opened (and created if missing) for
    /// reading and writing when it is not open yet.
    ///
    /// A file closed while an operation still holds it stays usable until
    /// that operation ends: callers hold an `Arc`, not the slot.
    pub(super) fn file(&self, path: &Path) -> io::Result<Arc<File>> {
        let mut state = self.state.lock();
        state.clock += 1;
        let now = state.clock;
        if let Some(slot) = state.open.get_mut(path) {
            let before = std::mem::replace(&mut slot.used, now);
            let file = slot.file.clone();
            state.by_use.remove(&before);
            state.by_use.insert(now, path.to_owned());
            return Ok(file);
        }

        let file = Arc::new(open(path)?);
        while state.open.len() >= self.capacity {
            let Some((_, oldest)) = state.by_use.pop_first() else {
                break;
            };
            state.open.remove(&oldest);
        }
        state.open.insert(
            path.to_owned(),
            Slot {
                file: file.clone(),
                used: now,
            },
        );
        state.by_use.insert(now, path.to_owned());
        Ok(file)
    }

    /// Closes `path` if it is open (before it is deleted or moved).
    pub(super) fn close(&self, path: &Path) {
        let mut state = self.state.lock();
        if let Some(slot) = state.open.remove(path) {
            state.by_use.remove(&slot.used);
        }
    }

    /// How many files are open now.
    #[cfg(test)]
    fn open_count(&self) -> usize {
        self.state.lock().open.len()
    }
}

fn open(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

/// The storage factory librqbit's session uses for every torrent.
#[derive(Clone)]
pub(super) struct PooledStorageFactory {
    pool: Arc<FilePool>,
    folders: Arc<RwLock<HashMap<InfoHash, PathBuf>>>,
}

impl PooledStorageFactory {
    pub(super) fn new(pool: Arc<FilePool>) -> Self {
        Self {
            pool,
            folders: Arc::default(),
        }
    }

    /// Records where a torrent's files live; read when librqbit creates
    /// its storage.
    pub(super) fn set_folder(&self, hash: InfoHash, folder: PathBuf) {
        self.folders.write().insert(hash, folder);
    }

    pub(super) fn boxed_factory(&self) -> BoxStorageFactory {
        self.clone().boxed()
    }
}

impl StorageFactory for PooledStorageFactory {
    type Storage = Box<dyn TorrentStorage>;

    fn create(
        &self,
        shared: &ManagedTorrentShared,
        metadata: &TorrentMetadata,
    ) -> anyhow::Result<Self::Storage> {
        let hash = InfoHash::from_bytes(shared.info_hash.0);
        let Some(folder) = self.folders.read().get(&hash).cloned() else {
            tracing::debug!(torrent = %hash, "no folder on record: unpooled storage");
            return Ok(Box::new(
                FilesystemStorageFactory::default().create(shared, metadata)?,
            ));
        };
        Ok(Box::new(PooledStorage {
            pool: self.pool.clone(),
            folder,
            files: Vec::new(),
            taken: AtomicBool::new(false),
        }))
    }

    /// The files are plain files in the output folder, exactly as
    /// librqbit's own storage lays them out, so its resume data (which
    /// accepts only that storage) applies unchanged.
    fn is_type_id(&self, type_id: std::any::TypeId) -> bool {
        type_id == std::any::TypeId::of::<FilesystemStorageFactory>()
            || type_id == std::any::TypeId::of::<Self>()
    }

    fn clone_box(&self) -> BoxStorageFactory {
        self.boxed_factory()
    }
}

/// One torrent's files, opened through the pool.
struct PooledStorage {
    pool: Arc<FilePool>,
    folder: PathBuf,
    /// Absolute path per file index; `None` for padding files, which are
    /// never written.
    files: Vec<Option<PathBuf>>,
    /// Set once librqbit has moved the files to a new storage (on pause);
    /// this one must not touch them after that.
    taken: AtomicBool,
}

impl PooledStorage {
    fn file(&self, file_id: usize) -> anyhow::Result<Arc<File>> {
        anyhow::ensure!(
            !self.taken.load(Ordering::Acquire),
            "storage was handed over"
        );
        let path = self
            .files
            .get(file_id)
            .context("no such file")?
            .as_deref()
            .context("padding file has no data")?;
        self.pool
            .file(path)
            .with_context(|| format!("error opening {path:?}"))
    }
}

impl TorrentStorage for PooledStorage {
    fn init(&mut self, _: &ManagedTorrentShared, metadata: &TorrentMetadata) -> anyhow::Result<()> {
        let mut files = Vec::with_capacity(metadata.file_infos.len());
        for info in &metadata.file_infos {
            if info.attrs.padding {
                files.push(None);
                continue;
            }
            let path = self.folder.join(&info.relative_filename);
            std::fs::create_dir_all(path.parent().context("file path has no parent")?)?;
            open(&path).with_context(|| format!("error opening {path:?} in read/write mode"))?;
            files.push(Some(path));
        }
        self.files = files;
        Ok(())
    }

    fn pread_exact(&self, file_id: usize, offset: u64, buf: &mut [u8]) -> anyhow::Result<()> {
        Ok(self.file(file_id)?.read_exact_at(buf, offset)?)
    }

    fn pwrite_all(&self, file_id: usize, offset: u64, buf: &[u8]) -> anyhow::Result<()> {
        Ok(self.file(file_id)?.write_all_at(buf, offset)?)
    }

    fn pwrite_all_vectored(
        &self,
        file_id: usize,
        offset: u64,
        bufs: [io::IoSlice<'_>; 2],
    ) -> anyhow::Result<usize> {
        let file = self.file(file_id)?;
        file.write_all_at(&bufs[0], offset)?;
        file.write_all_at(&bufs[1], offset + bufs[0].len() as u64)?;
        Ok(bufs[0].len() + bufs[1].len())
    }

    fn remove_file(&self, _file_id: usize, filename: &Path) -> anyhow::Result<()> {
        let path = self.folder.join(filename);
        self.pool.close(&path);
        Ok(std::fs::remove_file(path)?)
    }

    fn remove_directory_if_empty(&self, path: &Path) -> anyhow::Result<()> {
        let path = self.folder.join(path);
        anyhow::ensure!(path.is_dir(), "cannot remove {path:?}: not a directory");
        if std::fs::read_dir(&path)?.next().is_none() {
            std::fs::remove_dir(&path).with_context(|| format!("error removing {path:?}"))?;
        }
        Ok(())
    }

    fn ensure_file_length(&self, file_id: usize, length: u64) -> anyhow::Result<()> {
        Ok(self.file(file_id)?.set_len(length)?)
    }

    fn take(&self) -> anyhow::Result<Box<dyn TorrentStorage>> {
        self.taken.store(true, Ordering::Release);
        Ok(Box::new(Self {
            pool: self.pool.clone(),
            folder: self.folder.clone(),
            files: self.files.clone(),
            taken: AtomicBool::new(false),
        }))
    }
}

impl Drop for PooledStorage {
    /// A torrent that is gone (removed, moved, forgotten) gives its
    /// descriptors back at once; after a hand-over the new storage simply
    /// reopens what it uses.
    fn drop(&mut self) {
        for path in self.files.iter().flatten() {
            self.pool.close(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(label: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "mosaic-pool-{label}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn keeps_at_most_its_capacity_open_and_reopens_on_use() {
        let dir = scratch("capacity");
        let pool = FilePool::new(2);
        let paths: Vec<PathBuf> = (0..5).map(|i| dir.join(format!("f{i}"))).collect();
        for (i, path) in paths.iter().enumerate() {
            pool.file(path)
                .unwrap()
                .write_all_at(&[i as u8; 4], 0)
                .unwrap();
            assert!(pool.open_count() <= 2);
        }
        // The first file was closed long ago; its bytes are read back
        // through a fresh descriptor.
        let mut buf = [0; 4];
        pool.file(&paths[0])
            .unwrap()
            .read_exact_at(&mut buf, 0)
            .unwrap();
        assert_eq!(buf, [0; 4]);
        pool.file(&paths[4])
            .unwrap()
            .read_exact_at(&mut buf, 0)
            .unwrap();
        assert_eq!(buf, [4; 4]);
        assert_eq!(pool.open_count(), 2);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn closes_the_least_recently_used_file_first() {
        let dir = scratch("lru");
        let pool = FilePool::new(2);
        let (a, b, c) = (dir.join("a"), dir.join("b"), dir.join("c"));
        let first_a = pool.file(&a).unwrap();
        pool.file(&b).unwrap();
        // Using `a` again makes `b` the oldest, so opening `c` closes `b`.
        let again_a = pool.file(&a).unwrap();
        assert!(Arc::ptr_eq(&first_a, &again_a));
        pool.file(&c).unwrap();
        let state = pool.state.lock();
        assert!(state.open.contains_key(&a) && state.open.contains_key(&c));
        assert!(!state.open.contains_key(&b));
        assert_eq!(state.by_use.len(), 2);
        drop(state);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_closed_file_stays_usable_by_whoever_holds_it() {
        let dir = scratch("held");
        let pool = FilePool::new(1);
        let held = pool.file(&dir.join("held")).unwrap();
        pool.file(&dir.join("other")).unwrap();
        held.write_all_at(b"still here", 0).unwrap();
        assert_eq!(std::fs::read(dir.join("held")).unwrap(), b"still here");
        pool.close(&dir.join("other"));
        assert_eq!(pool.open_count(), 0);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
