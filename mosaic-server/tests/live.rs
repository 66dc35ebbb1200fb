//! The WebSocket stream against a real server over TLS in this process:
//! first frames, ticks, events, inspector focus, auth before upgrade,
//! closing rules, slow consumers and delta frames.

mod common;

use std::time::{Duration, Instant};

use common::live::{close_code, frame_of, live_server, next_frame};
use common::torrent;
use mosaic_core::AddOptions;
use mosaic_core::events::Event;
use mosaic_core::wire::UpdateInfo;
use serde_json::{Value, json};

fn paused() -> AddOptions {
    AddOptions {
        paused: true,
        ..AddOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_gets_first_frames_ticks_events_and_inspector() {
    // Proves the stream: first list and stats at once, then added, ticks, inspector frames and update:available.
    let server = live_server("127.0.0.1:0").await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let mut socket = server
        .socket(&format!("?key={}", server.key), &[])
        .await
        .unwrap();
    let first = next_frame(&mut socket).await.unwrap();
    assert_eq!(
        (
            first["type"].as_str(),
            first["payload"].as_array().map(Vec::len)
        ),
        (Some("torrents:tick"), Some(0))
    );
    let second = next_frame(&mut socket).await.unwrap();
    assert_eq!(second["type"], "stats:tick");
    assert_eq!(second["payload"]["total_torrents"], 0);

    let bytes = torrent("set", &[(&["a.bin"], 40000), (&["b.bin"], 5)]);
    let id = server
        .engine
        .add_torrent_file(&bytes, &paused())
        .await
        .unwrap();
    let added = frame_of(&mut socket, "torrent:added", 5).await;
    assert_eq!(
        added["payload"],
        json!({"id": id.to_string(), "name": "set"})
    );
    let tick = frame_of(&mut socket, "torrents:tick", 5).await;
    assert_eq!(tick["payload"][0]["id"], id.to_string());
    assert_eq!(tick["payload"][0]["state"], "paused");
    let stats = frame_of(&mut socket, "stats:tick", 5).await;
    assert_eq!(stats["payload"]["total_torrents"], 1);

    let (status, _) = server
        .post(
            "/api/inspector/focus",
            json!({"id": id.to_string(), "tabs": ["overview", "files"]}),
        )
        .await;
    assert_eq!(status, 200);
    let inspector = frame_of(&mut socket, "inspector:tick", 5).await;
    let detail = &inspector["payload"];
    assert_eq!(
        (detail["name"].as_str(), detail["progress"].as_f64()),
        (Some("set"), Some(0.0))
    );
    assert_eq!(detail["files"].as_array().map(Vec::len), Some(2));
    assert!(
        detail.get("peers_list").is_none() && detail.get("pieces").is_none(),
        "unasked tabs sent"
    );

    let info = UpdateInfo {
        available: true,
        current_version: "0.1.0".into(),
        latest_version: Some("0.2.0".into()),
        release_notes: Some("notes".into()),
        asset_url: None,
        asset_filename: None,
        checked_at: 1,
    };
    server.engine.events().publish(Event::UpdateAvailable(info));
    let update = frame_of(&mut socket, "update:available", 5).await;
    assert_eq!(update["payload"]["latest_version"], "0.2.0");

    let (status, _) = server.post("/api/inspector/clear", json!(null)).await;
    assert_eq!(status, 200);
    server.engine.remove(id, false).await.unwrap();
    let removed = frame_of(&mut socket, "torrent:removed", 5).await;
    assert_eq!(removed["payload"]["id"], id.to_string());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sockets_are_refused_before_the_upgrade() {
    // Proves auth and hijacking checks happen before upgrading: no key, wrong key, foreign Origin.
    let server = live_server("127.0.0.1:0").await;
    let unauthorized = (401, json!({"error": "unauthorized"}).to_string());
    assert_eq!(
        server.socket("", &[]).await.err(),
        Some(unauthorized.clone())
    );
    assert_eq!(
        server.socket("?key=wrong", &[]).await.err(),
        Some(unauthorized.clone())
    );
    let bearer = format!("Bearer {}", server.key);
    assert!(
        server
            .socket("", &[("authorization", &bearer)])
            .await
            .is_ok()
    );
    let foreign = server
        .socket(
            &format!("?key={}", server.key),
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(
        foreign.err(),
        Some((403, json!({"error": "origin mismatch"}).to_string()))
    );
    let ours = format!("https://127.0.0.1:{}", server.addr.port());
    assert!(
        server
            .socket(&format!("?key={}", server.key), &[("origin", &ours)])
            .await
            .is_ok()
    );

    let cookie = server.login_cookie().await;
    assert!(server.socket("", &[("cookie", &cookie)]).await.is_ok());
    assert_eq!(
        server
            .socket("", &[("cookie", "mosaic_session=forged")])
            .await
            .err(),
        Some(unauthorized)
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_and_logout_close_sockets_with_1008_and_shutdown_with_1001() {
    // Proves the closing rules: revoked key or session gets 1008, server shutdown 1001.
    let server = live_server("127.0.0.1:0").await;
    let mut by_key = server
        .socket(&format!("?key={}", server.key), &[])
        .await
        .unwrap();
    let (status, rotated) = server
        .post("/api/settings/web/api_key/rotate", json!(null))
        .await;
    assert_eq!(status, 200);
    assert_eq!(close_code(&mut by_key, 5).await, Some(1008));

    let new_key = rotated["api_key"].as_str().unwrap().to_owned();
    let cookie = server.login_cookie().await;
    let mut by_cookie = server.socket("", &[("cookie", &cookie)]).await.unwrap();
    let logout = server
        .http()
        .post(format!("{}/api/logout", server.base()))
        .header("cookie", &cookie)
        .header("origin", server.base())
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 200);
    assert_eq!(close_code(&mut by_cookie, 5).await, Some(1008));

    let mut survivor = server
        .socket(&format!("?key={new_key}"), &[])
        .await
        .unwrap();
    next_frame(&mut survivor).await.unwrap();
    let stopping = tokio::spawn(server.stop());
    assert_eq!(close_code(&mut survivor, 10).await, Some(1001));
    stopping.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_client_does_not_delay_others_and_is_closed() {
    // Proves back-pressure: a client that stops reading loses only its own frames and is eventually dropped.
    let server = live_server("127.0.0.1:0").await;
    // Thousands of files make each inspector frame about a megabyte, so a
    // client that does not read fills the socket buffers within seconds.
    let names: Vec<String> = (0..5000)
        .map(|i| format!("{i:05}-{}", "x".repeat(150)))
        .collect();
    let files: Vec<(Vec<&str>, u64)> = names.iter().map(|n| (vec![n.as_str()], 1)).collect();
    let files: Vec<(&[&str], u64)> = files.iter().map(|(p, l)| (p.as_slice(), *l)).collect();
    let id = server
        .engine
        .add_torrent_file(&torrent("many", &files), &paused())
        .await
        .unwrap();
    let (status, _) = server
        .post(
            "/api/inspector/focus",
            json!({"id": id.to_string(), "tabs": ["files"]}),
        )
        .await;
    assert_eq!(status, 200);

    let mut slow = server
        .socket(&format!("?key={}", server.key), &[])
        .await
        .unwrap();
    let mut fast = server
        .socket(&format!("?key={}", server.key), &[])
        .await
        .unwrap();
    let started = Instant::now();
    let mut gaps = Vec::new();
    let mut last = Instant::now();
    while started.elapsed() < Duration::from_secs(16) {
        let frame = frame_of(&mut fast, "stats:tick", 5).await;
        assert_eq!(frame["payload"]["total_torrents"], 1);
        gaps.push(last.elapsed());
        last = Instant::now();
    }
    let worst = gaps.iter().skip(1).max().copied().unwrap_or_default();
    assert!(
        worst < Duration::from_millis(2500),
        "fast client waited {worst:?} between ticks"
    );
    assert!(
        gaps.len() >= 12,
        "fast client got only {} ticks in 16 s",
        gaps.len()
    );

    // Drain what the slow client's buffers held: the server must have hung up.
    let mut frames = 0;
    let drained = tokio::time::timeout(Duration::from_secs(20), async {
        while next_frame(&mut slow).await.is_some() {
            frames += 1;
        }
    })
    .await;
    assert!(drained.is_ok(), "the stalled socket was never closed");
    assert!(
        frames < gaps.len() * 2,
        "the stalled client got every frame ({frames})"
    );
    server.stop().await;
}

/// Applies a delta payload to a list the way a client does.
fn apply(list: &[Value], delta: &Value) -> Vec<Value> {
    let mut rows: Vec<serde_json::Map<String, Value>> = list
        .iter()
        .map(|v| v.as_object().unwrap().clone())
        .collect();
    let removed: Vec<&str> = delta["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    rows.retain(|r| !removed.contains(&r["id"].as_str().unwrap()));
    for partial in delta["changed"].as_array().unwrap() {
        let partial = partial.as_object().unwrap();
        match rows.iter_mut().find(|r| r["id"] == partial["id"]) {
            Some(row) => row.extend(partial.clone()),
            None => rows.push(partial.clone()),
        }
    }
    rows.sort_by(|a, b| {
        b["added_at"]
            .as_i64()
            .cmp(&a["added_at"].as_i64())
            .then(a["id"].as_str().cmp(&b["id"].as_str()))
    });
    rows.into_iter().map(Value::Object).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deltas_rebuild_every_full_list() {
    // Proves delta mode: the first full list plus each delta equals the full list a plain client sees.
    let server = live_server("127.0.0.1:0").await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let mut plain = server
        .socket(&format!("?key={}", server.key), &[])
        .await
        .unwrap();
    let mut delta = server
        .socket(&format!("?key={}&delta=1", server.key), &[])
        .await
        .unwrap();
    let mut plain_list = frame_of(&mut plain, "torrents:tick", 5).await["payload"]
        .as_array()
        .unwrap()
        .clone();
    let mut rebuilt = frame_of(&mut delta, "torrents:tick", 5).await["payload"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(plain_list, rebuilt);

    let mut ids = Vec::new();
    for step in 0..6u32 {
        match step {
            0..=2 => {
                let bytes = torrent(
                    &format!("t{step}"),
                    &[(&["a"], 1000 + u64::from(step)), (&["b"], 7)],
                );
                ids.push(
                    server
                        .engine
                        .add_torrent_file(&bytes, &paused())
                        .await
                        .unwrap(),
                );
            }
            3 => {
                let new = mosaic_core::wire::NewCategory {
                    name: "c".into(),
                    default_save_path: String::new(),
                    color: None,
                };
                let category = server.engine.create_category(&new).unwrap();
                server.engine.set_category(ids[0], Some(category)).unwrap();
            }
            4 => server.engine.resume(ids[1]).await.unwrap(),
            _ => server.engine.remove(ids[2], false).await.unwrap(),
        }
        let full = frame_of(&mut plain, "torrents:tick", 5).await;
        plain_list = full["payload"].as_array().unwrap().clone();
        while rebuilt != plain_list {
            let frame = tokio::time::timeout(Duration::from_secs(5), next_frame(&mut delta))
                .await
                .expect("delta socket fell silent")
                .unwrap();
            match frame["type"].as_str() {
                Some("torrents:delta") => rebuilt = apply(&rebuilt, &frame["payload"]),
                Some("torrents:tick") => {
                    panic!("delta socket was sent a full list without losing frames")
                }
                _ => {}
            }
        }
        assert_eq!(rebuilt, plain_list, "after step {step}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_opened_before_the_first_tick_still_gets_the_list() {
    // Proves "right after connecting" holds at start-up too: the first tick sends the list even if unchanged.
    let server = live_server("127.0.0.1:0").await;
    for query in [
        format!("?key={}", server.key),
        format!("?key={}&delta=1", server.key),
    ] {
        let mut socket = server.socket(&query, &[]).await.unwrap();
        let list = frame_of(&mut socket, "torrents:tick", 3).await;
        assert_eq!(list["payload"], json!([]), "{query}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pausing_right_after_resuming_answers_ok_and_ends_paused() {
    // Proves pause is safe while librqbit is still starting the torrent: no 500, and the torrent ends paused.
    let server = live_server("127.0.0.1:0").await;
    let bytes = torrent("race", &[(&["a"], 50_000), (&["b"], 3)]);
    let id = server
        .engine
        .add_torrent_file(&bytes, &paused())
        .await
        .unwrap();
    for _ in 0..5 {
        let (resumed, _) = server
            .post(&format!("/api/torrents/{id}/resume"), json!(null))
            .await;
        let (paused_status, body) = server
            .post(&format!("/api/torrents/{id}/pause"), json!(null))
            .await;
        assert_eq!(
            (resumed, paused_status, body),
            (200, 200, json!({"ok": true}))
        );
    }
    let settled = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let (_, detail) = server.get(&format!("/api/torrents/{id}")).await;
            if detail["state"] == "paused" {
                return detail;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await
    .expect("the torrent never settled paused");
    assert_eq!(settled["paused"], true);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        server.get(&format!("/api/torrents/{id}")).await.1["state"],
        "paused"
    );
    server.stop().await;
}
