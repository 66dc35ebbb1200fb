//! The event stream during a real download from an independent seeder.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use mosaic_tests::{
    Aria2Seeder, DataSet, MosaicServer, ServerOptions, TestDir, Tracker, make_torrent,
};
use rustls::pki_types::ServerName;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// A TLS connector that trusts only the server's own certificate.
fn trusting(server: &MosaicServer) -> tokio_rustls::TlsConnector {
    let pem = std::fs::read(server.data_dir().join("tls/cert.pem")).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_pemfile::certs(&mut &pem[..]) {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_rises_across_ticks_and_ends_with_completed() {
    // Proves live ticks follow a real download: progress never falls and torrent:completed arrives.
    let dir = TestDir::new("live-download");
    let data = DataSet::standard_multi(&dir.subdir("seed"), "live");
    let tracker = Tracker::start();
    let torrent = make_torrent(
        data.root(),
        &tracker.announce_url(),
        &dir.join("live.torrent"),
        18,
    );
    tracker.whitelist(&torrent.info_hash_hex).await;
    let _seeder = Aria2Seeder::start(&torrent.path, &dir.join("seed")).await;
    tracker
        .wait_seeders(&torrent.info_hash_hex, 1, Duration::from_secs(60))
        .await
        .unwrap();

    let server = MosaicServer::start(ServerOptions::default()).await;
    let api = server.api();
    // A download limit stretches the transfer over several ticks.
    let limits = json!({"down_kbps": 4096, "up_kbps": 0, "alt_down_kbps": 0, "alt_up_kbps": 0, "alt_active": false});
    assert_eq!(api.put_json("/api/settings/limits", &limits).await.0, 200);

    let port = server.base_url().rsplit(':').next().unwrap().to_owned();
    let url = format!("wss://127.0.0.1:{port}/api/ws?key={}", server.api_key());
    let tcp = tokio::net::TcpStream::connect(format!("127.0.0.1:{port}"))
        .await
        .unwrap();
    let tls = trusting(&server)
        .connect(ServerName::try_from("127.0.0.1").unwrap(), tcp)
        .await
        .unwrap();
    let (mut socket, _) = tokio_tungstenite::client_async(url.into_client_request().unwrap(), tls)
        .await
        .unwrap();

    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(std::fs::read(&torrent.path).unwrap())
            .file_name("live.torrent"),
    );
    let (status, added) = api.post_multipart("/api/torrents/file", form).await;
    assert_eq!(status, 200, "{added}");
    let id = added["id"].as_str().unwrap().to_owned();

    let mut progress = Vec::new();
    let mut completed = None;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    while completed.is_none() || progress.last() != Some(&1.0) {
        let message = tokio::time::timeout_at(deadline, socket.next())
            .await
            .expect("download took over 90 s");
        let Some(Ok(Message::Text(text))) = message else {
            panic!("socket ended: {message:?}")
        };
        let frame: Value = serde_json::from_str(&text).unwrap();
        match frame["type"].as_str() {
            Some("torrents:tick") => {
                let row = frame["payload"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["id"] == id.as_str());
                if let Some(p) = row.and_then(|r| r["progress"].as_f64()) {
                    progress.push(p);
                }
            }
            Some("torrent:completed") => completed = Some(frame["payload"].clone()),
            _ => {}
        }
    }
    assert!(
        progress.windows(2).all(|w| w[0] <= w[1]),
        "progress fell: {progress:?}"
    );
    let partial = progress.iter().filter(|p| **p > 0.0 && **p < 1.0).count();
    assert!(
        partial >= 2,
        "too few ticks during the download: {progress:?}"
    );
    assert_eq!(completed.unwrap(), json!({"id": id, "name": "live"}));
    let got = mosaic_tests::sha256_tree(&server.save_path().join("live"));
    assert_eq!(got, data.sha256_tree());
}
