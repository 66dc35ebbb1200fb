//! Partial settings changes: the server takes whole settings objects, the
//! Python methods take only the fields to change, so these read the
//! current values, apply the changes and write the result back.
//!
//! Two clients changing different fields of one object at the same moment
//! can overwrite each other; the server has no partial update to avoid it.

use mosaic_client::Client;
use mosaic_client::Result;
use mosaic_client::wire::{BlocklistUpdate, UpdateChannel};

/// Changes to `SpeedLimits`; `None` keeps a field.
pub(crate) struct LimitsChange {
    pub(crate) down_kbps: Option<u32>,
    pub(crate) up_kbps: Option<u32>,
    pub(crate) alt_down_kbps: Option<u32>,
    pub(crate) alt_up_kbps: Option<u32>,
    pub(crate) alt_active: Option<bool>,
}

pub(crate) async fn set_limits(client: Client, change: LimitsChange) -> Result<()> {
    let mut limits = client.limits().await?;
    set(&mut limits.down_kbps, change.down_kbps);
    set(&mut limits.up_kbps, change.up_kbps);
    set(&mut limits.alt_down_kbps, change.alt_down_kbps);
    set(&mut limits.alt_up_kbps, change.alt_up_kbps);
    set(&mut limits.alt_active, change.alt_active);
    client.set_limits(&limits).await
}

/// Changes to `ConnectionSettings`; `None` keeps a field.
pub(crate) struct ConnectionChange {
    pub(crate) listen_port: Option<u16>,
    pub(crate) dht_enabled: Option<bool>,
    pub(crate) max_peers_per_torrent: Option<u32>,
    pub(crate) upnp_enabled: Option<bool>,
}

pub(crate) async fn set_connection(client: Client, change: ConnectionChange) -> Result<()> {
    let mut settings = client.connection_settings().await?;
    set(&mut settings.listen_port, change.listen_port);
    set(&mut settings.dht_enabled, change.dht_enabled);
    set(
        &mut settings.max_peers_per_torrent,
        change.max_peers_per_torrent,
    );
    set(&mut settings.upnp_enabled, change.upnp_enabled);
    client.set_connection_settings(&settings).await
}

pub(crate) async fn set_blocklist(
    client: Client,
    url: Option<String>,
    enabled: Option<bool>,
) -> Result<()> {
    let current = client.blocklist().await?;
    let update = BlocklistUpdate {
        url: url.unwrap_or(current.url),
        enabled: enabled.unwrap_or(current.enabled),
    };
    client.set_blocklist(&update).await
}

/// Changes to `UpdaterSettings`; `None` keeps a field.
pub(crate) struct UpdaterChange {
    pub(crate) enabled: Option<bool>,
    pub(crate) channel: Option<UpdateChannel>,
    pub(crate) feed_url: Option<String>,
}

pub(crate) async fn set_updater(client: Client, change: UpdaterChange) -> Result<()> {
    let mut settings = client.updater_settings().await?;
    set(&mut settings.enabled, change.enabled);
    set(&mut settings.channel, change.channel);
    set(&mut settings.feed_url, change.feed_url);
    client.set_updater_settings(&settings).await
}

fn set<T>(field: &mut T, change: Option<T>) {
    if let Some(value) = change {
        *field = value;
    }
}
