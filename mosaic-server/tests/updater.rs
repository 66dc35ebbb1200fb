//! Self-update end to end: a signed feed served on loopback, a real server
//! process that installs a newer build and restarts into it, and every way
//! an update can be bad leaving the running binary byte-identical.
//!
//! The newer build is `target/update-fixture/mosaic-server-99.0.0`, which
//! `scripts/test` compiles with `MOSAIC_VERSION=99.0.0` before the tests.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const NEXT: &str = "99.0.0";

fn fixture_binary() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../target/update-fixture/mosaic-server-{NEXT}"));
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; scripts/test builds it (MOSAIC_VERSION={NEXT} cargo build -p mosaic-server)",
            path.display()
        )
    })
}

/// A feed server on 127.0.0.1 serving `/feed.json` and `/asset`.
async fn serve_feed(feed: String, asset: Vec<u8>) -> String {
    let app = Router::new()
        .route("/feed.json", get(move || async move { feed }))
        .route("/asset", get(move || async move { asset }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

struct Keys {
    dir: tempfile::TempDir,
    public: String,
}

/// A release key made with the server's own `admin release-key`.
fn release_key() -> Keys {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mosaic-server"))
        .args(["admin", "release-key", "--out"])
        .arg(dir.path().join("key"))
        .output()
        .unwrap();
    assert!(out.status.success());
    Keys {
        public: String::from_utf8(out.stdout).unwrap().trim().to_owned(),
        dir,
    }
}

/// Signs a feed with `admin sign-release`.
fn signed_feed(keys: &Keys, releases: Value) -> String {
    let unsigned = keys.dir.path().join("feed.json");
    std::fs::write(&unsigned, json!({"releases": releases}).to_string()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_mosaic-server"))
        .args(["admin", "sign-release", "--key"])
        .arg(keys.dir.path().join("key"))
        .arg(&unsigned)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn release(version: &str, url: &str, asset: &[u8], size: u64) -> Value {
    let platform = format!("{}-{}", std::env::consts::ARCH, std::env::consts::OS);
    let sha256 = Sha256::digest(asset)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    json!({"version": version, "channel": "stable", "notes": format!("release {version}"),
           "assets": [{"platform": platform, "url": url, "size": size, "sha256": sha256}]})
}

/// A server process running from its own copy of the binary.
struct Server {
    dir: tempfile::TempDir,
    exe: PathBuf,
    child: Child,
    lines: Receiver<String>,
    base: String,
    key: String,
}

impl Server {
    fn start(public_key: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("bin/mosaic-server");
        std::fs::create_dir_all(exe.parent().unwrap()).unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_mosaic-server"), &exe).unwrap();
        let mut child = Command::new(&exe)
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .arg("--save-path")
            .arg(dir.path().join("downloads"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--peer-listen",
                "127.0.0.1:0",
                "--no-dht",
                "--allow-private-fetch",
            ])
            .args(["--release-public-key", public_key])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let lines = read_lines(&mut child);
        let mut server = Self {
            dir,
            exe,
            child,
            lines,
            base: String::new(),
            key: String::new(),
        };
        server.key = server.wait_line("api key: ");
        server.base = server.wait_line("listening: ");
        server
    }

    fn wait_line(&self, prefix: &str) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(60))
                .expect("server output ended");
            if let Some(value) = line.strip_prefix(prefix) {
                return value.to_owned();
            }
        }
    }

    fn client(&self) -> reqwest::Client {
        let pem = std::fs::read(self.dir.path().join("data/tls/cert.pem")).unwrap();
        let cert = reqwest::Certificate::from_pem(&pem).unwrap();
        reqwest::Client::builder()
            .add_root_certificate(cert)
            .build()
            .unwrap()
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self
            .client()
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.key);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        (
            response.status().as_u16(),
            response.json().await.unwrap_or(Value::Null),
        )
    }

    async fn use_feed(&self, url: &str) {
        let settings = json!({"enabled": false, "channel": "stable", "feed_url": url});
        assert_eq!(
            self.call(
                reqwest::Method::PUT,
                "/api/settings/updater",
                Some(settings)
            )
            .await
            .0,
            200
        );
    }

    fn binary(&self) -> Vec<u8> {
        std::fs::read(&self.exe).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_lines(child: &mut Child) -> Receiver<String> {
    let (send, receive) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = send.send(line);
        }
    });
    receive
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_signed_release_installs_and_the_server_restarts_into_it() {
    // Proves the happy path: check finds 99.0.0, install swaps the binary, the restarted server reports it.
    let next = fixture_binary();
    let keys = release_key();
    let server = Server::start(&keys.public);
    let asset_base = serve_feed(String::new(), next.clone()).await;
    let asset_url = format!("{asset_base}/asset");
    let releases = json!([
        release(NEXT, &asset_url, &next, next.len() as u64),
        release("0.0.1", &asset_url, b"x", 1)
    ]);
    let base = serve_feed(signed_feed(&keys, releases), next.clone()).await;
    server.use_feed(&format!("{base}/feed.json")).await;

    let (status, info) = server
        .call(reqwest::Method::POST, "/api/updater/check", None)
        .await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(
        (info["available"].as_bool(), info["latest_version"].as_str()),
        (Some(true), Some(NEXT))
    );
    assert_eq!(info["current_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["asset_filename"], "asset");

    let (status, body) = server
        .call(reqwest::Method::POST, "/api/updater/install", None)
        .await;
    assert_eq!((status, body), (200, json!({"ok": true})));
    let mut restarted = server;
    restarted.base = restarted.wait_line("listening: ");
    let (status, version) = restarted
        .call(reqwest::Method::GET, "/api/version", None)
        .await;
    assert_eq!((status, version), (200, json!({"version": NEXT})));
    assert_eq!(
        restarted.binary(),
        next,
        "the installed binary is not the release"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_updates_are_refused_and_leave_the_binary_untouched() {
    // Proves every refusal: tampered asset, wrong signature, oversized asset, older version, unreachable feed.
    let next = fixture_binary();
    let keys = release_key();
    let other = release_key();
    let server = Server::start(&keys.public);
    let original = server.binary();
    let mut tampered = next.clone();
    tampered[1000] ^= 0xff;

    let asset_base = serve_feed(String::new(), tampered.clone()).await;
    let asset = format!("{asset_base}/asset");
    let cases: Vec<(&str, String, u16, &str)> = vec![
        (
            "tampered asset",
            signed_feed(
                &keys,
                json!([release(NEXT, &asset, &next, next.len() as u64)]),
            ),
            502,
            "update rejected: asset sha-256 does not match the signed feed",
        ),
        (
            "wrong signature",
            signed_feed(
                &other,
                json!([release(NEXT, &asset, &tampered, tampered.len() as u64)]),
            ),
            502,
            "release feed rejected: signature does not verify",
        ),
        (
            "oversized asset",
            signed_feed(
                &keys,
                json!([release(NEXT, &asset, &tampered, 300 * 1024 * 1024)]),
            ),
            502,
            "update rejected: asset of 314572800 bytes exceeds the 268435456-byte cap",
        ),
        (
            "short asset",
            signed_feed(&keys, json!([release(NEXT, &asset, &tampered, 1000)])),
            502,
            "update rejected: body larger than 1000 bytes",
        ),
        (
            "older version",
            signed_feed(
                &keys,
                json!([release("0.0.1", &asset, &tampered, tampered.len() as u64)]),
            ),
            409,
            "no update available",
        ),
    ];
    for (what, feed, status, message) in cases {
        let base = serve_feed(feed, tampered.clone()).await;
        server.use_feed(&format!("{base}/feed.json")).await;
        let (got, body) = server
            .call(reqwest::Method::POST, "/api/updater/install", None)
            .await;
        assert_eq!(
            (got, body["error"].as_str()),
            (status, Some(message)),
            "{what}"
        );
        assert_eq!(server.binary(), original, "{what} changed the binary");
    }

    server.use_feed("http://127.0.0.1:9/feed.json").await;
    let (status, body) = server
        .call(reqwest::Method::POST, "/api/updater/check", None)
        .await;
    assert_eq!(status, 502);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("release feed unreachable"),
        "{body}"
    );
    let (status, version) = server
        .call(reqwest::Method::GET, "/api/version", None)
        .await;
    assert_eq!(
        (status, version),
        (200, json!({"version": env!("CARGO_PKG_VERSION")}))
    );
    assert_eq!(server.binary(), original);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seed_curl_example_4_checks_then_installs() {
    // Proves the seed's update example verbatim: check, print, install when available.
    let next = fixture_binary();
    let keys = release_key();
    let server = Server::start(&keys.public);
    let asset_base = serve_feed(String::new(), next.clone()).await;
    let feed = signed_feed(
        &keys,
        json!([release(
            NEXT,
            &format!("{asset_base}/asset"),
            &next,
            next.len() as u64
        )]),
    );
    let base = serve_feed(feed, next.clone()).await;
    server.use_feed(&format!("{base}/feed.json")).await;

    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/seed-api-examples.txt"),
    )
    .unwrap();
    let start = seed
        .find("INFO=$(curl -k -s -X POST \"$MOSAIC/api/updater/check\"")
        .unwrap();
    let end = seed[start..].find("\nfi\n").unwrap() + start + 4;
    let port = server.base.rsplit(':').next().unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg(&seed[start..end])
        .env("MOSAIC", format!("https://localhost:{port}"))
        .env("MOSAIC_API_KEY", &server.key)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("\"available\": true")
            && stdout.contains(&format!("\"latest_version\": \"{NEXT}\"")),
        "{stdout}"
    );
    assert!(
        stdout.trim_end().ends_with("{\"ok\":true}"),
        "install answer missing: {stdout}"
    );
    let mut restarted = server;
    restarted.base = restarted.wait_line("listening: ");
    let (_, version) = restarted
        .call(reqwest::Method::GET, "/api/version", None)
        .await;
    assert_eq!(version, json!({"version": NEXT}));
}
