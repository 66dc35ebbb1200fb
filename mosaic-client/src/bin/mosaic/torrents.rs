//! Torrent commands: `list`, `info`, `pause`/`resume`/`recheck`/`rm`,
//! `priority`, `move` and `stats`.

use std::collections::BTreeSet;

use mosaic_client::wire::{Category, Detail, Stats, Torrent, TorrentState};
use mosaic_client::{Client, Priority};
use serde_json::json;

use crate::args::ListArgs;
use crate::output::{Table, bytes, eta, percent, rate, time};
use crate::{Failure, Outcome, print_json, resolve};

pub(crate) async fn list(client: &Client, args: &ListArgs, json: bool) -> Outcome {
    let (torrents, categories) = tokio::try_join!(client.torrents(), client.categories())?;
    let state = args.state.as_deref().map(parse_state).transpose()?;
    let category = match args.category.as_deref() {
        None => None,
        Some(name) if name.eq_ignore_ascii_case("none") => Some(None),
        Some(name) => Some(Some(resolve::find_category(&categories, name)?.id)),
    };
    let shown: Vec<&Torrent> = torrents
        .iter()
        .filter(|t| state.is_none_or(|s| t.state == s))
        .filter(|t| category.is_none_or(|c| t.category_id == c))
        .collect();
    if json {
        return print_json(&shown);
    }
    print!("{}", table(&shown, &categories));
    Ok(())
}

fn parse_state(name: &str) -> Result<TorrentState, Failure> {
    serde_json::from_value(json!(name.to_ascii_lowercase())).map_err(|_| {
        Failure::Usage(format!(
            "unknown state {name:?}: expected metadata, checking, downloading, seeding, paused, queued or error"
        ))
    })
}

/// The list as a table with a totals line.
pub(crate) fn table(torrents: &[&Torrent], categories: &[Category]) -> String {
    let mut table = Table::new(&[
        "ID", ">DONE", ">SIZE", ">DOWN", ">UP", ">ETA", ">RATIO", "STATE", "CATEGORY", "NAME",
    ]);
    for t in torrents {
        let category = t
            .category_id
            .and_then(|id| categories.iter().find(|c| c.id == id))
            .map_or("-", |c| c.name.as_str());
        table.row(vec![
            t.id.to_string()[..8].to_owned(),
            percent(t.progress),
            bytes(t.total_bytes),
            rate(t.download_rate),
            rate(t.upload_rate),
            eta(t.eta_secs),
            format!("{:.2}", t.ratio),
            state_name(t.state),
            category.to_owned(),
            t.name.clone(),
        ]);
    }
    let down: u64 = torrents.iter().map(|t| t.download_rate).sum();
    let up: u64 = torrents.iter().map(|t| t.upload_rate).sum();
    let count = torrents.len();
    let plural = if count == 1 { "" } else { "s" };
    format!(
        "{}{count} torrent{plural}, down {}, up {}\n",
        table.render(),
        rate(down),
        rate(up)
    )
}

fn state_name(state: TorrentState) -> String {
    serde_json::to_value(state)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{state:?}").to_lowercase())
}

pub(crate) async fn info(client: &Client, name: &str, json: bool) -> Outcome {
    let id = resolve::torrent_id(client, name).await?;
    let (detail, categories) = tokio::try_join!(client.torrent(id), client.categories())?;
    if json {
        return print_json(&detail);
    }
    print!("{}", describe(&detail, &categories));
    Ok(())
}

fn describe(detail: &Detail, categories: &[Category]) -> String {
    let t = &detail.torrent;
    let category = t
        .category_id
        .and_then(|id| categories.iter().find(|c| c.id == id))
        .map_or_else(|| "-".to_owned(), |c| c.name.clone());
    let mut out = format!(
        "Name:       {}\nID:         {}\nState:      {} ({})\nSize:       {} ({} done)\n",
        t.name,
        t.id,
        state_name(t.state),
        percent(t.progress),
        bytes(t.total_bytes),
        bytes(t.bytes_done)
    );
    out += &format!(
        "Rates:      down {}, up {}\nETA:        {}\nPeers:      {} ({} seeds)\nTotals:     down {}, up {}, ratio {:.2}\n",
        rate(t.download_rate),
        rate(t.upload_rate),
        eta(t.eta_secs),
        t.peers,
        t.seeds,
        bytes(t.downloaded),
        bytes(t.uploaded),
        t.ratio
    );
    out += &format!(
        "Save path:  {}\nCategory:   {category}\nAdded:      {}\n",
        t.save_path,
        time(t.added_at)
    );
    if let Some(at) = t.completed_at {
        out += &format!("Completed:  {}\n", time(at));
    }
    if let Some(error) = &t.error {
        out += &format!("Error:      {error}\n");
    }
    out += &facts(detail);
    out += &parts(detail);
    out
}

fn facts(detail: &Detail) -> String {
    let mut out = format!(
        "Pieces:     {} x {}\nPrivate:    {}\n",
        detail.piece_count,
        bytes(detail.piece_length),
        if detail.private { "yes" } else { "no" }
    );
    if let Some(comment) = detail.comment.as_deref().filter(|c| !c.is_empty()) {
        out += &format!("Comment:    {comment}\n");
    }
    if let Some(by) = detail.created_by.as_deref().filter(|c| !c.is_empty()) {
        out += &format!("Created by: {by}\n");
    }
    out
}

/// The files, peers and trackers tables.
fn parts(detail: &Detail) -> String {
    let mut out = String::new();
    if let Some(files) = detail.files.as_deref().filter(|f| !f.is_empty()) {
        let mut table = Table::new(&[">#", "PRIORITY", ">DONE", ">SIZE", "PATH"]);
        for f in files {
            let cells = [
                f.index.to_string(),
                f.priority.to_string(),
                percent(f.progress),
                bytes(f.size),
                f.path.clone(),
            ];
            table.row(cells.into());
        }
        out += &format!("\nFiles:\n{}", table.render());
    }
    if let Some(peers) = detail.peers_list.as_deref().filter(|p| !p.is_empty()) {
        let mut table = Table::new(&["ADDRESS", ">DOWN", ">UP", "CLIENT"]);
        for p in peers {
            let address = format!("{}:{}", p.ip, p.port);
            let client = p.client.clone().unwrap_or_else(|| "-".into());
            table.row(vec![
                address,
                rate(p.download_rate),
                rate(p.upload_rate),
                client,
            ]);
        }
        out += &format!("\nPeers:\n{}", table.render());
    }
    if let Some(trackers) = detail.trackers.as_deref().filter(|t| !t.is_empty()) {
        let mut table = Table::new(&["STATUS", "URL"]);
        for t in trackers {
            table.row(vec![
                t.status.clone().unwrap_or_else(|| "-".into()),
                t.url.clone(),
            ]);
        }
        out += &format!("\nTrackers:\n{}", table.render());
    }
    out
}

/// What `control` does to each torrent.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Action {
    Pause,
    Resume,
    Recheck,
    Remove { delete_data: bool },
}

pub(crate) async fn control(
    client: &Client,
    names: &[String],
    action: Action,
    json: bool,
) -> Outcome {
    let ids = resolve::torrent_ids(client, names).await?;
    for id in &ids {
        match action {
            Action::Pause => client.pause(*id).await?,
            Action::Resume => client.resume(*id).await?,
            Action::Recheck => client.recheck(*id).await?,
            Action::Remove { delete_data: false } => client.remove(*id).await?,
            Action::Remove { delete_data: true } => client.remove_with_data(*id).await?,
        }
        if !json {
            println!("{} {id}", done_word(action));
        }
    }
    if json {
        return print_json(&json!({"ok": true, "ids": ids}));
    }
    Ok(())
}

fn done_word(action: Action) -> &'static str {
    match action {
        Action::Pause => "paused",
        Action::Resume => "resumed",
        Action::Recheck => "rechecking",
        Action::Remove { delete_data: false } => "removed",
        Action::Remove { delete_data: true } => "removed with data",
    }
}

pub(crate) async fn priority(
    client: &Client,
    name: &str,
    files: &[String],
    level: Priority,
    json: bool,
) -> Outcome {
    let id = resolve::torrent_id(client, name).await?;
    let indexes = if files.iter().any(|f| f == "all") {
        let count = client.torrent(id).await?.files.map_or(0, |f| f.len());
        (0..count).collect()
    } else {
        file_indexes(files)?
    };
    client
        .set_file_priorities(id, indexes.iter().map(|i| (*i, level)))
        .await?;
    if json {
        return print_json(&json!({"ok": true}));
    }
    println!("{} file(s) of {id} set to {level}", indexes.len());
    Ok(())
}

/// `3`, `0-4` and lists of them, as a sorted set of indexes.
fn file_indexes(specs: &[String]) -> Result<BTreeSet<usize>, Failure> {
    let bad =
        |spec: &str| Failure::Usage(format!("{spec:?} is not a file index or a range like 0-4"));
    let mut indexes = BTreeSet::new();
    for spec in specs.iter().flat_map(|s| s.split(',')) {
        let (first, last): (usize, usize) = match spec.split_once('-') {
            Some((a, b)) => (
                a.parse().map_err(|_| bad(spec))?,
                b.parse().map_err(|_| bad(spec))?,
            ),
            None => {
                let one: usize = spec.parse().map_err(|_| bad(spec))?;
                (one, one)
            }
        };
        if last < first || last - first > 100_000 {
            return Err(bad(spec));
        }
        indexes.extend(first..=last);
    }
    Ok(indexes)
}

pub(crate) async fn move_to(client: &Client, name: &str, path: &str, json: bool) -> Outcome {
    let id = resolve::torrent_id(client, name).await?;
    client.move_torrent(id, path).await?;
    if json {
        return print_json(&json!({"ok": true}));
    }
    println!("moved {id} to {path}");
    Ok(())
}

pub(crate) async fn stats(client: &Client, json: bool) -> Outcome {
    let stats = client.stats().await?;
    if json {
        return print_json(&stats);
    }
    print!("{}", stats_text(&stats));
    Ok(())
}

pub(crate) fn stats_text(s: &Stats) -> String {
    format!(
        "Torrents:   {} ({} active, {} seeding)\nRates:      down {}, up {}\nPeers:      {}\nSession:    down {}, up {}\nFree space: {}\n",
        s.total_torrents,
        s.active_torrents,
        s.seeding_torrents,
        rate(s.total_download_rate),
        rate(s.total_upload_rate),
        s.total_peers,
        bytes(s.downloaded_session),
        bytes(s.uploaded_session),
        bytes(s.free_space)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_specs_expand_to_indexes() {
        // Proves single indexes, ranges and comma lists combine, and nonsense is a usage error.
        let specs = ["3".to_owned(), "0-1,7".to_owned()];
        assert_eq!(
            file_indexes(&specs)
                .unwrap()
                .into_iter()
                .collect::<Vec<_>>(),
            [0, 1, 3, 7]
        );
        assert!(file_indexes(&["4-2".to_owned()]).is_err());
        assert!(file_indexes(&["x".to_owned()]).is_err());
        assert_eq!(parse_state("Seeding").unwrap(), TorrentState::Seeding);
        assert!(parse_state("sleeping").is_err());
    }
}
