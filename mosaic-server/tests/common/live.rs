//! A real server in this process: TLS on 127.0.0.1, the engine at hand so
//! tests can publish events, and clients that trust its certificate.

use std::net::SocketAddr;
use std::sync::Arc;

use futures::StreamExt;
use mosaic_core::access::Access;
use mosaic_core::{Engine, EngineOptions};
use mosaic_server::api::{AppState, HostPolicy, router};
use mosaic_server::tls::Identity;
use rustls::pki_types::{CertificateDer, ServerName};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

pub type Socket = tokio_tungstenite::WebSocketStream<tokio_rustls::client::TlsStream<TcpStream>>;

pub struct LiveServer {
    pub addr: SocketAddr,
    pub key: String,
    pub password: String,
    pub engine: Engine,
    pub dir: tempfile::TempDir,
    cert: CertificateDer<'static>,
    stop: Arc<Notify>,
    task: tokio::task::JoinHandle<()>,
}

/// Starts a server on `bind` (use `127.0.0.1:0` unless a test needs a port).
/// It may fetch from loopback, where the tests serve their lists.
pub async fn live_server(bind: &str) -> LiveServer {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(EngineOptions {
        data_dir: dir.path().join("data"),
        save_path: Some(dir.path().join("downloads")),
        peer_listen: Some("127.0.0.1:0".parse().unwrap()),
        dht: Some(false),
        allow_private_fetch: true,
        ..EngineOptions::default()
    })
    .await
    .unwrap();
    let first = engine.credentials().bootstrap().unwrap().unwrap();
    let listener = tokio::net::TcpListener::bind(bind).await.unwrap();
    let addr = listener.local_addr().unwrap();

    let identity = Identity::self_signed(&dir.path().join("data"), addr, &[]).unwrap();
    let pem = std::fs::read(dir.path().join("data/tls/cert.pem")).unwrap();
    let cert = rustls_pemfile::certs(&mut &pem[..])
        .next()
        .unwrap()
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(identity.server_config().unwrap());

    let access =
        Arc::new(Access::new(engine.credentials().clone(), engine.store().clone()).unwrap());
    let policy = HostPolicy::new(addr, true, vec![], vec![], access.clone());
    let state = AppState::new(engine.clone(), access, policy);
    let sockets = state.shutdown.clone();
    let stop = Arc::new(Notify::new());
    let stopped = stop.clone();
    let shutdown = async move {
        stopped.notified().await;
        sockets.cancel();
    };
    let task = tokio::spawn(mosaic_server::serve::serve(
        listener,
        Some(acceptor),
        router(state),
        shutdown,
    ));
    LiveServer {
        addr,
        key: first.api_key,
        password: first.password,
        engine,
        dir,
        cert,
        stop,
        task,
    }
}

impl LiveServer {
    pub fn base(&self) -> String {
        format!("https://127.0.0.1:{}", self.addr.port())
    }

    /// An HTTP client that trusts this server's certificate.
    pub fn http(&self) -> reqwest::Client {
        let cert = reqwest::Certificate::from_der(&self.cert).unwrap();
        reqwest::Client::builder()
            .add_root_certificate(cert)
            .build()
            .unwrap()
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .http()
            .post(format!("{}{path}", self.base()))
            .bearer_auth(&self.key)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Signs in as admin and returns the cookie pair `mosaic_session=…`.
    pub async fn login_cookie(&self) -> String {
        let body = serde_json::json!({"username": "admin", "password": self.password});
        let login = self
            .http()
            .post(format!("{}/api/login", self.base()))
            .json(&body)
            .send()
            .await
            .unwrap();
        let cookie = login.headers()["set-cookie"].to_str().unwrap();
        cookie.split(';').next().unwrap().to_owned()
    }

    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        let request = self
            .http()
            .put(format!("{}{path}", self.base()))
            .bearer_auth(&self.key)
            .json(&body);
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let request = self
            .http()
            .get(format!("{}{path}", self.base()))
            .bearer_auth(&self.key);
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    fn tls(&self) -> tokio_rustls::TlsConnector {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(self.cert.clone()).unwrap();
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        tokio_rustls::TlsConnector::from(Arc::new(config))
    }

    /// Opens `/api/ws` + `query` with extra headers; `Err` carries the HTTP
    /// status and body when the upgrade is refused.
    pub async fn socket(
        &self,
        query: &str,
        headers: &[(&str, &str)],
    ) -> Result<Socket, (u16, String)> {
        let url = format!("wss://127.0.0.1:{}/api/ws{query}", self.addr.port());
        let mut request = url.into_client_request().unwrap();
        for (name, value) in headers {
            request.headers_mut().insert(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        let tcp = TcpStream::connect(self.addr).await.unwrap();
        let name = ServerName::try_from("127.0.0.1").unwrap();
        let tls = self.tls().connect(name, tcp).await.unwrap();
        match tokio_tungstenite::client_async(request, tls).await {
            Ok((socket, _)) => Ok(socket),
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                let body = response
                    .body()
                    .clone()
                    .map(|b| String::from_utf8_lossy(&b).into_owned());
                Err((response.status().as_u16(), body.unwrap_or_default()))
            }
            Err(e) => panic!("websocket failed: {e}"),
        }
    }

    /// Stops serving: sockets get 1001, connections drain.
    pub async fn stop(self) {
        self.stop.notify_one();
        let _ = tokio::time::timeout(std::time::Duration::from_secs(10), self.task).await;
        self.engine.shutdown().await;
    }
}

/// The next text frame as JSON, or `None` when the socket closed.
pub async fn next_frame(socket: &mut Socket) -> Option<Value> {
    loop {
        match socket.next().await? {
            Ok(Message::Text(text)) => return Some(serde_json::from_str(&text).unwrap()),
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// Reads frames until one of `kind` arrives (within `secs`).
pub async fn frame_of(socket: &mut Socket, kind: &str, secs: u64) -> Value {
    let wait = async {
        loop {
            let frame = next_frame(socket).await.expect("socket closed early");
            if frame["type"] == kind {
                return frame;
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(secs), wait)
        .await
        .unwrap_or_else(|_| panic!("no {kind} frame within {secs} s"))
}

/// Reads until the server closes, returning the close code.
pub async fn close_code(socket: &mut Socket, secs: u64) -> Option<u16> {
    let wait = async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return None,
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(secs), wait)
        .await
        .expect("socket never closed")
}
