//! Who may use the remote interface: API keys, sign-in sessions, the
//! sign-in limiter, password changes and the web settings, behind one
//! facade the server calls.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use crate::credentials::Credentials;
use crate::login_limit::LoginLimiter;
use crate::session::{DEFAULT_CAPACITY, DEFAULT_TTL, SessionInfo, Sessions};
use crate::store::Store;
use crate::wire::{WebSettings, WebSettingsUpdate};
use crate::{Error, Result};

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 8;
/// Longest password accepted (argon2 cost grows with it).
pub const MAX_PASSWORD_LEN: usize = 1024;
/// Session time to live bounds.
const TTL_RANGE: std::ops::RangeInclusive<u64> = 60..=30 * 24 * 60 * 60;
/// Longest host name, as DNS allows.
const MAX_HOST_NAME: usize = 253;

const WEB: &str = "web";

#[derive(Clone, Debug, Serialize, Deserialize)]
struct StoredWeb {
    host_names: Vec<String>,
    session_ttl_secs: u64,
}

/// The remote interface's access rules.
#[derive(Debug)]
pub struct Access {
    credentials: Credentials,
    store: Arc<Store>,
    sessions: Sessions,
    limiter: LoginLimiter,
    host_names: Mutex<Vec<String>>,
}

impl Access {
    /// Loads the web settings from the store.
    ///
    /// # Errors
    /// Fails when the store does.
    pub fn new(credentials: Credentials, store: Arc<Store>) -> Result<Self> {
        let stored: Option<StoredWeb> = store.setting(WEB)?;
        let ttl = stored
            .as_ref()
            .map_or(DEFAULT_TTL, |s| Duration::from_secs(s.session_ttl_secs));
        Ok(Self {
            credentials,
            store,
            sessions: Sessions::new(ttl, DEFAULT_CAPACITY),
            limiter: LoginLimiter::default(),
            host_names: Mutex::new(stored.map(|s| s.host_names).unwrap_or_default()),
        })
    }

    /// The same with a session store of another capacity.
    ///
    /// # Errors
    /// Fails when the store does.
    pub fn with_session_capacity(
        credentials: Credentials,
        store: Arc<Store>,
        capacity: usize,
    ) -> Result<Self> {
        let mut access = Self::new(credentials, store)?;
        access.sessions = Sessions::new(access.sessions.ttl(), capacity);
        Ok(access)
    }

    /// Users and keys.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The user owning an API key.
    ///
    /// # Errors
    /// Fails when the store does.
    pub fn user_for_key(&self, key: &str) -> Result<Option<String>> {
        self.credentials.user_for_key(key)
    }

    /// The live session for a cookie token, renewed.
    pub fn session(&self, token: &str) -> Option<SessionInfo> {
        self.sessions.touch(token)
    }

    /// Whether a session token is still live, without renewing it.
    pub fn session_is_live(&self, token: &str) -> bool {
        self.sessions.is_live(token)
    }

    /// Signs in from `ip` and returns a new session token.
    ///
    /// # Errors
    /// [`Error::RateLimited`] when `ip` is over the limit (checked before
    /// the password), [`Error::InvalidCredentials`], [`Error::SessionsFull`].
    pub fn login(&self, ip: IpAddr, username: &str, password: &str) -> Result<String> {
        self.limiter
            .check(ip)
            .map_err(|retry_after| Error::RateLimited { retry_after })?;
        if password.len() > MAX_PASSWORD_LEN {
            return Err(Error::InvalidCredentials);
        }
        self.credentials.verify_password(username, password)?;
        self.sessions.create(username)
    }

    /// Ends a session.
    pub fn logout(&self, token: &str) {
        self.sessions.remove(token);
    }

    /// Changes a password after checking the old one, and ends the user's
    /// other sessions (the one making the change, if any, stays).
    ///
    /// # Errors
    /// [`Error::RateLimited`], [`Error::InvalidCredentials`] for a wrong old
    /// password, [`Error::InvalidInput`] for a too short or long new one.
    pub fn change_password(
        &self,
        ip: IpAddr,
        username: &str,
        keep_session: Option<&str>,
        old: &str,
        new: &str,
    ) -> Result<()> {
        self.limiter
            .check(ip)
            .map_err(|retry_after| Error::RateLimited { retry_after })?;
        self.credentials.verify_password(username, old)?;
        let length = new.chars().count();
        if length < MIN_PASSWORD_LEN || new.len() > MAX_PASSWORD_LEN {
            return Err(Error::InvalidInput(format!(
                "password must have {MIN_PASSWORD_LEN} to {MAX_PASSWORD_LEN} characters"
            )));
        }
        self.credentials.set_password(username, new)?;
        self.sessions.revoke_user(username, keep_session);
        Ok(())
    }

    /// Replaces the user's API key; the old one stops working at once.
    ///
    /// # Errors
    /// Fails when the store does.
    pub fn rotate_key(&self, username: &str) -> Result<String> {
        self.credentials.rotate_key(username)
    }

    /// Extra host names the server answers to.
    pub fn host_names(&self) -> Vec<String> {
        self.host_names.lock().clone()
    }

    /// The web settings as `username` sees them.
    ///
    /// # Errors
    /// Fails when the store does.
    pub fn web_settings(&self, username: &str) -> Result<WebSettings> {
        Ok(WebSettings {
            username: username.to_owned(),
            api_key_hint: self.credentials.key_hint(username)?.unwrap_or_default(),
            host_names: self.host_names(),
            session_ttl_secs: self.sessions.ttl().as_secs(),
        })
    }

    /// Changes host names and the session time to live.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a malformed host name or an out-of-range
    /// time to live.
    pub fn set_web_settings(&self, update: &WebSettingsUpdate) -> Result<()> {
        let mut names = self.host_names();
        if let Some(new) = &update.host_names {
            names = new.iter().map(|n| n.trim().to_owned()).collect();
            if let Some(bad) = names.iter().find(|n| !valid_host_name(n)) {
                return Err(Error::InvalidInput(format!("invalid host name {bad:?}")));
            }
        }
        let ttl = update
            .session_ttl_secs
            .unwrap_or(self.sessions.ttl().as_secs());
        if !TTL_RANGE.contains(&ttl) {
            return Err(Error::InvalidInput(format!(
                "session_ttl_secs must be between {} and {}",
                TTL_RANGE.start(),
                TTL_RANGE.end()
            )));
        }
        let stored = StoredWeb {
            host_names: names.clone(),
            session_ttl_secs: ttl,
        };
        self.store.set_setting(WEB, &stored)?;
        *self.host_names.lock() = names;
        self.sessions.set_ttl(Duration::from_secs(ttl));
        Ok(())
    }
}

/// A lowercase DNS name: labels of letters, digits and hyphens.
fn valid_host_name(name: &str) -> bool {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    !name.is_empty() && name.len() <= MAX_HOST_NAME && name.split('.').all(label_ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access() -> (tempfile::TempDir, Access, String) {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(&dir.path().join("db")).unwrap());
        let credentials = Credentials::new(store.clone());
        let password = credentials.bootstrap().unwrap().unwrap().password;
        (dir, Access::new(credentials, store).unwrap(), password)
    }

    #[tokio::test(start_paused = true)]
    async fn login_is_limited_before_the_password_is_checked() {
        let (_dir, access, password) = access();
        let ip: IpAddr = "10.1.1.1".parse().unwrap();
        for _ in 0..5 {
            assert!(matches!(
                access.login(ip, "admin", "wrong"),
                Err(Error::InvalidCredentials)
            ));
        }
        let verifications = access.credentials().password_verifications();
        let err = access.login(ip, "admin", &password).unwrap_err();
        assert!(matches!(err, Error::RateLimited { retry_after } if retry_after.as_secs() == 12));
        assert_eq!(access.credentials().password_verifications(), verifications);
        assert!(
            access
                .login("10.1.1.2".parse().unwrap(), "admin", &password)
                .is_ok()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn password_change_revokes_other_sessions() {
        let (_dir, access, password) = access();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let mine = access.login(ip, "admin", &password).unwrap();
        let other = access.login(ip, "admin", &password).unwrap();
        let keep = access.session(&mine).unwrap().id;
        let short = access.change_password(ip, "admin", Some(&keep), &password, "short");
        assert!(matches!(short, Err(Error::InvalidInput(_))));
        let wrong = access.change_password(ip, "admin", Some(&keep), "nope", "long enough");
        assert!(matches!(wrong, Err(Error::InvalidCredentials)));
        access
            .change_password(ip, "admin", Some(&keep), &password, "long enough")
            .unwrap();
        assert!(access.session(&mine).is_some());
        assert!(access.session(&other).is_none());
        tokio::time::advance(Duration::from_secs(60)).await;
        assert!(access.login(ip, "admin", "long enough").is_ok());
    }

    #[test]
    fn web_settings_validate_and_persist() {
        let (dir, access, _) = access();
        let bad = WebSettingsUpdate {
            host_names: Some(vec!["Evil.COM.".into()]),
            ..Default::default()
        };
        assert!(access.set_web_settings(&bad).is_err());
        assert!(
            access
                .set_web_settings(&WebSettingsUpdate {
                    session_ttl_secs: Some(1),
                    ..Default::default()
                })
                .is_err()
        );
        let good = WebSettingsUpdate {
            host_names: Some(vec!["mosaic.lan".into()]),
            session_ttl_secs: Some(3600),
        };
        access.set_web_settings(&good).unwrap();

        let store = Arc::new(Store::open(&dir.path().join("db")).unwrap());
        let reopened = Access::new(Credentials::new(store.clone()), store).unwrap();
        let settings = reopened.web_settings("admin").unwrap();
        assert_eq!(
            (settings.host_names, settings.session_ttl_secs),
            (vec!["mosaic.lan".to_owned()], 3600)
        );
        assert_eq!(settings.api_key_hint.len(), 4);
    }
}
