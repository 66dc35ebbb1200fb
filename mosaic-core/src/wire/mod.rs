//! The JSON the server speaks, defined once for the server, the Rust client
//! and every binding built on it.

mod live;
mod request;
mod settings;
mod torrent;
mod web;

pub use live::{InspectorFocus, InspectorTab, TorrentEvent, TorrentsDelta};
pub use request::{
    AddMagnet, Added, Created, ErrorBody, MoveTorrent, Ok, SetCategory, SetFilePriorities, Version,
};
pub use settings::{
    AltSpeed, BlocklistSettings, BlocklistUpdate, Category, CategoryUpdate, ConnectionSettings,
    NewCategory, SavePath, SpeedLimits, UpdateChannel, UpdateInfo, UpdaterSettings,
};
pub use torrent::{Detail, Peer, Stats, Torrent, TorrentFile, TorrentState, Tracker};
pub use web::{Login, NewApiKey, PasswordChange, WebSettings, WebSettingsUpdate};
