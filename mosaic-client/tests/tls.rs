//! Certificate trust: the pinned fingerprint the server logs, a CA file,
//! the system roots, and the explicit accept-anything switch, for requests
//! and the WebSocket alike.

mod support;

use futures::StreamExt;
use mosaic_client::{Client, Event, Fingerprint};
use mosaic_tests::{MosaicServer, ServerOptions};
use support::{cert_path, logged_fingerprint};

fn builder(server: &MosaicServer) -> mosaic_client::ClientBuilder {
    Client::builder()
        .base_url(server.base_url())
        .api_key(server.api_key())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinned_fingerprint_accepts_its_server_and_refuses_another() {
    // Proves the logged fingerprint lets requests and the WebSocket in, and another server's certificate is refused as TLS.
    let ours = MosaicServer::start(ServerOptions::default()).await;
    let other = MosaicServer::start(ServerOptions::default()).await;
    let logged = logged_fingerprint(&ours.log_text());
    let der = rustls_der(&cert_path(ours.data_dir()));
    assert_eq!(
        logged.parse::<Fingerprint>().unwrap(),
        Fingerprint::of(&der),
        "the log names the served certificate"
    );

    let pinned = builder(&ours).fingerprint(&logged).build().unwrap();
    assert!(pinned.torrents().await.unwrap().is_empty());
    let first = Box::pin(pinned.events()).next().await.unwrap().unwrap();
    assert!(matches!(first, Event::Torrents(_)), "{first:?}");

    let bare_lowercase = logged.replace(':', "").to_lowercase();
    let misdirected = builder(&other)
        .fingerprint(&bare_lowercase)
        .build()
        .unwrap();
    let refused = misdirected.torrents().await.unwrap_err();
    assert!(refused.is_tls() && refused.is_connect(), "{refused:?}");
    assert!(
        refused.to_string().contains("pinned fingerprint"),
        "{refused}"
    );
    let socket = Box::pin(misdirected.events())
        .next()
        .await
        .unwrap()
        .unwrap_err();
    assert!(socket.is_tls(), "{socket:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ca_file_system_roots_and_danger_choices() {
    // Proves a CA file trusts only its server, system roots refuse the self-signed certificate, and the danger switch accepts it.
    let ours = MosaicServer::start(ServerOptions::default()).await;
    let other = MosaicServer::start(ServerOptions::default()).await;

    let by_ca = builder(&ours)
        .ca_file(cert_path(ours.data_dir()))
        .build()
        .unwrap();
    assert!(by_ca.stats().await.is_ok());
    let wrong_ca = builder(&other)
        .ca_file(cert_path(ours.data_dir()))
        .build()
        .unwrap();
    assert!(wrong_ca.stats().await.unwrap_err().is_tls());

    let system = builder(&ours).system_roots().build().unwrap();
    let untrusted = system.stats().await.unwrap_err();
    assert!(untrusted.is_tls(), "{untrusted:?}");
    let socket = Box::pin(system.events()).next().await.unwrap().unwrap_err();
    assert!(socket.is_tls(), "{socket:?}");

    let reckless = builder(&ours)
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    assert!(reckless.stats().await.is_ok());
    let first = Box::pin(reckless.events()).next().await.unwrap().unwrap();
    assert!(matches!(first, Event::Torrents(_)));
}

fn rustls_der(pem: &std::path::Path) -> Vec<u8> {
    let text = std::fs::read(pem).unwrap();
    let cert = rustls_pemfile::certs(&mut &text[..])
        .next()
        .unwrap()
        .unwrap();
    cert.to_vec()
}
