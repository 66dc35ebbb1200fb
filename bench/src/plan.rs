//! What a run measures: the command-line flags and the two modes, full
//! (the numbers to quote) and quick (a short check that the tooling works).

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

/// Mosaic against bare librqbit, qBittorrent, Transmission and aria2.
#[derive(Debug, Parser)]
#[command(name = "mosaic-bench", version, about)]
pub(crate) struct Args {
    /// A short run: 128 MiB torrent, 2 runs, up to 1,000 torrents, short windows.
    #[arg(long)]
    pub(crate) quick: bool,
    /// Runs per measurement (default 5; 2 with --quick).
    #[arg(long)]
    pub(crate) runs: Option<usize>,
    /// Size of the download torrent in MiB (default 1024; 128 with --quick).
    #[arg(long)]
    pub(crate) download_mib: Option<u64>,
    /// Torrent counts for listing, memory and start-up (default 1000,10000;
    /// 1000 with --quick); 0 is always measured for memory.
    #[arg(long, value_delimiter = ',')]
    pub(crate) torrents: Option<Vec<usize>>,
    /// WebSocket clients in the push scenario.
    #[arg(long, default_value_t = 100)]
    pub(crate) sockets: usize,
    /// Compare Mosaic with only these peers (default: all).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub(crate) peers: Vec<Peer>,
    /// Run only these scenarios (default: all).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub(crate) only: Vec<Scenario>,
    /// Do not profile the comparisons Mosaic loses.
    #[arg(long)]
    pub(crate) no_profile: bool,
    /// Where the report goes.
    #[arg(long, default_value = "BENCHMARKS.md")]
    pub(crate) out: PathBuf,
    /// Where results.json and the profiles go.
    #[arg(long, default_value = "target/bench")]
    pub(crate) artifacts: PathBuf,
    /// The mosaic-server binary (default: beside this program).
    #[arg(long)]
    pub(crate) server_bin: Option<PathBuf>,
    /// The bare-librqbit binary (default: beside this program).
    #[arg(long)]
    pub(crate) bare_bin: Option<PathBuf>,
}

impl Args {
    /// The `bench/run` command that repeats this run (the binary paths
    /// that `bench/run` passes itself are left out).
    pub(crate) fn equivalent_run_command(&self) -> String {
        let mut command = "bench/run".to_owned();
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            if arg == "--server-bin" || arg == "--bare-bin" {
                args.next();
                continue;
            }
            if arg.starts_with("--server-bin=") || arg.starts_with("--bare-bin=") {
                continue;
            }
            command.push(' ');
            command.push_str(&arg);
        }
        command
    }
}

/// Groups of scenarios that can be run alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Scenario {
    /// The SHA-1 ceiling.
    Hashing,
    /// 1. Download throughput.
    Download,
    /// 2, 4 and 5: listing, memory and start-up at scale.
    Scale,
    /// 3. WebSocket push cost.
    Push,
}

/// The clients Mosaic is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Peer {
    /// The bare librqbit program (download only).
    Librqbit,
    Qbittorrent,
    Transmission,
    /// aria2 (download only).
    Aria2,
}

impl Peer {
    /// The name used in tables.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Librqbit => "bare librqbit",
            Self::Qbittorrent => "qBittorrent",
            Self::Transmission => "Transmission",
            Self::Aria2 => "aria2",
        }
    }
}

/// The resolved settings of a run.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) quick: bool,
    customised: bool,
    pub(crate) runs: usize,
    pub(crate) download_bytes: u64,
    /// Torrent counts above zero, ascending.
    pub(crate) counts: Vec<usize>,
    pub(crate) listing_time: Duration,
    pub(crate) push_time: Duration,
    pub(crate) push_sockets: usize,
    /// Quiet time before idle memory is read.
    pub(crate) settle: Duration,
    /// The peers compared with, in table order.
    pub(crate) peers: Vec<Peer>,
}

impl From<&Args> for Plan {
    fn from(args: &Args) -> Self {
        let quick = args.quick;
        let mut counts = args.torrents.clone().unwrap_or_else(|| {
            if quick {
                vec![1_000]
            } else {
                vec![1_000, 10_000]
            }
        });
        counts.retain(|&n| n > 0);
        counts.sort_unstable();
        counts.dedup();
        Self {
            quick,
            customised: args.runs.is_some()
                || args.download_mib.is_some()
                || args.torrents.is_some(),
            runs: args.runs.unwrap_or(if quick { 2 } else { 5 }).max(1),
            download_bytes: args.download_mib.unwrap_or(if quick { 128 } else { 1024 }) << 20,
            counts,
            listing_time: Duration::from_secs(if quick { 3 } else { 10 }),
            push_time: Duration::from_secs(if quick { 10 } else { 30 }),
            push_sockets: args.sockets,
            settle: Duration::from_secs(if quick { 3 } else { 10 }),
            peers: [
                Peer::Librqbit,
                Peer::Qbittorrent,
                Peer::Transmission,
                Peer::Aria2,
            ]
            .into_iter()
            .filter(|p| args.peers.is_empty() || args.peers.contains(p))
            .collect(),
        }
    }
}

impl Plan {
    /// `quick`, `full`, or either marked as changed by flags.
    pub(crate) fn mode(&self) -> String {
        let base = if self.quick { "quick" } else { "full" };
        if self.customised {
            format!("{base} (with changed settings)")
        } else {
            base.to_owned()
        }
    }

    /// Whether `peer` takes part.
    pub(crate) fn has(&self, peer: Peer) -> bool {
        self.peers.contains(&peer)
    }

    /// The counts a client is grown through, starting with 0.
    pub(crate) fn steps(&self) -> Vec<usize> {
        std::iter::once(0)
            .chain(self.counts.iter().copied())
            .collect()
    }

    /// The largest torrent count.
    pub(crate) fn max_torrents(&self) -> usize {
        self.counts.last().copied().unwrap_or(1_000)
    }

    /// The settings as report rows.
    pub(crate) fn describe(&self) -> Vec<(String, String)> {
        let counts: Vec<String> = self.steps().iter().map(usize::to_string).collect();
        vec![
            ("runs per measurement".into(), self.runs.to_string()),
            (
                "download torrent".into(),
                format!("{} MiB", self.download_bytes >> 20),
            ),
            ("torrent counts".into(), counts.join(", ")),
            (
                "listing load per run".into(),
                format!("{} s", self.listing_time.as_secs()),
            ),
            (
                "push windows".into(),
                format!(
                    "{} s, {} sockets, {} torrents",
                    self.push_time.as_secs(),
                    self.push_sockets,
                    self.max_torrents()
                ),
            ),
            (
                "idle wait before reading memory".into(),
                format!("{} s", self.settle.as_secs()),
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_and_full_defaults() {
        // Proves the two modes resolve to the documented sizes and counts.
        let full = Plan::from(&Args::parse_from(["mosaic-bench"]));
        assert_eq!(
            (full.runs, full.download_bytes, full.counts.clone()),
            (5, 1 << 30, vec![1_000, 10_000])
        );
        assert_eq!(full.steps(), vec![0, 1_000, 10_000]);
        assert_eq!(full.mode(), "full");

        let quick = Plan::from(&Args::parse_from(["mosaic-bench", "--quick"]));
        assert_eq!(
            (quick.runs, quick.download_bytes >> 20, quick.max_torrents()),
            (2, 128, 1_000)
        );

        let custom = Plan::from(&Args::parse_from([
            "mosaic-bench",
            "--torrents",
            "0,500,100",
        ]));
        assert_eq!(custom.counts, vec![100, 500]);
        assert_eq!(custom.mode(), "full (with changed settings)");
    }
}
