//! The engine's heartbeat: once per [`TICK`](super::TICK) it samples every
//! torrent's counters into lifetime totals, records completions, and moves
//! priority stages forward. Totals are written to the store every few ticks
//! and at shutdown, so a crash loses at most that many seconds of counting.

use std::collections::HashSet;

use super::entry::Handle as ManagedTorrentHandle;

use std::sync::Arc;
use std::sync::atomic::Ordering;

use librqbit::TorrentStats;

use super::entry::Entry;
use super::{Engine, TICK, now, staging};
use crate::InfoHash;
use crate::events::{Event, Snapshot};
use crate::wire::{Torrent, TorrentState};

/// Ticks between two writes of the totals.
const SAVE_EVERY: u32 = 5;

/// What one pass over the torrents found.
pub(super) struct Sampled {
    reselect: Vec<Reselect>,
    repause: Vec<(ManagedTorrentHandle, bool)>,
    /// Every row, in list order.
    pub(super) rows: Vec<Torrent>,
}

/// Something a tick noticed, reported once the entries lock is released.
enum Happening {
    Completion(InfoHash, Option<i64>, String),
    Failed(InfoHash, String, String),
}

/// The files librqbit should select now, when they differ from its current
/// selection.
fn next_stage(
    entry: &Entry,
    handle: &ManagedTorrentHandle,
    stats: &TorrentStats,
) -> Option<HashSet<usize>> {
    let meta = entry.meta.as_ref()?;
    if stats.file_progress.len() != meta.files.len() {
        return None;
    }
    let sizes: Vec<u64> = meta.files.iter().map(|f| f.size).collect();
    let wanted: HashSet<usize> =
        staging::selected_files(&entry.record.priorities, &sizes, &stats.file_progress)
            .into_iter()
            .collect();
    let current: Option<HashSet<usize>> = handle.only_files().map(|f| f.into_iter().collect());
    (current.as_ref() != Some(&wanted)).then_some(wanted)
}

/// A change of librqbit's selected files decided during a tick, applied
/// after the entries lock is released (it is an async call).
pub(super) struct Reselect {
    hash: InfoHash,
    handle: ManagedTorrentHandle,
    files: HashSet<usize>,
}

impl Engine {
    pub(super) fn spawn_ticker(&self) {
        let engine = self.clone();
        let cancel = self.inner.cancel.clone();
        self.inner.tasks.spawn(async move {
            let mut interval = tokio::time::interval(TICK);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut count = 0u32;
            loop {
                tokio::select! {
                    () = cancel.cancelled() => return,
                    _ = interval.tick() => {}
                }
                engine.tick().await;
                count += 1;
                if count.is_multiple_of(SAVE_EVERY) {
                    engine.save_totals();
                }
            }
        });
    }

    async fn tick(&self) {
        let Sampled {
            reselect,
            repause,
            rows,
        } = self.sample();
        self.publish_snapshot(rows);
        for (handle, paused) in repause {
            self.apply_pause(&handle, paused).await;
        }
        for change in reselect {
            let result = self
                .session()
                .update_only_files(&change.handle, &change.files)
                .await;
            if let Err(e) = result {
                tracing::debug!(torrent = %change.hash, error = %format!("{e:#}"), "stage change deferred");
            }
        }
    }

    /// Reads every torrent's stats once: totals, completion, errors, the
    /// stage of its priorities, whether librqbit's pause state still
    /// differs from the user's, and its list row.
    pub(super) fn sample(&self) -> Sampled {
        let mut reselect = Vec::new();
        let mut repause = Vec::new();
        let mut happenings = Vec::new();
        let mut rows = Vec::new();
        let (mut down, mut up) = (0, 0);
        for entry in self.inner.entries.write().values_mut() {
            let (d, u) = entry.sample_totals();
            (down, up) = (down + d, up + u);
            let (row, stats) = observe(entry, &mut happenings);
            rows.push(row);

            let (Some(handle), Some(stats)) = (entry.handle.clone(), stats) else {
                continue;
            };
            if handle.is_paused() != entry.record.paused {
                repause.push((handle.clone(), entry.record.paused));
            }
            if let Some(files) = next_stage(entry, &handle, &stats) {
                reselect.push(Reselect {
                    hash: entry.id(),
                    handle,
                    files,
                });
            }
        }
        self.inner.session_down.fetch_add(down, Ordering::Relaxed);
        self.inner.session_up.fetch_add(up, Ordering::Relaxed);
        self.report(happenings);
        super::sort_rows(&mut rows);
        Sampled {
            reselect,
            repause,
            rows,
        }
    }

    fn report(&self, happenings: Vec<Happening>) {
        for happening in happenings {
            match happening {
                Happening::Completion(id, at, name) => {
                    if let Err(e) = self.inner.store.set_completed_at(id, at) {
                        tracing::warn!(torrent = %id, error = %e, "completion time not saved");
                    }
                    if at.is_some() {
                        self.inner.events.publish(Event::Completed { id, name });
                    }
                }
                Happening::Failed(id, name, error) => {
                    self.inner.events.publish(Event::Error { id, name, error });
                }
            }
        }
    }

    fn publish_snapshot(&self, rows: Vec<Torrent>) {
        let rows = Arc::new(rows);
        let stats = self.stats_of_rows(&rows);
        let changed = {
            let mut last = self.inner.last_rows.lock();
            let changed = **last != *rows;
            *last = rows.clone();
            changed
        };
        let seq = self.inner.seq.fetch_add(1, Ordering::Relaxed) + 1;
        let snapshot = Snapshot {
            seq,
            torrents: rows,
            stats,
            changed,
        };
        self.inner
            .events
            .publish(Event::Snapshot(Arc::new(snapshot)));
    }

    /// Counts what one torrent moved since the last tick, before librqbit
    /// drops its counters (pausing or forgetting a torrent resets them).
    pub(super) fn sample_one(&self, hash: InfoHash) {
        let sampled = self
            .inner
            .entries
            .write()
            .get_mut(&hash)
            .map(|e| e.sample_totals());
        if let Some((down, up)) = sampled {
            self.inner.session_down.fetch_add(down, Ordering::Relaxed);
            self.inner.session_up.fetch_add(up, Ordering::Relaxed);
        }
    }

    /// Like [`Engine::sample`] for one torrent only: its totals, its
    /// completion and error events, and its row with librqbit's stats.
    pub(super) fn sample_entry<T>(
        &self,
        hash: InfoHash,
        read: impl FnOnce(&mut Entry, Torrent, Option<TorrentStats>) -> T,
    ) -> Option<T> {
        let mut happenings = Vec::new();
        let read = {
            let mut entries = self.inner.entries.write();
            let entry = entries.get_mut(&hash)?;
            let (down, up) = entry.sample_totals();
            self.inner.session_down.fetch_add(down, Ordering::Relaxed);
            self.inner.session_up.fetch_add(up, Ordering::Relaxed);
            let (row, stats) = observe(entry, &mut happenings);
            read(entry, row, stats)
        };
        self.report(happenings);
        Some(read)
    }

    /// Writes the totals that changed since the last write.
    pub(super) fn save_totals(&self) {
        let totals: Vec<_> = self
            .inner
            .entries
            .write()
            .values_mut()
            .filter_map(|e| {
                std::mem::take(&mut e.dirty)
                    .then(|| (e.id(), e.record.downloaded, e.record.uploaded))
            })
            .collect();
        if totals.is_empty() {
            return;
        }
        if let Err(e) = self.inner.store.save_totals(&totals) {
            tracing::warn!(error = %e, "totals not saved");
        }
    }
}

/// One torrent's row from librqbit's stats, noting a first error and a
/// completion gained or lost since it was last observed.
fn observe(entry: &mut Entry, happenings: &mut Vec<Happening>) -> (Torrent, Option<TorrentStats>) {
    let stats = entry.handle.as_ref().map(|h| h.stats());
    let mut row = entry.row(stats.as_ref());

    if let Some(error) = row.error.clone().filter(|_| !entry.error_reported) {
        happenings.push(Happening::Failed(entry.id(), row.name.clone(), error));
    }
    entry.error_reported = row.error.is_some();

    // A re-check briefly shows a finished torrent incomplete; only a
    // live torrent that misses wanted data loses its completion time.
    let finished = row.completed && entry.record.completed_at.is_none();
    let lost = !row.completed
        && entry.record.completed_at.is_some()
        && row.state == TorrentState::Downloading;
    if finished || lost {
        entry.record.completed_at = row.completed.then(now);
        happenings.push(Happening::Completion(
            entry.id(),
            entry.record.completed_at,
            row.name.clone(),
        ));
    }

    row.completed_at = entry.record.completed_at;
    (row, stats)
}
