//! Torrent routes: list, details, adding, control, categories of a
//! torrent, file priorities, moving data, and the inspector focus.

use std::collections::BTreeMap;

use mosaic_core::wire::{
    Added, Detail, InspectorFocus, MoveTorrent, SetCategory, SetFilePriorities, Stats, Torrent,
};
use mosaic_core::{CategoryId, InfoHash, Priority};
use reqwest::Method;

use crate::client::{Body, Client, Upload};
use crate::error::{Error, Result};

/// Options for adding a torrent, by magnet or by `.torrent` file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddOptions {
    /// Absolute folder to save into; `None` uses the category's default
    /// path, else the server's.
    pub save_path: Option<String>,
    /// Category for the torrent.
    pub category_id: Option<CategoryId>,
    /// Add without starting.
    pub paused: bool,
}

/// A tab of the inspector: which parts of a [`Detail`] live
/// `inspector:tick` frames carry (shared with the server).
pub type Tab = mosaic_core::wire::InspectorTab;

impl Client {
    /// Every torrent, newest first.
    ///
    /// # Errors
    /// `401` without valid credentials; transport failures.
    pub async fn torrents(&self) -> Result<Vec<Torrent>> {
        self.call(Method::GET, "api/torrents", Body::Empty).await
    }

    /// One torrent with its files, peers, trackers and pieces.
    ///
    /// # Errors
    /// `404 torrent not found` for an unknown id.
    pub async fn torrent(&self, id: InfoHash) -> Result<Detail> {
        self.call(Method::GET, &format!("api/torrents/{id}"), Body::Empty)
            .await
    }

    /// Session totals: torrents, rates, peers, free space.
    ///
    /// # Errors
    /// `401` without valid credentials; transport failures.
    pub async fn stats(&self) -> Result<Stats> {
        self.call(Method::GET, "api/stats", Body::Empty).await
    }

    /// Adds a magnet link and answers the torrent's id (the existing id
    /// when it is already there, which changes nothing).
    ///
    /// # Errors
    /// `400` for a magnet that does not validate or a refused save path;
    /// `404 category not found` for an unknown category.
    pub async fn add_magnet(&self, magnet: &str, options: &AddOptions) -> Result<InfoHash> {
        let body = mosaic_core::wire::AddMagnet {
            magnet: magnet.to_owned(),
            save_path: options.save_path.clone().unwrap_or_default(),
            category_id: options.category_id,
            paused: options.paused,
        };
        let added: Added = self
            .call(Method::POST, "api/torrents/magnet", Body::json(&body)?)
            .await?;
        Ok(added.id)
    }

    /// Uploads the bytes of a `.torrent` file and answers its id.
    ///
    /// # Errors
    /// `400` when the bytes are not a valid torrent or the save path is
    /// refused; `413` over 10 MiB.
    pub async fn add_torrent(&self, torrent: Vec<u8>, options: &AddOptions) -> Result<InfoHash> {
        let mut fields = Vec::new();
        if let Some(path) = &options.save_path {
            fields.push(("save_path", path.clone()));
        }
        if let Some(category) = options.category_id {
            fields.push(("category_id", category.to_string()));
        }
        if options.paused {
            fields.push(("paused", "true".to_owned()));
        }
        let upload = Upload {
            bytes: torrent,
            fields,
        };
        let added: Added = self
            .call(Method::POST, "api/torrents/file", Body::Upload(upload))
            .await?;
        Ok(added.id)
    }

    /// Reads a `.torrent` file and uploads it, like [`Client::add_torrent`].
    ///
    /// # Errors
    /// [`Error::Read`] when the file cannot be read; otherwise as
    /// [`Client::add_torrent`].
    pub async fn add_torrent_file(
        &self,
        path: impl AsRef<std::path::Path>,
        options: &AddOptions,
    ) -> Result<InfoHash> {
        let path = path.as_ref();
        let bytes = tokio::fs::read(path).await.map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        self.add_torrent(bytes, options).await
    }

    /// Stops a torrent.
    ///
    /// # Errors
    /// `404 torrent not found`.
    pub async fn pause(&self, id: InfoHash) -> Result<()> {
        self.torrent_action(id, "pause").await
    }

    /// Starts a paused torrent.
    ///
    /// # Errors
    /// `404 torrent not found`.
    pub async fn resume(&self, id: InfoHash) -> Result<()> {
        self.torrent_action(id, "resume").await
    }

    /// Hashes a torrent's data again.
    ///
    /// # Errors
    /// `404 torrent not found`; `409` while a magnet still fetches its
    /// metadata.
    pub async fn recheck(&self, id: InfoHash) -> Result<()> {
        self.torrent_action(id, "recheck").await
    }

    async fn torrent_action(&self, id: InfoHash, action: &str) -> Result<()> {
        let path = format!("api/torrents/{id}/{action}");
        self.call_ok(Method::POST, &path, Body::Empty).await
    }

    /// Removes a torrent and keeps its data on disk.
    ///
    /// # Errors
    /// `404 torrent not found`.
    pub async fn remove(&self, id: InfoHash) -> Result<()> {
        let path = format!("api/torrents/{id}");
        self.call_ok(Method::DELETE, &path, Body::Empty).await
    }

    /// Removes a torrent and deletes its data.
    ///
    /// # Errors
    /// `404 torrent not found`.
    pub async fn remove_with_data(&self, id: InfoHash) -> Result<()> {
        let path = format!("api/torrents/{id}?delete=1");
        self.call_ok(Method::DELETE, &path, Body::Empty).await
    }

    /// Puts a torrent in a category, or in none.
    ///
    /// # Errors
    /// `404` for an unknown torrent or category.
    pub async fn set_category(&self, id: InfoHash, category: Option<CategoryId>) -> Result<()> {
        let body = SetCategory {
            infohash: id,
            category_id: category,
        };
        self.call_ok(Method::POST, "api/torrents/category", Body::json(&body)?)
            .await
    }

    /// Sets the priority of files by index.
    ///
    /// # Errors
    /// `400` for an index the torrent does not have; `404 torrent not
    /// found`; `409` while a magnet still fetches its metadata.
    pub async fn set_file_priorities(
        &self,
        id: InfoHash,
        priorities: impl IntoIterator<Item = (usize, Priority)>,
    ) -> Result<()> {
        let priorities: BTreeMap<String, String> = priorities
            .into_iter()
            .map(|(index, level)| (index.to_string(), level.as_str().to_owned()))
            .collect();
        let body = SetFilePriorities {
            infohash: id,
            priorities,
        };
        let body = Body::json(&body)?;
        self.call_ok(Method::POST, "api/torrents/file_priorities", body)
            .await
    }

    /// Moves a torrent's data to another absolute folder.
    ///
    /// # Errors
    /// `400` for a refused path; `404 torrent not found`; `409` while a
    /// magnet still fetches its metadata.
    pub async fn move_torrent(&self, id: InfoHash, save_path: &str) -> Result<()> {
        let body = MoveTorrent {
            infohash: id,
            save_path: save_path.to_owned(),
        };
        self.call_ok(Method::POST, "api/torrents/move", Body::json(&body)?)
            .await
    }

    /// Makes this caller's event streams carry `inspector:tick` frames for
    /// one torrent, with the given tabs.
    ///
    /// # Errors
    /// `404 torrent not found`.
    pub async fn focus_inspector(&self, id: InfoHash, tabs: &[Tab]) -> Result<()> {
        let body = InspectorFocus {
            id: id.to_string(),
            tabs: tabs.to_vec(),
        };
        self.call_ok(Method::POST, "api/inspector/focus", Body::json(&body)?)
            .await
    }

    /// Stops the inspector frames.
    ///
    /// # Errors
    /// `401` without valid credentials; transport failures.
    pub async fn clear_inspector(&self) -> Result<()> {
        self.call_ok(Method::POST, "api/inspector/clear", Body::Empty)
            .await
    }
}
