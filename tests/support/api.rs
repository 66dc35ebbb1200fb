//! A small HTTPS client for Mosaic's JSON API, as tests use it.
//!
//! Every call answers `(status, body)`, with the body parsed as JSON
//! (`Null` when empty, a JSON string when it is not JSON), so tests assert
//! on both in one line. Transport failures panic: a test that expects one
//! uses [`Api::request`] and sends it itself.

use std::cell::RefCell;
use std::future::Future;
use std::path::Path;
use std::time::Duration;

use reqwest::multipart::{Form, Part};
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};

use crate::wait_until;

/// A client for one server, with an API key sent as a bearer token unless
/// built [`without_auth`](Api::without_auth). Cheap to clone.
#[derive(Debug, Clone)]
pub struct Api {
    http: reqwest::Client,
    base_url: String,
    key: Option<String>,
}

impl Api {
    /// A client for `base_url` (`https://127.0.0.1:<port>`) sending `key`.
    pub fn new(base_url: &str, key: Option<&str>) -> Self {
        Self {
            http: test_client(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            key: key.map(str::to_owned),
        }
    }

    /// The same client sending no credentials.
    pub fn without_auth(&self) -> Self {
        Self {
            key: None,
            ..self.clone()
        }
    }

    /// The same client sending `key` instead.
    pub fn with_key(&self, key: &str) -> Self {
        Self {
            key: Some(key.to_owned()),
            ..self.clone()
        }
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `path` (starting with `/`) as a full URL.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The underlying HTTP client (accepts the server's self-signed
    /// certificate, ignores proxy settings).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// A request for `path` with this client's credentials attached, to
    /// add headers or a body to before [`Api::send`].
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let request = self.http.request(method, self.url(path));
        match &self.key {
            Some(key) => request.bearer_auth(key),
            None => request,
        }
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send(self.request(Method::GET, path)).await
    }

    /// `POST path` with a JSON body.
    pub async fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        self.send(self.request(Method::POST, path).json(body)).await
    }

    /// `PUT path` with a JSON body.
    pub async fn put_json(&self, path: &str, body: &Value) -> (u16, Value) {
        self.send(self.request(Method::PUT, path).json(body)).await
    }

    /// `DELETE path`.
    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.send(self.request(Method::DELETE, path)).await
    }

    /// `POST path` with a multipart form (e.g. a `.torrent` upload).
    pub async fn post_multipart(&self, path: &str, form: Form) -> (u16, Value) {
        self.send(self.request(Method::POST, path).multipart(form))
            .await
    }

    /// `POST /api/torrents/file` with the bytes of `torrent` as the `file`
    /// field and each `(name, value)` of `fields` as a text field.
    pub async fn upload_torrent(&self, torrent: &Path, fields: &[(&str, &str)]) -> (u16, Value) {
        let bytes = std::fs::read(torrent)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", torrent.display()));
        self.post_multipart("/api/torrents/file", torrent_form(bytes, fields))
            .await
    }

    /// `POST /api/torrents/magnet` with `{magnet, save_path}`.
    pub async fn add_magnet(&self, magnet: &str, save_path: &str) -> (u16, Value) {
        let body = json!({"magnet": magnet, "save_path": save_path});
        self.post_json("/api/torrents/magnet", &body).await
    }

    /// `GET /api/torrents`, which must answer 200 with an array.
    pub async fn list(&self) -> Vec<Value> {
        match self.get("/api/torrents").await {
            (200, Value::Array(rows)) => rows,
            (status, body) => panic!("GET /api/torrents answered {status} {body}"),
        }
    }

    /// `GET /api/torrents/{id}`, which must answer 200.
    pub async fn detail(&self, id: &str) -> Value {
        match self.get(&format!("/api/torrents/{id}")).await {
            (200, detail) => detail,
            (status, body) => panic!("GET /api/torrents/{id} answered {status} {body}"),
        }
    }

    /// The row of torrent `id` in [`Api::list`], `Null` when not listed.
    pub async fn row(&self, id: &str) -> Value {
        let rows = self.list().await;
        rows.into_iter()
            .find(|row| row["id"] == id)
            .unwrap_or(Value::Null)
    }

    /// Polls [`Api::detail`] until `done` holds and returns that detail;
    /// after `timeout`, the last detail seen is the error.
    pub async fn wait_detail(
        &self,
        id: &str,
        timeout: Duration,
        done: impl Fn(&Value) -> bool,
    ) -> Result<Value, Value> {
        poll_value(timeout, || self.detail(id), done).await
    }

    /// Polls [`Api::row`] until `done` holds and returns that row; after
    /// `timeout`, the last row seen is the error.
    pub async fn wait_row(
        &self,
        id: &str,
        timeout: Duration,
        done: impl Fn(&Value) -> bool,
    ) -> Result<Value, Value> {
        poll_value(timeout, || self.row(id), done).await
    }

    /// Like [`Api::wait_detail`] but asking every `every`, for tests that
    /// time a change or need the first detail after it. The harness's
    /// other waits back off to a quarter second between probes.
    pub async fn watch_detail(
        &self,
        id: &str,
        every: Duration,
        timeout: Duration,
        done: impl Fn(&Value) -> bool,
    ) -> Result<Value, Value> {
        watch_value(every, timeout, || self.detail(id), done).await
    }

    /// Like [`Api::wait_row`] but asking every `every`.
    pub async fn watch_row(
        &self,
        id: &str,
        every: Duration,
        timeout: Duration,
        done: impl Fn(&Value) -> bool,
    ) -> Result<Value, Value> {
        watch_value(every, timeout, || self.row(id), done).await
    }

    /// Sends `request` and reads the status and JSON body.
    pub async fn send(&self, request: RequestBuilder) -> (u16, Value) {
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("request to {} failed: {e}", self.base_url));
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .unwrap_or_else(|e| panic!("reading a response from {} failed: {e}", self.base_url));
        (status, parse_body(&body))
    }
}

/// An HTTPS client for test servers: their certificate is self-signed, and
/// a proxy from the environment must never see loopback traffic.
pub fn test_client() -> reqwest::Client {
    reqwest::Client::builder()
        .tls_danger_accept_invalid_certs(true)
        .no_proxy()
        .build()
        .expect("the TLS client configuration is static and valid")
}

/// The whole number `field` of a JSON object; panics, showing the object,
/// when it is missing or not a non-negative integer.
pub fn number(value: &Value, field: &str) -> u64 {
    value[field]
        .as_u64()
        .unwrap_or_else(|| panic!("{field} is not a whole number in {value}"))
}

/// Calls `fetch` until its value satisfies `done`, for at most `timeout`.
async fn poll_value<F, Fut>(
    timeout: Duration,
    fetch: F,
    done: impl Fn(&Value) -> bool,
) -> Result<Value, Value>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Value>,
{
    // A shared cell: each probe's future records its value after the
    // closure call that made it has returned.
    let last = RefCell::new(Value::Null);
    let found = wait_until(timeout, || async {
        let value = fetch().await;
        let finished = done(&value);
        *last.borrow_mut() = value;
        finished.then(|| last.borrow().clone())
    })
    .await;
    found.ok_or_else(|| last.into_inner())
}

/// Calls `fetch` every `every` until its value satisfies `done`, for at
/// most `timeout`; a slow answer delays the next call rather than bunching
/// calls up.
async fn watch_value<F, Fut>(
    every: Duration,
    timeout: Duration,
    fetch: F,
    done: impl Fn(&Value) -> bool,
) -> Result<Value, Value>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Value>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let value = fetch().await;
        if done(&value) {
            return Ok(value);
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(value);
        }
    }
}

/// A multipart form holding a `.torrent` as `file` plus text fields.
pub fn torrent_form(bytes: Vec<u8>, fields: &[(&str, &str)]) -> Form {
    let file = Part::bytes(bytes)
        .file_name("upload.torrent")
        .mime_str("application/x-bittorrent")
        .expect("the MIME type is static and valid");
    fields
        .iter()
        .fold(Form::new().part("file", file), |form, &(name, value)| {
            form.text(name.to_owned(), value.to_owned())
        })
}

fn parse_body(body: &[u8]) -> Value {
    if body.is_empty() {
        return Value::Null;
    }
    serde_json::from_slice(body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_become_json_values() {
        // Proves empty, JSON and non-JSON bodies each map to a value.
        assert_eq!(parse_body(b""), Value::Null);
        assert_eq!(
            parse_body(br#"{"ok":true}"#),
            serde_json::json!({"ok": true})
        );
        assert_eq!(parse_body(b"<html>"), Value::String("<html>".into()));
    }

    #[test]
    fn variants_change_only_the_key() {
        // Proves with_key/without_auth keep the base URL and swap the key.
        let api = Api::new("https://127.0.0.1:1/", Some("k1"));
        assert_eq!(api.url("/api/version"), "https://127.0.0.1:1/api/version");
        assert_eq!(api.with_key("k2").key.as_deref(), Some("k2"));
        assert_eq!(api.without_auth().key, None);
        assert_eq!(api.without_auth().base_url(), "https://127.0.0.1:1");
    }
}
