//! The `mosaic-server` binary: parses configuration, sets up logging, and
//! either serves or runs an offline admin task.

use std::io::Read;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;
use mosaic_core::access::MIN_PASSWORD_LEN;
use mosaic_core::credentials::{ADMIN, Credentials};
use mosaic_core::store::Store;
use mosaic_server::config::{Admin, Cli, Command, Config};
use tracing_subscriber::EnvFilter;

mod release;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let result = Config::resolve(&cli.settings).and_then(|config| match cli.command {
        None => serve(config),
        Some(Command::Admin(admin)) => run_admin(&config, admin),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mosaic-server: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("info,librqbit=warn,librqbit_dht=warn,librqbit_tracker_comms=warn")
    });
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .init();
}

fn serve(config: Config) -> anyhow::Result<()> {
    mosaic_server::update::remember_executable();
    // librqbit keeps each torrent's resume bitfield open, and the pool of
    // data files is sized from this limit: take every descriptor the
    // system allows.
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::debug!(limit, "open file limit"),
        Err(e) => tracing::warn!(error = %e, "could not raise the open file limit"),
    }
    let runtime = tokio::runtime::Runtime::new().context("starting the runtime")?;
    let outcome = runtime.block_on(mosaic_server::run(config, shutdown_signal()))?;
    drop(runtime);
    match outcome {
        mosaic_server::Outcome::Stopped => Ok(()),
        mosaic_server::Outcome::Restart => Err(mosaic_server::update::reexec()),
    }
}

/// Completes on SIGINT or SIGTERM.
async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("installing a SIGTERM handler works");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

fn run_admin(config: &Config, admin: Admin) -> anyhow::Result<()> {
    match admin {
        Admin::ReleaseKey { out } => return release::make_key(&out),
        Admin::SignRelease { key, feed } => return release::sign(&key, &feed),
        Admin::RotateKey | Admin::Password => {}
    }
    std::fs::create_dir_all(&config.data_dir)?;
    let store = Arc::new(Store::open(&config.data_dir.join("mosaic.db"))?);
    let credentials = Credentials::new(store);
    credentials.bootstrap()?;
    match admin {
        Admin::RotateKey => println!("{}", credentials.rotate_key(ADMIN)?),
        Admin::ReleaseKey { .. } | Admin::SignRelease { .. } => {}
        Admin::Password => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']);
            anyhow::ensure!(!password.is_empty(), "the password is empty");
            if password.chars().count() < MIN_PASSWORD_LEN {
                // Offline the operator decides; the API enforces the minimum.
                eprintln!(
                    "warning: passwords under {MIN_PASSWORD_LEN} characters are easy to guess"
                );
            }
            credentials.set_password(ADMIN, password)?;
            eprintln!("password changed");
        }
    }
    Ok(())
}
