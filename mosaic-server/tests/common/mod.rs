//! A router over a real engine and store, driven without a socket.
//!
//! The engine runs on a runtime of its own, so tests may pause Tokio's
//! clock for sessions and the sign-in limiter without freezing librqbit.

#![allow(dead_code, unreachable_pub)]

pub mod live;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use mosaic_core::access::Access;
use mosaic_core::{Engine, EngineOptions};
use mosaic_server::api::{AppState, HostPolicy, router};
use serde_json::Value;
use tower::ServiceExt;

/// The address the router believes it is bound to.
pub const BOUND: &str = "127.0.0.1:8080";
/// Its origin, as a browser on our own page sends it.
pub const ORIGIN: &str = "https://127.0.0.1:8080";

pub struct Fixture {
    pub app: Router,
    pub key: String,
    pub password: String,
    pub dir: tempfile::TempDir,
    pub engine: Engine,
    pub access: Arc<Access>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Knobs for [`fixture_with`].
#[derive(Default)]
pub struct Options {
    pub host_names: Vec<String>,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub session_capacity: Option<usize>,
}

pub async fn fixture() -> Fixture {
    fixture_with(Options::default()).await
}

pub async fn fixture_with(options: Options) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let engine_options = EngineOptions {
        data_dir: dir.path().join("data"),
        save_path: Some(dir.path().join("downloads")),
        peer_listen: Some("127.0.0.1:0".parse().unwrap()),
        dht: Some(false),
        ..EngineOptions::default()
    };
    let engine = std::thread::scope(|s| {
        s.spawn(|| runtime.block_on(Engine::open(engine_options)).unwrap())
            .join()
            .unwrap()
    });
    let first = engine.credentials().bootstrap().unwrap().unwrap();
    let (credentials, store) = (engine.credentials().clone(), engine.store().clone());
    let access = Arc::new(match options.session_capacity {
        Some(capacity) => Access::with_session_capacity(credentials, store, capacity).unwrap(),
        None => Access::new(credentials, store).unwrap(),
    });
    let bound = BOUND.parse().unwrap();
    let policy = HostPolicy::new(
        bound,
        true,
        options.host_names,
        options.trusted_proxies,
        access.clone(),
    );
    let state = std::thread::scope(|s| {
        let _guard = runtime.enter();
        s.spawn(|| {
            let _inner = runtime.enter();
            AppState::new(engine.clone(), access.clone(), policy)
        })
        .join()
        .unwrap()
    });
    Fixture {
        app: router(state),
        key: first.api_key,
        password: first.password,
        dir,
        engine,
        access,
        runtime: Some(runtime),
    }
}

/// A response taken apart.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Fixture {
    /// Sends a request as if from 127.0.0.1.
    pub async fn send(&self, request: Request<Body>) -> (StatusCode, Value) {
        let answer = self.send_from("127.0.0.1:50000", request).await;
        (answer.status, answer.body)
    }

    /// Sends a request as if from `peer`.
    pub async fn send_from(&self, peer: &str, mut request: Request<Body>) -> Answer {
        let peer: SocketAddr = peer.parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(peer));
        let response = self.app.clone().oneshot(request).await.unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
            panic!("not json: {}", String::from_utf8_lossy(&bytes));
        });
        Answer {
            status,
            headers,
            body,
        }
    }

    /// A request with our Host and the bearer key.
    pub fn request(&self, method: &str, path: &str) -> axum::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, BOUND)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.key))
    }

    /// A request with our Host and no credentials.
    pub fn anonymous(&self, method: &str, path: &str) -> axum::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, BOUND)
    }

    pub async fn json(&self, method: &str, path: &str, body: Value) -> (StatusCode, Value) {
        let request = self
            .request(method, path)
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(request).await
    }

    /// Signs in from `peer` and returns the answer.
    pub async fn login_from(&self, peer: &str, username: &str, password: &str) -> Answer {
        let body = serde_json::json!({"username": username, "password": password}).to_string();
        let request = self
            .anonymous("POST", "/api/login")
            .body(Body::from(body))
            .unwrap();
        self.send_from(peer, request).await
    }

    /// Signs in as admin and returns the session cookie (`name=value`).
    pub async fn cookie(&self) -> String {
        let answer = self
            .login_from("127.0.0.1:50000", "admin", &self.password.clone())
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let set = answer.headers[header::SET_COOKIE].to_str().unwrap();
        set.split(';').next().unwrap().to_owned()
    }

    pub async fn upload(&self, fields: &[(&str, &[u8])]) -> (StatusCode, Value) {
        let (content_type, body) = multipart(fields);
        let request = self
            .request("POST", "/api/torrents/file")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }
}

/// A multipart/form-data body: (content type, bytes).
pub fn multipart(fields: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "mosaicboundary7MA4YWxk";
    let mut body = Vec::new();
    for (name, value) in fields {
        let head = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n\r\n"
        );
        body.extend_from_slice(head.as_bytes());
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A bencoded torrent whose files have the given path parts.
pub fn torrent(name: &str, files: &[(&[&str], u64)]) -> Vec<u8> {
    let s = |v: &str| format!("{}:{}", v.len(), v);
    let total: u64 = files.iter().map(|f| f.1).sum();
    let pieces = total.div_ceil(16384).max(1) as usize;
    let list: String = files
        .iter()
        .map(|(path, len)| {
            let path: String = path.iter().map(|p| s(p)).collect();
            format!("d6:lengthi{len}e4:pathl{path}ee")
        })
        .collect();
    let mut out = format!(
        "d4:infod5:filesl{list}e4:name{}12:piece lengthi16384e6:pieces{}:",
        s(name),
        pieces * 20
    )
    .into_bytes();
    out.extend(std::iter::repeat_n(7u8, pieces * 20));
    out.extend_from_slice(b"ee");
    out
}
