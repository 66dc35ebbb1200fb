//! The blocklist routes against a real server and real HTTP list servers on
//! loopback: formats, failures that keep the old list, and the refusal of
//! internal targets when the operator did not allow them.

mod common;

use std::io::Write;

use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use common::live::live_server;
use serde_json::{Value, json};

/// Serves `/list` with `body` and `/missing` as 404 on 127.0.0.1.
async fn list_server(body: Vec<u8>) -> String {
    let app = Router::new()
        .route("/list", get(move || async move { body }))
        .route("/missing", get(|| async { StatusCode::NOT_FOUND }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

fn gzip(text: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(text).unwrap();
    encoder.finish().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_load_and_failures_keep_the_old_list() {
    // Proves refresh: a gzip list loads; dead URL, 404 and junk answer 502 and the old list stays in force.
    let server = live_server("127.0.0.1:0").await;
    let good = list_server(gzip(
        b"# mixed\nlan:127.0.0.2-127.0.0.2\n10.0.0.0/8\n2001:db8::/32\n",
    ))
    .await;
    let (status, _) = server
        .put(
            "/api/settings/blocklist",
            json!({"url": format!("{good}/list"), "enabled": true}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = server
        .post("/api/settings/blocklist/refresh", json!(null))
        .await;
    assert_eq!((status, body), (200, json!({"ok": true})));
    let (_, loaded) = server.get("/api/settings/blocklist").await;
    assert_eq!(
        (loaded["entries"].as_u64(), loaded["enabled"].as_bool()),
        (Some(3), Some(true))
    );
    assert!(loaded["last_loaded_at"].as_i64().unwrap() > 0);
    assert_eq!(loaded["error"], Value::Null);
    let stored = std::fs::read_to_string(server.dir.path().join("data/blocklist.txt")).unwrap();
    assert!(stored.contains("127.0.0.2-127.0.0.2") && stored.contains("10.0.0.0-10.255.255.255"));

    let junk = list_server(b"<html>nothing to see</html>".to_vec()).await;
    for (url, reason) in [
        ("http://127.0.0.1:9/list".to_owned(), "could not connect"),
        (format!("{good}/missing"), "server answered http 404"),
        (format!("{junk}/list"), "the body holds no blocklist entry"),
    ] {
        assert_eq!(
            server
                .put(
                    "/api/settings/blocklist",
                    json!({"url": url, "enabled": true})
                )
                .await
                .0,
            200
        );
        let (status, body) = server
            .post("/api/settings/blocklist/refresh", json!(null))
            .await;
        assert_eq!(status, 502, "{url}");
        let message = body["error"].as_str().unwrap();
        assert!(
            message.starts_with("blocklist refresh failed: ") && message.contains(reason),
            "{message}"
        );
        let (_, after) = server.get("/api/settings/blocklist").await;
        assert_eq!(after["entries"], 3, "the old list was dropped");
        assert!(after["error"].as_str().unwrap().contains(reason));
    }
    assert!(
        std::fs::read_to_string(server.dir.path().join("data/blocklist.txt")).unwrap() == stored
    );

    for bad in ["ftp://127.0.0.1/list", "not a url", "file:///etc/hosts"] {
        let (status, _) = server
            .put(
                "/api/settings/blocklist",
                json!({"url": bad, "enabled": true}),
            )
            .await;
        assert_eq!(status, 400, "{bad}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_targets_are_refused_unless_allowed() {
    // Proves the fetch guard: without the operator's permission a loopback list URL is refused with 502.
    let f = common::fixture().await;
    let list = list_server(b"127.0.0.2\n".to_vec()).await;
    let (status, _) = f
        .json(
            "PUT",
            "/api/settings/blocklist",
            json!({"url": format!("{list}/list"), "enabled": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = f
        .json("POST", "/api/settings/blocklist/refresh", json!(null))
        .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("refused to fetch from the private or local address 127.0.0.1"),
        "{body}"
    );
    let named = format!("http://localhost:{}/list", list.rsplit(':').next().unwrap());
    f.json(
        "PUT",
        "/api/settings/blocklist",
        json!({"url": named, "enabled": true}),
    )
    .await;
    let (status, body) = f
        .json("POST", "/api/settings/blocklist/refresh", json!(null))
        .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("refused to fetch"),
        "{body}"
    );
}
