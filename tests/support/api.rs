//! A small HTTPS client for Mosaic's JSON API, as tests use it.
//!
//! Every call answers `(status, body)`, with the body parsed as JSON
//! (`Null` when empty, a JSON string when it is not JSON), so tests assert
//! on both in one line. Transport failures panic: a test that expects one
//! uses [`Api::request`] and sends it itself.

use reqwest::{Method, RequestBuilder, multipart::Form};
use serde_json::Value;

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
