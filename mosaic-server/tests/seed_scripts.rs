//! The user's own API documentation, run as written: the Python and Node
//! snippets of `seed-api-examples.txt` are cut from that file (never
//! retyped) and run against a real server in this process.

mod common;

use std::io::{BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::live::{LiveServer, live_server};
use common::torrent;
use mosaic_core::AddOptions;
use mosaic_core::events::Event;
use mosaic_core::wire::UpdateInfo;
use serde_json::json;

/// The seed file, kept in `docs/` beside the API contract.
fn seed() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/seed-api-examples.txt");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The seed's lines from the first starting with `from` through the first
/// (after it) starting with `through`.
fn block(seed: &str, from: &str, through: &str) -> String {
    let lines: Vec<&str> = seed.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with(from))
        .unwrap_or_else(|| panic!("no {from:?}"));
    let end = start
        + lines[start..]
            .iter()
            .position(|l| l.starts_with(through))
            .unwrap_or_else(|| panic!("no {through:?}"));
    lines[start..=end].join("\n") + "\n"
}

/// The seed's Python preamble: imports, BASE, KEY, HEAD and the session.
fn python_header(seed: &str) -> String {
    block(
        seed,
        "# pip install requests websocket-client",
        "import urllib3; urllib3.disable_warnings()",
    )
}

/// Runs a Python program with the seed's environment, returning the child.
fn python(server: &LiveServer, program: &str) -> std::process::Child {
    Command::new("python3")
        .arg("-c")
        .arg(program)
        .env(
            "MOSAIC",
            format!("https://localhost:{}", server.addr.port()),
        )
        .env("MOSAIC_API_KEY", &server.key)
        .env("PYTHONUNBUFFERED", "1")
        // requests lets these variables override `S.verify = False`, which
        // the seed relies on; a user's shell rarely sets them.
        .env_remove("REQUESTS_CA_BUNDLE")
        .env_remove("CURL_CA_BUNDLE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs")
}

/// Collects a child's stdout lines on a thread until it exits or is killed.
fn lines_of(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    let (send, receive) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    // A line ends at \n or \r: the Node script redraws one line with \r.
    std::thread::spawn(move || {
        let mut line = Vec::new();
        for byte in BufReader::new(stdout).bytes().map_while(Result::ok) {
            if byte == b'\n' || byte == b'\r' {
                let _ = send.send(String::from_utf8_lossy(&std::mem::take(&mut line)).into_owned());
            } else {
                line.push(byte);
            }
        }
    });
    receive
}

/// Waits for a line starting with `prefix`.
fn expect_line(lines: &std::sync::mpsc::Receiver<String>, prefix: &str, secs: u64) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) if line.starts_with(prefix) => return line,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    panic!("no line starting with {prefix:?} within {secs} s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_cookie_example_gets_the_answers_the_seed_describes() {
    // Proves the seed's cookie flow verbatim: login, a cookie GET, a POST with Origin (ok) and without (403).
    let server = live_server("127.0.0.1:0").await;
    server
        .engine
        .credentials()
        .set_password("admin", "hunter2")
        .unwrap();
    let seed = seed();
    let login = block(
        &seed,
        "r = S.post(f\"{BASE}/api/login\"",
        "S.get(f\"{BASE}/api/torrents\")",
    );
    let with_origin = block(
        &seed,
        "S.post(f\"{BASE}/api/torrents/magnet\",",
        "       headers={\"Origin\": BASE})",
    );
    let program = format!(
        "{header}{login}\
         print('login', r.status_code, r.json(), sorted(S.cookies.keys()))\n\
         g = S.get(f\"{{BASE}}/api/torrents\")\n\
         print('list', g.status_code, g.json())\n\
         uri = 'magnet:?xt=urn:btih:dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c&dn=Big+Buck+Bunny'\n\
         p = {with_origin}\
         print('with-origin', p.status_code, p.json())\n\
         n = S.post(f\"{{BASE}}/api/torrents/magnet\", json={{\"magnet\": uri, \"save_path\": \"\"}})\n\
         print('without-origin', n.status_code, n.json())\n",
        header = python_header(&seed),
    );
    let mut child = python(&server, &program);
    let lines = lines_of(&mut child);
    let status = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let got: Vec<String> = lines.try_iter().collect();
    assert!(
        status.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert_eq!(got[0], "login 200 {'ok': True} ['mosaic_session']");
    assert_eq!(got[1], "list 200 []");
    assert_eq!(
        got[2],
        "with-origin 200 {'id': 'dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c'}"
    );
    assert_eq!(got[3], "without-origin 403 {'error': 'missing origin'}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_websocket_example_sees_every_frame_it_reads() {
    // Proves the seed's websocket-client handler verbatim: ticks, stats, inspector and update frames.
    let server = live_server("127.0.0.1:0").await;
    let bytes = torrent("seeded", &[(&["a"], 30000), (&["b"], 5)]);
    let options = AddOptions {
        paused: true,
        ..AddOptions::default()
    };
    let id = server
        .engine
        .add_torrent_file(&bytes, &options)
        .await
        .unwrap();
    let seed = seed();
    let functions = block(
        &seed,
        "def add_magnet(uri, save_path=\"\"):",
        "    S.post(f\"{BASE}/api/torrents/file_priorities\"",
    );
    let socket = block(&seed, "def on_message(ws, raw):", "ws.run_forever(");
    let program = format!("{}{functions}{socket}", python_header(&seed));
    let mut child = python(&server, &program);
    let lines = lines_of(&mut child);

    let tick = expect_line(&lines, "[tick]", 15);
    assert_eq!(tick, "[tick] 1 torrents");
    assert_eq!(
        expect_line(&lines, "[stats]", 5),
        "[stats] dl 0.0 KB/s  ul 0.0 KB/s"
    );
    let (status, _) = server
        .post(
            "/api/inspector/focus",
            json!({"id": id.to_string(), "tabs": ["overview"]}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        expect_line(&lines, "[inspect]", 5),
        "[inspect] seeded: 0.0%"
    );
    let info = UpdateInfo {
        available: true,
        current_version: "0.1.0".into(),
        latest_version: Some("0.2.0".into()),
        release_notes: None,
        asset_url: None,
        asset_filename: None,
        checked_at: 0,
    };
    server.engine.events().publish(Event::UpdateAvailable(info));
    let update = expect_line(&lines, "[update]", 5);
    assert!(
        update.starts_with("[update] 0.1.0") && update.ends_with("0.2.0"),
        "{update}"
    );
    child.kill().unwrap();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_script_example_lists_and_tails_stats() {
    // Proves the seed's Node script verbatim (it is written for https://localhost:8080).
    let modules = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("seed-node");
    std::fs::create_dir_all(&modules).unwrap();
    if !modules.join("node_modules/ws").exists()
        || !modules.join("node_modules/node-fetch").exists()
    {
        let npm = Command::new("npm")
            .args([
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "node-fetch@3",
                "ws@8",
            ])
            .current_dir(&modules)
            .status()
            .expect("npm runs");
        assert!(
            npm.success(),
            "npm install of the seed's node-fetch and ws failed"
        );
    }
    let seed = seed();
    let script = block(&seed, "// npm i node-fetch ws", "});");
    let tail = script.rfind("});").unwrap();
    let script = format!("{}{}\n", &script[..tail], "});");
    std::fs::write(modules.join("tail.mjs"), &script).unwrap();

    let server = live_server("127.0.0.1:8080").await;
    let mut child = Command::new("node")
        .arg("tail.mjs")
        .current_dir(&modules)
        .env("MOSAIC_API_KEY", &server.key)
        .env("NODE_TLS_REJECT_UNAUTHORIZED", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    let lines = lines_of(&mut child);
    assert_eq!(expect_line(&lines, "0 torrents", 20), "0 torrents");
    let stats = expect_line(&lines, "dl ", 10);
    assert_eq!(stats.trim_end(), "dl 0.0 KB/s  ul 0.0 KB/s");
    child.kill().unwrap();
    server.stop().await;
}
