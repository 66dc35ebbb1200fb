//! What the kernel knows about a client process: CPU time, resident and
//! peak memory, and where the resident memory sits.
//!
//! Everything is read from `/proc/<pid>`, so the numbers describe the
//! client's own process the same way for every client, whatever language
//! it is written in.

use std::fs;
use std::process::Command;
use std::sync::OnceLock;

use anyhow::{Context, bail};

/// One reading of a process's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Sample {
    /// User plus system CPU seconds since the process started.
    pub(crate) cpu_secs: f64,
    /// Resident set size now, in bytes.
    pub(crate) rss: u64,
    /// The largest resident set size so far (`VmHWM`), in bytes.
    pub(crate) peak_rss: u64,
}

/// Reads `/proc/<pid>/stat` and `/proc/<pid>/status`.
///
/// # Errors
///
/// When the process is gone or its files cannot be parsed.
pub(crate) fn sample(pid: u32) -> anyhow::Result<Sample> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("process {pid} is gone"))?;
    let status = fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("process {pid} is gone"))?;
    Ok(Sample {
        cpu_secs: cpu_secs(&stat)?,
        rss: status_kib(&status, "VmRSS:")? * 1024,
        peak_rss: status_kib(&status, "VmHWM:")? * 1024,
    })
}

/// Whether `pid` runs (exists and is not a zombie waiting to be reaped).
pub(crate) fn alive(pid: u32) -> bool {
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    let state = stat.rsplit_once(')').map(|(_, rest)| rest.trim_start());
    !state.is_some_and(|s| s.starts_with('Z') || s.starts_with('X'))
}

/// CPU seconds of the calling process itself.
pub(crate) fn own_cpu_secs() -> f64 {
    fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| cpu_secs(&stat).ok())
        .unwrap_or(0.0)
}

/// `utime + stime` of a `stat` line, in seconds.
///
/// The command name in parentheses may hold spaces, so fields are counted
/// from the last `)`: utime and stime are the 14th and 15th fields of the
/// line, the 12th and 13th after the name.
fn cpu_secs(stat: &str) -> anyhow::Result<f64> {
    let after_name = stat.rsplit_once(')').context("no ) in stat")?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    if fields.len() < 13 {
        bail!("short stat line {stat:?}");
    }
    let ticks: u64 = fields[11].parse::<u64>()? + fields[12].parse::<u64>()?;
    Ok(ticks as f64 / clock_ticks() as f64)
}

/// A `Name:   <n> kB` line of `/proc/<pid>/status`.
fn status_kib(status: &str, name: &str) -> anyhow::Result<u64> {
    let line = status
        .lines()
        .find(|l| l.starts_with(name))
        .with_context(|| format!("no {name} in status"))?;
    let number = line[name.len()..].trim().trim_end_matches("kB").trim();
    number
        .parse()
        .with_context(|| format!("bad {name} line {line:?}"))
}

/// Clock ticks per second (`getconf CLK_TCK`), 100 when unknown.
fn clock_ticks() -> u64 {
    static TICKS: OnceLock<u64> = OnceLock::new();
    *TICKS.get_or_init(|| {
        let output = Command::new("getconf").arg("CLK_TCK").output().ok();
        output
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(100)
    })
}

/// The resident memory of a process split by kind, from
/// `/proc/<pid>/smaps_rollup`, plus its thread count: the summary given
/// where a client holds more memory than its peers.
///
/// # Errors
///
/// When the process is gone.
pub(crate) fn memory_breakdown(pid: u32) -> anyhow::Result<Vec<(String, u64)>> {
    let rollup = fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .with_context(|| format!("process {pid} is gone"))?;
    let status = fs::read_to_string(format!("/proc/{pid}/status"))?;
    let mut parts = Vec::new();
    for (key, label) in [
        ("Rss:", "resident in total"),
        ("Anonymous:", "anonymous (heap, stacks)"),
        ("Shared_Clean:", "shared clean (code, mapped files)"),
        ("Private_Clean:", "private clean (code, mapped files)"),
        ("Private_Dirty:", "private dirty"),
    ] {
        parts.push((label.to_owned(), status_kib(&rollup, key)? * 1024));
    }
    parts.push(("threads".to_owned(), status_kib(&status, "Threads:")?));
    parts.push(("open files".to_owned(), open_files(pid)?));
    Ok(parts)
}

/// How many file descriptors `pid` holds open.
///
/// # Errors
///
/// When the process is gone.
pub(crate) fn open_files(pid: u32) -> anyhow::Result<u64> {
    let entries = fs::read_dir(format!("/proc/{pid}/fd"))
        .with_context(|| format!("process {pid} is gone"))?;
    Ok(entries.count() as u64)
}

/// The soft limit on open files of this process (and so of the clients it
/// starts), from `/proc/self/limits`.
pub(crate) fn open_files_limit() -> Option<u64> {
    let limits = fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cpu_fields_after_the_name() {
        // Proves utime and stime are found even when the name holds spaces and parens.
        let stat = "42 (a b) c) S 1 2 3 4 5 6 7 8 9 10 150 50 0 0 20 0 1 0 100 0 0";
        let secs = cpu_secs(stat).unwrap();
        assert!((secs - 200.0 / clock_ticks() as f64).abs() < 1e-9);
        assert!(cpu_secs("1 (x) S 1 2").is_err());
    }

    #[test]
    fn reads_status_sizes() {
        // Proves kB lines are parsed and missing keys are errors.
        let status = "Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t1024 kB\n";
        assert_eq!(status_kib(status, "VmRSS:").unwrap(), 1024);
        assert_eq!(status_kib(status, "VmHWM:").unwrap(), 2048);
        assert!(status_kib(status, "Threads:").is_err());
    }

    #[test]
    fn samples_this_process() {
        // Proves a live process gives a positive resident size and peak, open files and a limit.
        let sample = sample(std::process::id()).unwrap();
        assert!(sample.rss > 0 && sample.peak_rss >= sample.rss);
        assert!(open_files(std::process::id()).unwrap() >= 3);
        assert!(open_files_limit().unwrap() >= 3);
        assert!(alive(std::process::id()));
        assert!(!alive(u32::MAX));
    }
}
