//! `mosaic add`: magnets, local `.torrent` files and `.torrent` URLs, and
//! `--wait` with a progress bar per torrent fed by the event stream.

use std::collections::HashMap;
use std::time::Duration;

use futures::StreamExt;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use mosaic_client::wire::{Torrent, TorrentState};
use mosaic_client::{AddOptions, Client, Event, InfoHash};
use serde_json::json;

use crate::args::AddArgs;
use crate::output::{bytes, eta, rate};
use crate::{Failure, Outcome, print_json, resolve};

/// The server refuses uploads over 10 MiB; a download is cut off there too.
const MAX_TORRENT_BYTES: usize = 10 * 1024 * 1024;

pub(crate) async fn run(client: &Client, args: &AddArgs, json: bool) -> Outcome {
    let category_id = match &args.category {
        Some(name) => resolve::category(client, name).await?,
        None => None,
    };
    let options = AddOptions {
        save_path: args.save_path.clone(),
        category_id,
        paused: args.paused,
    };
    let mut ids = Vec::new();
    for source in &args.sources {
        let id = add_one(client, source, &options).await?;
        if !json {
            println!("added {id}");
        }
        ids.push(id);
    }

    match (args.wait, json) {
        (true, _) => wait(client, &ids, json).await,
        (false, true) => {
            let added: Vec<_> = ids
                .iter()
                .zip(&args.sources)
                .map(|(id, source)| json!({"id": id, "source": source}))
                .collect();
            print_json(&added)
        }
        (false, false) => Ok(()),
    }
}

async fn add_one(client: &Client, source: &str, options: &AddOptions) -> Result<InfoHash, Failure> {
    if source.starts_with("magnet:") {
        return Ok(client.add_magnet(source, options).await?);
    }
    if source.starts_with("http://") || source.starts_with("https://") {
        let torrent = download(source).await?;
        return Ok(client.add_torrent(torrent, options).await?);
    }
    let path = std::path::Path::new(source);
    if !path.is_file() {
        return Err(Failure::Usage(format!(
            "{source:?} is not a magnet link, an http(s) URL or a .torrent file"
        )));
    }
    Ok(client.add_torrent_file(path, options).await?)
}

/// Fetches a `.torrent` from the web: the server has no add-by-URL route,
/// so the CLI downloads it (trusting the system's roots) and uploads it.
async fn download(url: &str) -> Result<Vec<u8>, Failure> {
    let failed =
        |e: &dyn std::fmt::Display| Failure::Refused(format!("cannot download {url}: {e}"));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .user_agent(concat!("mosaic/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| failed(&e))?;
    let mut response = http.get(url).send().await.map_err(|e| failed(&e))?;
    if !response.status().is_success() {
        return Err(failed(&format!("it answered {}", response.status())));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| failed(&e))? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_TORRENT_BYTES {
            return Err(failed(&"larger than 10 MiB, not a .torrent"));
        }
    }
    Ok(body)
}

/// Follows the added torrents on the event stream until every one is
/// complete; prints a line for each, or their rows as JSON at the end.
async fn wait(client: &Client, ids: &[InfoHash], json: bool) -> Outcome {
    let bars = MultiProgress::new();
    let style = ProgressStyle::with_template("{prefix:30!} [{bar:30}] {percent:>3}% {msg}")
        .expect("the template is static and valid")
        .progress_chars("=> ");
    let mut pending: HashMap<InfoHash, ProgressBar> = ids
        .iter()
        .map(|id| {
            let bar = bars.add(ProgressBar::new(0).with_style(style.clone()));
            bar.set_prefix(id.to_string()[..8].to_owned());
            (*id, bar)
        })
        .collect();
    let mut finished = Vec::new();
    let mut events = Box::pin(client.events());

    while !pending.is_empty() {
        let event = events
            .next()
            .await
            .ok_or_else(|| Failure::Refused("the event stream ended".into()))??;
        match event {
            Event::Torrents(list) => {
                for torrent in list {
                    follow(&mut pending, &bars, torrent, json, &mut finished)?;
                }
            }
            Event::Failed { id, name, error } if pending.contains_key(&id) => {
                return Err(Failure::Refused(format!("{name}: {error}")));
            }
            Event::Removed { id, name } if pending.contains_key(&id) => {
                return Err(Failure::Refused(format!(
                    "{name} was removed while waiting"
                )));
            }
            Event::Disconnected { .. } => pending
                .values()
                .for_each(|bar| bar.set_message("reconnecting…")),
            _ => {}
        }
    }
    if json {
        return print_json(&finished);
    }
    Ok(())
}

/// Updates the bar of one row, and retires it when complete.
fn follow(
    pending: &mut HashMap<InfoHash, ProgressBar>,
    bars: &MultiProgress,
    torrent: Torrent,
    json: bool,
    finished: &mut Vec<Torrent>,
) -> Outcome {
    let Some(bar) = pending.get(&torrent.id) else {
        return Ok(());
    };
    if torrent.state == TorrentState::Error {
        let error = torrent.error.unwrap_or_else(|| "failed".into());
        return Err(Failure::Refused(format!("{}: {error}", torrent.name)));
    }
    bar.set_prefix(torrent.name.clone());
    bar.set_length(torrent.total_bytes.max(1));
    bar.set_position(torrent.bytes_done);
    bar.set_message(progress_message(&torrent));
    if !torrent.completed {
        return Ok(());
    }

    bar.finish_with_message("complete");
    if !json {
        let line = format!(
            "complete {} {} ({})",
            torrent.id,
            torrent.name,
            bytes(torrent.total_bytes)
        );
        bars.suspend(|| println!("{line}"));
    }
    pending.remove(&torrent.id);
    finished.push(torrent);
    Ok(())
}

fn progress_message(t: &Torrent) -> String {
    if t.state == TorrentState::Metadata {
        return "fetching metadata".into();
    }
    format!(
        "{} / {}  {}  ETA {}  {} peers",
        bytes(t.bytes_done),
        bytes(t.total_bytes),
        rate(t.download_rate),
        eta(t.eta_secs),
        t.peers
    )
}
