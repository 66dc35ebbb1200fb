//! CPU profiles of a running client with Linux `perf`: sampling on the
//! `cpu-clock` software event (it works in VMs without hardware
//! counters), attached by process id for the length of one workload, then
//! summarised as the hottest functions and the share of each area of code.
//!
//! Release builds keep their symbol tables, so functions are named; call
//! graphs are not recorded (Rust code is built without frame pointers),
//! which is why the summary is by self time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};
use mosaic_tests::Process;

use crate::results::Profile;

/// Samples per second.
const FREQUENCY: &str = "999";
/// Functions listed in a summary.
const TOP: usize = 15;

/// Areas of code, recognised by words in a function's or library's name;
/// the first match wins, so the specific come before the general.
const AREAS: &[(&str, &[&str])] = &[
    ("SHA-1 piece hashing", &["sha1"]),
    (
        "TLS encryption (AES-GCM)",
        &["aes", "gcm", "ghash", "chacha", "poly1305"],
    ),
    ("TLS framing (rustls)", &["rustls"]),
    (
        "JSON (serde_json)",
        &["serde_json", "serde::", "itoa", "ryu", "format_escaped"],
    ),
    ("WebSocket (tungstenite)", &["tungstenite"]),
    ("hex encoding", &["hex::"]),
    ("SQLite", &["sqlite", "rusqlite"]),
    (
        "HTTP server (hyper, axum)",
        &["hyper", "axum", "h2::", "tower", "http::"],
    ),
    (
        "memory copies",
        &["memcpy", "memmove", "memset", "__memcmp"],
    ),
    (
        "allocator",
        &["malloc", "free", "realloc", "calloc", "_int_", "tcache"],
    ),
    ("librqbit engine", &["librqbit", "bitvec"]),
    (
        "async runtime (tokio)",
        &["tokio", "mio::", "parking_lot", "epoll"],
    ),
    ("Mosaic code", &["mosaic"]),
];

/// Areas recognised by the shared library a function lives in (functions
/// of the client's own executable are recognised by name only: every
/// statically linked crate shares its file).
const LIBRARY_AREAS: &[(&str, &str)] = &[
    ("libtorrent", "libtorrent"),
    ("Qt", "libqt"),
    ("OpenSSL", "libcrypto"),
    ("OpenSSL", "libssl"),
    ("libc", "libc.so"),
];

/// Whether `perf record` works on this machine.
pub(crate) fn available() -> bool {
    Command::new("perf")
        .args([
            "record",
            "-q",
            "-e",
            "cpu-clock",
            "-o",
            "/dev/null",
            "--",
            "true",
        ])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The command line used, for the report.
pub(crate) fn command_line() -> String {
    format!(
        "perf record -e cpu-clock -F {FREQUENCY} -p <pid> -o <file>; \
         perf report --stdio --no-children --sort dso,sym"
    )
}

/// A `perf record` attached to a process.
pub(crate) struct Recording {
    process: Process,
    data: PathBuf,
    dir: PathBuf,
}

/// Starts sampling `pid`, keeping the data in `dir`. With `settle`, waits
/// a moment so that perf samples from the first moment of the work that
/// follows; without, returns at once (for a process that is starting).
///
/// # Errors
///
/// When perf cannot be started.
pub(crate) async fn attach(
    pid: u32,
    dir: &Path,
    label: &str,
    settle: bool,
) -> anyhow::Result<Recording> {
    std::fs::create_dir_all(dir)?;
    let data = dir.join(format!("{label}.perf.data"));
    let mut command = Command::new("perf");
    command
        .args(["record", "-q", "-e", "cpu-clock", "-F", FREQUENCY, "-p"])
        .arg(pid.to_string())
        .arg("-o")
        .arg(&data);
    let process = Process::spawn(&format!("perf-{label}"), command, dir)?;
    if settle {
        // perf needs a moment to open its counters before work starts.
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    Ok(Recording {
        process,
        data,
        dir: dir.to_owned(),
    })
}

impl Recording {
    /// Stops sampling and summarises the profile.
    ///
    /// # Errors
    ///
    /// When perf did not write a readable profile.
    pub(crate) async fn finish(mut self, title: &str, reason: &str) -> anyhow::Result<Profile> {
        self.process.signal("INT")?;
        if self
            .process
            .wait_exit(Duration::from_secs(60))
            .await
            .is_none()
        {
            bail!("perf did not stop\n{}", self.process.tails());
        }
        let data = self.data.clone();
        let report = tokio::task::spawn_blocking(move || {
            Command::new("perf")
                .args([
                    "report",
                    "--stdio",
                    "--no-children",
                    "-q",
                    "--sort",
                    "dso,sym",
                    "-i",
                ])
                .arg(&data)
                .output()
        })
        .await?
        .context("cannot run perf report")?;
        let text = String::from_utf8_lossy(&report.stdout).into_owned();
        std::fs::write(self.dir.join(format!("{title}.perf.txt")), &text)?;

        let rows = parse_report(&text);
        let mut notes = Vec::new();
        if rows.is_empty() {
            notes.push(
                "perf recorded no samples: the work took too little CPU time to profile".into(),
            );
        }
        Ok(Profile {
            title: title.to_owned(),
            reason: reason.to_owned(),
            method: command_line(),
            areas: areas(&rows),
            top: rows.into_iter().take(TOP).collect(),
            notes,
        })
    }
}

/// Lines of `perf report -q --sort dso,sym`: `  12.34%  libfoo.so  [.] symbol`.
fn parse_report(text: &str) -> Vec<(f64, String, String)> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let (share, rest) = line.split_once('%')?;
            let share: f64 = share.trim().parse().ok()?;
            let rest = rest.trim();
            let (dso, rest) = rest.split_once(char::is_whitespace)?;
            let symbol = rest.trim();
            let symbol = symbol
                .strip_prefix("[.]")
                .or_else(|| symbol.strip_prefix("[k]"))
                .unwrap_or(symbol)
                .trim();
            Some((share, dso.to_owned(), symbol.to_owned()))
        })
        .collect()
}

/// Sums the shares of every function by area; kernel functions form one
/// area, unrecognised ones another.
fn areas(rows: &[(f64, String, String)]) -> Vec<(String, f64)> {
    let mut totals: Vec<(String, f64)> = Vec::new();
    for (share, dso, symbol) in rows {
        let area = area_of(dso, symbol);
        match totals.iter_mut().find(|(name, _)| name == area) {
            Some((_, total)) => *total += share,
            None => totals.push((area.to_owned(), *share)),
        }
    }
    totals.sort_by(|a, b| b.1.total_cmp(&a.1));
    totals
}

fn area_of(dso: &str, symbol: &str) -> &'static str {
    if dso.contains("kernel") {
        return "kernel (system calls, loopback TCP, page cache)";
    }
    let lower = symbol.to_ascii_lowercase();
    let by_name = AREAS.iter().find(|(_, words)| {
        words
            .iter()
            .any(|w| lower.contains(w.to_ascii_lowercase().as_str()))
    });
    if let Some((name, _)) = by_name {
        return name;
    }
    let dso = dso.to_ascii_lowercase();
    LIBRARY_AREAS
        .iter()
        .find(|(_, library)| dso.contains(library))
        .map_or("other", |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_report_lines() {
        // Proves share, library and symbol are split, for user and kernel functions.
        let text = "    19.10%  libc.so.6          [.] __memmove_avx_unaligned_erms\n\
                    \n     6.74%  [kernel.kallsyms]  [k] copy_user_enhanced_fast_string\n\
                    # comment\n";
        let rows = parse_report(text);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0],
            (
                19.1,
                "libc.so.6".into(),
                "__memmove_avx_unaligned_erms".into()
            )
        );
        assert_eq!(rows[1].2, "copy_user_enhanced_fast_string");
    }

    #[test]
    fn groups_functions_by_area() {
        // Proves areas are matched by name, summed and sorted, with the kernel on its own.
        let rows = vec![
            (
                10.0,
                "mosaic-server".into(),
                "serde_json::ser::format_escaped_str".into(),
            ),
            (
                5.0,
                "mosaic-server".into(),
                "aws_lc_0_29_aes_gcm_enc_update_vaes_avx2".into(),
            ),
            (
                7.0,
                "mosaic-server".into(),
                "serde_json::value::to_value".into(),
            ),
            (3.0, "[kernel.kallsyms]".into(), "tcp_sendmsg".into()),
            (1.0, "mosaic-server".into(), "something_else".into()),
        ];
        let areas = areas(&rows);
        assert_eq!(areas[0], ("JSON (serde_json)".to_owned(), 17.0));
        assert_eq!(areas[1].0, "TLS encryption (AES-GCM)");
        assert!(
            areas
                .iter()
                .any(|(a, s)| a.starts_with("kernel") && *s == 3.0)
        );
        assert!(areas.iter().any(|(a, _)| a == "other"));
    }
}
