//! `mosaic watch`: the torrent table and session totals, redrawn each
//! second from the delta event stream.

use std::io::IsTerminal;

use futures::StreamExt;
use mosaic_client::wire::{Category, Stats};
use mosaic_client::{Client, Event, TorrentList};
use serde_json::json;

use crate::output::{bytes, rate};
use crate::{Outcome, torrents};

/// Clears the terminal and moves the cursor home.
const CLEAR: &str = "\x1b[H\x1b[2J";

pub(crate) async fn run(client: &Client, count: Option<u64>, json: bool) -> Outcome {
    let categories = client.categories().await?;
    let mut events = Box::pin(client.events_delta());
    let mut list = TorrentList::default();
    let mut status = String::new();
    let mut shown = 0;
    let terminal = std::io::stdout().is_terminal();

    while count.is_none_or(|limit| shown < limit) {
        let Some(event) = events.next().await else {
            break;
        };
        // The server sends the list before the stats of each tick, so
        // drawing on stats shows both at most once a second.
        match event? {
            Event::Stats(stats) => {
                draw(client, &list, &stats, &categories, &status, json, terminal)?;
                shown += 1;
            }
            Event::Disconnected { reason } => status = format!("reconnecting ({reason})"),
            Event::Reconnected => status.clear(),
            other => {
                list.apply(&other);
            }
        }
    }
    Ok(())
}

fn draw(
    client: &Client,
    list: &TorrentList,
    stats: &Stats,
    categories: &[Category],
    status: &str,
    json: bool,
    terminal: bool,
) -> Outcome {
    let torrents = list.torrents()?;
    if json {
        println!("{}", json!({"stats": stats, "torrents": torrents}));
        return Ok(());
    }
    let rows: Vec<_> = torrents.iter().collect();
    let header = format!(
        "{}  down {}  up {}  peers {}  free {}  {status}\n",
        client.base_url(),
        rate(stats.total_download_rate),
        rate(stats.total_upload_rate),
        stats.total_peers,
        bytes(stats.free_space),
    );
    let clear = if terminal { CLEAR } else { "" };
    print!("{clear}{header}{}", torrents::table(&rows, categories));
    if !terminal {
        println!();
    }
    Ok(())
}
