//! The `mosaic` command line against a real server: each command's text
//! and `--json` output, and its exit codes.

mod support;

use std::io::{Read, Write};

use mosaic_client::Priority;
use mosaic_tests::{MosaicServer, ServerOptions, TestDir, free_port};
use serde_json::Value;
use support::{client_for, mosaic, small_torrent};

/// Standard output of a command that must succeed.
fn ok(command: &mut assert_cmd::Command) -> String {
    let output = command.assert().success().get_output().stdout.clone();
    String::from_utf8(output).unwrap()
}

fn json(command: &mut assert_cmd::Command) -> Value {
    serde_json::from_str(&ok(command)).unwrap()
}

/// Standard error of a command that must exit with `code`.
fn fails(command: &mut assert_cmd::Command, code: i32) -> String {
    let output = command.assert().code(code).get_output().stderr.clone();
    String::from_utf8(output).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn torrent_commands_print_text_and_json() {
    // Proves version, add, list, info, priority, pause/resume/recheck, move, stats, watch and rm in both output modes.
    let server = MosaicServer::start(ServerOptions::default()).await;
    let config = TestDir::new("cli-config");
    let cli = || mosaic(&server, &config);
    let torrent = small_torrent("cli-torrents", "pack");
    let id = torrent.info_hash.clone();
    let short = &id[..8];

    let version = ok(cli().arg("version"));
    assert_eq!(
        version,
        format!("mosaic {0}\nserver {0}\n", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        json(cli().args(["--json", "version"]))["server"],
        env!("CARGO_PKG_VERSION")
    );
    assert!(ok(cli().arg("list")).ends_with("0 torrents, down -, up -\n"));
    assert_eq!(json(cli().args(["list", "--json"])), Value::Array(vec![]));

    let save = torrent.dir.subdir("saved");
    let added = ok(cli()
        .args(["add", "--paused", "--save-path", save.to_str().unwrap()])
        .arg(&torrent.path));
    assert_eq!(added, format!("added {id}\n"));
    let magnet = format!("magnet:?xt=urn:btih:{id}&dn=pack");
    assert_eq!(
        json(cli().args(["--json", "add", &magnet]))[0]["id"],
        id.as_str()
    );

    let listed = ok(cli().arg("list"));
    let row = listed
        .lines()
        .find(|l| l.starts_with(short))
        .unwrap_or_else(|| panic!("{listed}"));
    assert!(
        row.contains("paused") && row.ends_with("pack") && row.contains("293.0 KiB"),
        "{row}"
    );
    assert_eq!(json(cli().args(["list", "--json"]))[0]["id"], id.as_str());
    assert!(ok(cli().args(["list", "--state", "seeding"])).contains("0 torrents"));
    fails(cli().args(["list", "--state", "sleeping"]), 2);

    let info = ok(cli().args(["info", short]));
    assert!(info.starts_with("Name:       pack\n"), "{info}");
    assert!(
        info.contains(&format!("ID:         {id}")) && info.contains("b/c.txt"),
        "{info}"
    );
    let detail = json(cli().args(["info", "--json", "pack"]));
    assert_eq!(detail["files"].as_array().map(Vec::len), Some(2));

    assert_eq!(
        ok(cli().args(["priority", short, "1", "skip"])),
        format!("1 file(s) of {id} set to skip\n")
    );
    let files = client_for(&server)
        .torrent(id.parse().unwrap())
        .await
        .unwrap()
        .files
        .unwrap();
    assert_eq!(files[1].priority, Priority::Skip);
    assert_eq!(
        json(cli().args(["--json", "priority", short, "all", "max"])),
        serde_json::json!({"ok": true})
    );

    assert_eq!(ok(cli().args(["pause", "all"])), format!("paused {id}\n"));
    assert_eq!(ok(cli().args(["resume", short])), format!("resumed {id}\n"));
    assert_eq!(
        ok(cli().args(["recheck", &id])),
        format!("rechecking {id}\n")
    );
    let moved = torrent.dir.subdir("moved");
    assert_eq!(
        ok(cli().args(["move", short, moved.to_str().unwrap()])),
        format!("moved {id} to {}\n", moved.display())
    );

    assert!(ok(cli().arg("stats")).starts_with("Torrents:   1 ("));
    assert_eq!(json(cli().args(["stats", "--json"]))["total_torrents"], 1);
    let frames = ok(cli().args(["watch", "--count", "2", "--json"]));
    let frames: Vec<Value> = frames
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[1]["torrents"][0]["id"], id.as_str());
    assert!(ok(cli().args(["watch", "--count", "1"])).contains("1 torrent, down"));

    assert_eq!(
        ok(cli().args(["rm", "--delete-data", short])),
        format!("removed with data {id}\n")
    );
    assert!(fails(cli().args(["info", &id]), 1).contains("torrent not found"));
    assert!(fails(cli().args(["pause", "nothing-like-it"]), 1).contains("no torrent matches"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn category_commands_and_url_adds() {
    // Proves category list/add/set/edit/rm and that `add <url>` downloads the .torrent itself.
    let server = MosaicServer::start(ServerOptions::default()).await;
    let config = TestDir::new("cli-config");
    let cli = || mosaic(&server, &config);
    let torrent = small_torrent("cli-categories", "pack");
    let url = serve_once(std::fs::read(&torrent.path).unwrap());

    assert_eq!(
        ok(cli().args(["add", "--paused", &url])),
        format!("added {}\n", torrent.info_hash)
    );
    assert_eq!(
        ok(cli().args([
            "category",
            "add",
            "films",
            "--save-path",
            "/srv/films",
            "--color",
            "#00ff00"
        ])),
        "created category 1 films\n"
    );
    let table = ok(cli().args(["category", "list"]));
    assert_eq!(
        table,
        "ID  NAME   COLOR    SAVE PATH\n 1  films  #00ff00  /srv/films\n"
    );
    assert_eq!(
        json(cli().args(["category", "list", "--json"]))[0]["name"],
        "films"
    );

    let set = ok(cli().args(["category", "set", "FILMS", "all"]));
    assert_eq!(set, format!("{} now in category 1\n", torrent.info_hash));
    assert!(ok(cli().args(["list", "--category", "films"])).contains("films     pack"));
    assert!(ok(cli().args(["list", "--category", "none"])).contains("0 torrents"));
    ok(cli().args(["category", "edit", "1", "--name", "movies"]));
    assert_eq!(
        json(cli().args(["--json", "category", "list"]))[0]["name"],
        "movies"
    );
    assert!(
        fails(cli().args(["category", "add", "movies"]), 1).contains("category already exists")
    );
    assert_eq!(
        ok(cli().args(["category", "rm", "movies"])),
        "deleted category 1\n"
    );
    assert!(fails(cli().args(["category", "rm", "movies"]), 1).contains("no category"));
}

/// Serves `body` to one HTTP request on loopback and answers its URL.
fn serve_once(body: Vec<u8>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/pack.torrent", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 4096];
        let _ = stream.read(&mut request);
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(&body).unwrap();
    });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_codes_tell_refusal_usage_and_unreachable_apart() {
    // Proves 1 for a refused key, 2 for usage and missing credentials, 3 for no server or an untrusted certificate.
    let server = MosaicServer::start(ServerOptions::default()).await;
    let config = TestDir::new("cli-config");
    let cli = || mosaic(&server, &config);

    let refused = fails(cli().env("MOSAIC_API_KEY", "wrong-key").arg("list"), 1);
    assert!(
        refused.contains("unauthorized") && !refused.contains("wrong-key"),
        "{refused}"
    );
    fails(cli().arg("priority"), 2);
    fails(cli().arg("frobnicate"), 2);
    fails(cli().env_remove("MOSAIC_API_KEY").arg("list"), 2);
    fails(cli().args(["add", "/nonexistent/file.torrent"]), 2);

    let nowhere = format!("https://127.0.0.1:{}", free_port());
    assert!(fails(cli().args(["--url", &nowhere, "list"]), 3).contains("cannot connect"));
    let untrusted = fails(cli().env_remove("MOSAIC_CA_FILE").arg("list"), 3);
    assert!(untrusted.contains("--fingerprint"), "{untrusted}");
    let fingerprint = support::logged_fingerprint(&server.log_text());
    ok(cli()
        .env_remove("MOSAIC_CA_FILE")
        .args(["--fingerprint", &fingerprint, "list"]));
    ok(cli()
        .env_remove("MOSAIC_CA_FILE")
        .args(["--insecure", "stats"]));
    let script = ok(cli().args(["completions", "bash"]));
    assert!(
        script.contains("mosaic") && script.contains("complete"),
        "{script}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_saves_a_session_and_key_rotate_prints_the_new_key() {
    // Proves `login` keeps a session later commands use, `logout` ends it, and `key rotate` swaps keys.
    let server = MosaicServer::start(ServerOptions::default()).await;
    let config = TestDir::new("cli-config");
    let cli = || mosaic(&server, &config);

    let signed_in = ok(cli()
        .env_remove("MOSAIC_API_KEY")
        .arg("login")
        .write_stdin(format!("{}\n", server.password())));
    assert!(
        signed_in.starts_with("signed in as admin; session saved in"),
        "{signed_in}"
    );
    let saved = config.join("session.json");
    assert!(
        !std::fs::read_to_string(&saved)
            .unwrap()
            .contains(server.password())
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&saved).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    ok(cli()
        .env_remove("MOSAIC_API_KEY")
        .args(["category", "add", "by-session"]));
    assert_eq!(
        ok(cli().env_remove("MOSAIC_API_KEY").arg("logout")),
        "signed out\n"
    );
    fails(cli().env_remove("MOSAIC_API_KEY").arg("list"), 2);
    let wrong = fails(
        cli()
            .env_remove("MOSAIC_API_KEY")
            .arg("login")
            .write_stdin("nope\n"),
        1,
    );
    assert!(wrong.contains("invalid credentials"), "{wrong}");

    let new_key = ok(cli().args(["key", "rotate"]));
    let new_key = new_key.trim();
    assert_eq!(new_key.len(), 43);
    assert!(fails(cli().arg("list"), 1).contains("unauthorized"));
    ok(cli().env("MOSAIC_API_KEY", new_key).arg("list"));
    let rotated = json(
        cli()
            .env("MOSAIC_API_KEY", new_key)
            .args(["--json", "key", "rotate"]),
    );
    assert_eq!(rotated["api_key"].as_str().map(str::len), Some(43));
}
