//! `mosaic-bench`: Mosaic measured side by side with the clients people
//! would pick instead — bare librqbit, qBittorrent, Transmission and aria2
//! — on loopback, in one run, and written up as `BENCHMARKS.md`.
//!
//! `bench/run` installs the peers, builds, and runs this program; see
//! `src/method.md` for what each scenario measures and how.

mod bare;
mod daemon;
mod machine;
mod perf;
mod plan;
mod procfs;
mod report;
mod results;
mod scenario;
mod summary;
mod synth;
mod wrk;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Parser;
use mosaic_tests::TestDir;

use daemon::{Daemon, Lister, Mosaic, Qbittorrent, Transmission};
use plan::{Args, Peer, Plan, Scenario};
use results::Results;
use scenario::scale::{self, Outcome};

/// What every scenario needs.
pub(crate) struct Ctx {
    pub(crate) plan: Plan,
    /// Scratch folder for client state and downloads (removed at the end).
    pub(crate) work: PathBuf,
    /// Kept after the run: results, profiles.
    pub(crate) artifacts: PathBuf,
    pub(crate) server_bin: PathBuf,
    pub(crate) bare_bin: PathBuf,
    /// Whether `perf record` works here.
    pub(crate) perf: bool,
    commands: Mutex<BTreeMap<String, String>>,
}

impl Ctx {
    /// Remembers how a client was started, for the report.
    pub(crate) fn note_command(&self, client: &str, command: String) {
        let mut commands = self
            .commands
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        commands.entry(client.to_owned()).or_insert(command);
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let plan = Plan::from(&args);
    check_tools()?;
    let work = TestDir::new("bench");
    let ctx = Ctx {
        artifacts: args.artifacts.clone(),
        server_bin: private_copy(
            &sibling(args.server_bin.as_deref(), "mosaic-server")?,
            &work,
        )?,
        bare_bin: private_copy(&sibling(args.bare_bin.as_deref(), "bare-librqbit")?, &work)?,
        perf: !args.no_profile && perf::available(),
        work: work.path().to_owned(),
        plan,
        commands: Mutex::default(),
    };
    std::fs::create_dir_all(&ctx.artifacts)?;
    let needed = ctx.plan.max_torrents() as u64 * 5 / 2 + 1024;
    if procfs::open_files_limit().is_some_and(|limit| limit < needed) {
        eprintln!(
            "warning: the open files limit is below {needed}; Mosaic holds about two \
             files per torrent (bench/run raises the limit)"
        );
    }
    if !ctx.perf && !args.no_profile {
        eprintln!("warning: `perf record` does not work here; losses will not be profiled");
    }

    let started = Instant::now();
    let mut results = Results {
        mode: ctx.plan.mode(),
        plan: ctx.plan.describe(),
        machine: machine::describe(),
        versions: machine::versions(&ctx.server_bin),
        started_at: now_text(),
        ..Results::default()
    };
    // Dropping the scenarios' future kills every client it started (the
    // harness's processes die on drop), so an interrupted run leaves
    // nothing behind; what was measured so far is still written.
    tokio::select! {
        () = run_scenarios(&ctx, &args.only, &mut results) => {}
        () = interrupted() => {
            eprintln!("interrupted: stopping the clients and writing what was measured");
            results.failures.push(("the rest of the run".into(), "interrupted".into()));
        }
    }
    results.duration_secs = started.elapsed().as_secs_f64();
    results.commands = commands(&ctx, &args);

    let json = serde_json::to_string_pretty(&results)?;
    std::fs::write(ctx.artifacts.join("results.json"), json)?;
    let markdown = report::markdown(&results);
    std::fs::write(&args.out, &markdown)
        .with_context(|| format!("writing {}", args.out.display()))?;
    println!("{markdown}");
    eprintln!(
        "wrote {} and {}",
        args.out.display(),
        ctx.artifacts.join("results.json").display()
    );
    Ok(())
}

async fn run_scenarios(ctx: &Ctx, only: &[Scenario], results: &mut Results) {
    let wanted = |s: Scenario| only.is_empty() || only.contains(&s);
    if wanted(Scenario::Hashing) {
        eprintln!("hashing: SHA-1 ceiling");
        results.hashing = scenario::hashing::run(ctx.plan.download_bytes, ctx.plan.runs);
    }
    if wanted(Scenario::Download) {
        match scenario::download::run(ctx).await {
            Ok((rows, setup, profiles)) => {
                results.download = rows;
                results.download_setup = setup;
                results.profiles.extend(profiles);
            }
            Err(e) => results
                .failures
                .push(("1. download".into(), format!("{e:#}"))),
        }
    }
    if wanted(Scenario::Scale) || wanted(Scenario::Push) {
        let outcome = scale_and_push(
            ctx,
            wanted(Scenario::Scale),
            wanted(Scenario::Push),
            results,
        )
        .await;
        results.listing.extend(outcome.listing);
        results.memory.extend(outcome.memory);
        results.startup.extend(outcome.startup);
        results.adding.extend(outcome.adding);
        results.profiles.extend(outcome.profiles);
        results.push.extend(outcome.push);
    }
}

/// Scenarios 2, 4 and 5 for the peers, then for Mosaic (compared as it
/// goes, and with scenario 3 run on its largest state).
async fn scale_and_push(ctx: &Ctx, scale: bool, push: bool, results: &mut Results) -> Outcome {
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
    match scenario::push::run(ctx, mosaic, n).await {
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
        daemon::start(mosaic, std::time::Duration::from_secs(600)).await?;
        daemon::wait_count(mosaic, n, std::time::Duration::from_secs(600)).await?;
        let row = scale::listing(ctx, mosaic, n).await?;
        let lost: Vec<String> = peers
            .listing
            .iter()
            .filter(|p| p.torrents == n)
            .filter(|p| {
                summary::ratio(
                    &row.requests_per_sec,
                    &p.requests_per_sec,
                    summary::Better::Higher,
                )
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
    daemon::start(mosaic, std::time::Duration::from_secs(120)).await?;
    let save = ctx.work.join("synthetic-data");
    mosaic.add_paused(&synth::torrents(0, n), &save).await?;
    daemon::wait_count(mosaic, n, std::time::Duration::from_secs(1200)).await?;
    push_on_running(ctx, mosaic, n, out, results).await;
    mosaic.stop().await
}

fn commands(ctx: &Ctx, args: &Args) -> Vec<(String, String)> {
    let invoked: Vec<String> = std::env::args().collect();
    let mut list = vec![
        ("this run".to_owned(), invoked.join(" ")),
        (
            "one command for everything".to_owned(),
            args.equivalent_run_command(),
        ),
        (
            "listing load".to_owned(),
            wrk::command_line(ctx.plan.listing_time),
        ),
        ("profiles".to_owned(), perf::command_line()),
        (
            "bare librqbit".to_owned(),
            format!("{} <file.torrent> <folder>", ctx.bare_bin.display()),
        ),
    ];
    let noted = ctx
        .commands
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    list.extend(noted.iter().map(|(k, v)| (k.clone(), v.clone())));
    list
}

/// `explicit`, or the program `name` beside this executable.
fn sibling(explicit: Option<&Path>, name: &str) -> anyhow::Result<PathBuf> {
    if let Some(path) = explicit {
        return Ok(path.to_owned());
    }
    let me = std::env::current_exe()?;
    let path = me.with_file_name(name);
    if !path.is_file() {
        bail!(
            "{} not found: build it (cargo build --release -p {}) or pass its path",
            path.display(),
            if name == "mosaic-server" {
                "mosaic-server"
            } else {
                "mosaic-bench"
            }
        );
    }
    Ok(path)
}

/// A copy of `binary` in the scratch folder: a rebuild during the run then
/// cannot swap the program under a running client, and the profiler can
/// still read the symbols of the file it sampled.
fn private_copy(binary: &Path, work: &Path) -> anyhow::Result<PathBuf> {
    let name = binary.file_name().context("a binary path names a file")?;
    let copy = work.join("bin").join(name);
    std::fs::create_dir_all(work.join("bin"))?;
    std::fs::copy(binary, &copy).with_context(|| format!("copying {}", binary.display()))?;
    Ok(copy)
}

/// Fails early, naming every missing program.
fn check_tools() -> anyhow::Result<()> {
    let tools = [
        "qbittorrent-nox",
        "transmission-daemon",
        "aria2c",
        "opentracker",
        "mktorrent",
        "wrk",
    ];
    let missing: Vec<&str> = tools
        .into_iter()
        .filter(|t| {
            std::process::Command::new("sh")
                .args(["-c", &format!("command -v {t}")])
                .output()
                .map_or(true, |o| !o.status.success())
        })
        .collect();
    if !missing.is_empty() {
        bail!(
            "missing programs: {} (bench/run installs them)",
            missing.join(", ")
        );
    }
    Ok(())
}

/// Resolves on SIGINT or SIGTERM.
async fn interrupted() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("a SIGTERM handler can be installed");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

/// The current time in UTC, from `date` (no time crate for one line).
fn now_text() -> String {
    std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map_or_else(|| "unknown".to_owned(), |s| s.trim().to_owned())
}
