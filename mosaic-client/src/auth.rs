//! The client's credentials: an API key, or a username and password that
//! buy a session cookie, renewed by signing in again when it expires.
//!
//! Secrets live in [`Secret`], whose `Debug` prints nothing, so no derived
//! `Debug` anywhere in the client can leak one.

use std::fmt;
use std::sync::RwLock;

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, HeaderValue, ORIGIN};

/// Name of the server's sign-in cookie.
pub(crate) const SESSION_COOKIE: &str = "mosaic_session";

/// A string that never prints.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// A username and password to sign in with.
#[derive(Clone, Debug)]
pub(crate) struct Login {
    pub(crate) username: String,
    pub(crate) password: Secret,
}

/// The current session token and how many times one was obtained, so that
/// concurrent requests refused with the same stale token sign in only once.
#[derive(Clone, Debug, Default)]
pub(crate) struct Session {
    pub(crate) token: Option<Secret>,
    pub(crate) generation: u64,
}

/// Everything the client proves itself with.
#[derive(Debug)]
pub(crate) struct Auth {
    /// Sent as a bearer token; replaced when the client rotates it.
    key: RwLock<Option<Secret>>,
    /// For signing in, and again when the session expires.
    pub(crate) login: Option<Login>,
    session: RwLock<Session>,
    /// Held while signing in, so a burst of `401`s signs in once.
    pub(crate) signing_in: tokio::sync::Mutex<()>,
}

impl Auth {
    pub(crate) fn new(key: Option<Secret>, login: Option<Login>, token: Option<Secret>) -> Self {
        let session = Session {
            token,
            generation: 0,
        };
        Self {
            key: RwLock::new(key),
            login,
            session: RwLock::new(session),
            signing_in: tokio::sync::Mutex::new(()),
        }
    }

    pub(crate) fn key(&self) -> Option<Secret> {
        self.key
            .read()
            .expect("the key lock is never poisoned")
            .clone()
    }

    pub(crate) fn set_key(&self, key: Secret) {
        *self.key.write().expect("the key lock is never poisoned") = Some(key);
    }

    pub(crate) fn session(&self) -> Session {
        self.session
            .read()
            .expect("the session lock is never poisoned")
            .clone()
    }

    /// Stores a new token (or none after a sign-out) as a new generation.
    pub(crate) fn set_session(&self, token: Option<Secret>) {
        let mut session = self
            .session
            .write()
            .expect("the session lock is never poisoned");
        session.token = token;
        session.generation += 1;
    }

    /// Whether requests go by cookie: no key, but a session or a way to
    /// get one.
    pub(crate) fn uses_session(&self) -> bool {
        self.key().is_none() && (self.login.is_some() || self.session().token.is_some())
    }

    /// The headers proving who we are: the bearer key, else the cookie,
    /// plus our own `Origin` on cookie requests that change state (the
    /// server's guard against cross-site forgery asks for it).
    pub(crate) fn headers(&self, session: &Session, origin: &str, writes: bool) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(key) = self.key() {
            if let Ok(value) = HeaderValue::from_str(&format!("Bearer {}", key.expose())) {
                headers.insert(AUTHORIZATION, sensitive(value));
            }
            return headers;
        }
        let Some(token) = &session.token else {
            return headers;
        };
        if let Ok(value) = HeaderValue::from_str(&format!("{SESSION_COOKIE}={}", token.expose())) {
            headers.insert(COOKIE, sensitive(value));
        }
        if writes && let Ok(value) = HeaderValue::from_str(origin) {
            headers.insert(ORIGIN, value);
        }
        headers
    }
}

fn sensitive(mut value: HeaderValue) -> HeaderValue {
    value.set_sensitive(true);
    value
}

/// The session token in a login answer's `Set-Cookie` headers.
pub(crate) fn session_from(headers: &HeaderMap) -> Option<Secret> {
    headers
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|cookie| cookie.split(';').next())
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == SESSION_COOKIE && !value.is_empty())
        .map(|(_, value)| Secret::new(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_wins_and_cookie_writes_carry_origin() {
        // Proves the bearer key is preferred, and cookie writes (only) send our Origin.
        let token = Some(Secret::new("tok"));
        let session = Session {
            token: token.clone(),
            generation: 1,
        };
        let by_cookie = Auth::new(None, None, token);
        let read = by_cookie.headers(&session, "https://127.0.0.1:1", false);
        assert_eq!(read[COOKIE], "mosaic_session=tok");
        assert!(read.get(ORIGIN).is_none());
        let write = by_cookie.headers(&session, "https://127.0.0.1:1", true);
        assert_eq!(write[ORIGIN], "https://127.0.0.1:1");

        let by_key = Auth::new(Some(Secret::new("k")), None, None);
        let headers = by_key.headers(&session, "https://127.0.0.1:1", true);
        assert_eq!(headers[AUTHORIZATION], "Bearer k");
        assert!(headers.get(COOKIE).is_none() && headers.get(ORIGIN).is_none());
        assert!(!by_key.uses_session() && by_cookie.uses_session());
    }

    #[test]
    fn session_cookie_is_read_from_set_cookie() {
        // Proves the token is taken from the mosaic_session cookie only.
        let mut headers = HeaderMap::new();
        headers.append(
            reqwest::header::SET_COOKIE,
            HeaderValue::from_static("other=1; Path=/"),
        );
        headers.append(
            reqwest::header::SET_COOKIE,
            HeaderValue::from_static(
                "mosaic_session=abc_-1; HttpOnly; SameSite=Strict; Path=/; Secure",
            ),
        );
        assert_eq!(session_from(&headers), Some(Secret::new("abc_-1")));
        assert_eq!(format!("{:?}", Secret::new("abc")), "Secret(..)");
        assert_eq!(session_from(&HeaderMap::new()), None);
    }
}
