//! Mosaic's server: mounts [`mosaic_core::Engine`] on axum over TLS and
//! serves the remote API.
//!
//! [`api::router`] builds the application without a socket (tests drive it
//! directly); [`run`] binds, prints the first-start secrets and the
//! address, and serves until the shutdown future completes.

pub mod api;
pub mod config;
pub mod live;
pub mod serve;
pub mod tls;
pub mod ui;
pub mod update;

/// This server's version: the crate's, unless a build sets `MOSAIC_VERSION`
/// (used to build release fixtures for the updater's tests).
pub const VERSION: &str = match option_env!("MOSAIC_VERSION") {
    Some(version) => version,
    None => env!("CARGO_PKG_VERSION"),
};

use std::future::Future;
use std::io::Write;
use std::sync::Arc;

use anyhow::Context;
use mosaic_core::access::Access;
use mosaic_core::{Engine, EngineOptions};
use tokio::net::TcpListener;

use config::Config;

/// Runs the server until `shutdown` completes, then stops the engine.
///
/// # Errors
/// Fails when the data directory is in use or unreadable, the engine cannot
/// start, or the address cannot be bound.
pub async fn run(config: Config, shutdown: impl Future<Output = ()>) -> anyhow::Result<Outcome> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating data directory {}", config.data_dir.display()))?;
    // The directory holds credential hashes and the TLS key: owner only.
    use std::os::unix::fs::PermissionsExt;
    let private = std::fs::Permissions::from_mode(0o700);
    if let Err(e) = std::fs::set_permissions(&config.data_dir, private) {
        tracing::warn!(error = %e, "could not make the data directory private");
    }
    let _lock = lock_data_dir(&config)?;
    let engine = Engine::open(EngineOptions {
        data_dir: config.data_dir.clone(),
        save_path: config.save_path.clone(),
        download_roots: config.download_roots.clone(),
        peer_listen: config.peer_listen,
        dht: Some(config.dht),
        dht_bootstrap: config.dht_bootstrap.clone(),
        allow_private_fetch: config.allow_private_fetch,
    })
    .await
    .context("starting the engine")?;
    warn_if_descriptors_short(engine.torrent_count());
    let first_run = engine
        .credentials()
        .bootstrap()
        .context("creating the admin account")?;

    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))?;
    let address = listener.local_addr()?;
    let tls = tls_acceptor(&config, address)?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(%address, peers = ?engine.peer_listen_addr(), "listening");

    let access = Arc::new(Access::new(
        engine.credentials().clone(),
        engine.store().clone(),
    )?);
    let policy = api::HostPolicy::new(
        address,
        tls.is_some(),
        config.host_names.clone(),
        config.trusted_proxies.clone(),
        access.clone(),
    );
    let mut state = api::AppState::new(engine.clone(), access, policy);
    if let Some(key) = &config.release_public_key {
        state = state.with_updater(test_updater(&engine, key)?);
        tracing::warn!("trusting a release key given on the command line");
    }
    let sockets = state.shutdown.clone();
    let restart = state.restart.clone();
    spawn_update_checks(state.updater.clone(), state.shutdown.clone());
    let app = api::router(state);
    let peers = engine.peer_listen_addr();
    announce(first_run.as_ref(), &format!("{scheme}://{address}"), peers)?;
    // Sockets are told first (1001), then connections drain.
    let restarting = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = restarting.clone();
    let shutdown = async move {
        tokio::select! {
            () = shutdown => {}
            () = restart.notified() => flag.store(true, std::sync::atomic::Ordering::SeqCst),
        }
        sockets.cancel();
    };
    serve::serve(listener, tls, app, shutdown).await;

    tracing::info!("shutting down");
    engine.shutdown().await;
    if restarting.load(std::sync::atomic::Ordering::SeqCst) {
        return Ok(Outcome::Restart);
    }
    Ok(Outcome::Stopped)
}

/// How [`run`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Shut down on request.
    Stopped,
    /// An update was installed; the caller should re-execute.
    Restart,
}

fn test_updater(engine: &Engine, key: &str) -> anyhow::Result<mosaic_core::updater::Updater> {
    let key = mosaic_core::updater::public_key(key)?;
    let events = engine.events().clone();
    let fetcher = engine.fetcher().clone();
    Ok(mosaic_core::updater::Updater::new(
        engine.store().clone(),
        fetcher,
        events,
        key,
        VERSION,
    )?)
}

/// Checks for updates at start and then daily while the updater is
/// enabled; a newer release raises `update:available` (once per version).
fn spawn_update_checks(
    updater: Arc<mosaic_core::updater::Updater>,
    stop: tokio_util::sync::CancellationToken,
) {
    const DAY: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(DAY);
        loop {
            tokio::select! {
                () = stop.cancelled() => return,
                _ = interval.tick() => {}
            }
            let enabled = updater
                .settings()
                .is_ok_and(|s| s.enabled && !s.feed_url.is_empty());
            if !enabled {
                continue;
            }
            match updater.check().await {
                Ok(info) if info.available => {
                    tracing::info!(version = ?info.latest_version, "update available")
                }
                Ok(_) => tracing::debug!("no update"),
                Err(e) => tracing::warn!(error = %e, "update check failed"),
            }
        }
    });
}

/// Holds an exclusive lock on `<data>/lock` so two servers never share a
/// data directory. Offline `admin` commands do not take it.
fn lock_data_dir(config: &Config) -> anyhow::Result<std::fs::File> {
    let file = std::fs::File::create(config.data_dir.join("lock"))?;
    file.try_lock().map_err(|_| {
        anyhow::anyhow!(
            "another mosaic-server is using the data directory {}",
            config.data_dir.display()
        )
    })?;
    Ok(file)
}

fn tls_acceptor(
    config: &Config,
    address: std::net::SocketAddr,
) -> anyhow::Result<Option<tokio_rustls::TlsAcceptor>> {
    if config.plain_http {
        tracing::warn!("serving plain http: put a tls-terminating proxy in front");
        return Ok(None);
    }
    let identity = match &config.tls {
        Some((cert, key)) => tls::Identity::from_files(cert, key)?,
        None => tls::Identity::self_signed(&config.data_dir, address, &config.host_names)?,
    };
    tracing::info!(sha256 = identity.fingerprint(), "tls certificate");
    Ok(Some(tokio_rustls::TlsAcceptor::from(
        identity.server_config()?,
    )))
}

/// Prints the first-start secrets (to standard output only, never to the
/// log) and the address, one `key: value` per line for scripts to read.
fn announce(
    first_run: Option<&mosaic_core::credentials::FirstRun>,
    url: &str,
    peers: Option<std::net::SocketAddr>,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if let Some(first) = first_run {
        writeln!(
            out,
            "Mosaic created the admin account. Keep these; they are shown once."
        )?;
        writeln!(out, "username: {}", first.username)?;
        writeln!(out, "password: {}", first.password)?;
        writeln!(out, "api key: {}", first.api_key)?;
    }
    if let Some(peers) = peers {
        writeln!(out, "peers: {peers}")?;
    }
    writeln!(out, "listening: {url}")?;
    out.flush()?;
    Ok(())
}

/// Every loaded torrent keeps its resume file open and data files share a
/// pool of an eighth of the limit, so past about half the limit in
/// torrents, peers and clients start to find no descriptor left.
fn warn_if_descriptors_short(torrents: usize) {
    let Ok((limit, _)) = rlimit::getrlimit(rlimit::Resource::NOFILE) else {
        return;
    };
    if torrents as u64 > limit / 2 {
        tracing::warn!(
            torrents,
            limit,
            "open-file limit is low for this many torrents (each keeps one file open); raise the hard limit"
        );
    }
}
