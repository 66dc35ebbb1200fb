//! Every client method against a real `mosaic-server` over TLS, with the
//! error answers a caller must be able to tell apart.

mod support;

use std::time::Duration;

use mosaic_client::wire::{
    BlocklistUpdate, CategoryUpdate, ConnectionSettings, NewCategory, SpeedLimits, TorrentState,
    UpdateChannel, UpdaterSettings, WebSettingsUpdate,
};
use mosaic_client::{AddOptions, Client, InfoHash, Priority, Tab};
use mosaic_tests::{MosaicServer, ServerOptions};
use support::{cert_path, client_for, small_torrent};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn torrent_routes_round_trip_through_typed_methods() {
    // Proves add, list, detail, control, category, priorities, move, inspector and remove all work and show their effect.
    let server = MosaicServer::start(ServerOptions::default()).await;
    let client = client_for(&server);
    let torrent = small_torrent("client-api", "pack");
    assert_eq!(client.version().await.unwrap(), env!("CARGO_PKG_VERSION"));
    assert!(client.torrents().await.unwrap().is_empty());

    let save = torrent.dir.subdir("saved");
    let options = AddOptions {
        save_path: Some(save.to_str().unwrap().into()),
        category_id: None,
        paused: true,
    };
    let id = client
        .add_torrent_file(&torrent.path, &options)
        .await
        .unwrap();
    assert_eq!(id.to_string(), torrent.info_hash);
    let again = client
        .add_torrent(
            std::fs::read(&torrent.path).unwrap(),
            &AddOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(again, id, "adding twice answers the same id");
    let rows = client.torrents().await.unwrap();
    assert_eq!((rows.len(), rows[0].id, rows[0].paused), (1, id, true));
    assert_eq!(rows[0].save_path, save.to_str().unwrap());

    let detail = client.torrent(id).await.unwrap();
    assert_eq!(detail.torrent.name, "pack");
    let files = detail.files.unwrap();
    assert_eq!(
        files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
        ["a.bin", "b/c.txt"]
    );

    client.resume(id).await.unwrap();
    assert!(!client.torrent(id).await.unwrap().torrent.paused);
    // The server answers 500 ("torrent is already paused") to a pause that
    // arrives before librqbit has started a just-resumed torrent, so wait
    // until it runs.
    let mut state = TorrentState::Paused;
    for _ in 0..300 {
        state = client.torrent(id).await.unwrap().torrent.state;
        if state == TorrentState::Downloading {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(state, TorrentState::Downloading, "the torrent started");
    client.pause(id).await.unwrap();
    assert_eq!(
        client.torrent(id).await.unwrap().torrent.state,
        TorrentState::Paused
    );
    client.recheck(id).await.unwrap();

    client
        .set_file_priorities(id, [(1, Priority::Skip), (0, Priority::Max)])
        .await
        .unwrap();
    let files = client.torrent(id).await.unwrap().files.unwrap();
    assert_eq!(
        (files[0].priority, files[1].priority),
        (Priority::Max, Priority::Skip)
    );

    let category = client
        .create_category(&NewCategory {
            name: "iso".into(),
            default_save_path: String::new(),
            color: Some("#112233".into()),
        })
        .await
        .unwrap();
    client.set_category(id, Some(category)).await.unwrap();
    assert_eq!(
        client.torrents().await.unwrap()[0].category_id,
        Some(category)
    );
    client.set_category(id, None).await.unwrap();
    assert_eq!(client.torrents().await.unwrap()[0].category_id, None);

    let moved = torrent.dir.subdir("moved");
    client
        .move_torrent(id, moved.to_str().unwrap())
        .await
        .unwrap();
    assert_eq!(
        client.torrent(id).await.unwrap().torrent.save_path,
        moved.to_str().unwrap()
    );

    client
        .focus_inspector(id, &[Tab::Files, Tab::Peers])
        .await
        .unwrap();
    client.clear_inspector().await.unwrap();
    assert_eq!(client.stats().await.unwrap().total_torrents, 1);

    client.remove(id).await.unwrap();
    assert!(client.torrents().await.unwrap().is_empty());
    let magnet = format!("magnet:?xt=urn:btih:{}&dn=pack", torrent.info_hash);
    let by_magnet = client
        .add_magnet(
            &magnet,
            &AddOptions {
                paused: true,
                ..AddOptions::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(by_magnet, id);
    client.remove_with_data(id).await.unwrap();
    assert!(client.torrent(id).await.unwrap_err().is_not_found());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn category_and_settings_routes_store_what_they_are_given() {
    // Proves category CRUD and every settings getter/setter reach the server and read back.
    let server = MosaicServer::start(ServerOptions::default()).await;
    let client = client_for(&server);

    let new = NewCategory {
        name: "films".into(),
        default_save_path: "/srv/films".into(),
        color: None,
    };
    let id = client.create_category(&new).await.unwrap();
    let update = CategoryUpdate {
        id,
        name: Some("movies".into()),
        default_save_path: None,
        color: Some("#abcdef".into()),
    };
    client.update_category(&update).await.unwrap();
    let listed = client.categories().await.unwrap();
    assert_eq!(
        (listed[0].name.as_str(), listed[0].color.as_str()),
        ("movies", "#abcdef")
    );
    assert_eq!(listed[0].default_save_path, "/srv/films");
    assert!(
        client
            .create_category(&NewCategory {
                name: "movies".into(),
                ..new.clone()
            })
            .await
            .unwrap_err()
            .is_conflict()
    );
    client.delete_category(id).await.unwrap();
    assert!(client.delete_category(id).await.unwrap_err().is_not_found());

    let path = server.save_path().join("elsewhere");
    client.set_save_path(path.to_str().unwrap()).await.unwrap();
    assert_eq!(client.save_path().await.unwrap(), path.to_str().unwrap());
    assert!(
        client
            .set_save_path("relative/path")
            .await
            .unwrap_err()
            .is_bad_request()
    );

    let limits = SpeedLimits {
        down_kbps: 500,
        up_kbps: 100,
        alt_down_kbps: 50,
        alt_up_kbps: 10,
        alt_active: false,
    };
    client.set_limits(&limits).await.unwrap();
    assert_eq!(client.limits().await.unwrap(), limits);
    assert!(client.toggle_alt_speed().await.unwrap());
    assert!(client.limits().await.unwrap().alt_active);

    let connection = ConnectionSettings {
        listen_port: 51_413,
        dht_enabled: false,
        max_peers_per_torrent: 40,
        upnp_enabled: false,
    };
    client.set_connection_settings(&connection).await.unwrap();
    assert_eq!(client.connection_settings().await.unwrap(), connection);

    let web = WebSettingsUpdate {
        host_names: Some(vec!["mosaic.test".into()]),
        session_ttl_secs: Some(3600),
    };
    client.set_web_settings(&web).await.unwrap();
    let read = client.web_settings().await.unwrap();
    assert_eq!(
        (read.username.as_str(), read.session_ttl_secs),
        ("admin", 3600)
    );
    assert_eq!(read.host_names, ["mosaic.test"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_keep_status_and_message() {
    // Proves 401, 404, 400 and 409 answers become errors with the right predicates and the server's words.
    let server = MosaicServer::start(ServerOptions::default()).await;
    let client = client_for(&server);
    let unknown = InfoHash::from_bytes([7; 20]);

    let missing = client.pause(unknown).await.unwrap_err();
    assert!(missing.is_not_found() && !missing.is_connect());
    assert_eq!(
        (missing.status(), missing.message()),
        (Some(404), Some("torrent not found"))
    );

    let bad = client
        .add_magnet("magnet:?dn=no-hash", &AddOptions::default())
        .await
        .unwrap_err();
    assert!(bad.is_bad_request(), "{bad}");
    let not_torrent = client
        .add_torrent(b"not bencode".to_vec(), &AddOptions::default())
        .await
        .unwrap_err();
    assert!(not_torrent.is_bad_request(), "{not_torrent}");

    let stranger = Client::builder()
        .base_url(server.base_url())
        .api_key("not-the-key")
        .ca_file(cert_path(server.data_dir()))
        .build()
        .unwrap();
    let refused = stranger.torrents().await.unwrap_err();
    assert!(refused.is_unauthorized());
    assert_eq!(refused.to_string(), "server answered 401: unauthorized");
    assert!(
        !format!("{refused} {refused:?}").contains("not-the-key"),
        "the key must not leak"
    );
    assert_eq!(
        stranger.version().await.unwrap(),
        env!("CARGO_PKG_VERSION"),
        "version is public"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_sign_in_lazily_and_again_when_refused() {
    // Proves password sign-in works for reads and cookie writes, and a refused session is renewed transparently.
    let server = MosaicServer::start(ServerOptions::default()).await;
    let builder = || {
        Client::builder()
            .base_url(server.base_url())
            .ca_file(cert_path(server.data_dir()))
    };
    let client = builder().login("admin", server.password()).build().unwrap();
    assert!(client.torrents().await.unwrap().is_empty());
    let token = client.session_token().expect("signed in on first use");
    let id = client
        .create_category(&NewCategory {
            name: "by-cookie".into(),
            default_save_path: String::new(),
            color: None,
        })
        .await
        .expect("cookie writes carry our Origin");

    client.logout().await.unwrap();
    assert!(client.session_token().is_none());
    let stale = builder().session_token(&token).build().unwrap();
    assert!(
        stale.categories().await.unwrap_err().is_unauthorized(),
        "logout ended the old session"
    );

    let renewing = builder()
        .login("admin", server.password())
        .session_token(&token)
        .build()
        .unwrap();
    assert_eq!(
        renewing.categories().await.unwrap()[0].id,
        id,
        "the stale session was replaced"
    );
    assert_ne!(renewing.session_token().unwrap(), token);

    let wrong = builder().login("admin", "wrong password").build().unwrap();
    let error = wrong.login().await.unwrap_err();
    assert_eq!(
        (error.status(), error.message()),
        (Some(401), Some("invalid credentials"))
    );
    assert!(!format!("{error:?}").contains("wrong password"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_rotation_and_password_change_keep_the_client_working() {
    // Proves a client that rotates its own key switches to the new one, the old key dies, and the password changes.
    let server = MosaicServer::start(ServerOptions::default()).await;
    let client = client_for(&server);
    let old = client_for(&server);

    let new_key = client.rotate_api_key().await.unwrap();
    assert_eq!(new_key.len(), 43);
    assert!(
        client.torrents().await.is_ok(),
        "the rotating client uses the new key"
    );
    assert!(
        old.torrents().await.unwrap_err().is_unauthorized(),
        "the old key stopped working"
    );
    assert!(
        client
            .web_settings()
            .await
            .unwrap()
            .api_key_hint
            .starts_with(&new_key[..4])
    );

    let short = client
        .change_password(server.password(), "short")
        .await
        .unwrap_err();
    assert!(short.is_bad_request(), "{short}");
    client
        .change_password(server.password(), "a much longer password")
        .await
        .unwrap();
    let signed_in = Client::builder()
        .base_url(server.base_url())
        .ca_file(cert_path(server.data_dir()))
        .login("admin", "a much longer password")
        .build()
        .unwrap();
    signed_in.login().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_limit_answers_429_with_retry_after() {
    // Proves the login limiter's 429 is a rate-limit error carrying Retry-After.
    let server = MosaicServer::start(ServerOptions::default()).await;
    let wrong = Client::builder()
        .base_url(server.base_url())
        .ca_file(cert_path(server.data_dir()))
        .login("admin", "not it")
        .build()
        .unwrap();
    let mut limited = None;
    for _ in 0..10 {
        match wrong.login().await {
            Err(e) if e.is_rate_limited() => {
                limited = Some(e);
                break;
            }
            Err(e) => assert!(e.is_unauthorized(), "{e}"),
            Ok(()) => panic!("a wrong password signed in"),
        }
    }
    let limited = limited.expect("the limiter answered 429 within 10 attempts");
    assert_eq!(limited.message(), Some("too many login attempts"));
    let wait = limited.retry_after().expect("429 carries Retry-After");
    assert!(
        wait >= Duration::from_secs(1) && wait <= Duration::from_secs(12),
        "{wait:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocklist_and_updater_routes_answer_as_documented() {
    // Proves the blocklist and updater settings round-trip, and refresh/check/install failures keep status and reason.
    let server = MosaicServer::start(ServerOptions::default()).await;
    let client = client_for(&server);
    let nowhere = format!("http://127.0.0.1:{}/list.txt", mosaic_tests::free_port());

    let initial = client.blocklist().await.unwrap();
    assert!(
        initial.url.is_empty() && !initial.enabled && initial.entries == 0,
        "{initial:?}"
    );
    let no_url = client.refresh_blocklist().await.unwrap_err();
    assert_eq!(
        (no_url.status(), no_url.message()),
        (Some(400), Some("no blocklist url is configured"))
    );
    client
        .set_blocklist(&BlocklistUpdate {
            url: nowhere.clone(),
            enabled: true,
        })
        .await
        .unwrap();
    let refused = client.refresh_blocklist().await.unwrap_err();
    assert_eq!(refused.status(), Some(502), "{refused}");
    assert!(
        refused
            .message()
            .unwrap()
            .starts_with("blocklist refresh failed: "),
        "{refused}"
    );
    let after = client.blocklist().await.unwrap();
    assert_eq!(
        (after.url.as_str(), after.enabled),
        (nowhere.as_str(), true)
    );
    assert!(after.error.is_some(), "GET shows why the refresh failed");
    let bad_url = client
        .set_blocklist(&BlocklistUpdate {
            url: "ftp://x".into(),
            enabled: true,
        })
        .await
        .unwrap_err();
    assert!(bad_url.is_bad_request());

    assert!(
        client
            .check_for_update()
            .await
            .unwrap_err()
            .is_bad_request(),
        "no feed url yet"
    );
    let settings = UpdaterSettings {
        enabled: false,
        channel: UpdateChannel::Beta,
        feed_url: nowhere.replace("list.txt", "feed.json"),
        last_checked_at: None,
    };
    client.set_updater_settings(&settings).await.unwrap();
    let stored = client.updater_settings().await.unwrap();
    assert_eq!(
        (stored.channel, stored.feed_url.as_str()),
        (UpdateChannel::Beta, settings.feed_url.as_str())
    );
    let unreachable = client.check_for_update().await.unwrap_err();
    assert_eq!(unreachable.status(), Some(502), "{unreachable}");
    assert!(
        unreachable
            .message()
            .unwrap()
            .starts_with("release feed unreachable"),
        "{unreachable}"
    );
    let install = client.install_update().await.unwrap_err();
    assert!(matches!(install.status(), Some(409 | 502)), "{install}");
}

#[tokio::test]
async fn a_silent_server_is_a_timeout() {
    // Proves a server that accepts but never answers ends in is_timeout, not a hang.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let hold = tokio::spawn(async move {
        let (_socket, _) = listener.accept().await.unwrap();
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    let client = Client::builder()
        .base_url(url)
        .api_key("k")
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = client.torrents().await.unwrap_err();
    assert!(error.is_timeout() && !error.is_connect(), "{error:?}");
    hold.abort();
}
