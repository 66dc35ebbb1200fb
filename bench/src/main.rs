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

use plan::{Args, Plan, Scenario};
use results::Results;

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
    // One resume file per torrent, a pool of data files (an eighth of the
    // limit), and room for sockets.
    let needed = (ctx.plan.max_torrents() as u64 + 1024) * 8 / 7;
    if procfs::open_files_limit().is_some_and(|limit| limit < needed) {
        eprintln!(
            "warning: the open files limit is below {needed}; Mosaic holds one resume \
             file per torrent (bench/run raises the limit)"
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
        let outcome = scenario::compare::scale_and_push(
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
