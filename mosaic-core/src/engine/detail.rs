//! Building the inspector's view of one torrent: files, peers, trackers and
//! the piece map.

use std::time::Instant;

use base64::Engine as _;
use librqbit::TorrentStats;
use librqbit::api::TorrentIdOrHash;

use super::Engine;
use super::entry::{Entry, PeerSample, fraction};
use crate::wire::{Detail, Peer, TorrentFile, Tracker};
use crate::{Error, InfoHash, Result};

/// Which inspector tabs a [`Detail`] carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tabs {
    /// `files`.
    pub files: bool,
    /// `peers_list`.
    pub peers: bool,
    /// `trackers`.
    pub trackers: bool,
    /// `pieces`.
    pub pieces: bool,
}

impl Tabs {
    /// Every tab.
    pub const ALL: Self = Self {
        files: true,
        peers: true,
        trackers: true,
        pieces: true,
    };
}

/// Peer rates are averaged over at least this long, so two quick calls do
/// not divide by almost nothing.
const MIN_RATE_WINDOW_SECS: f64 = 0.5;

impl Engine {
    /// One torrent with every inspector tab.
    ///
    /// # Errors
    /// [`Error::TorrentNotFound`].
    pub fn torrent(&self, hash: InfoHash) -> Result<Detail> {
        self.detail(hash, Tabs::ALL)
    }

    /// One torrent with the chosen inspector tabs.
    ///
    /// Peer rates come from the change of each peer's byte counters since
    /// the previous call (librqbit reports no per-peer speed); a peer's
    /// `progress` is null because librqbit does not expose peer bitfields.
    /// Tracker fields other than the URL are null: librqbit does not report
    /// announce results.
    ///
    /// # Errors
    /// [`Error::TorrentNotFound`].
    pub fn detail(&self, hash: InfoHash, tabs: Tabs) -> Result<Detail> {
        self.sample_entry(hash, |entry, row, stats| {
            let meta = entry.meta.clone();
            Detail {
                torrent: row,
                piece_length: meta.as_ref().map_or(0, |m| m.piece_length),
                piece_count: meta.as_ref().map_or(0, |m| m.piece_count),
                comment: meta.as_ref().and_then(|m| m.comment.clone()),
                created_by: meta.as_ref().and_then(|m| m.created_by.clone()),
                private: meta.as_ref().is_some_and(|m| m.private),
                files: tabs.files.then(|| files(entry, stats.as_ref())),
                peers_list: tabs.peers.then(|| peers(entry)),
                trackers: tabs.trackers.then(|| trackers(entry)),
                pieces: tabs.pieces.then(|| self.pieces(entry)),
            }
        })
        .ok_or(Error::TorrentNotFound)
    }

    fn pieces(&self, entry: &Entry) -> String {
        let bits = entry.handle.as_ref().and_then(|h| {
            librqbit::Api::new(self.session(), None)
                .api_dump_haves(TorrentIdOrHash::Id(h.id()))
                .ok()
        });
        let bytes = bits
            .map(|(bits, _)| bits.as_raw_slice().to_vec())
            .unwrap_or_else(|| {
                let count = entry.meta.as_ref().map_or(0, |m| m.piece_count);
                vec![0; count.div_ceil(8) as usize]
            });
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }
}

fn files(entry: &Entry, stats: Option<&TorrentStats>) -> Vec<TorrentFile> {
    let Some(meta) = &entry.meta else {
        return Vec::new();
    };
    let have = stats
        .map(|s| s.file_progress.as_slice())
        .unwrap_or_default();
    meta.files
        .iter()
        .enumerate()
        .map(|(index, file)| {
            let done = have.get(index).copied().unwrap_or(0).min(file.size);
            TorrentFile {
                index,
                path: file.display.clone(),
                size: file.size,
                bytes_done: done,
                progress: fraction(done, file.size, have.len() == meta.files.len()),
                priority: entry.priority(index),
            }
        })
        .collect()
}

fn peers(entry: &mut Entry) -> Vec<Peer> {
    let Some(live) = entry.handle.as_ref().and_then(|h| h.live()) else {
        entry.peer_samples.clear();
        return Vec::new();
    };
    let snapshot = live.per_peer_stats_snapshot(Default::default());
    let now = Instant::now();
    let mut samples = std::collections::HashMap::with_capacity(snapshot.peers.len());
    let mut out = Vec::with_capacity(snapshot.peers.len());
    for (addr, stats) in snapshot.peers {
        let (fetched, uploaded) = (stats.counters.fetched_bytes, stats.counters.uploaded_bytes);
        let sample = match entry.peer_samples.get(&addr) {
            Some(prev) if now.duration_since(prev.at).as_secs_f64() < MIN_RATE_WINDOW_SECS => *prev,
            Some(prev) => {
                let secs = now.duration_since(prev.at).as_secs_f64();
                let rate = |new: u64, old: u64| (new.saturating_sub(old) as f64 / secs) as u64;
                PeerSample {
                    at: now,
                    fetched,
                    uploaded,
                    down_rate: rate(fetched, prev.fetched),
                    up_rate: rate(uploaded, prev.uploaded),
                }
            }
            None => PeerSample {
                at: now,
                fetched,
                uploaded,
                down_rate: 0,
                up_rate: 0,
            },
        };
        let socket: Option<std::net::SocketAddr> = addr.parse().ok();
        out.push(Peer {
            ip: socket.map_or_else(|| addr.clone(), |s| s.ip().to_string()),
            port: socket.map_or(0, |s| s.port()),
            client: stats.client_name,
            progress: None,
            download_rate: sample.down_rate,
            upload_rate: sample.up_rate,
            downloaded: fetched,
            uploaded,
        });
        samples.insert(addr, sample);
    }
    entry.peer_samples = samples;
    out.sort_by(|a, b| (&a.ip, a.port).cmp(&(&b.ip, b.port)));
    out
}

fn trackers(entry: &Entry) -> Vec<Tracker> {
    let from_meta = entry
        .meta
        .as_ref()
        .map(|m| m.trackers.clone())
        .unwrap_or_default();
    let from_magnet = crate::magnet::Magnet::parse(&entry.record.magnet)
        .map(|m| m.trackers)
        .unwrap_or_default();
    let mut urls: Vec<String> = from_meta.into_iter().chain(from_magnet).collect();
    urls.sort();
    urls.dedup();
    urls.retain(|u| !u.is_empty());
    urls.into_iter()
        .map(|url| Tracker {
            url,
            status: None,
            message: None,
            seeds: None,
            peers: None,
            last_announce: None,
            next_announce: None,
        })
        .collect()
}
