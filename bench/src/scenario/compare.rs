//! The order of the scale scenarios: the peers first, each grown through
//! the torrent counts, then Mosaic the same way, compared with the peers'
//! rows as it goes (so a lost comparison is profiled while Mosaic still
//! holds that state), with its plain-HTTP listing and the push scenario
//! fitted in where the state they need exists.

use std::time::Duration;

use crate::daemon::{self, Daemon, Lister, Mosaic, Qbittorrent, Transmission};
use crate::plan::Peer;
use crate::results::Results;
use crate::scenario::scale::{self, Outcome};
use crate::summary::{Better, ratio};
use crate::{Ctx, synth};

/// Time for Mosaic to come up on a large state.
const START_TIMEOUT: Duration = Duration::from_secs(600);
/// Time for loaded torrents to be listed.
const LIST_TIMEOUT: Duration = Duration::from_secs(1200);

/// Scenarios 2, 4 and 5 for the peers, then for Mosaic (compared as it
/// goes, and with scenario 3 run on its largest state).
pub(crate) async fn scale_and_push(
    ctx: &Ctx,
    scale: bool,
    push: bool,
    results: &mut Results,
) -> Outcome {
    let mut peers = Outcome::default();
    if scale && ctx.plan.has(Peer::Qbittorrent) {
        match Qbittorrent::new(&ctx.work.join("scale/qbittorrent")) {
            Ok(mut qbt) => peer_steps(ctx, &mut qbt, &mut peers, results).await,
            Err(e) => results
                .failures
                .push(("qBittorrent".into(), format!("{e:#}"))),
        }
    }
    if scale && ctx.plan.has(Peer::Transmission) {
        match Transmission::new(&ctx.work.join("scale/transmission")) {
            Ok(mut t) => peer_steps(ctx, &mut t, &mut peers, results).await,
            Err(e) => results
                .failures
                .push(("Transmission".into(), format!("{e:#}"))),
        }
    }

    let mut mosaic = Mosaic::new(&ctx.server_bin, &ctx.work.join("scale/mosaic"));
    let mut own = Outcome::default();
    let measured = if scale {
        mosaic_steps(ctx, &mut mosaic, &peers, push, &mut own, results).await
    } else {
        push_only(ctx, &mut mosaic, &mut own, results).await
    };
    if let Err(e) = measured {
        results
            .failures
            .push(("Mosaic at scale".into(), format!("{e:#}")));
    }
    let _ = mosaic.stop().await;

    peers.listing.extend(own.listing);
    peers.memory.extend(own.memory);
    peers.startup.extend(own.startup);
    peers.adding.extend(own.adding);
    peers.profiles.extend(own.profiles);
    peers.push.extend(own.push);
    peers
}

/// The steps 0 → 0 → 1,000 → 10,000 (or the plan's counts) for a peer.
async fn peer_steps(ctx: &Ctx, client: &mut impl Lister, out: &mut Outcome, results: &mut Results) {
    let mut from = 0;
    for to in ctx.plan.steps() {
        let stepped = scale::step(ctx, client, from, to, None, out).await;
        ctx.note_command(client.name(), client.command_line());
        if let Err(e) = stepped {
            let _ = client.stop().await;
            let what = format!("{} at {to} torrents (and larger)", client.name());
            results.failures.push((what, format!("{e:#}")));
            return;
        }
        from = to;
    }
}

async fn mosaic_steps(
    ctx: &Ctx,
    mosaic: &mut Mosaic,
    peers: &Outcome,
    push: bool,
    out: &mut Outcome,
    results: &mut Results,
) -> anyhow::Result<()> {
    let mut from = 0;
    for to in ctx.plan.steps() {
        scale::grow(ctx, mosaic, from, to, Some(peers), out).await?;
        ctx.note_command("Mosaic", mosaic.command_line());
        // Push runs on the server that loaded the torrents, before any
        // restart: so it is measured even where a restart would fail.
        if push && to == ctx.plan.max_torrents() {
            push_on_running(ctx, mosaic, to, out, results).await;
        }
        if to > 0 {
            mosaic.stop().await?;
            plain_http_listing(ctx, mosaic, to, peers, out).await?;
        }
        scale::restarts(ctx, mosaic, to, Some(peers), out).await?;
        from = to;
    }
    Ok(())
}

async fn push_on_running(
    ctx: &Ctx,
    mosaic: &Mosaic,
    n: usize,
    out: &mut Outcome,
    results: &mut Results,
) {
    match crate::scenario::push::run(ctx, mosaic, n).await {
        Ok((rows, profiles)) => {
            out.push.extend(rows);
            out.profiles.extend(profiles);
        }
        Err(e) => results.failures.push(("3. push".into(), format!("{e:#}"))),
    }
}

/// The listing load once more with Mosaic serving plain HTTP, like its
/// peers do.
async fn plain_http_listing(
    ctx: &Ctx,
    mosaic: &mut Mosaic,
    n: usize,
    peers: &Outcome,
    out: &mut Outcome,
) -> anyhow::Result<()> {
    mosaic.set_plain_http(true);
    let measured = async {
        daemon::start(mosaic, START_TIMEOUT).await?;
        daemon::wait_count(mosaic, n, LIST_TIMEOUT).await?;
        let row = scale::listing(ctx, mosaic, n).await?;
        let lost: Vec<String> = peers
            .listing
            .iter()
            .filter(|p| p.torrents == n)
            .filter(|p| {
                ratio(&row.requests_per_sec, &p.requests_per_sec, Better::Higher)
                    .is_some_and(|(_, worse)| worse)
            })
            .map(|p| format!("requests/s vs {}", p.client))
            .collect();
        if !lost.is_empty() && ctx.perf {
            out.profiles
                .push(scale::profile_listing(ctx, mosaic, n, &lost).await);
        }
        out.listing.push(row);
        Ok::<_, anyhow::Error>(())
    };
    let outcome = measured.await;
    mosaic.stop().await?;
    mosaic.set_plain_http(false);
    outcome
}

/// Loads Mosaic with the largest count and runs the push scenario alone.
async fn push_only(
    ctx: &Ctx,
    mosaic: &mut Mosaic,
    out: &mut Outcome,
    results: &mut Results,
) -> anyhow::Result<()> {
    let n = ctx.plan.max_torrents();
    daemon::start(mosaic, START_TIMEOUT).await?;
    let save = ctx.work.join("synthetic-data");
    mosaic.add_paused(&synth::torrents(0, n), &save).await?;
    daemon::wait_count(mosaic, n, LIST_TIMEOUT).await?;
    push_on_running(ctx, mosaic, n, out, results).await;
    mosaic.stop().await
}
