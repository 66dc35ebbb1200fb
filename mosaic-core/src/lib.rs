//! Mosaic's core: the BitTorrent engine (built on librqbit), the SQLite
//! store, credentials, and the wire types every Mosaic client speaks.
//!
//! Without the default `engine` feature only the wire types ([`wire`],
//! [`InfoHash`], [`CategoryId`], [`Priority`]) compile, so API clients do
//! not pull in librqbit or SQLite.
//!
//! # Quick start
//!
//! ```no_run
//! # #[cfg(feature = "engine")]
//! # async fn run() -> mosaic_core::Result<()> {
//! use mosaic_core::{Engine, EngineOptions, wire::AddMagnet};
//!
//! let engine = Engine::open(EngineOptions {
//!     data_dir: "/tmp/mosaic-data".into(),
//!     ..EngineOptions::default()
//! })
//! .await?;
//! let id = engine
//!     .add_magnet(&AddMagnet {
//!         magnet: "magnet:?xt=urn:btih:dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c".into(),
//!         save_path: String::new(),
//!         category_id: None,
//!         paused: false,
//!     })
//!     .await?;
//! println!("{id}: {:?}", engine.torrent(id)?.torrent.state);
//! engine.shutdown().await;
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

mod id;
mod priority;
pub mod wire;

pub use id::{CategoryId, InfoHash, InvalidInfoHash};
pub use priority::{InvalidPriority, Priority};

#[cfg(feature = "engine")]
pub mod access;
#[cfg(feature = "engine")]
pub mod blocklist;
#[cfg(feature = "engine")]
pub mod credentials;
#[cfg(feature = "engine")]
mod engine;
#[cfg(feature = "engine")]
mod error;
#[cfg(feature = "engine")]
pub mod events;
#[cfg(feature = "engine")]
pub mod fetch;
#[cfg(feature = "engine")]
pub mod login_limit;
#[cfg(feature = "engine")]
mod magnet;
#[cfg(feature = "engine")]
mod metainfo;
#[cfg(feature = "engine")]
pub mod paths;
#[cfg(feature = "engine")]
pub mod session;
#[cfg(feature = "engine")]
pub mod store;
#[cfg(feature = "engine")]
pub mod updater;

#[cfg(feature = "engine")]
pub(crate) use engine::now;
#[cfg(feature = "engine")]
pub use engine::{AddOptions, Engine, EngineOptions, TICK, Tabs};
#[cfg(feature = "engine")]
pub use error::{Error, Result};
