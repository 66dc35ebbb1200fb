//! The blocklist against real peers: a seeder on a blocked address never
//! gets a connection from Mosaic while a seeder on another address serves
//! the whole torrent.

use std::net::Ipv4Addr;
use std::time::Duration;

use mosaic_tests::{Aria2Seeder, MosaicServer, ServerOptions, Swarm, magnet_for};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Serves `body` to every HTTP request on 127.0.0.1, returning the URL.
async fn serve_list(body: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/list.txt", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut request = [0u8; 2048];
            let _ = stream.read(&mut request).await;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(body.as_bytes()).await;
        }
    });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_seeder_is_never_contacted_while_another_serves() {
    // Proves peer filtering: with 127.0.0.2 blocked, Mosaic downloads everything from 127.0.0.3 alone.
    let swarm = Swarm::single_file("blocklist", "payload.bin", 6_000_000, 16).await;
    let seed_dir = swarm.subdir("seed");
    let blocked = Aria2Seeder::start_on(
        Ipv4Addr::new(127, 0, 0, 2),
        &swarm.torrent().path,
        &seed_dir,
    )
    .await;
    let allowed = Aria2Seeder::start_on(
        Ipv4Addr::new(127, 0, 0, 3),
        &swarm.torrent().path,
        &seed_dir,
    )
    .await;

    let server = MosaicServer::start(ServerOptions {
        extra_args: vec!["--allow-private-fetch".into()],
        ..ServerOptions::default()
    })
    .await;
    let api = server.api();
    let url = serve_list("# test list\nlocal test:127.0.0.2-127.0.0.2\n").await;
    assert_eq!(
        api.put_json(
            "/api/settings/blocklist",
            &json!({"url": url, "enabled": true})
        )
        .await
        .0,
        200
    );
    let (status, body) = api
        .post_json("/api/settings/blocklist/refresh", &json!(null))
        .await;
    assert_eq!((status, body), (200, json!({"ok": true})));
    assert_eq!(api.get("/api/settings/blocklist").await.1["entries"], 1);

    // Only x.pe peers: the blocked one first, so it would be tried.
    let magnet = magnet_for(
        swarm.hash(),
        "payload.bin",
        None,
        &[blocked.peer_addr(), allowed.peer_addr()],
    );
    let save = server.save_path().join("blocked-test");
    let (status, added) = api.add_magnet(&magnet, save.to_str().unwrap()).await;
    assert_eq!(status, 200, "{added}");
    let id = added["id"].as_str().unwrap().to_owned();

    // Poll the peers tab through the whole download.
    let mut seen_peers = std::collections::BTreeSet::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    loop {
        let detail = api.detail(&id).await;
        for peer in detail["peers_list"].as_array().into_iter().flatten() {
            seen_peers.insert(peer["ip"].as_str().unwrap_or_default().to_owned());
        }
        if detail["completed"] == true {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never completed: {detail}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        !seen_peers.contains("127.0.0.2"),
        "blocked peer listed: {seen_peers:?}"
    );
    assert_eq!(swarm.downloaded(&save), swarm.expected());

    assert_eq!(
        blocked.uploaded_bytes().await.unwrap(),
        0,
        "the blocked seeder sent data"
    );
    let status = blocked.status().await.unwrap();
    assert_eq!(
        status["connections"], "0",
        "the blocked seeder has a connection"
    );
    assert!(allowed.uploaded_bytes().await.unwrap() >= 6_000_000);
}
