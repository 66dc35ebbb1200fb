//! The typed, reconnecting event stream against a real server.

mod support;

use std::time::Duration;

use futures::StreamExt;
use mosaic_client::{AddOptions, Client, Event, Tab, TorrentList};
use mosaic_tests::{MosaicServer, ServerOptions, free_port};
use support::{FixedServer, cert_path, client_for, next_matching, small_torrent};

fn paused() -> AddOptions {
    AddOptions {
        paused: true,
        ..AddOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_starts_with_full_ticks_and_reports_torrent_events() {
    // Proves the first frames are the list and stats, then added, inspector and removed events arrive typed.
    let server = MosaicServer::start(ServerOptions::default()).await;
    let client = client_for(&server);
    let mut events = Box::pin(client.events());
    let first = next_matching(&mut events, "first list", |e| match e {
        Event::Torrents(list) => Some(list),
        _ => None,
    })
    .await;
    assert!(first.is_empty());
    next_matching(&mut events, "stats", |e| {
        matches!(e, Event::Stats(_)).then_some(())
    })
    .await;

    let torrent = small_torrent("client-events", "pack");
    let id = client
        .add_torrent_file(&torrent.path, &paused())
        .await
        .unwrap();
    let name = next_matching(&mut events, "torrent:added", |e| match e {
        Event::Added { id: added, name } if added == id => Some(name),
        _ => None,
    })
    .await;
    assert_eq!(name, "pack");

    client.focus_inspector(id, &[Tab::Files]).await.unwrap();
    let detail = next_matching(&mut events, "inspector frame", |e| match e {
        Event::Inspector(detail) => Some(detail),
        _ => None,
    })
    .await;
    assert_eq!(detail.torrent.id, id);
    assert_eq!(detail.files.map(|f| f.len()), Some(2));
    assert!(
        detail.peers_list.is_none(),
        "only the focused tabs are sent"
    );

    client.remove(id).await.unwrap();
    next_matching(&mut events, "torrent:removed", |e| {
        matches!(e, Event::Removed { id: gone, .. } if gone == id).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_survives_a_server_restart() {
    // Proves a restart yields Disconnected, then Reconnected with a fresh full list, and events keep coming.
    let mut server = FixedServer::start().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .api_key(&server.api_key)
        .ca_file(cert_path(&server.data_dir()))
        .reconnect_delay(Duration::from_millis(100), Duration::from_millis(500))
        .build()
        .unwrap();
    let mut events = Box::pin(client.events());
    next_matching(&mut events, "first list", |e| {
        matches!(e, Event::Torrents(_)).then_some(())
    })
    .await;
    let torrent = small_torrent("client-restart", "pack");
    let id = client
        .add_torrent_file(&torrent.path, &paused())
        .await
        .unwrap();

    server.stop().await;
    let reason = next_matching(&mut events, "disconnect", |e| match e {
        Event::Disconnected { reason } => Some(reason),
        _ => None,
    })
    .await;
    assert!(!reason.is_empty());
    tokio::time::sleep(Duration::from_secs(1)).await;
    server.start_again().await;

    let mut seen = Vec::new();
    let list = next_matching(&mut events, "list after reconnect", |e| {
        seen.push(format!("{e:?}").chars().take(40).collect::<String>());
        match e {
            Event::Torrents(list) => Some(list),
            _ => None,
        }
    })
    .await;
    assert!(
        seen.iter().any(|e| e.starts_with("Reconnected")),
        "{seen:?}"
    );
    assert_eq!(
        list.iter().map(|t| t.id).collect::<Vec<_>>(),
        [id],
        "the full tick carries the kept torrent"
    );
    client.remove(id).await.unwrap();
    next_matching(&mut events, "removed after restart", |e| {
        matches!(e, Event::Removed { .. }).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delta_stream_rebuilds_the_same_list() {
    // Proves events_delta plus TorrentList gives exactly the list GET /api/torrents answers.
    let server = MosaicServer::start(ServerOptions::default()).await;
    let client = client_for(&server);
    let mut events = Box::pin(client.events_delta());
    let mut list = TorrentList::default();
    let empty = next_matching(&mut events, "first list", |e| match e {
        Event::Torrents(rows) => Some(rows),
        _ => None,
    })
    .await;
    list.apply(&Event::Torrents(empty));
    let first = small_torrent("client-delta-a", "pack");
    let second = small_torrent("client-delta-b", "pack-b");
    let a = client
        .add_torrent_file(&first.path, &paused())
        .await
        .unwrap();
    let b = client
        .add_torrent_file(&second.path, &paused())
        .await
        .unwrap();
    client.resume(a).await.unwrap();

    let mut deltas = 0;
    let deadline = tokio::time::Instant::now() + support::EVENT_TIMEOUT;
    loop {
        let event = tokio::time::timeout_at(deadline, events.next())
            .await
            .expect("list converges")
            .unwrap()
            .unwrap();
        deltas += usize::from(matches!(event, Event::Delta(_)));
        list.apply(&event);
        if !matches!(event, Event::Stats(_)) {
            continue;
        }
        let rebuilt: Vec<_> = list
            .torrents()
            .unwrap()
            .iter()
            .map(|t| (t.id, t.paused))
            .collect();
        let served: Vec<_> = client
            .torrents()
            .await
            .unwrap()
            .iter()
            .map(|t| (t.id, t.paused))
            .collect();
        if rebuilt == served && rebuilt.len() == 2 && deltas > 0 {
            assert!(rebuilt.iter().any(|(id, paused)| *id == a && !paused));
            assert!(rebuilt.iter().any(|(id, paused)| *id == b && *paused));
            break;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_key_ends_the_stream_with_unauthorized() {
    // Proves rotating the key elsewhere closes the socket and the stream ends with a 401 rather than retrying forever.
    let server = MosaicServer::start(ServerOptions::default()).await;
    let watcher = client_for(&server);
    let mut events = Box::pin(watcher.events());
    next_matching(&mut events, "first list", |e| {
        matches!(e, Event::Torrents(_)).then_some(())
    })
    .await;

    client_for(&server).rotate_api_key().await.unwrap();
    let deadline = tokio::time::Instant::now() + support::EVENT_TIMEOUT;
    let error = loop {
        match tokio::time::timeout_at(deadline, events.next())
            .await
            .expect("the stream reacts")
        {
            Some(Ok(_)) => continue,
            Some(Err(e)) => break e,
            None => panic!("the stream ended without saying why"),
        }
    };
    assert!(error.is_unauthorized(), "{error}");
    assert!(
        events.next().await.is_none(),
        "the stream ends after a final error"
    );
}

#[tokio::test]
async fn first_connection_failure_is_reported_at_once() {
    // Proves a stream aimed at nothing fails with a connect error instead of retrying silently.
    let client = Client::builder()
        .base_url(format!("https://127.0.0.1:{}", free_port()))
        .api_key("k")
        .build()
        .unwrap();
    let mut events = Box::pin(client.events());
    let error = events.next().await.unwrap().unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert!(events.next().await.is_none());
}
