//! Scenario 1: one multi-file torrent downloaded from one real seeder on
//! loopback by each client in turn.
//!
//! The swarm is made once: deterministic data, a torrent made by
//! mktorrent, opentracker, and a seeder the tracker already counts as
//! complete (a leecher that announces earlier would get an empty peer
//! list and wait a whole announce interval). Each run starts the client
//! fresh with an empty download folder, adds the torrent through the
//! client's own API and polls that API until the client reports every
//! piece verified. Wall time runs from the add request to that answer;
//! CPU seconds are the client process's user and system time over the
//! same span; peak RSS is the process's high-water mark.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use mosaic_tests::{DataSet, Process, TestDir, TorrentFile, Tracker, free_port, make_torrent};

use crate::daemon::{self, Aria2, Daemon, Mosaic, Qbittorrent, Transmission};
use crate::results::{DownloadRow, Profile};
use crate::summary::{Better, Summary, ratio};
use crate::{Ctx, bare, perf, procfs};

/// Time for a client to come up.
const START_TIMEOUT: Duration = Duration::from_secs(120);
/// Time for one download, even on a slow disk.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(1800);
/// Time for the tracker to count the seeder.
const SCRAPE_TIMEOUT: Duration = Duration::from_secs(120);
/// Pause between two completion probes.
const PROBE: Duration = Duration::from_millis(100);
/// Piece length of the torrent (512 KiB).
const PIECE_LOG2: u8 = 19;

/// One download: seconds, CPU seconds, peak resident bytes.
#[derive(Debug, Clone, Copy)]
struct Sample {
    wall: f64,
    cpu: f64,
    peak_rss: u64,
}

/// A tracker and a seeder for one torrent; stopped on drop.
struct Swarm {
    // Declared first so the processes stop before the folder goes.
    _seeder: Process,
    _tracker: Tracker,
    torrent: TorrentFile,
    total: u64,
    _dir: TestDir,
}

/// The files of the torrent for `total` bytes: a few large files of odd
/// sizes (so files end mid-piece), two small ones, and a remainder.
fn layout(total: u64) -> Vec<(String, u64)> {
    let shares = [
        ("disc-1/01-overture.flac", 0.30),
        ("disc-1/02-theme.flac", 0.25),
        ("disc-2/03-variations.flac", 0.20),
        ("disc-2/04-finale.flac", 0.15),
    ];
    let mut files: Vec<(String, u64)> = shares
        .iter()
        .map(|(name, share)| ((*name).to_owned(), (total as f64 * share) as u64 + 7))
        .collect();
    files.push(("cover.jpg".to_owned(), 123_457));
    files.push(("notes.txt".to_owned(), 4_099));
    let used: u64 = files.iter().map(|(_, len)| len).sum();
    files.push(("extras/making-of.mkv".to_owned(), total - used));
    files
}

impl Swarm {
    async fn start(total: u64) -> anyhow::Result<Self> {
        let dir = TestDir::new("bench-swarm");
        let files = layout(total);
        let borrowed: Vec<(&str, u64)> = files.iter().map(|(n, l)| (n.as_str(), *l)).collect();
        let data = DataSet::create(&dir.subdir("seed").join("album"), &borrowed);
        let tracker = Tracker::start();
        let torrent = make_torrent(
            data.root(),
            &tracker.announce_url(),
            &dir.join("album.torrent"),
            PIECE_LOG2,
        );
        tracker.whitelist(&torrent.info_hash_hex).await;

        let mut seeder = seeder(&torrent.path, &dir.join("seed"), &dir.subdir("seeder-logs"))?;
        let counted = tracker
            .wait_seeders(&torrent.info_hash_hex, 1, SCRAPE_TIMEOUT)
            .await;
        if let Err(e) = counted {
            let exited = seeder.exit_status();
            bail!(
                "the tracker never counted the seeder ({exited:?}): {e:#}\n{}",
                seeder.tails()
            );
        }
        Ok(Self {
            _seeder: seeder,
            _tracker: tracker,
            torrent,
            total: data.total_len(),
            _dir: dir,
        })
    }
}

/// aria2c seeding `torrent` from `data_parent` once it has verified the
/// data, without limits.
///
/// It re-announces every second. Transmission 3.00 refuses to connect to
/// peers on 127.0.0.0/8 that a tracker hands out (it treats loopback as a
/// martian address) but accepts them connecting in; the short interval is
/// how the seeder learns of each new leecher and connects to it, which is
/// the only way Transmission downloads on loopback.
fn seeder(torrent: &Path, data_parent: &Path, logs: &Path) -> anyhow::Result<Process> {
    let mut command = Command::new("aria2c");
    command
        .args([
            "--no-conf=true",
            "--enable-dht=false",
            "--enable-dht6=false",
            "--bt-enable-lpd=false",
            "--enable-peer-exchange=false",
            "--bt-external-ip=127.0.0.1",
            "--interface=127.0.0.1",
            "--disable-ipv6=true",
            "--seed-ratio=0.0",
            "--check-integrity=true",
            "--bt-seed-unverified=false",
            "--bt-tracker-interval=1",
            "--console-log-level=warn",
            "--summary-interval=0",
        ])
        .arg(format!("--listen-port={}", free_port()))
        .arg(format!("--stop-with-process={}", std::process::id()))
        .arg(format!("--dir={}", data_parent.display()))
        .arg(torrent);
    Process::spawn("aria2-seeder", command, logs).context("apt-get install aria2")
}

/// Runs every client `ctx.plan.runs` times; profiles Mosaic when it loses.
pub(crate) async fn run(ctx: &Ctx) -> anyhow::Result<(Vec<DownloadRow>, String, Vec<Profile>)> {
    let swarm = Swarm::start(ctx.plan.download_bytes).await?;
    let setup = format!(
        "{} MiB in {} files, {} KiB pieces, one aria2 seeder announced to opentracker \
         (re-announcing every second); every client fresh per run",
        swarm.total >> 20,
        layout(swarm.total).len(),
        (1u64 << PIECE_LOG2) >> 10,
    );
    let clients: Vec<&str> = std::iter::once("Mosaic")
        .chain(ctx.plan.peers.iter().map(|p| p.name()))
        .collect();
    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); clients.len()];
    for round in 0..ctx.plan.runs {
        for (i, client) in clients.iter().enumerate() {
            let dir = ctx.work.join(format!("download/{}-{round}", i));
            let sample = download(ctx, client, &swarm, &dir, None).await;
            let _ = std::fs::remove_dir_all(&dir);
            flush_disk();
            let sample = sample.with_context(|| format!("{client} download, run {}", round + 1))?;
            eprintln!(
                "download: {client} run {}: {:.2} s, {:.2} CPU s, peak {} MiB",
                round + 1,
                sample.wall,
                sample.cpu,
                sample.peak_rss >> 20
            );
            samples[i].push(sample);
        }
    }

    let rows: Vec<DownloadRow> = clients
        .iter()
        .zip(&samples)
        .map(|(client, s)| row(client, s, swarm.total))
        .collect();
    let profiles = profile_if_losing(ctx, &rows, &swarm).await;
    Ok((rows, setup, profiles))
}

fn row(client: &str, samples: &[Sample], total: u64) -> DownloadRow {
    let walls: Vec<f64> = samples.iter().map(|s| s.wall).collect();
    let mib = total as f64 / (1024.0 * 1024.0);
    DownloadRow {
        client: client.to_owned(),
        wall_secs: Summary::of(&walls),
        mib_per_sec: Summary::of(&walls.iter().map(|w| mib / w).collect::<Vec<_>>()),
        cpu_secs: Summary::of(&samples.iter().map(|s| s.cpu).collect::<Vec<_>>()),
        peak_rss_mib: Summary::of(
            &samples
                .iter()
                .map(|s| s.peak_rss as f64 / 1048576.0)
                .collect::<Vec<_>>(),
        ),
    }
}

/// One download by `client` into `dir`; with `profile`, the run of Mosaic
/// or bare librqbit is sampled by perf and the profile returned through it.
async fn download(
    ctx: &Ctx,
    client: &str,
    swarm: &Swarm,
    dir: &Path,
    profile: Option<&mut Option<Profile>>,
) -> anyhow::Result<Sample> {
    let save = dir.join("save");
    std::fs::create_dir_all(&save)?;
    let sample = match client {
        "Mosaic" => {
            let mut mosaic = Mosaic::new(&ctx.server_bin, dir);
            with_daemon(ctx, &mut mosaic, swarm, &save, profile).await
        }
        "bare librqbit" => {
            // librqbit puts a multi-file torrent's files straight into its
            // output folder; the other clients make the torrent's folder.
            let folder = save.join(&swarm.torrent.name);
            let profile = profile.map(|slot| (ctx.artifacts.as_path(), slot));
            bare::download(&ctx.bare_bin, &swarm.torrent.path, &folder, dir, profile).await
        }
        "qBittorrent" => with_daemon(ctx, &mut Qbittorrent::new(dir)?, swarm, &save, None).await,
        "Transmission" => with_daemon(ctx, &mut Transmission::new(dir)?, swarm, &save, None).await,
        "aria2" => with_daemon(ctx, &mut Aria2::new(dir), swarm, &save, None).await,
        other => bail!("unknown client {other}"),
    }?;
    let on_disk = bytes_on_disk(&save, swarm.total);
    if on_disk != swarm.total {
        bail!(
            "{client} reported completion with {on_disk} of {} bytes on disk",
            swarm.total
        );
    }
    Ok(Sample {
        wall: sample.0,
        cpu: sample.1,
        peak_rss: sample.2,
    })
}

async fn with_daemon(
    ctx: &Ctx,
    daemon: &mut impl Daemon,
    swarm: &Swarm,
    save: &Path,
    profile: Option<&mut Option<Profile>>,
) -> anyhow::Result<(f64, f64, u64)> {
    daemon::start(daemon, START_TIMEOUT).await?;
    ctx.note_command(daemon.name(), daemon.command_line());
    let measured = measure(ctx, daemon, swarm, save, profile).await;
    let stopped = daemon.stop().await;
    let measured = measured?;
    stopped?;
    Ok(measured)
}

async fn measure(
    ctx: &Ctx,
    daemon: &impl Daemon,
    swarm: &Swarm,
    save: &Path,
    profile: Option<&mut Option<Profile>>,
) -> anyhow::Result<(f64, f64, u64)> {
    let pid = daemon.pid().context("no process")?;
    let recording = match &profile {
        Some(_) => Some(perf::attach(pid, &ctx.artifacts, "download", true).await?),
        None => None,
    };
    let before = procfs::sample(pid)?;
    let started = Instant::now();
    let id = daemon.add_download(&swarm.torrent.path, save).await?;
    while !daemon.completed(&id).await? {
        if started.elapsed() > DOWNLOAD_TIMEOUT {
            bail!("{} unfinished after {DOWNLOAD_TIMEOUT:?}", daemon.name());
        }
        tokio::time::sleep(PROBE).await;
    }
    let wall = started.elapsed().as_secs_f64();
    let after = procfs::sample(pid)?;

    if let (Some(recording), Some(slot)) = (recording, profile) {
        let mut summary = recording
            .finish(
                "download-mosaic",
                "Mosaic downloads slower, or with more CPU or memory, than a peer",
            )
            .await?;
        summary.notes.extend(memory_notes(pid));
        *slot = Some(summary);
    }
    Ok((wall, after.cpu_secs - before.cpu_secs, after.peak_rss))
}

/// The resident memory split of `pid`, as report lines.
pub(crate) fn memory_notes(pid: u32) -> Vec<String> {
    match procfs::memory_breakdown(pid) {
        Ok(parts) => parts
            .iter()
            .map(|(label, value)| match label.as_str() {
                "threads" | "open files" => format!("{label}: {value}"),
                _ => format!("{label}: {:.1} MiB", *value as f64 / 1048576.0),
            })
            .collect(),
        Err(e) => vec![format!("memory breakdown unavailable: {e:#}")],
    }
}

/// One extra profiled Mosaic download when Mosaic's median is worse than
/// any peer's on time, CPU or peak memory.
async fn profile_if_losing(ctx: &Ctx, rows: &[DownloadRow], swarm: &Swarm) -> Vec<Profile> {
    let Some(mosaic) = rows.iter().find(|r| r.client == "Mosaic") else {
        return Vec::new();
    };
    let lost: Vec<String> = rows
        .iter()
        .filter(|peer| peer.client != "Mosaic")
        .flat_map(|peer| {
            [
                ("wall time", &mosaic.wall_secs, &peer.wall_secs),
                ("CPU time", &mosaic.cpu_secs, &peer.cpu_secs),
                ("peak RSS", &mosaic.peak_rss_mib, &peer.peak_rss_mib),
            ]
            .into_iter()
            .filter(|(_, m, p)| ratio(m, p, Better::Lower).is_some_and(|(_, worse)| worse))
            .map(|(metric, _, _)| format!("{metric} vs {}", peer.client))
            .collect::<Vec<_>>()
        })
        .collect();
    if lost.is_empty() || !ctx.perf {
        return Vec::new();
    }

    let reason = format!("Mosaic's median is worse on {}", lost.join(", "));
    let mut profiles = vec![profiled_download(ctx, "Mosaic", swarm, &reason).await];
    if lost.iter().any(|l| l.ends_with("bare librqbit")) {
        // The same engine without Mosaic: the difference is Mosaic's cost.
        let reason = "for comparison: the same download by bare librqbit";
        profiles.push(profiled_download(ctx, "bare librqbit", swarm, reason).await);
    }
    profiles
}

async fn profiled_download(ctx: &Ctx, client: &str, swarm: &Swarm, reason: &str) -> Profile {
    let dir = ctx.work.join("download/profile");
    let mut slot = None;
    let outcome = download(ctx, client, swarm, &dir, Some(&mut slot)).await;
    let _ = std::fs::remove_dir_all(&dir);
    let title = format!("download-{}", crate::scenario::scale::slug(client));
    match (outcome, slot) {
        (Ok(_), Some(mut profile)) => {
            profile.title = title;
            profile.reason = reason.to_owned();
            profile
        }
        (Err(e), _) => failed_profile(&title, &e),
        (Ok(_), None) => failed_profile(&title, &anyhow::anyhow!("no profile was taken")),
    }
}

/// A profile entry that records why profiling failed.
pub(crate) fn failed_profile(title: &str, error: &anyhow::Error) -> Profile {
    Profile {
        title: title.to_owned(),
        reason: "profiling failed".to_owned(),
        method: perf::command_line(),
        areas: Vec::new(),
        top: Vec::new(),
        notes: vec![format!("{error:#}")],
    }
}

/// Bytes of the torrent's files under `save` (a file still carrying
/// Transmission's `.part` suffix counts too).
fn bytes_on_disk(save: &Path, total: u64) -> u64 {
    layout(total)
        .iter()
        .map(|(relative, _)| {
            let path = save.join("album").join(relative);
            let part = save.join("album").join(format!("{relative}.part"));
            std::fs::metadata(&path)
                .or_else(|_| std::fs::metadata(&part))
                .map_or(0, |m| m.len())
        })
        .sum()
}

/// Writes dirty pages out so one run's writeback does not slow the next.
fn flush_disk() {
    let _ = Command::new("sync").status();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_adds_up_exactly() {
        // Proves the files sum to the requested size for both run modes.
        for total in [128u64 << 20, 1u64 << 30] {
            let files = layout(total);
            assert_eq!(files.iter().map(|(_, l)| l).sum::<u64>(), total);
            assert!(files.iter().all(|(_, l)| *l > 0));
        }
    }
}
