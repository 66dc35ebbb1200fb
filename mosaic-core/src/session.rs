//! Server-side sign-in sessions: random tokens held only as SHA-256
//! hashes, a sliding time to live, and a capped store that refuses new
//! sessions when full rather than evicting live ones.
//!
//! Time is read from Tokio's clock so tests can pause and advance it.

use std::collections::HashMap;
use std::time::Duration;

use base64::Engine as _;
use parking_lot::Mutex;
use rand::RngCore;
use sha2::{Digest, Sha256};
use tokio::time::Instant;

use crate::{Error, Result};

/// Default time a session lives without being used.
pub const DEFAULT_TTL: Duration = Duration::from_secs(12 * 60 * 60);

/// Default number of live sessions at most.
pub const DEFAULT_CAPACITY: usize = 10_000;

/// A live session as seen by a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    /// The signed-in user.
    pub username: String,
    /// A stable id for the session (the token's hash), safe to log or to
    /// compare, never usable as a credential.
    pub id: String,
}

#[derive(Debug)]
struct Entry {
    username: String,
    expires: Instant,
}

/// The session store.
#[derive(Debug)]
pub struct Sessions {
    ttl: Mutex<Duration>,
    capacity: usize,
    map: Mutex<HashMap<[u8; 32], Entry>>,
}

impl Sessions {
    /// A store with the given time to live and capacity.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            ttl: Mutex::new(ttl),
            capacity,
            map: Mutex::default(),
        }
    }

    /// The time to live.
    pub fn ttl(&self) -> Duration {
        *self.ttl.lock()
    }

    /// Changes the time to live of new and renewed sessions.
    pub fn set_ttl(&self, ttl: Duration) {
        *self.ttl.lock() = ttl;
    }

    /// Starts a session for `username` and returns its token (a fresh one
    /// every time, so a token planted before sign-in is never promoted).
    ///
    /// # Errors
    /// [`Error::SessionsFull`] when the store holds `capacity` live sessions.
    pub fn create(&self, username: &str) -> Result<String> {
        let mut map = self.map.lock();
        if map.len() >= self.capacity {
            let now = Instant::now();
            map.retain(|_, e| e.expires > now);
            if map.len() >= self.capacity {
                return Err(Error::SessionsFull);
            }
        }
        let mut raw = [0u8; 32];
        rand::rng().fill_bytes(&mut raw);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
        let expires = Instant::now() + self.ttl();
        map.insert(
            hash(&token),
            Entry {
                username: username.to_owned(),
                expires,
            },
        );
        Ok(token)
    }

    /// The session for `token` if it is live, renewing its time to live.
    pub fn touch(&self, token: &str) -> Option<SessionInfo> {
        let key = hash(token);
        let mut map = self.map.lock();
        let now = Instant::now();
        let entry = map.get_mut(&key)?;
        if entry.expires <= now {
            map.remove(&key);
            return None;
        }
        entry.expires = now + self.ttl();
        Some(SessionInfo {
            username: entry.username.clone(),
            id: hex(&key),
        })
    }

    /// Whether `token` names a live session, without renewing it (for
    /// checks that are not the user's own activity).
    pub fn is_live(&self, token: &str) -> bool {
        let map = self.map.lock();
        map.get(&hash(token))
            .is_some_and(|e| e.expires > Instant::now())
    }

    /// Ends the session for `token`.
    pub fn remove(&self, token: &str) {
        self.map.lock().remove(&hash(token));
    }

    /// Ends every session of `username` except the one with id `keep`.
    pub fn revoke_user(&self, username: &str, keep: Option<&str>) {
        self.map
            .lock()
            .retain(|key, e| e.username != username || Some(hex(key).as_str()) == keep);
    }

    /// Live sessions (expired ones not yet swept included).
    pub fn len(&self) -> usize {
        self.map.lock().len()
    }

    /// Whether there are no sessions.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn sessions_expire_after_the_ttl_unless_used() {
        let sessions = Sessions::new(Duration::from_secs(100), 10);
        let idle = sessions.create("admin").unwrap();
        let used = sessions.create("admin").unwrap();
        assert_ne!(idle, used);

        tokio::time::advance(Duration::from_secs(60)).await;
        assert!(sessions.touch(&used).is_some());
        tokio::time::advance(Duration::from_secs(60)).await;
        assert!(
            sessions.touch(&idle).is_none(),
            "idle session outlived its ttl"
        );
        assert_eq!(sessions.touch(&used).unwrap().username, "admin");
        tokio::time::advance(Duration::from_secs(101)).await;
        assert!(sessions.touch(&used).is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_store_refuses_without_evicting() {
        let sessions = Sessions::new(Duration::from_secs(100), 2);
        let a = sessions.create("a").unwrap();
        let b = sessions.create("b").unwrap();
        assert!(matches!(sessions.create("c"), Err(Error::SessionsFull)));
        assert!(sessions.touch(&a).is_some() && sessions.touch(&b).is_some());

        tokio::time::advance(Duration::from_secs(101)).await;
        assert!(sessions.create("c").is_ok(), "expired sessions make room");
    }

    #[tokio::test(start_paused = true)]
    async fn revocation_and_logout() {
        let sessions = Sessions::new(DEFAULT_TTL, 10);
        let mine = sessions.create("admin").unwrap();
        let other = sessions.create("admin").unwrap();
        let someone = sessions.create("guest").unwrap();
        let keep = sessions.touch(&mine).unwrap().id;
        sessions.revoke_user("admin", Some(&keep));
        assert!(sessions.touch(&mine).is_some());
        assert!(sessions.touch(&other).is_none());
        assert!(sessions.touch(&someone).is_some());
        sessions.remove(&mine);
        assert!(sessions.touch(&mine).is_none());
    }
}
