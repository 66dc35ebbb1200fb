//! The machine and the versions of everything measured, for the report's
//! header: a number means little without where it was taken.

use std::path::Path;
use std::process::Command;

use crate::daemon::version_of;

/// CPU, cores, memory, kernel, OS, and how loaded the machine was.
pub(crate) fn describe() -> Vec<(String, String)> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown", |(_, v)| v.trim())
        .to_owned();
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or("unknown".to_owned(), |kib| {
            format!("{:.1} GiB", kib as f64 / 1048576.0)
        });
    let os = std::fs::read_to_string("/etc/os-release")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map_or("unknown".to_owned(), |v| v.trim_matches('"').to_owned());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();

    vec![
        ("CPU".into(), model),
        ("cores".into(), cores.to_string()),
        ("memory".into(), memory),
        ("kernel".into(), first_line("uname", &["-r"])),
        ("OS".into(), os),
        (
            "load average at start (1, 5, 15 min)".into(),
            load.join(" "),
        ),
        (
            "open files limit (soft, for every client)".into(),
            crate::procfs::open_files_limit().map_or("unknown".into(), |n| n.to_string()),
        ),
    ]
}

/// Versions of Mosaic, librqbit, the peers and the tools.
pub(crate) fn versions(server_bin: &Path) -> Vec<(String, String)> {
    let commit = first_line("git", &["rev-parse", "--short", "HEAD"]);
    let dirty = Command::new("git")
        .args(["status", "--porcelain"])
        .output()
        .is_ok_and(|o| !o.stdout.is_empty());
    let mosaic = version_of(&server_bin.to_string_lossy(), &["--version"]);
    vec![
        (
            "Mosaic".into(),
            format!(
                "{mosaic} (commit {commit}{})",
                if dirty { ", with local changes" } else { "" }
            ),
        ),
        (
            "librqbit".into(),
            "9.1.0 (the workspace's pinned version)".into(),
        ),
        (
            "qbittorrent-nox".into(),
            version_of("qbittorrent-nox", &["--version"]),
        ),
        (
            "transmission-daemon".into(),
            version_of("transmission-daemon", &["--version"]),
        ),
        ("aria2".into(), version_of("aria2c", &["--version"])),
        ("opentracker".into(), package_version("opentracker")),
        ("mktorrent".into(), package_version("mktorrent")),
        ("wrk".into(), package_version("wrk")),
        ("perf".into(), version_of("perf", &["--version"])),
        ("rustc".into(), version_of("rustc", &["--version"])),
    ]
}

/// The Debian package version, for tools without a version flag.
fn package_version(package: &str) -> String {
    let version = first_line("dpkg-query", &["-W", "-f=${Version}", package]);
    if version.is_empty() {
        "unknown".into()
    } else {
        format!("{version} (Debian package)")
    }
}

fn first_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.lines().next().map(str::to_owned))
        .unwrap_or_default()
}
