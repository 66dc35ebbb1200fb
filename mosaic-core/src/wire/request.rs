//! Request and small response bodies of the remote API.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{CategoryId, InfoHash};

/// `POST /api/torrents/magnet`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct AddMagnet {
    /// The magnet link. `x.pe` peers in it are contacted directly.
    pub magnet: String,
    /// Absolute save path; `""` means the category's or the global default.
    #[serde(default)]
    pub save_path: String,
    /// Category for the torrent.
    #[serde(default)]
    pub category_id: Option<CategoryId>,
    /// Add without starting.
    #[serde(default)]
    pub paused: bool,
}

/// `POST /api/torrents/category`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct SetCategory {
    /// Which torrent.
    pub infohash: InfoHash,
    /// The category, `null` to clear.
    pub category_id: Option<CategoryId>,
}

/// `POST /api/torrents/file_priorities`.
///
/// Keys are file indexes and values priority names, both as strings; they
/// are checked by the engine so that a bad one gets a precise message.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct SetFilePriorities {
    /// Which torrent.
    pub infohash: InfoHash,
    /// `{"<file index>": "skip" | "normal" | "high" | "max"}`.
    pub priorities: BTreeMap<String, String>,
}

/// `POST /api/torrents/move`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct MoveTorrent {
    /// Which torrent.
    pub infohash: InfoHash,
    /// The new absolute save path.
    pub save_path: String,
}

/// The answer to adding a torrent.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Added {
    /// The torrent's id.
    pub id: InfoHash,
}

/// The answer to creating a category.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Created {
    /// The new category's id.
    pub id: CategoryId,
}

/// The answer to a successful write without a body of its own.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Ok {
    /// Always `true`.
    pub ok: bool,
}

impl Ok {
    /// `{"ok": true}`.
    pub const YES: Self = Self { ok: true };
}

/// Every error answer: `{"error": "<lowercase message>"}`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: String,
}

/// `GET /api/version`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Version {
    /// The server's version, `x.y.z`.
    pub version: String,
}
