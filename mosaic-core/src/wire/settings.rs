//! Categories and the settings payloads.

use serde::{Deserialize, Serialize};

use crate::CategoryId;

/// A named group of torrents with a default save path.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Category {
    /// Its id.
    pub id: CategoryId,
    /// Unique name.
    pub name: String,
    /// Where torrents of this category go when added without a save path.
    pub default_save_path: String,
    /// Display colour, `#rrggbb`.
    pub color: String,
}

/// `POST /api/categories`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct NewCategory {
    /// Unique name.
    pub name: String,
    /// Default save path; `""` means the global default.
    #[serde(default)]
    pub default_save_path: String,
    /// Display colour, `#rrggbb`; a neutral grey when omitted.
    #[serde(default)]
    pub color: Option<String>,
}

/// `PUT /api/categories`: fields left out keep their value.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct CategoryUpdate {
    /// Which category.
    pub id: CategoryId,
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New default save path.
    #[serde(default)]
    pub default_save_path: Option<String>,
    /// New colour.
    #[serde(default)]
    pub color: Option<String>,
}

/// `GET/PUT /api/settings/save_path`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct SavePath {
    /// The default save path, absolute.
    pub path: String,
}

/// `GET/PUT /api/settings/limits`: KiB/s, 0 is unlimited.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct SpeedLimits {
    /// Global download limit.
    pub down_kbps: u32,
    /// Global upload limit.
    pub up_kbps: u32,
    /// Download limit while alternative speeds are active.
    pub alt_down_kbps: u32,
    /// Upload limit while alternative speeds are active.
    pub alt_up_kbps: u32,
    /// Whether the alternative limits are in force.
    pub alt_active: bool,
}

/// `POST /api/settings/alt_speed/toggle`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct AltSpeed {
    /// Whether the alternative limits are now in force.
    pub alt_active: bool,
}

/// `GET/PUT /api/settings/connection`. Changes apply at the next start.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ConnectionSettings {
    /// TCP port for incoming peers (0 picks one).
    pub listen_port: u16,
    /// Whether the DHT is used.
    pub dht_enabled: bool,
    /// Connected peers per torrent at most.
    pub max_peers_per_torrent: u32,
    /// Whether the peer port is forwarded by UPnP.
    pub upnp_enabled: bool,
}

/// The answer of an update check.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct UpdateInfo {
    /// Whether a newer release exists on the configured channel.
    pub available: bool,
    /// This server's version.
    pub current_version: String,
    /// The newest version found, null when the feed could not be read.
    pub latest_version: Option<String>,
    /// Its release notes.
    pub release_notes: Option<String>,
    /// Where its asset for this platform is.
    pub asset_url: Option<String>,
    /// The asset's file name.
    pub asset_filename: Option<String>,
    /// When the check ran (Unix seconds).
    pub checked_at: i64,
}

/// `GET /api/settings/blocklist`.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct BlocklistSettings {
    /// Where the list is fetched from (http or https).
    pub url: String,
    /// Whether the list is applied to peers.
    pub enabled: bool,
    /// When the list in force was fetched (Unix seconds).
    #[serde(default)]
    pub last_loaded_at: Option<i64>,
    /// Ranges in the list in force.
    #[serde(default)]
    pub entries: u64,
    /// Why the last refresh failed, null after a success.
    #[serde(default)]
    pub error: Option<String>,
}

/// `PUT /api/settings/blocklist`.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct BlocklistUpdate {
    /// Where the list is fetched from (http or https, or empty).
    pub url: String,
    /// Whether the list is applied to peers.
    pub enabled: bool,
}

/// The release channel an updater follows.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum UpdateChannel {
    /// Releases only.
    #[default]
    Stable,
    /// Releases and pre-releases.
    Beta,
}

/// `GET/PUT /api/settings/updater`.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct UpdaterSettings {
    /// Whether the server checks at start and daily.
    pub enabled: bool,
    /// Which releases count.
    pub channel: UpdateChannel,
    /// The signed release feed (http or https).
    pub feed_url: String,
    /// When the last check ran (Unix seconds); read-only.
    #[serde(default)]
    pub last_checked_at: Option<i64>,
}
