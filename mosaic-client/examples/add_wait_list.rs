//! Adds a torrent (a magnet link or a `.torrent` file), waits for it to
//! complete while printing its progress, then lists every torrent.
//!
//! ```sh
//! export MOSAIC=https://127.0.0.1:8080 MOSAIC_API_KEY=… MOSAIC_FINGERPRINT=AA:BB:…
//! cargo run -p mosaic-client --example add_wait_list -- ./some.torrent
//! ```
//!
//! The certificate is trusted by `MOSAIC_FINGERPRINT` (what the server
//! logs as `tls certificate sha256=…`), else by `MOSAIC_CA_FILE`, else by
//! the system's roots.

use std::process::ExitCode;

use futures::TryStreamExt;
use mosaic_client::{AddOptions, Client, Event, InfoHash};

#[tokio::main]
async fn main() -> ExitCode {
    let Some(source) = std::env::args().nth(1) else {
        eprintln!("usage: add_wait_list <magnet link | .torrent file>");
        return ExitCode::from(2);
    };
    match run(&source).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is_connect() => {
            eprintln!("cannot reach the server: {e}");
            ExitCode::from(3)
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(source: &str) -> mosaic_client::Result<()> {
    let client = client_from_env()?;
    let id = if source.starts_with("magnet:") {
        client.add_magnet(source, &AddOptions::default()).await?
    } else {
        client
            .add_torrent_file(source, &AddOptions::default())
            .await?
    };
    println!("added {id}");

    wait_for(&client, id).await?;

    for torrent in client.torrents().await? {
        let percent = torrent.progress * 100.0;
        println!(
            "{}  {percent:>5.1}%  {:?}  {}",
            torrent.id, torrent.state, torrent.name
        );
    }
    Ok(())
}

fn client_from_env() -> mosaic_client::Result<Client> {
    let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
    let builder = Client::builder()
        .base_url(var("MOSAIC").unwrap_or_else(|| "https://127.0.0.1:8080".into()))
        .api_key(var("MOSAIC_API_KEY").unwrap_or_default());
    let builder = match (var("MOSAIC_FINGERPRINT"), var("MOSAIC_CA_FILE")) {
        (Some(fingerprint), _) => builder.fingerprint(&fingerprint),
        (None, Some(ca)) => builder.ca_file(ca),
        (None, None) => builder,
    };
    builder.build()
}

/// Follows the event stream until the torrent is complete. The first list
/// frame already says so when it finished before we started listening.
async fn wait_for(client: &Client, id: InfoHash) -> mosaic_client::Result<()> {
    let mut events = Box::pin(client.events());
    while let Some(event) = events.try_next().await? {
        match event {
            Event::Torrents(list) => {
                let Some(torrent) = list.iter().find(|t| t.id == id) else {
                    continue;
                };
                println!(
                    "{:>5.1}%  {} B/s",
                    torrent.progress * 100.0,
                    torrent.download_rate
                );
                if torrent.completed {
                    println!("complete: {}", torrent.name);
                    return Ok(());
                }
            }
            Event::Failed {
                id: failed, error, ..
            } if failed == id => {
                eprintln!("failed: {error}");
                return Ok(());
            }
            Event::Disconnected { reason } => eprintln!("reconnecting: {reason}"),
            _ => {}
        }
    }
    Ok(())
}
