//! Runs the `bare-librqbit` program for one download and reads its
//! counters before it is killed.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};
use mosaic_tests::Process;
use tokio::sync::mpsc;

use crate::results::Profile;
use crate::scenario::download::memory_notes;
use crate::{perf, procfs};

/// Time for the session to start and for the download to finish.
const READY_TIMEOUT: Duration = Duration::from_secs(60);
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(1800);

/// Downloads `torrent` into `save`; answers wall seconds (as the program
/// timed them, from adding to verified), CPU seconds over the same span,
/// and the peak resident bytes.
///
/// # Errors
///
/// When the program fails, or a timeout passes.
pub(crate) async fn download(
    binary: &Path,
    torrent: &Path,
    save: &Path,
    dir: &Path,
    profile: Option<(&Path, &mut Option<Profile>)>,
) -> anyhow::Result<(f64, f64, u64)> {
    let go = dir.join("go");
    let mut command = Command::new(binary);
    command.arg(torrent).arg(save).arg(&go);
    std::fs::create_dir_all(dir.join("logs"))?;
    let (process, stdout) = Process::spawn_piped("bare-librqbit", command, &dir.join("logs"))?;
    let pid = process.pid();
    let (tx, mut lines) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });

    let ready = next_line(&mut lines, READY_TIMEOUT, &process).await?;
    if ready != "ready" {
        bail!("unexpected first line {ready:?}");
    }
    let recording = match &profile {
        Some((artifacts, _)) => Some(perf::attach(pid, artifacts, "download-bare", true).await?),
        None => None,
    };
    let before = procfs::sample(pid)?;
    std::fs::write(&go, b"")?;
    let finished = next_line(&mut lines, DOWNLOAD_TIMEOUT, &process).await?;
    let after = procfs::sample(pid)?;
    if let (Some(recording), Some((_, slot))) = (recording, profile) {
        let mut summary = recording.finish("download-bare-librqbit", "").await?;
        summary.notes.extend(memory_notes(pid));
        *slot = Some(summary);
    }
    let wall: f64 = finished
        .strip_prefix("finished ")
        .with_context(|| format!("unexpected line {finished:?}"))?
        .parse()?;
    // Dropping the process kills it.
    drop(process);
    Ok((wall, after.cpu_secs - before.cpu_secs, after.peak_rss))
}

/// The program's next line of output, or why there is none.
async fn next_line(
    lines: &mut mpsc::UnboundedReceiver<String>,
    timeout: Duration,
    process: &Process,
) -> anyhow::Result<String> {
    match tokio::time::timeout(timeout, lines.recv()).await {
        Ok(Some(line)) => Ok(line),
        Ok(None) => bail!("bare-librqbit exited\n{}", process.tails()),
        Err(_) => bail!("bare-librqbit silent for {timeout:?}\n{}", process.tails()),
    }
}
