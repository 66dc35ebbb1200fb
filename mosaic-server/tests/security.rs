//! The web defences, one or more tests per attack class, each failing if
//! its defence is removed: cross-site requests, DNS rebinding, CORS, brute
//! force, sessions, timing, and key handling.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, StatusCode, header};
use common::{BOUND, ORIGIN, Options, fixture, fixture_with, multipart};
use serde_json::json;

/// Path, content type ("" for the multipart one), multipart type, body,
/// extra headers, and the expected error.
type CsrfCase<'a> = (
    &'a str,
    &'a str,
    String,
    Vec<u8>,
    Vec<(&'a str, &'a str)>,
    &'a str,
);

const MAGNET: &str = "magnet:?xt=urn:btih:dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c&dn=x";

#[tokio::test(start_paused = true)]
async fn cross_site_cookie_posts_are_refused() {
    // Proves the CSRF guard: every cross-site shape of a cookie POST is 403, ours and bearer pass.
    let f = fixture().await;
    let cookie = f.cookie().await;
    let magnet_json = json!({"magnet": MAGNET, "save_path": ""}).to_string();
    let (multipart_type, multipart_body) = multipart(&[("file", b"d4:infoe")]);
    let cases: Vec<CsrfCase> = vec![
        (
            "/api/torrents/magnet",
            "application/x-www-form-urlencoded",
            String::new(),
            b"magnet=x".to_vec(),
            vec![("origin", "https://evil.example")],
            "origin mismatch",
        ),
        (
            "/api/torrents/file",
            "",
            multipart_type.clone(),
            multipart_body.clone(),
            vec![("origin", "https://evil.example")],
            "origin mismatch",
        ),
        (
            "/api/torrents/magnet",
            "text/plain",
            String::new(),
            magnet_json.clone().into_bytes(),
            vec![("origin", "null")],
            "origin mismatch",
        ),
        (
            "/api/torrents/magnet",
            "text/plain",
            String::new(),
            magnet_json.clone().into_bytes(),
            vec![("referer", "https://evil.example/page")],
            "origin mismatch",
        ),
        (
            "/api/torrents/magnet",
            "text/plain",
            String::new(),
            magnet_json.clone().into_bytes(),
            vec![("origin", "http://127.0.0.1:8080")],
            "origin mismatch",
        ),
        (
            "/api/torrents/magnet",
            "text/plain",
            String::new(),
            magnet_json.clone().into_bytes(),
            vec![("origin", "https://127.0.0.1:8081")],
            "origin mismatch",
        ),
        (
            "/api/torrents/magnet",
            "text/plain",
            String::new(),
            magnet_json.clone().into_bytes(),
            vec![],
            "missing origin",
        ),
    ];
    for (path, content_type, multipart_type, body, extra, message) in cases {
        let content_type = if content_type.is_empty() {
            multipart_type.as_str()
        } else {
            content_type
        };
        let mut request = f
            .anonymous("POST", path)
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, content_type);
        for (name, value) in extra {
            request = request.header(name, value);
        }
        let answer = f.send(request.body(Body::from(body)).unwrap()).await;
        assert_eq!(
            answer,
            (StatusCode::FORBIDDEN, json!({"error": message})),
            "{path} {content_type}"
        );
    }
    assert!(
        f.engine.torrents().is_empty(),
        "a refused request changed state"
    );

    let delete = f
        .anonymous("DELETE", "/api/categories/1")
        .header(header::COOKIE, &cookie);
    assert_eq!(
        f.send(delete.body(Body::empty()).unwrap()).await.0,
        StatusCode::FORBIDDEN
    );

    let ours = f
        .anonymous("POST", "/api/categories")
        .header(header::COOKIE, &cookie)
        .header(header::ORIGIN, ORIGIN)
        .body(Body::from(json!({"name": "ours"}).to_string()))
        .unwrap();
    assert_eq!(f.send(ours).await.0, StatusCode::OK);
    let referer_only = f
        .anonymous("POST", "/api/categories")
        .header(header::COOKIE, &cookie)
        .header(header::REFERER, format!("{ORIGIN}/settings"))
        .body(Body::from(json!({"name": "ours too"}).to_string()))
        .unwrap();
    assert_eq!(f.send(referer_only).await.0, StatusCode::OK);
    let bearer = f
        .request("POST", "/api/categories")
        .header(header::ORIGIN, "https://evil.example");
    let bearer = bearer
        .body(Body::from(json!({"name": "scripted"}).to_string()))
        .unwrap();
    assert_eq!(f.send(bearer).await.0, StatusCode::OK);
    let reads = f
        .anonymous("GET", "/api/torrents")
        .header(header::COOKIE, &cookie);
    assert_eq!(
        f.send(reads.body(Body::empty()).unwrap()).await.0,
        StatusCode::OK
    );
}

#[tokio::test(start_paused = true)]
async fn login_refuses_a_foreign_origin_but_accepts_none() {
    // Proves login CSRF: a foreign page cannot sign a browser in; scripts without Origin can.
    let f = fixture().await;
    let body = json!({"username": "admin", "password": f.password}).to_string();
    let foreign = f
        .anonymous("POST", "/api/login")
        .header(header::ORIGIN, "https://evil.example");
    let answer = f
        .send(foreign.body(Body::from(body.clone())).unwrap())
        .await;
    assert_eq!(
        answer,
        (StatusCode::FORBIDDEN, json!({"error": "origin mismatch"}))
    );
    let ours = f
        .anonymous("POST", "/api/login")
        .header(header::ORIGIN, ORIGIN);
    assert_eq!(
        f.send(ours.body(Body::from(body.clone())).unwrap()).await.0,
        StatusCode::OK
    );
    let script = f
        .anonymous("POST", "/api/login")
        .body(Body::from(body))
        .unwrap();
    let answer = f.send_from("127.0.0.1:1", script).await;
    assert_eq!(
        (answer.status, answer.body),
        (StatusCode::OK, json!({"ok": true}))
    );
    let cookie = answer.headers[header::SET_COOKIE].to_str().unwrap();
    for part in [
        "mosaic_session=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
        "Secure",
    ] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
}

#[tokio::test(start_paused = true)]
async fn foreign_hosts_are_refused() {
    // Proves the DNS-rebinding defence: only our exact names and port are served.
    let f = fixture_with(Options {
        host_names: vec!["mosaic.lan".into()],
        ..Options::default()
    })
    .await;
    let refused = [
        ("evil.example:8080", None),
        ("127.0.0.1:9999", None),
        ("localhost", None),
        ("localhost.:8080", None),
        ("LocalHost:8080", None),
        ("MOSAIC.LAN:8080", None),
        ("[2001:db8::1]:8080", None),
        ("127.1:8080", None),
        ("user@localhost:8080", None),
        ("127.0.0.1:8080", Some("evil.example")),
        ("evil.example:8080", Some("localhost:8080")),
    ];
    for (host, forwarded) in refused {
        let mut request = axum::http::Request::get("/api/version").header(header::HOST, host);
        if let Some(forwarded) = forwarded {
            request = request.header("x-forwarded-host", forwarded);
        }
        let answer = f.send(request.body(Body::empty()).unwrap()).await;
        assert_eq!(
            answer,
            (
                StatusCode::MISDIRECTED_REQUEST,
                json!({"error": "host not allowed"})
            ),
            "{host}"
        );
    }
    let missing = axum::http::Request::get("/api/version")
        .body(Body::empty())
        .unwrap();
    assert_eq!(f.send(missing).await.0, StatusCode::MISDIRECTED_REQUEST);
    for host in [
        "localhost:8080",
        "127.0.0.1:8080",
        "127.0.0.2:8080",
        "[::1]:8080",
        "mosaic.lan:8080",
    ] {
        let request = axum::http::Request::get("/api/version").header(header::HOST, host);
        assert_eq!(
            f.send(request.body(Body::empty()).unwrap()).await.0,
            StatusCode::OK,
            "{host}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn no_cors_headers_even_for_a_preflight() {
    // Proves no CORS: neither a preflight nor a cross-origin GET gets Access-Control-Allow-*.
    let f = fixture().await;
    let preflight = f
        .anonymous("OPTIONS", "/api/torrents")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
        .body(Body::empty())
        .unwrap();
    let get = f
        .request("GET", "/api/torrents")
        .header(header::ORIGIN, "https://evil.example");
    for request in [preflight, get.body(Body::empty()).unwrap()] {
        let answer = f.send_from("127.0.0.1:2", request).await;
        let cors: Vec<_> = answer
            .headers
            .keys()
            .filter(|k| k.as_str().starts_with("access-control-"))
            .collect();
        assert!(cors.is_empty(), "cors headers sent: {cors:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn brute_force_is_limited_per_address() {
    // Proves the login limiter: 429 with Retry-After, other clients and bearer unaffected, recovery after the wait.
    let f = fixture().await;
    let attacker = "198.51.100.7:40000";
    for _ in 0..5 {
        assert_eq!(
            f.login_from(attacker, "admin", "guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = f.login_from(attacker, "admin", &f.password).await;
    assert_eq!(
        (limited.status, limited.body),
        (
            StatusCode::TOO_MANY_REQUESTS,
            json!({"error": "too many login attempts"})
        )
    );
    assert_eq!(limited.headers[header::RETRY_AFTER], "12");

    let spoofed = f
        .anonymous("POST", "/api/login")
        .header("x-forwarded-for", "203.0.113.99");
    let body = json!({"username": "admin", "password": f.password}).to_string();
    let spoofed = f
        .send_from(attacker, spoofed.body(Body::from(body)).unwrap())
        .await;
    assert_eq!(
        spoofed.status,
        StatusCode::TOO_MANY_REQUESTS,
        "X-Forwarded-For from an untrusted peer evaded the limit"
    );

    assert_eq!(
        f.login_from("198.51.100.8:40000", "admin", "guess")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let bearer = f
        .request("GET", "/api/torrents")
        .body(Body::empty())
        .unwrap();
    assert_eq!(f.send_from(attacker, bearer).await.status, StatusCode::OK);

    tokio::time::advance(Duration::from_secs(12)).await;
    assert_eq!(
        f.login_from(attacker, "admin", &f.password).await.status,
        StatusCode::OK
    );
    assert_eq!(
        f.login_from(attacker, "admin", &f.password).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test(start_paused = true)]
async fn forwarded_addresses_count_only_from_trusted_proxies() {
    // Proves X-Forwarded-For is honoured from a configured proxy, so clients behind it are told apart.
    let proxy: std::net::IpAddr = "127.0.0.9".parse().unwrap();
    let f = fixture_with(Options {
        trusted_proxies: vec![proxy],
        ..Options::default()
    })
    .await;
    let login = |client: &'static str| {
        let body = json!({"username": "admin", "password": "guess"}).to_string();
        f.anonymous("POST", "/api/login")
            .header("x-forwarded-for", client)
            .body(Body::from(body))
            .unwrap()
    };
    for _ in 0..5 {
        f.send_from("127.0.0.9:1", login("203.0.113.1")).await;
    }
    assert_eq!(
        f.send_from("127.0.0.9:1", login("203.0.113.1"))
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        f.send_from("127.0.0.9:1", login("203.0.113.2"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(start_paused = true)]
async fn sessions_expire_slide_and_end_at_logout() {
    // Proves session lifetime: 12 h TTL, renewal on use, server-side logout.
    let f = fixture().await;
    let get = |cookie: &str| {
        f.anonymous("GET", "/api/torrents")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    let idle = f.cookie().await;
    let used = f.cookie().await;
    assert_ne!(idle, used, "every login must mint a fresh token");

    tokio::time::advance(Duration::from_secs(11 * 3600)).await;
    assert_eq!(f.send(get(&used)).await.0, StatusCode::OK);
    tokio::time::advance(Duration::from_secs(3600 + 1)).await;
    assert_eq!(
        f.send(get(&idle)).await,
        (StatusCode::UNAUTHORIZED, json!({"error": "unauthorized"}))
    );
    assert_eq!(
        f.send(get(&used)).await.0,
        StatusCode::OK,
        "use did not renew the session"
    );

    let logout = f
        .anonymous("POST", "/api/logout")
        .header(header::COOKIE, &used)
        .header(header::ORIGIN, ORIGIN);
    let answer = f
        .send_from("127.0.0.1:3", logout.body(Body::empty()).unwrap())
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(
        answer.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(
        f.send(get(&used)).await.0,
        StatusCode::UNAUTHORIZED,
        "logout left the token alive"
    );
}

#[tokio::test(start_paused = true)]
async fn rotation_and_password_change_revoke_as_specified() {
    // Proves revocation: a rotated key dies at once; a password change ends the user's other sessions only.
    let f = fixture().await;
    let (status, rotated) = f
        .json("POST", "/api/settings/web/api_key/rotate", json!(null))
        .await;
    assert_eq!(status, StatusCode::OK);
    let new_key = rotated["api_key"].as_str().unwrap().to_owned();
    assert_eq!(new_key.len(), 43);
    assert_eq!(
        f.json("GET", "/api/torrents", json!(null)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let with_new = f
        .anonymous("GET", "/api/settings/web")
        .header(header::AUTHORIZATION, format!("Bearer {new_key}"));
    let (status, web) = f.send(with_new.body(Body::empty()).unwrap()).await;
    assert_eq!(
        (status, web["api_key_hint"].as_str()),
        (StatusCode::OK, Some(&new_key[..4]))
    );

    let mine = f.cookie().await;
    let other = f.cookie().await;
    let change = |body: serde_json::Value| {
        f.anonymous("PUT", "/api/settings/web/password")
            .header(header::COOKIE, &mine)
            .header(header::ORIGIN, ORIGIN)
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let short = f
        .send(change(
            json!({"old_password": f.password, "new_password": "short"}),
        ))
        .await;
    assert_eq!(short.0, StatusCode::BAD_REQUEST);
    let wrong = f
        .send(change(
            json!({"old_password": "nope", "new_password": "long enough"}),
        ))
        .await;
    assert_eq!(
        wrong,
        (
            StatusCode::UNAUTHORIZED,
            json!({"error": "invalid credentials"})
        )
    );
    let ok = f
        .send(change(
            json!({"old_password": f.password, "new_password": "long enough"}),
        ))
        .await;
    assert_eq!(ok, (StatusCode::OK, json!({"ok": true})));
    let get = |cookie: &str| {
        f.anonymous("GET", "/api/stats")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(f.send(get(&mine)).await.0, StatusCode::OK);
    assert_eq!(f.send(get(&other)).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        f.login_from("127.0.0.5:1", "admin", &f.password)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        f.login_from("127.0.0.5:1", "admin", "long enough")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test(start_paused = true)]
async fn a_full_session_store_answers_503_without_evicting() {
    // Proves the session cap: the store refuses new sessions instead of dropping live ones.
    let f = fixture_with(Options {
        session_capacity: Some(2),
        ..Options::default()
    })
    .await;
    let first = f.cookie().await;
    let second = f.cookie().await;
    let third = f.login_from("127.0.0.6:1", "admin", &f.password).await;
    assert_eq!(
        (third.status, third.body),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"error": "too many sessions"})
        )
    );
    for cookie in [first, second] {
        let get = f
            .anonymous("GET", "/api/stats")
            .header(header::COOKIE, cookie);
        assert_eq!(
            f.send(get.body(Body::empty()).unwrap()).await.0,
            StatusCode::OK
        );
    }
}

#[tokio::test(start_paused = true)]
async fn unknown_users_cost_a_full_password_verify() {
    // Proves there is no user-name timing oracle: an unknown user runs the verifier like a known one.
    let f = fixture().await;
    let before = f.access.credentials().password_verifications();
    let answer = f.login_from("127.0.0.7:1", "nobody", "whatever").await;
    assert_eq!(
        (answer.status, answer.body),
        (
            StatusCode::UNAUTHORIZED,
            json!({"error": "invalid credentials"})
        )
    );
    assert_eq!(f.access.credentials().password_verifications(), before + 1);
    f.login_from("127.0.0.7:1", "admin", "whatever").await;
    assert_eq!(f.access.credentials().password_verifications(), before + 2);
}

#[tokio::test(start_paused = true)]
async fn json_answers_carry_nosniff_and_methods_are_checked() {
    // Proves sniffing protection on JSON (HTML is covered where pages are served) and method handling.
    let f = fixture().await;
    for (method, path) in [
        (Method::GET, "/api/version"),
        (Method::GET, "/api/nope"),
        (Method::GET, "/api/torrents"),
    ] {
        let request = axum::http::Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, BOUND);
        let answer = f
            .send_from("127.0.0.1:4", request.body(Body::empty()).unwrap())
            .await;
        assert_eq!(answer.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(answer.headers[header::CONTENT_TYPE], "application/json");
    }
}

#[tokio::test(start_paused = true)]
async fn origins_must_be_spelled_exactly_as_browsers_send_them() {
    // Proves the origin check compares exact origins: userinfo, paths, case, short forms and duplicates are refused.
    let f = fixture().await;
    let cookie = f.cookie().await;
    let post = |origins: &[&str]| {
        let mut request = f
            .anonymous("POST", "/api/settings/alt_speed/toggle")
            .header(header::COOKIE, &cookie);
        for origin in origins {
            request = request.header(header::ORIGIN, *origin);
        }
        request.body(Body::empty()).unwrap()
    };
    for origins in [
        &["https://evil.example@127.0.0.1:8080"][..],
        &["https://127.0.0.1:8080/x"],
        &["HTTPS://127.0.0.1:8080"],
        &["https://127.0.0.1.:8080"],
        &["https://127.1:8080"],
        &[ORIGIN, "https://evil.example"],
    ] {
        let answer = f.send(post(origins)).await;
        assert_eq!(
            answer,
            (StatusCode::FORBIDDEN, json!({"error": "origin mismatch"})),
            "{origins:?}"
        );
    }
    assert_eq!(f.send(post(&[ORIGIN])).await.0, StatusCode::OK);
}

#[tokio::test(start_paused = true)]
async fn two_hosts_or_a_foreign_request_target_are_refused() {
    // Proves the Host check also covers duplicate Host headers and an absolute-form target naming another host.
    let f = fixture().await;
    let twice = axum::http::Request::get("/api/version")
        .header(header::HOST, BOUND)
        .header(header::HOST, "evil.example")
        .body(Body::empty())
        .unwrap();
    assert_eq!(f.send(twice).await.0, StatusCode::MISDIRECTED_REQUEST);
    let absolute =
        axum::http::Request::get("https://evil.example/api/version").header(header::HOST, BOUND);
    assert_eq!(
        f.send(absolute.body(Body::empty()).unwrap()).await.0,
        StatusCode::MISDIRECTED_REQUEST
    );
    let ours = axum::http::Request::get(format!("https://{BOUND}/api/version"))
        .header(header::HOST, BOUND);
    assert_eq!(
        f.send(ours.body(Body::empty()).unwrap()).await.0,
        StatusCode::OK
    );
}

#[tokio::test(start_paused = true)]
async fn extractor_rejections_are_json_too() {
    // Proves every error is JSON, including query strings and paths axum itself refuses.
    let f = fixture().await;
    for (method, path) in [
        ("GET", "/api/ws?key=a&key=b"),
        (
            "DELETE",
            "/api/torrents/0123456789abcdef0123456789abcdef01234567?delete=1&delete=0",
        ),
        ("GET", "/api/torrents/%ff%fe"),
    ] {
        let (status, body) = f
            .send(f.request(method, path).body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|m| !m.is_empty() && m == m.to_lowercase()),
            "{path}: {body}"
        );
    }
}
