//! The torrent shapes of the wire contract: list rows, details, and the
//! session totals.

use serde::{Deserialize, Serialize};

use crate::{CategoryId, InfoHash, Priority};

/// What a torrent is doing.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum TorrentState {
    /// A magnet whose metadata is still being fetched from peers.
    Metadata,
    /// Existing data is being hashed.
    Checking,
    /// Fetching pieces.
    Downloading,
    /// Complete and serving peers.
    Seeding,
    /// Stopped by the user.
    Paused,
    /// Waiting for its turn.
    Queued,
    /// Stopped by a failure; see the row's `error`.
    Error,
}

/// One row of `GET /api/torrents`.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Torrent {
    /// The v1 info hash.
    pub id: InfoHash,
    /// The torrent's name, or its info hash until metadata arrives.
    pub name: String,
    /// A magnet link for the torrent.
    pub magnet: String,
    /// The folder the torrent was added to (multi-file torrents keep their
    /// own folder inside it).
    pub save_path: String,
    /// What the torrent is doing.
    pub state: TorrentState,
    /// The failure that stopped it, if any.
    pub error: Option<String>,
    /// Size of the wanted files, 0 before metadata.
    pub total_bytes: u64,
    /// Verified bytes of the wanted files.
    pub bytes_done: u64,
    /// `bytes_done / total_bytes`, 0..1.
    pub progress: f64,
    /// Bytes per second received.
    pub download_rate: u64,
    /// Bytes per second sent.
    pub upload_rate: u64,
    /// Bytes received over the torrent's life, kept across restarts.
    pub downloaded: u64,
    /// Bytes sent over the torrent's life, kept across restarts.
    pub uploaded: u64,
    /// `uploaded` divided by the larger of `downloaded` and `bytes_done`.
    pub ratio: f64,
    /// Seconds until complete at the current rate, null when unknown.
    pub eta_secs: Option<u64>,
    /// Connected peers.
    pub peers: u32,
    /// Connected peers that have the whole torrent.
    pub seeds: u32,
    /// Whether the user paused it.
    pub paused: bool,
    /// Whether every wanted file is complete.
    pub completed: bool,
    /// When it was added (Unix seconds).
    pub added_at: i64,
    /// When it completed (Unix seconds), null until then.
    pub completed_at: Option<i64>,
    /// Its category, if any.
    pub category_id: Option<CategoryId>,
}

/// One file of a torrent.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct TorrentFile {
    /// Position of the file in the torrent, the key for priorities.
    pub index: usize,
    /// Path inside the torrent, `/`-separated.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Verified bytes on disk.
    pub bytes_done: u64,
    /// `bytes_done / size`, 0..1 (1 for empty files).
    pub progress: f64,
    /// Download priority.
    pub priority: Priority,
}

/// One connected peer.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Peer {
    /// The peer's address.
    pub ip: String,
    /// The peer's port.
    pub port: u16,
    /// The client it announced, if any.
    pub client: Option<String>,
    /// How much of the torrent the peer has, null when the engine does not
    /// track it.
    pub progress: Option<f64>,
    /// Bytes per second received from it.
    pub download_rate: u64,
    /// Bytes per second sent to it.
    pub upload_rate: u64,
    /// Bytes received from it in this connection.
    pub downloaded: u64,
    /// Bytes sent to it in this connection.
    pub uploaded: u64,
}

/// One tracker of a torrent. Fields the engine does not report are null.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Tracker {
    /// The announce URL.
    pub url: String,
    /// What is known of its state.
    pub status: Option<String>,
    /// Its last message.
    pub message: Option<String>,
    /// Seeders it reported.
    pub seeds: Option<u32>,
    /// Leechers it reported.
    pub peers: Option<u32>,
    /// Last announce (Unix seconds).
    pub last_announce: Option<i64>,
    /// Next announce (Unix seconds).
    pub next_announce: Option<i64>,
}

/// `GET /api/torrents/{id}`: every row field plus the inspector tabs.
///
/// The tab arrays are absent when a live inspector frame was not asked
/// for that tab.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Detail {
    /// The list row.
    #[serde(flatten)]
    pub torrent: Torrent,
    /// Bytes per piece, 0 before metadata.
    pub piece_length: u64,
    /// Number of pieces, 0 before metadata.
    pub piece_count: u64,
    /// The .torrent comment.
    pub comment: Option<String>,
    /// The program that made the .torrent.
    pub created_by: Option<String>,
    /// Whether the torrent is private (no DHT or PEX).
    pub private: bool,
    /// Files, in torrent order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<TorrentFile>>,
    /// Connected peers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peers_list: Option<Vec<Peer>>,
    /// Trackers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trackers: Option<Vec<Tracker>>,
    /// Base64 bitfield of the pieces we have, first piece in the high bit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pieces: Option<String>,
}

/// `GET /api/stats`: session totals.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct Stats {
    /// Torrents known.
    pub total_torrents: u64,
    /// Torrents neither paused nor complete.
    pub active_torrents: u64,
    /// Complete torrents that are not paused.
    pub seeding_torrents: u64,
    /// Sum of download rates, bytes per second.
    pub total_download_rate: u64,
    /// Sum of upload rates, bytes per second.
    pub total_upload_rate: u64,
    /// Connected peers over all torrents.
    pub total_peers: u64,
    /// Bytes received since the server started.
    pub downloaded_session: u64,
    /// Bytes sent since the server started.
    pub uploaded_session: u64,
    /// Bytes free under the default save path.
    pub free_space: u64,
}
