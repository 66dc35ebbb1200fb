//! Self-update: a release feed of Mosaic's own format, signed with
//! Ed25519, checked against a public key compiled into the server.
//!
//! The feed travels as `{"payload": "<base64 of the feed JSON>",
//! "signature": "<base64 Ed25519 signature of those bytes>"}`, so the exact
//! signed bytes are what is parsed. The feed lists releases, each with a
//! version, a channel, notes, and per-platform assets with their size and
//! SHA-256; an asset is trusted because the signed feed names its digest.

use std::sync::Arc;

use base64::Engine as _;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::events::{Event, EventBus};
use crate::fetch::Fetcher;
use crate::store::Store;
use crate::wire::{UpdateChannel, UpdateInfo, UpdaterSettings};
use crate::{Error, Result};

/// The release public key (Ed25519, base64), compiled in. Its private half
/// belongs to whoever ships releases and never enters the repository; a
/// new pair comes from `mosaic-server admin release-key`, whose public half
/// then replaces this value.
pub const RELEASE_PUBLIC_KEY: &str = "edWqqyHkkZ3N4br9L4Hyd1viOEUqyXINvgrKQbzprKg=";

/// Largest feed accepted.
const MAX_FEED: u64 = 1024 * 1024;
/// Largest asset accepted.
pub const MAX_ASSET: u64 = 256 * 1024 * 1024;
const SETTING: &str = "updater";

/// The signed envelope as served.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignedFeed {
    /// Base64 of the feed JSON.
    pub payload: String,
    /// Base64 of the Ed25519 signature over the decoded payload.
    pub signature: String,
}

/// The feed's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feed {
    /// Every release on offer.
    pub releases: Vec<Release>,
}

/// One release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// Semantic version, e.g. `1.4.0` or `1.5.0-beta.1`.
    pub version: String,
    /// Its channel.
    pub channel: UpdateChannel,
    /// Release notes.
    #[serde(default)]
    pub notes: String,
    /// Builds per platform.
    pub assets: Vec<Asset>,
}

/// One build of a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asset {
    /// `<arch>-<os>`, e.g. `x86_64-linux`.
    pub platform: String,
    /// Where to download it.
    pub url: String,
    /// Its size in bytes.
    pub size: u64,
    /// Lowercase hex SHA-256 of its bytes.
    pub sha256: String,
}

/// This build's platform name in feeds.
pub fn platform() -> String {
    format!("{}-{}", std::env::consts::ARCH, std::env::consts::OS)
}

/// Signs a feed with a release key.
pub fn sign(feed: &Feed, key: &SigningKey) -> SignedFeed {
    let payload = serde_json::to_vec(feed).expect("feeds always serialise");
    let signature = key.sign(&payload);
    let b64 = &base64::engine::general_purpose::STANDARD;
    SignedFeed {
        payload: b64.encode(&payload),
        signature: b64.encode(signature.to_bytes()),
    }
}

/// Checks a served feed against `key` and parses it.
///
/// # Errors
/// [`Error::Fetch`] naming what is wrong: not an envelope, bad base64, a
/// signature that does not verify, or a payload that is not a feed.
pub fn verify(body: &[u8], key: &VerifyingKey) -> Result<Feed> {
    let bad = |why: &str| Error::Fetch(format!("release feed rejected: {why}"));
    let envelope: SignedFeed =
        serde_json::from_slice(body).map_err(|_| bad("not a signed feed"))?;
    let b64 = &base64::engine::general_purpose::STANDARD;
    let payload = b64
        .decode(&envelope.payload)
        .map_err(|_| bad("payload is not base64"))?;
    let signature = b64
        .decode(&envelope.signature)
        .map_err(|_| bad("signature is not base64"))?;
    let signature = Signature::from_slice(&signature).map_err(|_| bad("malformed signature"))?;
    key.verify(&payload, &signature)
        .map_err(|_| bad("signature does not verify"))?;
    serde_json::from_slice(&payload).map_err(|_| bad("payload is not a feed"))
}

/// Parses a base64 public key.
///
/// # Errors
/// [`Error::InvalidInput`] when it is not 32 base64-encoded bytes.
pub fn public_key(base64_key: &str) -> Result<VerifyingKey> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64_key.trim())
        .map_err(|_| Error::InvalidInput("public key is not base64".into()))?;
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| Error::InvalidInput("public key must be 32 bytes".into()))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| Error::InvalidInput("invalid public key".into()))
}

/// A verified update ready to install.
#[derive(Debug, Clone)]
pub struct Download {
    /// Its version.
    pub version: String,
    /// The executable's bytes, size- and digest-checked.
    pub bytes: Vec<u8>,
}

/// Checks the feed and fetches verified updates.
#[derive(Debug, Clone)]
pub struct Updater {
    store: Arc<Store>,
    fetcher: Fetcher,
    events: EventBus,
    key: VerifyingKey,
    current: semver::Version,
    announced: Arc<Mutex<Option<String>>>,
}

impl Updater {
    /// An updater for a server of version `current` trusting `key`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `current` is not a semantic version.
    pub fn new(
        store: Arc<Store>,
        fetcher: Fetcher,
        events: EventBus,
        key: VerifyingKey,
        current: &str,
    ) -> Result<Self> {
        let current = semver::Version::parse(current)
            .map_err(|_| Error::InvalidInput(format!("{current} is not a semantic version")))?;
        Ok(Self {
            store,
            fetcher,
            events,
            key,
            current,
            announced: Arc::default(),
        })
    }

    /// The updater settings.
    ///
    /// # Errors
    /// Fails when the store does.
    pub fn settings(&self) -> Result<UpdaterSettings> {
        Ok(self.store.setting(SETTING)?.unwrap_or_default())
    }

    /// Changes the settings (`last_checked_at` is kept).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a feed URL that is not http(s).
    pub fn set_settings(&self, new: &UpdaterSettings) -> Result<()> {
        let url = new.feed_url.trim();
        if !url.is_empty() {
            let parsed = url::Url::parse(url)
                .map_err(|_| Error::InvalidInput("malformed feed url".into()))?;
            if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
                return Err(Error::InvalidInput("feed url must be http or https".into()));
            }
        }
        let mut settings = self.settings()?;
        settings.enabled = new.enabled;
        settings.channel = new.channel;
        settings.feed_url = url.to_owned();
        self.store.set_setting(SETTING, &settings)
    }

    /// Reads the feed and says whether a newer release exists for this
    /// platform; a newer one is announced on the event stream once.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] without a feed URL, [`Error::Fetch`] when the
    /// feed cannot be fetched or verified.
    pub async fn check(&self) -> Result<UpdateInfo> {
        let (info, _) = self.newest().await?;
        if info.available {
            let version = info.latest_version.clone();
            let mut announced = self.announced.lock();
            if *announced != version {
                *announced = version;
                self.events.publish(Event::UpdateAvailable(info.clone()));
            }
        }
        Ok(info)
    }

    /// Fetches the newest release's asset and checks its size and digest.
    ///
    /// # Errors
    /// [`Error::NoUpdate`] when nothing newer is offered, [`Error::Fetch`]
    /// for any download or verification failure.
    pub async fn download(&self) -> Result<Download> {
        let (_, Some((release, asset))) = self.newest().await? else {
            return Err(Error::NoUpdate);
        };
        let bad = |why: String| Error::Fetch(format!("update rejected: {why}"));
        if asset.size > MAX_ASSET {
            return Err(bad(format!(
                "asset of {} bytes exceeds the {MAX_ASSET}-byte cap",
                asset.size
            )));
        }
        let bytes = self
            .fetcher
            .get(&asset.url, asset.size)
            .await
            .map_err(|e| bad(e.0))?;
        if bytes.len() as u64 != asset.size {
            return Err(bad(format!(
                "asset has {} bytes, the feed says {}",
                bytes.len(),
                asset.size
            )));
        }
        let digest = data_encoding::HEXLOWER.encode(&Sha256::digest(&bytes));
        if digest != asset.sha256.to_ascii_lowercase() {
            return Err(bad("asset sha-256 does not match the signed feed".into()));
        }
        Ok(Download {
            version: release.version,
            bytes,
        })
    }

    async fn newest(&self) -> Result<(UpdateInfo, Option<(Release, Asset)>)> {
        let mut settings = self.settings()?;
        if settings.feed_url.is_empty() {
            return Err(Error::InvalidInput(
                "no release feed url is configured".into(),
            ));
        }
        let fetched = self.fetcher.get(&settings.feed_url, MAX_FEED).await;
        settings.last_checked_at = Some(crate::now());
        self.store.set_setting(SETTING, &settings)?;
        let body =
            fetched.map_err(|e| Error::Fetch(format!("release feed unreachable: {}", e.0)))?;
        let feed = verify(&body, &self.key)?;

        let best = pick(&feed, settings.channel, &platform());
        let newer = best
            .as_ref()
            .filter(|(version, _, _)| *version > self.current);
        let info = UpdateInfo {
            available: newer.is_some(),
            current_version: self.current.to_string(),
            latest_version: best.as_ref().map(|(v, _, _)| v.to_string()),
            release_notes: best.as_ref().map(|(_, r, _)| r.notes.clone()),
            asset_url: best.as_ref().map(|(_, _, a)| a.url.clone()),
            asset_filename: best.as_ref().and_then(|(_, _, a)| file_name(&a.url)),
            checked_at: settings.last_checked_at.unwrap_or_default(),
        };
        let newer = newer.map(|(_, r, a)| ((*r).clone(), (*a).clone()));
        Ok((info, newer))
    }
}

/// The newest release on `channel` with an asset for `platform`. Stable
/// takes stable releases without pre-release tags; beta takes any.
fn pick<'a>(
    feed: &'a Feed,
    channel: UpdateChannel,
    platform: &str,
) -> Option<(semver::Version, &'a Release, &'a Asset)> {
    feed.releases
        .iter()
        .filter_map(|r| Some((semver::Version::parse(&r.version).ok()?, r)))
        .filter(|(v, r)| match channel {
            UpdateChannel::Stable => r.channel == UpdateChannel::Stable && v.pre.is_empty(),
            _ => true,
        })
        .filter_map(|(v, r)| Some((v, r, r.assets.iter().find(|a| a.platform == platform)?)))
        .max_by(|a, b| a.0.cmp(&b.0))
}

fn file_name(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    parsed
        .path_segments()?
        .next_back()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A new signing key from the system's random source.
pub fn generate_key() -> SigningKey {
    let mut seed = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut seed);
    SigningKey::from_bytes(&seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(version: &str, channel: UpdateChannel, platform: &str) -> Release {
        Release {
            version: version.into(),
            channel,
            notes: format!("notes {version}"),
            assets: vec![Asset {
                platform: platform.into(),
                url: format!("http://h/{version}/mosaic-server"),
                size: 1,
                sha256: "00".into(),
            }],
        }
    }

    #[test]
    fn signed_feeds_verify_and_tampering_is_caught() {
        let key = generate_key();
        let feed = Feed {
            releases: vec![release("1.0.0", UpdateChannel::Stable, "x")],
        };
        let signed = sign(&feed, &key);
        let body = serde_json::to_vec(&signed).unwrap();
        assert_eq!(verify(&body, &key.verifying_key()).unwrap(), feed);

        let other = generate_key();
        assert!(
            verify(&body, &other.verifying_key()).is_err(),
            "wrong key accepted"
        );
        let mut tampered = signed.clone();
        let changed = Feed {
            releases: vec![release("9.0.0", UpdateChannel::Stable, "x")],
        };
        tampered.payload = sign(&changed, &other).payload;
        assert!(
            verify(
                &serde_json::to_vec(&tampered).unwrap(),
                &key.verifying_key()
            )
            .is_err()
        );
        assert!(verify(b"{}", &key.verifying_key()).is_err());
    }

    #[test]
    fn channels_versions_and_platforms_pick_the_right_release() {
        let feed = Feed {
            releases: vec![
                release("1.2.0", UpdateChannel::Stable, "p"),
                release("1.10.0", UpdateChannel::Stable, "p"),
                release("2.0.0-beta.1", UpdateChannel::Beta, "p"),
                release("3.0.0", UpdateChannel::Stable, "other"),
                release("not-semver", UpdateChannel::Stable, "p"),
            ],
        };
        let stable = pick(&feed, UpdateChannel::Stable, "p").unwrap();
        assert_eq!(stable.0.to_string(), "1.10.0", "semver, not string order");
        let beta = pick(&feed, UpdateChannel::Beta, "p").unwrap();
        assert_eq!(beta.0.to_string(), "2.0.0-beta.1");
        assert!(pick(&feed, UpdateChannel::Stable, "nowhere").is_none());
        assert_eq!(file_name(&stable.2.url).as_deref(), Some("mosaic-server"));
    }

    #[test]
    fn the_compiled_in_key_parses() {
        assert!(public_key(RELEASE_PUBLIC_KEY).is_ok());
        assert!(public_key("short").is_err());
    }
}
