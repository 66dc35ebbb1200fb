//! Hostile and mistaken input sent to a real server over real HTTPS, and
//! the offline key rotation seen from a running server. The router-level
//! cases live in `mosaic-server/tests/router.rs`; these need the whole
//! process: its TLS listener, body limits on the wire, its files and log.

use std::path::Path;

use mosaic_tests::server::server_binary;
use mosaic_tests::{MosaicServer, ServerOptions, TestDir, make_torrent, path_str};
use reqwest::Method;
use reqwest::multipart::Form;
use serde_json::{Value, json};

const MIB: usize = 1024 * 1024;
const UNAUTHORIZED: (u16, &str) = (401, "unauthorized");
const TOO_LARGE: (u16, &str) = (413, "request body too large");
const NOT_FOUND: (u16, &str) = (404, "torrent not found");
/// A well-formed info hash no test adds.
const UNKNOWN: &str = "0123456789abcdef0123456789abcdef01234567";

/// The status and `error` message of an answer, which must be JSON
/// `{"error": "..."}` and nothing else.
fn error_of((status, body): (u16, Value)) -> (u16, String) {
    let message = body["error"]
        .as_str()
        .unwrap_or_else(|| panic!("{status} answer is not a JSON error: {body}"));
    assert_eq!(body.as_object().map(|o| o.len()), Some(1), "{body}");
    (status, message.to_owned())
}

fn expect_error(answer: (u16, Value), (status, message): (u16, &str)) {
    assert_eq!(error_of(answer), (status, message.to_owned()));
}

/// A bencoded byte string.
fn bstr(bytes: &[u8]) -> Vec<u8> {
    let mut out = format!("{}:", bytes.len()).into_bytes();
    out.extend_from_slice(bytes);
    out
}

/// A structurally valid multi-file torrent named `evil` with one 1-byte
/// file at `path` (its components as listed).
fn torrent_with_path(path: &[&str]) -> Vec<u8> {
    let mut components = b"l".to_vec();
    for part in path {
        components.extend(bstr(part.as_bytes()));
    }
    components.push(b'e');

    let mut info = b"d5:filesld6:lengthi1e4:path".to_vec();
    info.extend(components);
    info.extend(b"ee4:name");
    info.extend(bstr(b"evil"));
    info.extend(b"12:piece lengthi16384e6:pieces");
    info.extend(bstr(&[0u8; 20]));
    info.push(b'e');

    let mut torrent = b"d8:announce".to_vec();
    torrent.extend(bstr(b"http://127.0.0.1:1/announce"));
    torrent.extend(b"4:info");
    torrent.extend(info);
    torrent.push(b'e');
    torrent
}

fn upload(bytes: Vec<u8>, save_path: &str) -> Form {
    mosaic_tests::api::torrent_form(bytes, &[("save_path", save_path)])
}

/// Every file under `root`, relative, sorted.
fn files_under(root: &Path) -> Vec<String> {
    mosaic_tests::sha256_tree(root).into_keys().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_json_errors_and_leave_no_trace() {
    // Proves bad keys, bodies, magnets, torrents, paths and ids get JSON errors and change nothing.
    let dir = TestDir::new("input");
    let server = MosaicServer::start(ServerOptions::default()).await;
    let api = server.api();

    // Credentials.
    let anonymous = api.without_auth();
    expect_error(anonymous.get("/api/torrents").await, UNAUTHORIZED);
    let magnet_body = json!({"magnet": format!("magnet:?xt=urn:btih:{UNKNOWN}"), "save_path": ""});
    expect_error(
        anonymous
            .post_json("/api/torrents/magnet", &magnet_body)
            .await,
        UNAUTHORIZED,
    );
    let wrong_key = "A".repeat(43);
    expect_error(
        api.with_key(&wrong_key).get("/api/torrents").await,
        UNAUTHORIZED,
    );
    let basic = anonymous
        .request(Method::GET, "/api/torrents")
        .header("Authorization", format!("Basic {}", server.api_key()));
    expect_error(api.send(basic).await, UNAUTHORIZED);

    // Body limits, measured on the wire.
    let huge_magnet = format!(r#"{{"magnet":"{}","save_path":""}}"#, "a".repeat(MIB));
    let oversized = api
        .request(Method::POST, "/api/torrents/magnet")
        .header("Content-Type", "application/json")
        .body(huge_magnet);
    expect_error(api.send(oversized).await, TOO_LARGE);
    let big_file = vec![b'd'; 10 * MIB + 1];
    let too_big = upload(big_file, path_str(&dir.subdir("big")));
    expect_error(
        api.post_multipart("/api/torrents/file", too_big).await,
        TOO_LARGE,
    );
    let invalid_json = api
        .request(Method::POST, "/api/torrents/magnet")
        .header("Content-Type", "application/json")
        .body("{\"magnet\": ");
    expect_error(api.send(invalid_json).await, (400, "invalid request body"));

    // Magnets that do not parse.
    let save = dir.subdir("save");
    for magnet in [
        "magnet:?xt=urn:btih:nothex",
        "magnet:?dn=no-hash",
        "https://127.0.0.1:1/file.torrent",
        "",
    ] {
        let (status, message) = error_of(api.add_magnet(magnet, path_str(&save)).await);
        assert_eq!(status, 400, "{magnet:?}: {message}");
        assert!(
            message.starts_with("invalid magnet"),
            "{magnet:?}: {message}"
        );
    }

    // Torrents that are not whole, or that name files outside their folder.
    let good = make_torrent(
        &mosaic_tests::DataSet::create(&dir.subdir("src"), &[("x.bin", 70_001)])
            .root()
            .join("x.bin"),
        "http://127.0.0.1:1/announce",
        &dir.join("x.torrent"),
        15,
    );
    let bytes = std::fs::read(&good.path).unwrap();
    let truncated = bytes[..bytes.len() / 2].to_vec();
    let (status, message) = error_of(
        api.post_multipart("/api/torrents/file", upload(truncated, path_str(&save)))
            .await,
    );
    assert_eq!(status, 400, "{message}");
    assert!(message.starts_with("invalid torrent"), "{message}");

    let jail = dir.subdir("jail");
    let jailed_save = dir.subdir("jail/save");
    for path in [
        &["..", "..", "escaped.bin"][..],
        &["ok", "..", "..", "..", "escaped.bin"],
        &[".."],
    ] {
        let form = upload(torrent_with_path(path), path_str(&jailed_save));
        let (status, message) = error_of(api.post_multipart("/api/torrents/file", form).await);
        assert_eq!(status, 400, "{path:?}: {message}");
        assert!(
            message.starts_with("invalid torrent"),
            "{path:?}: {message}"
        );
    }
    assert_eq!(files_under(&jail), Vec::<String>::new());
    assert!(!dir.join("escaped.bin").exists());

    // Save paths that are not absolute, or climb.
    let valid_magnet = format!("magnet:?xt=urn:btih:{UNKNOWN}&dn=never");
    let tail = path_str(&save).trim_start_matches('/').to_owned();
    for bad in ["relative/dir", "./here", &tail, "/tmp/a/../b"] {
        let (status, message) = error_of(api.add_magnet(&valid_magnet, bad).await);
        assert_eq!(status, 400, "magnet into {bad:?}: {message}");
        assert!(
            message.starts_with("invalid save path"),
            "{bad:?}: {message}"
        );

        let (status, message) = error_of(
            api.post_multipart("/api/torrents/file", upload(bytes.clone(), bad))
                .await,
        );
        assert_eq!(status, 400, "upload into {bad:?}: {message}");
        assert!(
            message.starts_with("invalid save path"),
            "{bad:?}: {message}"
        );
    }

    // Ids that name no torrent.
    expect_error(
        api.get(&format!("/api/torrents/{UNKNOWN}")).await,
        NOT_FOUND,
    );
    expect_error(api.get("/api/torrents/not-an-id").await, NOT_FOUND);
    for action in ["pause", "resume", "recheck"] {
        let path = format!("/api/torrents/{UNKNOWN}/{action}");
        expect_error(api.post_json(&path, &json!({})).await, NOT_FOUND);
    }
    expect_error(
        api.delete(&format!("/api/torrents/{UNKNOWN}?delete=1"))
            .await,
        NOT_FOUND,
    );
    let priorities = json!({"infohash": UNKNOWN, "priorities": {"0": "skip"}});
    expect_error(
        api.post_json("/api/torrents/file_priorities", &priorities)
            .await,
        NOT_FOUND,
    );

    // The server is still healthy and nothing was accepted.
    let (status, version) = api.without_auth().get("/api/version").await;
    assert_eq!(status, 200, "{version}");
    assert!(
        version["version"].as_str().is_some_and(|v| !v.is_empty()),
        "{version}"
    );
    assert_eq!(api.get("/api/torrents").await, (200, json!([])));
    assert_eq!(files_under(&save), Vec::<String>::new());

    let log = server.log_text();
    assert!(log.contains("listening"), "the log is captured: {log}");
    for secret in [server.api_key(), server.password(), &wrong_key] {
        assert!(!log.contains(secret), "the log holds a secret: {log}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_key_rotation_applies_to_the_running_server() {
    // Proves `admin rotate-key` prints one new key that a running server takes instead of the old.
    let server = MosaicServer::start(ServerOptions::default()).await;
    let api = server.api();
    let old_key = server.api_key().to_owned();
    assert_eq!(api.get("/api/torrents").await, (200, json!([])));

    let mut command = tokio::process::Command::new(server_binary());
    command
        .arg("--data-dir")
        .arg(server.data_dir())
        .args(["admin", "rotate-key"]);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("MOSAIC_") {
            command.env_remove(name);
        }
    }
    let output = command.output().await.unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "rotate-key failed: {stderr}");

    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "exactly one line expected: {stdout:?}");
    let new_key = lines[0];
    assert_eq!(new_key.len(), 43, "{new_key:?}");
    let base64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    assert!(new_key.chars().all(base64url), "{new_key:?}");
    assert_ne!(new_key, old_key);

    expect_error(api.get("/api/torrents").await, UNAUTHORIZED);
    assert_eq!(
        api.with_key(new_key).get("/api/torrents").await,
        (200, json!([]))
    );
    let log = server.log_text();
    assert!(!log.contains(new_key) && !log.contains(&old_key), "{log}");
}
