//! Scenarios 2, 4 and 5 on one client, one torrent count at a time:
//! listing under load, idle memory, and start-up, with the same synthetic
//! torrents loaded paused in every client.
//!
//! A step grows the client's state to the next count through its own API,
//! runs the listing load against that process, stops it, and then starts
//! it again on the saved state once per run: each start is timed to the
//! first answered listing and to the first listing holding every torrent,
//! and after a quiet pause the resident memory is read. So memory is that
//! of a client started on N persisted torrents, the way a user finds it
//! after a reboot.
//!
//! When the steps run for Mosaic, the peers' rows for the same count are
//! passed in; wherever Mosaic's median is worse, the step profiles Mosaic
//! doing that same work before moving on.

use std::time::{Duration, Instant};

use anyhow::Context;

use crate::daemon::{self, Lister};
use crate::results::{AddRow, ListingRow, MemoryRow, Profile, PushRow, StartupRow};
use crate::scenario::download::{failed_profile, memory_notes};
use crate::summary::{Better, Summary, ratio};
use crate::{Ctx, perf, procfs, synth, wrk};

/// Time for a client to come up, even with 10,000 torrents to load.
const START_TIMEOUT: Duration = Duration::from_secs(600);
/// Time for added torrents to show, or a restarted client to list all.
const LIST_TIMEOUT: Duration = Duration::from_secs(1200);

/// What the steps measured.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    pub(crate) listing: Vec<ListingRow>,
    pub(crate) memory: Vec<MemoryRow>,
    pub(crate) startup: Vec<StartupRow>,
    pub(crate) adding: Vec<AddRow>,
    pub(crate) profiles: Vec<Profile>,
    pub(crate) push: Vec<PushRow>,
}

/// Grows `client` from `from` to `to` torrents and measures it there.
/// `peers` holds the other clients' rows when `client` is Mosaic.
pub(crate) async fn step<D: Lister>(
    ctx: &Ctx,
    client: &mut D,
    from: usize,
    to: usize,
    peers: Option<&Outcome>,
    out: &mut Outcome,
) -> anyhow::Result<()> {
    grow(ctx, client, from, to, peers, out).await?;
    restarts(ctx, client, to, peers, out).await
}

/// Starts `client`, grows it from `from` to `to` torrents and runs the
/// listing load; the client is left running.
pub(crate) async fn grow<D: Lister>(
    ctx: &Ctx,
    client: &mut D,
    from: usize,
    to: usize,
    peers: Option<&Outcome>,
    out: &mut Outcome,
) -> anyhow::Result<()> {
    let name = client.name();
    daemon::start(client, START_TIMEOUT).await?;
    if to > from {
        let save = ctx.work.join("synthetic-data");
        let started = Instant::now();
        client.add_paused(&synth::torrents(from, to), &save).await?;
        daemon::wait_count(client, to, LIST_TIMEOUT).await?;
        let secs = started.elapsed().as_secs_f64();
        eprintln!("scale: {name} loaded torrents {from}..{to} in {secs:.1} s");
        out.adding.push(AddRow {
            client: name.to_owned(),
            from,
            to,
            secs,
        });
    }
    if to > 0 {
        tokio::time::sleep(ctx.plan.settle).await;
        let row = listing(ctx, client, to).await?;
        let lost = peers.map(|p| lost_listing(&row, p)).unwrap_or_default();
        out.listing.push(row);
        if !lost.is_empty() && ctx.perf {
            out.profiles
                .push(profile_listing(ctx, client, to, &lost).await);
        }
    }
    Ok(())
}

/// The listing load, `runs` times, against the running client.
pub(crate) async fn listing<D: Lister>(
    ctx: &Ctx,
    client: &D,
    n: usize,
) -> anyhow::Result<ListingRow> {
    let target = client.listing();
    let (response_bytes, one) = target.fetch_once().await.context("one listing request")?;
    let duration = wrk::run_length(&target, ctx.plan.listing_time, one, &ctx.work).await?;
    let mut loads = Vec::new();
    for run in 0..ctx.plan.runs {
        let load = wrk::run(&target, duration, &ctx.work).await?;
        eprintln!(
            "listing: {} with {n} torrents run {}: {:.1} req/s, p50 {:.2} ms, p99 {:.2} ms",
            client.name(),
            run + 1,
            load.requests_per_sec,
            load.p50_ms,
            load.p99_ms
        );
        loads.push(load);
    }
    let of = |f: fn(&wrk::Load) -> f64| Summary::of(&loads.iter().map(f).collect::<Vec<_>>());
    Ok(ListingRow {
        client: client.name().to_owned(),
        torrents: n,
        request: target.describe(),
        response_bytes,
        run_secs: duration.as_secs(),
        requests_per_sec: of(|l| l.requests_per_sec),
        p50_ms: of(|l| l.p50_ms),
        p99_ms: of(|l| l.p99_ms),
    })
}

/// Comparisons of `row` that Mosaic loses against the peers' rows.
fn lost_listing(row: &ListingRow, peers: &Outcome) -> Vec<String> {
    peers
        .listing
        .iter()
        .filter(|p| p.torrents == row.torrents)
        .flat_map(|p| {
            [
                (
                    "requests/s",
                    &row.requests_per_sec,
                    &p.requests_per_sec,
                    Better::Higher,
                ),
                ("p50", &row.p50_ms, &p.p50_ms, Better::Lower),
                ("p99", &row.p99_ms, &p.p99_ms, Better::Lower),
            ]
            .into_iter()
            .filter(|(_, m, q, better)| ratio(m, q, *better).is_some_and(|(_, worse)| worse))
            .map(|(metric, ..)| format!("{metric} vs {}", p.client))
            .collect::<Vec<_>>()
        })
        .collect()
}

/// One more load run with perf attached to the client.
pub(crate) async fn profile_listing<D: Lister>(
    ctx: &Ctx,
    client: &D,
    n: usize,
    lost: &[String],
) -> Profile {
    let title = format!("listing-{}-{n}", slug(client.name()));
    let outcome = async {
        let pid = client.pid().context("no process")?;
        let target = client.listing();
        let (_, one) = target.fetch_once().await?;
        let duration = wrk::run_length(&target, ctx.plan.listing_time, one, &ctx.work).await?;
        let recording = perf::attach(pid, &ctx.artifacts, &title, true).await?;
        wrk::run(&target, duration, &ctx.work).await?;
        let reason = format!(
            "{} with {n} torrents: worse on {}",
            client.name(),
            lost.join(", ")
        );
        recording.finish(&title, &reason).await
    };
    outcome.await.unwrap_or_else(|e| failed_profile(&title, &e))
}

/// Stops the client, then starts it `runs` times on its saved state:
/// start-up times and idle memory.
pub(crate) async fn restarts<D: Lister>(
    ctx: &Ctx,
    client: &mut D,
    n: usize,
    peers: Option<&Outcome>,
    out: &mut Outcome,
) -> anyhow::Result<()> {
    client.stop().await?;
    let (mut first, mut all, mut rss) = (Vec::new(), Vec::new(), Vec::new());
    let mut files = Vec::new();
    let mut breakdown = Vec::new();
    for run in 0..ctx.plan.runs {
        let launched = Instant::now();
        let answered = daemon::start(client, START_TIMEOUT).await?;
        daemon::wait_count(client, n, LIST_TIMEOUT).await?;
        let listed = launched.elapsed();
        tokio::time::sleep(ctx.plan.settle).await;
        let pid = client.pid().context("no process")?;
        rss.push(procfs::sample(pid)?.rss as f64 / 1048576.0);
        files.push(procfs::open_files(pid)? as f64);
        if run + 1 == ctx.plan.runs {
            breakdown = procfs::memory_breakdown(pid).unwrap_or_default();
        }
        client.stop().await?;
        eprintln!(
            "start-up: {} with {n} torrents run {}: answered {:.2} s, all listed {:.2} s, idle RSS {:.1} MiB",
            client.name(),
            run + 1,
            answered.as_secs_f64(),
            listed.as_secs_f64(),
            rss.last().copied().unwrap_or_default()
        );
        first.push(answered.as_secs_f64());
        all.push(listed.as_secs_f64());
    }

    let memory = MemoryRow {
        client: client.name().to_owned(),
        torrents: n,
        rss_mib: Summary::of(&rss),
        open_files: Summary::of(&files),
        breakdown,
    };
    let startup = StartupRow {
        client: client.name().to_owned(),
        torrents: n,
        first_answer_secs: Summary::of(&first),
        all_listed_secs: Summary::of(&all),
    };
    if let Some(peers) = peers {
        follow_up(ctx, client, &memory, &startup, peers, out).await?;
    }
    out.memory.push(memory);
    out.startup.push(startup);
    Ok(())
}

/// Profiles Mosaic's memory or start-up where a peer did better.
async fn follow_up<D: Lister>(
    ctx: &Ctx,
    client: &mut D,
    memory: &MemoryRow,
    startup: &StartupRow,
    peers: &Outcome,
    out: &mut Outcome,
) -> anyhow::Result<()> {
    let n = memory.torrents;
    let heavier: Vec<&MemoryRow> = peers
        .memory
        .iter()
        .filter(|p| p.torrents == n)
        .filter(|p| ratio(&memory.rss_mib, &p.rss_mib, Better::Lower).is_some_and(|(_, w)| w))
        .collect();
    if !heavier.is_empty() {
        out.profiles.push(memory_profile(memory, &heavier));
    }

    let slower: Vec<String> = peers
        .startup
        .iter()
        .filter(|p| p.torrents == n)
        .filter(|p| {
            let worse =
                |m: &Summary, q: &Summary| ratio(m, q, Better::Lower).is_some_and(|(_, w)| w);
            worse(&startup.all_listed_secs, &p.all_listed_secs)
                || worse(&startup.first_answer_secs, &p.first_answer_secs)
        })
        .map(|p| p.client.clone())
        .collect();
    if !slower.is_empty() && ctx.perf {
        let reason = format!(
            "{} start-up with {n} torrents: slower than {}",
            client.name(),
            slower.join(", ")
        );
        out.profiles
            .push(profile_startup(ctx, client, n, &reason).await);
    }
    Ok(())
}

fn memory_profile(memory: &MemoryRow, heavier_than: &[&MemoryRow]) -> Profile {
    let mut notes = vec![format!("{}:", memory.client)];
    notes.extend(breakdown_lines(&memory.breakdown));
    for peer in heavier_than {
        notes.push(format!("{} (for comparison):", peer.client));
        notes.extend(breakdown_lines(&peer.breakdown));
    }
    let names: Vec<&str> = heavier_than.iter().map(|p| p.client.as_str()).collect();
    Profile {
        title: format!("memory-{}-{}", slug(&memory.client), memory.torrents),
        reason: format!(
            "{} idle with {} torrents holds more memory than {}",
            memory.client,
            memory.torrents,
            names.join(", ")
        ),
        method: "/proc/<pid>/smaps_rollup and status of the idle process (last run)".to_owned(),
        areas: Vec::new(),
        top: Vec::new(),
        notes,
    }
}

fn breakdown_lines(parts: &[(String, u64)]) -> Vec<String> {
    parts
        .iter()
        .map(|(label, value)| match label.as_str() {
            "threads" | "open files" => format!("  {label}: {value}"),
            _ => format!("  {label}: {:.1} MiB", *value as f64 / 1048576.0),
        })
        .collect()
}

/// One more start with perf attached from the first moment.
async fn profile_startup<D: Lister>(ctx: &Ctx, client: &mut D, n: usize, reason: &str) -> Profile {
    let title = format!("startup-{}-{n}", slug(client.name()));
    let outcome = async {
        client.launch().await?;
        let pid = client.pid().context("no process")?;
        let recording = perf::attach(pid, &ctx.artifacts, &title, false).await?;
        daemon::wait_count(client, n, LIST_TIMEOUT).await?;
        let mut profile = recording.finish(&title, reason).await?;
        profile.notes.extend(memory_notes(pid));
        client.stop().await?;
        Ok::<_, anyhow::Error>(profile)
    };
    match outcome.await {
        Ok(profile) => profile,
        Err(e) => {
            let _ = client.stop().await;
            failed_profile(&title, &e)
        }
    }
}

/// A client name fit for a file name.
pub(crate) fn slug(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            ' ' | '-' => Some('-'),
            _ => None,
        })
        .collect()
}
