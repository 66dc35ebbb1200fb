//! Shapes of the live stream: the inspector focus request, the payload of
//! torrent events, and delta frames.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::InfoHash;

/// An inspector tab: which parts of a [`Detail`](super::Detail) the
/// `inspector:tick` frames carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum InspectorTab {
    /// The row and the torrent's facts (always included).
    Overview,
    /// Files.
    Files,
    /// Connected peers.
    Peers,
    /// Trackers.
    Trackers,
    /// The piece bitfield.
    Pieces,
}

/// `POST /api/inspector/focus`: an empty `id` clears the focus.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectorFocus {
    /// The torrent, or `""`.
    pub id: String,
    /// The tabs to send.
    #[serde(default)]
    pub tabs: Vec<InspectorTab>,
}

/// The payload of `torrent:added`, `torrent:removed`, `torrent:completed`
/// and `torrent:error`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TorrentEvent {
    /// The torrent.
    pub id: InfoHash,
    /// Its name.
    pub name: String,
    /// What went wrong (`torrent:error` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The payload of a `torrents:delta` frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TorrentsDelta {
    /// The tick number.
    pub seq: u64,
    /// Per changed torrent: `id` and the fields that differ from the
    /// previous tick; a torrent new to the list comes with every field.
    pub changed: Vec<Map<String, Value>>,
    /// Torrents no longer in the list.
    pub removed: Vec<InfoHash>,
}
