//! Scenario 3: what live updates cost the server with many torrents and
//! many WebSocket clients, full ticks against delta frames.
//!
//! The bench opens the sockets itself (TLS, trusting the server's own
//! certificate), reads every frame and counts its bytes. Meanwhile 1 % of
//! the torrents change each second: a churn task moves that many torrents
//! into a category or back out through the REST API, which changes one
//! field of their rows and nothing in the engine, so the server's extra
//! work is the push itself. Each run measures three windows of the same
//! length: churn with no socket open (the baseline), full ticks, and
//! `?delta=1`. Server CPU is the process's CPU time over the window.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use futures::StreamExt;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::daemon::{Daemon, Mosaic};
use crate::results::{Profile, PushRow};
use crate::scenario::download::failed_profile;
use crate::summary::Summary;
use crate::{Ctx, perf, procfs, synth};

/// Time for the first (full) frames to reach every socket.
const WARM_UP: Duration = Duration::from_secs(5);
/// Time for one socket's TCP, TLS and WebSocket handshakes.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);
/// Category updates in flight at once.
const CHURN_CONCURRENCY: usize = 8;

/// The three windows of a run.
const MODES: &[(&str, bool, bool)] = &[
    // (label, sockets open, delta)
    ("no sockets (churn only)", false, false),
    ("full ticks", true, false),
    ("delta (?delta=1)", true, true),
];

/// Counters shared by every socket reader.
#[derive(Default)]
struct Counters {
    bytes: AtomicU64,
    list_frames: AtomicU64,
    list_bytes: AtomicU64,
}

/// What one window measured.
struct Window {
    cpu_pct: f64,
    /// Server CPU time per one-second tick, in milliseconds.
    cpu_ms_per_tick: f64,
    bytes_per_sec: f64,
    /// Mean size of one list frame (`torrents:tick` or `torrents:delta`).
    bytes_per_list_frame: f64,
    /// The server's resident memory at the end of the window.
    rss_mib: f64,
    list_frames_per_socket_sec: f64,
    changes_per_sec: f64,
    bench_cpu_pct: f64,
}

/// Moves a rotating 1 % of the torrents in or out of a category.
struct Churn {
    ids: Vec<String>,
    filed: Vec<bool>,
    next: usize,
    category: i64,
    /// Changes made so far, read by the measurement while this runs.
    done: Arc<AtomicU64>,
}

impl Churn {
    async fn drive(&mut self, mosaic: &Mosaic, stop: &AtomicBool) -> anyhow::Result<()> {
        let batch = (self.ids.len() / 100).max(1);
        let mut ticks = tokio::time::interval(Duration::from_secs(1));
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        while !stop.load(Ordering::Relaxed) {
            ticks.tick().await;
            let picked: Vec<usize> = (0..batch)
                .map(|k| (self.next + k) % self.ids.len())
                .collect();
            self.next = (self.next + batch) % self.ids.len();
            let requests = picked.iter().map(|&i| {
                let category = (!self.filed[i]).then_some(self.category);
                mosaic.set_category(&self.ids[i], category)
            });
            let results: Vec<anyhow::Result<()>> = futures::stream::iter(requests)
                .buffer_unordered(CHURN_CONCURRENCY)
                .collect()
                .await;
            for (i, result) in picked.iter().zip(results) {
                result?;
                self.filed[*i] = !self.filed[*i];
            }
            self.done.fetch_add(batch as u64, Ordering::Relaxed);
        }
        Ok(())
    }
}

/// Runs the windows `runs` times on the running server, which holds `n`
/// torrents.
pub(crate) async fn run(
    ctx: &Ctx,
    mosaic: &Mosaic,
    n: usize,
) -> anyhow::Result<(Vec<PushRow>, Vec<Profile>)> {
    let ids: Vec<String> = synth::torrents(0, n)
        .into_iter()
        .map(|t| t.info_hash)
        .collect();
    let mut churn = Churn {
        filed: vec![false; ids.len()],
        ids,
        next: 0,
        category: mosaic
            .create_category(&format!("bench-churn-{}", std::process::id()))
            .await?,
        done: Arc::default(),
    };
    let sockets = ctx.plan.push_sockets;
    let mut windows: Vec<Vec<Window>> = MODES.iter().map(|_| Vec::new()).collect();
    for run in 0..ctx.plan.runs {
        for (m, (label, open, delta)) in MODES.iter().enumerate() {
            let count = if *open { sockets } else { 0 };
            let w = window(ctx, mosaic, &mut churn, count, *delta, None).await?;
            eprintln!(
                "push: {label}, {n} torrents, {count} sockets, run {}: server CPU {:.1} %, {:.2} MB/s, {:.2} list frames/socket/s",
                run + 1,
                w.cpu_pct,
                w.bytes_per_sec / 1e6,
                w.list_frames_per_socket_sec
            );
            windows[m].push(w);
        }
    }

    let rows = MODES
        .iter()
        .zip(&windows)
        .map(|((label, open, _), ws)| {
            let of = |f: fn(&Window) -> f64| Summary::of(&ws.iter().map(f).collect::<Vec<_>>());
            PushRow {
                mode: (*label).to_owned(),
                torrents: n,
                sockets: if *open { sockets } else { 0 },
                server_cpu_pct: of(|w| w.cpu_pct),
                cpu_ms_per_tick: of(|w| w.cpu_ms_per_tick),
                bytes_per_sec: of(|w| w.bytes_per_sec),
                bytes_per_list_frame: of(|w| w.bytes_per_list_frame),
                rss_mib: of(|w| w.rss_mib),
                list_frames_per_socket_sec: of(|w| w.list_frames_per_socket_sec),
                changes_per_sec: of(|w| w.changes_per_sec),
                bench_cpu_pct: of(|w| w.bench_cpu_pct),
            }
        })
        .collect();

    let mut profiles = Vec::new();
    if ctx.perf {
        for (label, delta) in [("full", false), ("delta", true)] {
            let title = format!("push-{label}-{n}");
            let mut slot = None;
            let outcome = window(
                ctx,
                mosaic,
                &mut churn,
                sockets,
                delta,
                Some((&title, &mut slot)),
            )
            .await;
            profiles.push(match (outcome, slot) {
                (Ok(_), Some(profile)) => profile,
                (Err(e), _) => failed_profile(&title, &e),
                (Ok(_), None) => continue,
            });
        }
    }
    Ok((rows, profiles))
}

/// One window: sockets open and warmed up, churn running, counters read
/// at both ends. With `profile`, perf samples the server for the window.
async fn window(
    ctx: &Ctx,
    mosaic: &Mosaic,
    churn: &mut Churn,
    sockets: usize,
    delta: bool,
    profile: Option<(&str, &mut Option<Profile>)>,
) -> anyhow::Result<Window> {
    let pid = mosaic.pid().context("no server process")?;
    let counters = Arc::new(Counters::default());
    let mut readers = open_sockets(mosaic, sockets, delta, &counters).await?;
    let stop = AtomicBool::new(false);
    let done = churn.done.clone();

    let measured = async {
        tokio::time::sleep(WARM_UP).await;
        let recording = match &profile {
            Some((title, _)) => Some(perf::attach(pid, &ctx.artifacts, title, true).await?),
            None => None,
        };
        let (cpu0, own0) = (procfs::sample(pid)?.cpu_secs, procfs::own_cpu_secs());
        let (bytes0, frames0, list_bytes0) = snapshot(&counters);
        let changes0 = done.load(Ordering::Relaxed);
        let started = Instant::now();
        tokio::time::sleep(ctx.plan.push_time).await;
        let secs = started.elapsed().as_secs_f64();
        let server = procfs::sample(pid)?;
        let (cpu1, own1) = (server.cpu_secs, procfs::own_cpu_secs());
        let (bytes1, frames1, list_bytes1) = snapshot(&counters);
        let changes1 = done.load(Ordering::Relaxed);
        stop.store(true, Ordering::Relaxed);

        if let (Some(recording), Some((title, slot))) = (recording, profile) {
            let mode = if delta { "delta frames" } else { "full ticks" };
            let reason = format!(
                "where the push time goes: {mode} to {sockets} sockets (informational; no peer offers this)"
            );
            *slot = Some(recording.finish(title, &reason).await?);
        }
        let list_frames = frames1 - frames0;
        Ok::<_, anyhow::Error>(Window {
            cpu_pct: (cpu1 - cpu0) / secs * 100.0,
            cpu_ms_per_tick: (cpu1 - cpu0) / secs * 1000.0,
            bytes_per_sec: (bytes1 - bytes0) as f64 / secs,
            bytes_per_list_frame: match list_frames {
                0 => 0.0,
                n => (list_bytes1 - list_bytes0) as f64 / n as f64,
            },
            rss_mib: server.rss as f64 / (1024.0 * 1024.0),
            list_frames_per_socket_sec: (frames1 - frames0) as f64 / secs / sockets.max(1) as f64,
            changes_per_sec: (changes1 - changes0) as f64 / secs,
            bench_cpu_pct: (own1 - own0) / secs * 100.0,
        })
    };
    // The churn reads `stop` between batches; the measurement sets it.
    let (window, churned) = tokio::join!(measured, churn.drive(mosaic, &stop));
    readers.shutdown().await;
    // Let the server notice the closed sockets before the next window.
    tokio::time::sleep(Duration::from_secs(2)).await;
    churned?;
    window
}

fn snapshot(counters: &Counters) -> (u64, u64, u64) {
    (
        counters.bytes.load(Ordering::Relaxed),
        counters.list_frames.load(Ordering::Relaxed),
        counters.list_bytes.load(Ordering::Relaxed),
    )
}

/// Connects `count` sockets, each read by its own task until aborted.
async fn open_sockets(
    mosaic: &Mosaic,
    count: usize,
    delta: bool,
    counters: &Arc<Counters>,
) -> anyhow::Result<JoinSet<()>> {
    let connector = trusting(&mosaic.certificate_pem()?)?;
    let query = if delta { "&delta=1" } else { "" };
    let url = format!(
        "wss://127.0.0.1:{}/api/ws?key={}{query}",
        mosaic.port(),
        mosaic.key()?
    );
    let mut readers = JoinSet::new();
    for i in 0..count {
        // The kernel completes a TCP connect even when the server cannot
        // accept (out of file descriptors), so the handshake is what shows
        // whether the server took the socket.
        let handshake = async {
            let tcp = TcpStream::connect(("127.0.0.1", mosaic.port())).await?;
            let name = ServerName::try_from("127.0.0.1").expect("an IP literal is a server name");
            let tls = connector.connect(name, tcp).await?;
            let request = url.as_str().into_client_request()?;
            let (socket, _) = tokio_tungstenite::client_async(request, tls).await?;
            Ok::<_, anyhow::Error>(socket)
        };
        let mut socket = tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake)
            .await
            .with_context(|| {
                format!(
                    "websocket {} of {count} not accepted within {HANDSHAKE_TIMEOUT:?}",
                    i + 1
                )
            })?
            .with_context(|| format!("websocket {} of {count}", i + 1))?;
        let counters = counters.clone();
        readers.spawn(async move {
            while let Some(Ok(message)) = socket.next().await {
                if let Message::Text(text) = message {
                    counters
                        .bytes
                        .fetch_add(text.len() as u64, Ordering::Relaxed);
                    if is_list_frame(&text) {
                        counters.list_frames.fetch_add(1, Ordering::Relaxed);
                        counters
                            .list_bytes
                            .fetch_add(text.len() as u64, Ordering::Relaxed);
                    }
                }
            }
        });
    }
    Ok(readers)
}

/// Whether a frame carries the torrent list (whole or as a delta).
fn is_list_frame(text: &str) -> bool {
    text.starts_with(r#"{"type":"torrents:tick""#)
        || text.starts_with(r#"{"type":"torrents:delta""#)
}

/// A TLS connector that trusts exactly the server's certificate.
fn trusting(pem: &[u8]) -> anyhow::Result<tokio_rustls::TlsConnector> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_pemfile::certs(&mut &pem[..]) {
        roots.add(cert?)?;
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_rustls::TlsConnector::from(Arc::new(config)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_list_frames() {
        // Proves full and delta list frames count, stats and events do not.
        assert!(is_list_frame(r#"{"type":"torrents:tick","payload":[]}"#));
        assert!(is_list_frame(
            r#"{"type":"torrents:delta","payload":{"seq":1}}"#
        ));
        assert!(!is_list_frame(r#"{"type":"stats:tick","payload":{}}"#));
    }
}
