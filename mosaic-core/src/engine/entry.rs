//! One torrent as the engine holds it: the stored record, the parsed
//! metadata, the librqbit handle, and the counters that turn librqbit's
//! per-run byte counts into lifetime totals.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use librqbit::{ManagedTorrent, TorrentStats, TorrentStatsState};

use crate::metainfo::Metainfo;
use crate::store::TorrentRecord;
use crate::wire::{Torrent, TorrentState};
use crate::{InfoHash, Priority};

/// librqbit's handle on a running torrent.
pub(super) type Handle = Arc<ManagedTorrent>;

/// Byte counters of one peer at one moment, to derive its rates.
#[derive(Clone, Copy, Debug)]
pub(super) struct PeerSample {
    pub(super) at: Instant,
    pub(super) fetched: u64,
    pub(super) uploaded: u64,
    pub(super) down_rate: u64,
    pub(super) up_rate: u64,
}

pub(super) struct Entry {
    pub(super) record: TorrentRecord,
    pub(super) meta: Option<Arc<Metainfo>>,
    pub(super) handle: Option<Handle>,
    /// The task fetching a magnet's metadata.
    pub(super) resolving: Option<tokio::task::AbortHandle>,
    /// Why the torrent could not be started, when librqbit has no handle.
    pub(super) error: Option<String>,
    /// Identity of the librqbit live state last sampled: its counters
    /// restart from zero whenever the torrent goes live again.
    live_id: usize,
    live_fetched: u64,
    live_uploaded: u64,
    /// Whether totals changed since they were last written.
    pub(super) dirty: bool,
    /// Whether the current error was already published.
    pub(super) error_reported: bool,
    pub(super) peer_samples: HashMap<String, PeerSample>,
}

impl Entry {
    pub(super) fn new(record: TorrentRecord, meta: Option<Arc<Metainfo>>) -> Self {
        Self {
            record,
            meta,
            handle: None,
            resolving: None,
            error: None,
            live_id: 0,
            live_fetched: 0,
            live_uploaded: 0,
            dirty: false,
            error_reported: false,
            peer_samples: HashMap::new(),
        }
    }

    pub(super) fn id(&self) -> InfoHash {
        self.record.info_hash
    }

    /// Where librqbit keeps the files: the save path, plus the torrent's own
    /// folder for multi-file torrents (as qBittorrent and Transmission do).
    pub(super) fn output_folder(&self) -> PathBuf {
        output_folder(&self.record.save_path, self.meta.as_deref())
    }

    /// Adds what librqbit counted since the last sample to the lifetime
    /// totals and returns the added (received, sent) bytes.
    pub(super) fn sample_totals(&mut self) -> (u64, u64) {
        let Some(live) = self.handle.as_ref().and_then(|h| h.live()) else {
            return (0, 0);
        };
        let id = Arc::as_ptr(&live) as usize;
        if id != self.live_id {
            (self.live_id, self.live_fetched, self.live_uploaded) = (id, 0, 0);
        }
        let snap = live.stats_snapshot();
        let down = snap.fetched_bytes.saturating_sub(self.live_fetched);
        let up = snap.uploaded_bytes.saturating_sub(self.live_uploaded);
        (self.live_fetched, self.live_uploaded) = (snap.fetched_bytes, snap.uploaded_bytes);
        self.record.downloaded += down;
        self.record.uploaded += up;
        self.dirty |= down > 0 || up > 0;
        (down, up)
    }

    /// Whether every wanted file is complete.
    pub(super) fn is_complete(&self, stats: Option<&TorrentStats>) -> bool {
        let (Some(meta), Some(stats)) = (&self.meta, stats) else {
            return false;
        };
        if stats.file_progress.len() != meta.files.len() {
            return false;
        }
        meta.files
            .iter()
            .enumerate()
            .all(|(i, f)| self.priority(i) == Priority::Skip || stats.file_progress[i] >= f.size)
    }

    pub(super) fn priority(&self, file: usize) -> Priority {
        self.record
            .priorities
            .get(file)
            .copied()
            .unwrap_or_default()
    }

    /// The list row.
    pub(super) fn row(&self, stats: Option<&TorrentStats>) -> Torrent {
        let wanted: Vec<usize> = self
            .meta
            .iter()
            .flat_map(|m| 0..m.files.len())
            .filter(|&i| self.priority(i) != Priority::Skip)
            .collect();
        let total_bytes: u64 = self
            .meta
            .as_ref()
            .map_or(0, |m| wanted.iter().map(|&i| m.files[i].size).sum());
        let bytes_done = self.bytes_done(stats, &wanted);
        let completed = self.is_complete(stats);
        let live = self.handle.as_ref().and_then(|h| h.live());
        let (download_rate, upload_rate) = live.as_ref().map_or((0, 0), |l| {
            (l.down_speed_estimator().bps(), l.up_speed_estimator().bps())
        });
        let peer_stats = live.as_ref().map(|l| l.stats_snapshot().peer_stats);
        let state = self.state(stats, completed);
        let download_rate = if state == TorrentState::Downloading {
            download_rate
        } else {
            0
        };
        let remaining = total_bytes.saturating_sub(bytes_done);
        let denominator = self.record.downloaded.max(bytes_done);

        Torrent {
            id: self.id(),
            name: self.record.name.clone(),
            magnet: self.record.magnet.clone(),
            save_path: self.record.save_path.clone(),
            state,
            error: self.error_message(stats),
            total_bytes,
            bytes_done,
            progress: fraction(bytes_done, total_bytes, completed),
            download_rate,
            upload_rate,
            downloaded: self.record.downloaded,
            uploaded: self.record.uploaded,
            ratio: if denominator == 0 {
                0.0
            } else {
                self.record.uploaded as f64 / denominator as f64
            },
            eta_secs: (download_rate > 0 && !completed).then(|| remaining.div_ceil(download_rate)),
            peers: peer_stats.as_ref().map_or(0, |p| p.live),
            seeds: peer_stats.as_ref().map_or(0, |p| p.live_seeders),
            paused: self.record.paused,
            completed,
            added_at: self.record.added_at,
            completed_at: self.record.completed_at,
            category_id: self.record.category_id,
        }
    }

    fn bytes_done(&self, stats: Option<&TorrentStats>, wanted: &[usize]) -> u64 {
        let (Some(meta), Some(stats)) = (&self.meta, stats) else {
            return 0;
        };
        if stats.file_progress.len() == meta.files.len() {
            return wanted
                .iter()
                .map(|&i| stats.file_progress[i].min(meta.files[i].size))
                .sum();
        }
        // While checking, librqbit only reports how far hashing got.
        stats
            .progress_bytes
            .min(wanted.iter().map(|&i| meta.files[i].size).sum())
    }

    fn state(&self, stats: Option<&TorrentStats>, completed: bool) -> TorrentState {
        if self.resolving.is_some() {
            return TorrentState::Metadata;
        }
        let Some(stats) = stats else {
            return match (&self.error, self.record.paused) {
                (Some(_), _) => TorrentState::Error,
                (None, true) => TorrentState::Paused,
                (None, false) => TorrentState::Queued,
            };
        };
        match stats.state {
            TorrentStatsState::Initializing { .. } => TorrentState::Checking,
            TorrentStatsState::Paused => TorrentState::Paused,
            TorrentStatsState::Error => TorrentState::Error,
            TorrentStatsState::Live if completed => TorrentState::Seeding,
            TorrentStatsState::Live => TorrentState::Downloading,
        }
    }

    fn error_message(&self, stats: Option<&TorrentStats>) -> Option<String> {
        stats
            .and_then(|s| s.error.clone())
            .or_else(|| self.error.clone())
            .map(|e| e.lines().next().unwrap_or_default().to_lowercase())
    }
}

/// Where librqbit keeps a torrent's files.
pub(super) fn output_folder(save_path: &str, meta: Option<&Metainfo>) -> PathBuf {
    let save_path = PathBuf::from(save_path);
    match meta {
        Some(meta) if meta.multi_file => save_path.join(&meta.name),
        _ => save_path,
    }
}

pub(super) fn fraction(done: u64, total: u64, complete: bool) -> f64 {
    match total {
        0 if complete => 1.0,
        0 => 0.0,
        _ => (done as f64 / total as f64).clamp(0.0, 1.0),
    }
}
