//! The engine's heartbeat: once per [`TICK`](super::TICK) it samples every
//! torrent's counters into lifetime totals, records completions, and moves
//! priority stages forward. Totals are written to the store every few ticks
//! and at shutdown, so a crash loses at most that many seconds of counting.

use std::collections::HashSet;

use super::entry::Handle as ManagedTorrentHandle;

use super::{Engine, TICK, now, staging};
use crate::InfoHash;

/// Ticks between two writes of the totals.
const SAVE_EVERY: u32 = 5;

/// A change of librqbit's selected files decided during a tick, applied
/// after the entries lock is released (it is an async call).
struct Reselect {
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
        let reselect = self.sample();
        for change in reselect {
            let result = self
                .inner
                .session
                .update_only_files(&change.handle, &change.files)
                .await;
            if let Err(e) = result {
                tracing::debug!(torrent = %change.hash, error = %format!("{e:#}"), "stage change deferred");
            }
        }
    }

    fn sample(&self) -> Vec<Reselect> {
        let mut reselect = Vec::new();
        let mut completions = Vec::new();
        let (mut down, mut up) = (0, 0);
        for entry in self.inner.entries.write().values_mut() {
            let Some(handle) = entry.handle.clone() else {
                continue;
            };
            let (d, u) = entry.sample_totals();
            (down, up) = (down + d, up + u);

            let stats = handle.stats();
            let complete = entry.is_complete(Some(&stats));
            if complete != entry.record.completed_at.is_some() {
                entry.record.completed_at = complete.then(now);
                completions.push((
                    entry.id(),
                    entry.record.completed_at,
                    entry.record.name.clone(),
                ));
            }

            let Some(meta) = &entry.meta else { continue };
            if stats.file_progress.len() != meta.files.len() {
                continue;
            }
            let sizes: Vec<u64> = meta.files.iter().map(|f| f.size).collect();
            let wanted =
                staging::selected_files(&entry.record.priorities, &sizes, &stats.file_progress);
            let current: Option<HashSet<usize>> =
                handle.only_files().map(|f| f.into_iter().collect());
            let wanted: HashSet<usize> = wanted.into_iter().collect();
            if current.as_ref() != Some(&wanted) {
                reselect.push(Reselect {
                    hash: entry.id(),
                    handle,
                    files: wanted,
                });
            }
        }
        self.inner
            .session_down
            .fetch_add(down, std::sync::atomic::Ordering::Relaxed);
        self.inner
            .session_up
            .fetch_add(up, std::sync::atomic::Ordering::Relaxed);
        for (hash, at, name) in completions {
            if let Err(e) = self.inner.store.set_completed_at(hash, at) {
                tracing::warn!(torrent = %hash, error = %e, "completion time not saved");
            }
            if at.is_some() {
                tracing::debug!(torrent = %hash, name, "download finished");
            }
        }
        reselect
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
            self.inner
                .session_down
                .fetch_add(down, std::sync::atomic::Ordering::Relaxed);
            self.inner
                .session_up
                .fetch_add(up, std::sync::atomic::Ordering::Relaxed);
        }
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
