//! The engine's error type.

use crate::InfoHash;

/// Everything the engine, the store and credentials can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No torrent has that id.
    #[error("torrent not found")]
    TorrentNotFound,
    /// No category has that id.
    #[error("category not found")]
    CategoryNotFound,
    /// A category with that name exists.
    #[error("category already exists")]
    CategoryExists,
    /// The magnet link does not parse or has no v1 info hash.
    #[error("invalid magnet: {0}")]
    InvalidMagnet(String),
    /// The bytes are not a usable .torrent.
    #[error("invalid torrent: {0}")]
    InvalidTorrent(String),
    /// The save path is relative, has `..`, or is outside the download roots.
    #[error("invalid save path: {0}")]
    InvalidSavePath(String),
    /// A request field is out of range or malformed.
    #[error("{0}")]
    InvalidInput(String),
    /// The operation needs the torrent's metadata, which has not arrived.
    #[error("torrent metadata not yet available")]
    MetadataPending(InfoHash),
    /// The username or password is wrong.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many sign-in attempts from one address.
    #[error("too many login attempts")]
    RateLimited {
        /// When the next attempt is allowed.
        retry_after: std::time::Duration,
    },
    /// The session store is full of live sessions.
    #[error("too many sessions")]
    SessionsFull,
    /// No newer release is offered.
    #[error("no update available")]
    NoUpdate,
    /// A URL the operator configured could not be fetched or used.
    #[error("{0}")]
    Fetch(String),
    /// The SQLite store failed.
    #[error("store failure")]
    Store(#[from] rusqlite::Error),
    /// A file operation failed.
    #[error("file operation failed")]
    Io(#[from] std::io::Error),
    /// librqbit failed.
    #[error("engine failure")]
    Engine(#[source] anyhow::Error),
}

impl Error {
    /// Whether the caller sent something wrong, as opposed to a failure
    /// inside Mosaic.
    pub fn is_caller_error(&self) -> bool {
        !matches!(
            self,
            Self::Store(_) | Self::Io(_) | Self::Engine(_) | Self::SessionsFull
        )
    }
}

/// Result with the engine's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
