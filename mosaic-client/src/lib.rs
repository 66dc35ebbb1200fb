//! The typed Rust client for Mosaic's remote API.
//!
//! Every route of the API is a method of [`Client`], with the request and
//! response types the server itself uses (from [`mosaic_core::wire`]), so
//! the two cannot drift apart. Torrent ids are [`InfoHash`]es, priorities
//! a [`Priority`]. Live updates come from [`Client::events`] as a `Stream`
//! of typed [`Event`]s that reconnects by itself.
//!
//! # Quick start
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use mosaic_client::{AddOptions, Client, Event};
//!
//! # async fn run() -> mosaic_client::Result<()> {
//! let client = Client::builder()
//!     .base_url("https://127.0.0.1:8080")
//!     .api_key(std::env::var("MOSAIC_API_KEY").unwrap_or_default())
//!     // The fingerprint the server logs at start: `tls certificate sha256=…`.
//!     .fingerprint("3A:5F:…")
//!     .build()?;
//!
//! let magnet = "magnet:?xt=urn:btih:dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c";
//! let id = client.add_magnet(magnet, &AddOptions::default()).await?;
//!
//! let mut events = Box::pin(client.events());
//! while let Some(event) = events.try_next().await? {
//!     if let Event::Completed { id: done, name } = event {
//!         if done == id {
//!             println!("{name} is complete");
//!             break;
//!         }
//!     }
//! }
//! for torrent in client.torrents().await? {
//!     println!("{} {:>5.1}% {}", torrent.id, torrent.progress * 100.0, torrent.name);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Errors
//!
//! Every call returns the one [`Error`] type. Ask it what happened:
//! [`Error::status`] and [`Error::message`] give the server's answer,
//! predicates such as [`Error::is_not_found`] or [`Error::is_rate_limited`]
//! (with [`Error::retry_after`]) sort it, and [`Error::is_connect`] tells
//! that the server was never reached. Errors never contain the API key, the
//! password or the session token.
//!
//! # Trust
//!
//! The server's certificate is checked against the system's roots unless
//! the builder is told to pin its fingerprint
//! ([`ClientBuilder::fingerprint`]), to trust a CA file
//! ([`ClientBuilder::ca_file`], which may be the server's own `cert.pem`),
//! or — saying so in the name — to accept anything
//! ([`ClientBuilder::danger_accept_invalid_certs`]). Requests and the
//! WebSocket share that one choice. Proxies from the environment are not
//! used.

#![deny(missing_docs)]

mod account;
mod auth;
mod builder;
mod categories;
mod client;
mod delta;
mod error;
mod events;
mod live;
mod settings;
mod tls;
mod torrents;

pub use builder::{ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use client::Client;
pub use delta::{TorrentDelta, TorrentList};
pub use error::{BoxError, Error, Result};
pub use events::Event;
pub use live::IDLE_LIMIT;
pub use tls::{Fingerprint, InvalidFingerprint};
pub use torrents::{AddOptions, Tab};

pub use mosaic_core::wire;
pub use mosaic_core::{CategoryId, InfoHash, InvalidInfoHash, InvalidPriority, Priority};
