//! Everything one bench run measured, as plain data: rendered into
//! `BENCHMARKS.md` and also written as JSON beside the profiles.

use serde::Serialize;

use crate::summary::Summary;

/// The whole run.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Results {
    /// `quick` or `full`, and what that meant.
    pub(crate) mode: String,
    pub(crate) plan: Vec<(String, String)>,
    pub(crate) machine: Vec<(String, String)>,
    pub(crate) versions: Vec<(String, String)>,
    pub(crate) commands: Vec<(String, String)>,
    pub(crate) hashing: Vec<HashRow>,
    pub(crate) download: Vec<DownloadRow>,
    pub(crate) download_setup: String,
    pub(crate) listing: Vec<ListingRow>,
    pub(crate) memory: Vec<MemoryRow>,
    pub(crate) startup: Vec<StartupRow>,
    pub(crate) adding: Vec<AddRow>,
    pub(crate) push: Vec<PushRow>,
    pub(crate) profiles: Vec<Profile>,
    /// Scenarios that could not be measured, with the reason.
    pub(crate) failures: Vec<(String, String)>,
    pub(crate) started_at: String,
    pub(crate) duration_secs: f64,
}

/// Scenario 1's ceiling: one implementation of SHA-1 on one core.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HashRow {
    pub(crate) implementation: String,
    pub(crate) mib_per_sec: Summary,
}

/// Scenario 1: one client downloading the torrent.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DownloadRow {
    pub(crate) client: String,
    pub(crate) wall_secs: Summary,
    pub(crate) mib_per_sec: Summary,
    pub(crate) cpu_secs: Summary,
    pub(crate) peak_rss_mib: Summary,
}

/// Scenario 2: one client's listing under load with `torrents` loaded.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ListingRow {
    pub(crate) client: String,
    pub(crate) torrents: usize,
    pub(crate) request: String,
    pub(crate) response_bytes: u64,
    /// Length of each load run (stretched for slow servers).
    pub(crate) run_secs: u64,
    pub(crate) requests_per_sec: Summary,
    pub(crate) p50_ms: Summary,
    pub(crate) p99_ms: Summary,
}

/// Scenario 4: resident memory of an idle client holding `torrents`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MemoryRow {
    pub(crate) client: String,
    pub(crate) torrents: usize,
    pub(crate) rss_mib: Summary,
    /// File descriptors held open while idle.
    pub(crate) open_files: Summary,
    /// The last run's split of that memory (label, bytes or count).
    pub(crate) breakdown: Vec<(String, u64)>,
}

/// Scenario 5: from launch to the first answered listing, and to the
/// first listing that holds every torrent.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StartupRow {
    pub(crate) client: String,
    pub(crate) torrents: usize,
    pub(crate) first_answer_secs: Summary,
    pub(crate) all_listed_secs: Summary,
}

/// Context for the scale scenarios: loading torrents through the API.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AddRow {
    pub(crate) client: String,
    pub(crate) from: usize,
    pub(crate) to: usize,
    pub(crate) secs: f64,
}

/// Scenario 3: live updates to many WebSocket clients.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PushRow {
    /// `no sockets`, `full ticks` or `delta`.
    pub(crate) mode: String,
    pub(crate) torrents: usize,
    pub(crate) sockets: usize,
    pub(crate) server_cpu_pct: Summary,
    pub(crate) cpu_ms_per_tick: Summary,
    pub(crate) bytes_per_sec: Summary,
    pub(crate) bytes_per_list_frame: Summary,
    pub(crate) rss_mib: Summary,
    pub(crate) list_frames_per_socket_sec: Summary,
    pub(crate) changes_per_sec: Summary,
    pub(crate) bench_cpu_pct: Summary,
}

/// Where a process spent its time (or memory) during one scenario.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Profile {
    pub(crate) title: String,
    /// Why it was taken (which comparison Mosaic lost).
    pub(crate) reason: String,
    pub(crate) method: String,
    /// Share of samples by area of code, largest first.
    pub(crate) areas: Vec<(String, f64)>,
    /// The hottest functions: share, library, symbol.
    pub(crate) top: Vec<(f64, String, String)>,
    /// Free-form lines (memory breakdowns, errors).
    pub(crate) notes: Vec<String>,
}
