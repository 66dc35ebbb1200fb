//! [`Client`] and the one path every request takes: credentials on, send,
//! sign in again once if a session expired, and turn an error status into
//! an [`Error`] that keeps the server's message.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::RETRY_AFTER;
use reqwest::{Method, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::auth::{Auth, Session, session_from};
use crate::builder::ClientBuilder;
use crate::error::{Error, Result};
use crate::live::Backoff;

/// A connection to one Mosaic server: every route of the remote API as a
/// typed method, and the live event stream.
///
/// Cheap to clone (the clones share one connection pool and one session)
/// and safe to use from many tasks at once.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

/// What clones of a [`Client`] share.
pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// The base URL, always ending in `/`.
    pub(crate) base: Url,
    /// `scheme://host[:port]` of the base URL, sent as `Origin` on cookie
    /// writes.
    pub(crate) origin: String,
    pub(crate) auth: Auth,
    /// The same TLS configuration reqwest got, for the WebSocket.
    pub(crate) tls: Arc<rustls::ClientConfig>,
    pub(crate) user_agent: String,
    pub(crate) connect_timeout: Duration,
    pub(crate) backoff: Backoff,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .finish_non_exhaustive()
    }
}

/// A request body that can be sent again after signing in anew.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Empty,
    Json(Vec<u8>),
    Upload(Upload),
}

/// A `.torrent` upload: the file's bytes and the text fields beside it.
#[derive(Debug, Clone)]
pub(crate) struct Upload {
    pub(crate) bytes: Vec<u8>,
    pub(crate) fields: Vec<(&'static str, String)>,
}

impl Body {
    pub(crate) fn json(value: &impl Serialize) -> Result<Self> {
        serde_json::to_vec(value)
            .map(Self::Json)
            .map_err(Error::Decode)
    }
}

impl Client {
    /// A builder; see [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub(crate) fn from_inner(inner: Arc<Inner>) -> Self {
        Self { inner }
    }

    /// The base URL requests go to, ending in `/`.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// `path` (without a leading `/`) under the base URL.
    pub(crate) fn url(&self, path: &str) -> Result<Url> {
        self.inner
            .base
            .join(path)
            .map_err(|e| Error::Config(format!("url for {path}: {e}")))
    }

    /// Sends a request and decodes the JSON answer.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Body,
    ) -> Result<T> {
        let response = self.send(method, path, &body).await?;
        let bytes = response.bytes().await.map_err(Error::from_reqwest)?;
        serde_json::from_slice(&bytes).map_err(Error::Decode)
    }

    /// Sends a write whose answer is `{"ok": true}`.
    pub(crate) async fn call_ok(&self, method: Method, path: &str, body: Body) -> Result<()> {
        let _: mosaic_core::wire::Ok = self.call(method, path, body).await?;
        Ok(())
    }

    /// Sends a request with credentials; on a `401` while using a session
    /// that can be renewed, signs in again and sends it once more.
    pub(crate) async fn send(&self, method: Method, path: &str, body: &Body) -> Result<Response> {
        let auth = &self.inner.auth;
        if auth.uses_session() && auth.session().token.is_none() {
            self.sign_in_after(auth.session().generation).await?;
        }

        let session = auth.session();
        let response = self.send_once(method.clone(), path, body, &session).await?;

        // The session may have expired (or been revoked) since it was
        // obtained: with a password at hand that is not the caller's
        // problem, so sign in again and repeat the request once.
        let renewable = auth.uses_session() && auth.login.is_some();
        if response.status() == reqwest::StatusCode::UNAUTHORIZED && renewable {
            tracing::debug!("session refused, signing in again");
            self.sign_in_after(session.generation).await?;
            let renewed = auth.session();
            let response = self.send_once(method, path, body, &renewed).await?;
            return checked(response).await;
        }
        checked(response).await
    }

    async fn send_once(
        &self,
        method: Method,
        path: &str,
        body: &Body,
        session: &Session,
    ) -> Result<Response> {
        let writes = !matches!(method, Method::GET | Method::HEAD);
        let headers = self.inner.auth.headers(session, &self.inner.origin, writes);

        let request = self
            .inner
            .http
            .request(method, self.url(path)?)
            .headers(headers);
        let request = match body {
            Body::Empty => request,
            Body::Json(bytes) => request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Body::Upload(upload) => request.multipart(upload.form()?),
        };
        request.send().await.map_err(Error::from_reqwest)
    }

    /// Signs in unless another task already did since `generation`.
    pub(crate) async fn sign_in_after(&self, generation: u64) -> Result<()> {
        let auth = &self.inner.auth;
        // Requests refused with the same stale session queue here; the first
        // signs in and the others find a newer generation and just retry.
        let _one_at_a_time = auth.signing_in.lock().await;
        if auth.session().generation != generation {
            return Ok(());
        }

        let Some(login) = &auth.login else {
            auth.set_session(None);
            return Err(Error::Api {
                status: 401,
                message: "session expired: sign in again".into(),
                retry_after: None,
            });
        };
        let body = mosaic_core::wire::Login {
            username: login.username.clone(),
            password: login.password.expose().to_owned(),
        };

        let request = self.inner.http.post(self.url("api/login")?).json(&body);
        let response = request.send().await.map_err(Error::from_reqwest)?;
        let response = checked(response).await?;

        let token = session_from(response.headers()).ok_or_else(|| Error::Api {
            status: response.status().as_u16(),
            message: "sign-in answered without a session cookie".into(),
            retry_after: None,
        })?;
        auth.set_session(Some(token));
        Ok(())
    }
}

impl Upload {
    fn form(&self) -> Result<reqwest::multipart::Form> {
        let file = reqwest::multipart::Part::bytes(self.bytes.clone())
            .file_name("upload.torrent")
            .mime_str("application/x-bittorrent")
            .map_err(|e| Error::Config(format!("upload type: {e}")))?;
        let form = reqwest::multipart::Form::new().part("file", file);
        Ok(self
            .fields
            .iter()
            .fold(form, |form, (name, value)| form.text(*name, value.clone())))
    }
}

/// The response when its status is a success, else the server's error.
async fn checked(response: Response) -> Result<Response> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body = response.bytes().await.map_err(Error::from_reqwest)?;
    Err(Error::api(status.as_u16(), &body, retry_after))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shareable<T: Clone + Send + Sync + 'static>() {}

    fn sendable_stream<S: futures::Stream + Send + 'static>(_: S) {}

    #[test]
    fn clients_and_their_streams_cross_threads() {
        // Proves Client is a cheap shared handle and its event streams can move to other tasks.
        shareable::<Client>();
        let client = Client::builder()
            .base_url("https://127.0.0.1:1")
            .build()
            .unwrap();
        let clone = client.clone();
        assert!(Arc::ptr_eq(&client.inner, &clone.inner));
        sendable_stream(client.events());
        sendable_stream(client.events_delta());
    }
}
