//! The API router driven without a socket: authentication, error shapes,
//! body limits and hostile input, against a real engine and store.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{BOUND, fixture, torrent};
use mosaic_server::api::{MAX_JSON_BODY, MAX_UPLOAD_BODY};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_without_a_valid_key_are_refused() {
    // Proves the gate: no key, a wrong key and a malformed header all get 401 JSON.
    let f = fixture().await;
    let bare = Request::get("/api/torrents")
        .header(header::HOST, BOUND)
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        f.send(bare).await,
        (StatusCode::UNAUTHORIZED, json!({"error": "unauthorized"}))
    );
    for value in [
        "Bearer wrong",
        "Basic abc",
        "Bearer ",
        &format!("bearer {}", f.key),
    ] {
        let request = Request::get("/api/stats")
            .header(header::HOST, BOUND)
            .header(header::AUTHORIZATION, value);
        let (status, body) = f.send(request.body(Body::empty()).unwrap()).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("unauthorized"))
        );
    }
    let version = Request::get("/api/version")
        .header(header::HOST, BOUND)
        .body(Body::empty())
        .unwrap();
    let (status, body) = f.send(version).await;
    assert_eq!(
        (status, body["version"].as_str()),
        (StatusCode::OK, Some(env!("CARGO_PKG_VERSION")))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_and_oversized_bodies_get_json_errors() {
    // Proves body handling: broken JSON is 400, JSON over 1 MiB and uploads over 10 MiB are 413.
    let f = fixture().await;
    let broken = f
        .request("POST", "/api/torrents/magnet")
        .body(Body::from("{\"magnet\":"))
        .unwrap();
    assert_eq!(
        f.send(broken).await,
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid request body"})
        )
    );
    let wrong_type = json!({"magnet": 5, "save_path": ""});
    assert_eq!(
        f.json("POST", "/api/torrents/magnet", wrong_type).await.0,
        StatusCode::BAD_REQUEST
    );

    let huge = json!({"magnet": "x".repeat(MAX_JSON_BODY + 1), "save_path": ""});
    let too_large = json!({"error": "request body too large"});
    assert_eq!(
        f.json("POST", "/api/torrents/magnet", huge).await,
        (StatusCode::PAYLOAD_TOO_LARGE, too_large.clone())
    );
    let big_file = vec![b'd'; MAX_UPLOAD_BODY + 1];
    assert_eq!(
        f.upload(&[("file", &big_file)]).await,
        (StatusCode::PAYLOAD_TOO_LARGE, too_large)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_magnets_and_torrents_are_refused_and_nothing_is_stored() {
    // Proves validation: bad magnets, garbage, truncated and escaping torrents are 400 and leave no row.
    let f = fixture().await;
    for magnet in [
        "",
        "magnet:?xt=urn:btih:123",
        "http://example.invalid/a.torrent",
        "magnet:?dn=x",
    ] {
        let (status, body) = f
            .json(
                "POST",
                "/api/torrents/magnet",
                json!({"magnet": magnet, "save_path": ""}),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{magnet}");
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .starts_with("invalid magnet"),
            "{body}"
        );
    }
    let good = torrent("set", &[(&["a"], 100), (&["b"], 100)]);
    let escaping = torrent("set", &[(&["..", "..", "etc", "x"], 100), (&["b"], 1)]);
    let bad_name = torrent("..", &[(&["a"], 100), (&["b"], 1)]);
    for bytes in [
        &b"garbage"[..],
        &good[..good.len() - 5],
        &escaping,
        &bad_name,
    ] {
        let (status, body) = f.upload(&[("file", bytes)]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .starts_with("invalid torrent"),
            "{body}"
        );
    }
    let (status, body) = f.upload(&[("save_path", b"/tmp")]).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "missing file field"})
        )
    );
    assert!(f.engine.torrents().is_empty());
    assert!(f.engine.store().torrents().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relative_and_escaping_save_paths_are_refused() {
    // Proves save-path rules for adds, moves, the default path and categories.
    let f = fixture().await;
    let magnet = "magnet:?xt=urn:btih:dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c";
    for path in ["relative/dir", "../up", "/srv/../etc"] {
        let (status, body) = f
            .json(
                "POST",
                "/api/torrents/magnet",
                json!({"magnet": magnet, "save_path": path}),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .starts_with("invalid save path"),
            "{body}"
        );
        let (status, _) = f
            .upload(&[
                ("file", &torrent("s", &[(&["a"], 1), (&["b"], 1)])),
                ("save_path", path.as_bytes()),
            ])
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            f.json("PUT", "/api/settings/save_path", json!({"path": path}))
                .await
                .0,
            StatusCode::BAD_REQUEST
        );
        let category = json!({"name": "c", "default_save_path": path});
        assert_eq!(
            f.json("POST", "/api/categories", category).await.0,
            StatusCode::BAD_REQUEST
        );
    }
    assert!(f.engine.torrents().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_ids_and_routes_answer_404_json() {
    // Proves not-found handling on every torrent route, plus unknown paths and methods.
    let f = fixture().await;
    let unknown = "0123456789abcdef0123456789abcdef01234567";
    let not_found = (StatusCode::NOT_FOUND, json!({"error": "torrent not found"}));
    for id in [unknown, "nothex", "%2e%2e"] {
        let get = f
            .request("GET", &format!("/api/torrents/{id}"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(f.send(get).await, not_found);
        for action in ["pause", "resume", "recheck"] {
            let post = f
                .request("POST", &format!("/api/torrents/{id}/{action}"))
                .body(Body::empty())
                .unwrap();
            assert_eq!(f.send(post).await, not_found);
        }
        let delete = f
            .request("DELETE", &format!("/api/torrents/{id}?delete=1"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(f.send(delete).await, not_found);
    }
    let priorities = json!({"infohash": unknown, "priorities": {"0": "skip"}});
    assert_eq!(
        f.json("POST", "/api/torrents/file_priorities", priorities)
            .await,
        not_found
    );
    assert_eq!(
        f.json(
            "POST",
            "/api/torrents/category",
            json!({"infohash": unknown, "category_id": null})
        )
        .await,
        not_found
    );
    assert_eq!(
        f.json(
            "POST",
            "/api/torrents/move",
            json!({"infohash": unknown, "save_path": "/tmp/x"})
        )
        .await,
        not_found
    );

    let route = f
        .request("GET", "/api/nothing")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        f.send(route).await,
        (StatusCode::NOT_FOUND, json!({"error": "not found"}))
    );
    let method = f
        .request("PATCH", "/api/torrents")
        .body(Body::empty())
        .unwrap();
    assert_eq!(f.send(method).await.0, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn categories_settings_and_priorities_validate_their_input() {
    // Proves categories CRUD rules, settings round trips, and priority validation on a real torrent.
    let f = fixture().await;
    let save = f.dir.path().join("cat").to_string_lossy().into_owned();
    let (status, created) = f
        .json(
            "POST",
            "/api/categories",
            json!({"name": "linux", "default_save_path": save, "color": "#00ff00"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let id = created["id"].as_i64().unwrap();
    let duplicate = f
        .json("POST", "/api/categories", json!({"name": "linux"}))
        .await;
    assert_eq!(
        duplicate,
        (
            StatusCode::CONFLICT,
            json!({"error": "category already exists"})
        )
    );
    assert_eq!(
        f.json(
            "POST",
            "/api/categories",
            json!({"name": "x", "color": "red"})
        )
        .await
        .0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        f.json("POST", "/api/categories", json!({"name": "  "}))
            .await
            .0,
        StatusCode::BAD_REQUEST
    );

    let (status, added) = f
        .upload(&[
            ("file", &torrent("set", &[(&["a"], 20000), (&["b"], 5)])),
            ("category_id", id.to_string().as_bytes()),
            ("paused", b"true"),
        ])
        .await;
    assert_eq!(status, StatusCode::OK, "{added}");
    let hash = added["id"].as_str().unwrap().to_owned();
    let row = f.engine.torrents().remove(0);
    assert_eq!(
        (
            row.save_path.as_str(),
            row.paused,
            row.category_id.map(|c| c.0)
        ),
        (save.as_str(), true, Some(id))
    );
    let again = f
        .upload(&[("file", &torrent("set", &[(&["a"], 20000), (&["b"], 5)]))])
        .await;
    assert_eq!(again.1["id"].as_str(), Some(hash.as_str()));
    assert_eq!(f.engine.torrents().len(), 1);

    for (priorities, message) in [
        (json!({"7": "max"}), "unknown file index \"7\""),
        (json!({"x": "max"}), "unknown file index \"x\""),
        (
            json!({"0": "urgent"}),
            "unknown priority \"urgent\": expected skip, normal, high or max",
        ),
    ] {
        let body = json!({"infohash": hash, "priorities": priorities});
        assert_eq!(
            f.json("POST", "/api/torrents/file_priorities", body).await,
            (StatusCode::BAD_REQUEST, json!({"error": message}))
        );
    }
    let ok = f
        .json(
            "POST",
            "/api/torrents/file_priorities",
            json!({"infohash": hash, "priorities": {"1": "skip", "0": "max"}}),
        )
        .await;
    assert_eq!(ok, (StatusCode::OK, json!({"ok": true})));
    let (_, detail) = f
        .json("GET", &format!("/api/torrents/{hash}"), json!(null))
        .await;
    assert_eq!(detail["files"][0]["priority"], "max");
    assert_eq!(detail["files"][1]["priority"], "skip");
    assert_eq!(detail["total_bytes"], 20000);

    let limits = json!({"down_kbps": 100, "up_kbps": 50, "alt_down_kbps": 10, "alt_up_kbps": 5, "alt_active": false});
    assert_eq!(
        f.json("PUT", "/api/settings/limits", limits.clone())
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        f.json("GET", "/api/settings/limits", json!(null)).await.1,
        limits
    );
    assert_eq!(
        f.json("POST", "/api/settings/alt_speed/toggle", json!(null))
            .await
            .1,
        json!({"alt_active": true})
    );
    assert_eq!(
        f.json("PUT", "/api/settings/limits", json!({"down_kbps": -1}))
            .await
            .0,
        StatusCode::BAD_REQUEST
    );

    let (status, _) = f
        .json("DELETE", &format!("/api/categories/{id}"), json!(null))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(f.engine.torrents()[0].category_id, None);
    assert_eq!(
        f.json("DELETE", &format!("/api/categories/{id}"), json!(null))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_and_failed_moves_answer_4xx() {
    // Proves a re-add still validates its save path, and a move the OS refuses is the caller's 400, not a 500.
    let f = fixture().await;
    let bytes = torrent("dup", &[(&["a"], 30000), (&["b"], 5)]);
    let (status, added) = f.upload(&[("file", &bytes), ("paused", b"true")]).await;
    assert_eq!(status, StatusCode::OK, "{added}");
    let (status, body) = f
        .upload(&[("file", &bytes), ("save_path", b"relative")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    let hash = added["id"].as_str().unwrap();
    std::fs::create_dir_all(f.dir.path().join("downloads/dup")).unwrap();
    std::fs::write(f.dir.path().join("downloads/dup/a"), b"x").unwrap();
    let (status, body) = f
        .json(
            "POST",
            "/api/torrents/move",
            json!({"infohash": hash, "save_path": "/proc/mosaic-nope"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("invalid save path: cannot move the data there"),
        "{body}"
    );
    assert!(
        f.dir.path().join("downloads/dup/a").exists(),
        "the data moved away or vanished"
    );
    assert_eq!(
        f.engine.torrents()[0].save_path,
        f.dir.path().join("downloads").to_string_lossy()
    );
}
