//! Settings routes: save path, speed limits, connection, blocklist and
//! updater, and the update check itself.

use mosaic_core::wire::{
    AltSpeed, BlocklistSettings, BlocklistUpdate, ConnectionSettings, SavePath, SpeedLimits,
    UpdateInfo, UpdaterSettings,
};
use reqwest::Method;

use crate::client::{Body, Client};
use crate::error::Result;

impl Client {
    /// The default save path for new torrents.
    ///
    /// # Errors
    /// `401` without valid credentials; transport failures.
    pub async fn save_path(&self) -> Result<String> {
        let path: SavePath = self
            .call(Method::GET, "api/settings/save_path", Body::Empty)
            .await?;
        Ok(path.path)
    }

    /// Changes the default save path.
    ///
    /// # Errors
    /// `400` for a relative path or one outside the download roots.
    pub async fn set_save_path(&self, path: &str) -> Result<()> {
        let body = SavePath {
            path: path.to_owned(),
        };
        self.call_ok(Method::PUT, "api/settings/save_path", Body::json(&body)?)
            .await
    }

    /// The global and alternative speed limits.
    ///
    /// # Errors
    /// `401` without valid credentials; transport failures.
    pub async fn limits(&self) -> Result<SpeedLimits> {
        self.call(Method::GET, "api/settings/limits", Body::Empty)
            .await
    }

    /// Changes the speed limits.
    ///
    /// # Errors
    /// `400` for values out of range.
    pub async fn set_limits(&self, limits: &SpeedLimits) -> Result<()> {
        self.call_ok(Method::PUT, "api/settings/limits", Body::json(limits)?)
            .await
    }

    /// Switches between the normal and the alternative limits and answers
    /// whether the alternative ones are now in force.
    ///
    /// # Errors
    /// `401` without valid credentials; transport failures.
    pub async fn toggle_alt_speed(&self) -> Result<bool> {
        let path = "api/settings/alt_speed/toggle";
        let toggled: AltSpeed = self.call(Method::POST, path, Body::Empty).await?;
        Ok(toggled.alt_active)
    }

    /// Peer port, DHT, peers per torrent, UPnP.
    ///
    /// # Errors
    /// `401` without valid credentials; transport failures.
    pub async fn connection_settings(&self) -> Result<ConnectionSettings> {
        self.call(Method::GET, "api/settings/connection", Body::Empty)
            .await
    }

    /// Stores connection settings; they apply at the server's next start.
    ///
    /// # Errors
    /// `400` for values out of range.
    pub async fn set_connection_settings(&self, settings: &ConnectionSettings) -> Result<()> {
        let body = Body::json(settings)?;
        self.call_ok(Method::PUT, "api/settings/connection", body)
            .await
    }

    /// The peer blocklist: its URL, whether it is on, and its last load.
    ///
    /// # Errors
    /// `404` from a server without blocklists.
    pub async fn blocklist(&self) -> Result<BlocklistSettings> {
        self.call(Method::GET, "api/settings/blocklist", Body::Empty)
            .await
    }

    /// Sets the blocklist URL and switch; the list is fetched by
    /// [`Client::refresh_blocklist`].
    ///
    /// # Errors
    /// `400` for a URL that is not http(s).
    pub async fn set_blocklist(&self, update: &BlocklistUpdate) -> Result<()> {
        let body = Body::json(update)?;
        self.call_ok(Method::PUT, "api/settings/blocklist", body)
            .await
    }

    /// Fetches the blocklist now; the list in force stays when this fails.
    ///
    /// # Errors
    /// `502` with the reason when the URL does not answer or its body is
    /// not a blocklist.
    pub async fn refresh_blocklist(&self) -> Result<()> {
        let path = "api/settings/blocklist/refresh";
        self.call_ok(Method::POST, path, Body::Empty).await
    }

    /// Whether and where the server looks for updates.
    ///
    /// # Errors
    /// `404` from a server without an updater.
    pub async fn updater_settings(&self) -> Result<UpdaterSettings> {
        self.call(Method::GET, "api/settings/updater", Body::Empty)
            .await
    }

    /// Changes the updater settings (`last_checked_at` is ignored).
    ///
    /// # Errors
    /// `400` for a feed URL that is not http(s).
    pub async fn set_updater_settings(&self, settings: &UpdaterSettings) -> Result<()> {
        let body = Body::json(settings)?;
        self.call_ok(Method::PUT, "api/settings/updater", body)
            .await
    }

    /// Asks the server to look for a newer release now.
    ///
    /// # Errors
    /// `404` from a server without an updater; `502` when the feed fails.
    pub async fn check_for_update(&self) -> Result<UpdateInfo> {
        self.call(Method::POST, "api/updater/check", Body::Empty)
            .await
    }

    /// Installs the newer release found by a check; the server restarts.
    ///
    /// # Errors
    /// `409 no update available` when there is none.
    pub async fn install_update(&self) -> Result<()> {
        self.call_ok(Method::POST, "api/updater/install", Body::Empty)
            .await
    }
}
