//! `mosaic`, the command-line remote for a Mosaic server.
//!
//! Exit codes: 0 done, 1 the server said no (its message on stderr), 2 the
//! command line or a local input was wrong, 3 the server could not be
//! reached (including an untrusted certificate).

mod account;
mod add;
mod args;
mod categories;
mod output;
mod resolve;
mod saved;
mod torrents;
mod watch;

use std::process::ExitCode;

use clap::Parser;
use mosaic_client::Client;

use args::{Cli, Command, Global};

/// Why a command failed, and so its exit code.
#[derive(Debug)]
enum Failure {
    /// The server refused, or answered something unusable: exit 1.
    Client(mosaic_client::Error),
    /// A local refusal that is about the server's data (no torrent matches
    /// a name): exit 1.
    Refused(String),
    /// Wrong arguments or local input: exit 2.
    Usage(String),
}

type Outcome = Result<(), Failure>;

impl From<mosaic_client::Error> for Failure {
    fn from(error: mosaic_client::Error) -> Self {
        Self::Client(error)
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Self::Refused(format!("cannot write the output: {error}"))
    }
}

impl Failure {
    fn report(&self) -> ExitCode {
        match self {
            Self::Client(e) if e.is_tls() => {
                eprintln!("mosaic: {e}");
                eprintln!("{UNTRUSTED_HINT}");
                ExitCode::from(3)
            }
            Self::Client(e) if e.is_connect() || e.is_timeout() => {
                eprintln!("mosaic: {e}: {}", root_cause(e));
                ExitCode::from(3)
            }
            Self::Client(
                e @ (mosaic_client::Error::Config(_) | mosaic_client::Error::Read { .. }),
            ) => {
                eprintln!("mosaic: {}", chain(e));
                ExitCode::from(2)
            }
            Self::Client(e) => {
                eprintln!(
                    "mosaic: {}",
                    e.message().map_or_else(|| chain(e), str::to_owned)
                );
                if e.message() == Some("unauthorized") {
                    eprintln!("check MOSAIC_API_KEY (or --key), or sign in with `mosaic login`");
                }
                ExitCode::from(1)
            }
            Self::Refused(message) => {
                eprintln!("mosaic: {message}");
                ExitCode::from(1)
            }
            Self::Usage(message) => {
                eprintln!("mosaic: {message}");
                ExitCode::from(2)
            }
        }
    }
}

const UNTRUSTED_HINT: &str = "the server's certificate is not trusted: pin it with --fingerprint \
    (the server logs `tls certificate sha256=…` at start), trust its cert.pem with --ca-file, \
    or accept any certificate with --insecure";

/// An error and its causes, `a: b: c`.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The innermost cause, which names what actually failed ("connection
/// refused") without the layers of wrapping around it.
fn root_cause(error: &dyn std::error::Error) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return Failure::Refused(format!("cannot start: {e}")).report(),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

async fn run(cli: Cli) -> Outcome {
    let global = &cli.global;
    match cli.command {
        Command::Completions { shell } => account::completions(shell),
        Command::Login {
            user,
            password_stdin,
        } => account::login(global, &user, password_stdin).await,
        Command::Version => account::version(global).await,
        command => run_with_client(global, command).await,
    }
}

async fn run_with_client(global: &Global, command: Command) -> Outcome {
    let client = connect(global)?;
    let json = global.json;
    match command {
        Command::List(args) => torrents::list(&client, &args, json).await,
        Command::Add(args) => add::run(&client, &args, json).await,
        Command::Info { id } => torrents::info(&client, &id, json).await,
        Command::Pause { ids } => {
            torrents::control(&client, &ids, torrents::Action::Pause, json).await
        }
        Command::Resume { ids } => {
            torrents::control(&client, &ids, torrents::Action::Resume, json).await
        }
        Command::Recheck { ids } => {
            torrents::control(&client, &ids, torrents::Action::Recheck, json).await
        }
        Command::Rm { ids, delete_data } => {
            let action = torrents::Action::Remove { delete_data };
            torrents::control(&client, &ids, action, json).await
        }
        Command::Priority { id, files, level } => {
            torrents::priority(&client, &id, &files, level, json).await
        }
        Command::Category(command) => categories::run(&client, command, json).await,
        Command::Move { id, path } => torrents::move_to(&client, &id, &path, json).await,
        Command::Stats => torrents::stats(&client, json).await,
        Command::Watch { count } => watch::run(&client, count, json).await,
        Command::Logout => account::logout(&client, global).await,
        Command::Key(args::KeyCommand::Rotate) => account::rotate_key(&client, json).await,
        Command::Completions { .. } | Command::Login { .. } | Command::Version => {
            unreachable!("handled before a client is needed")
        }
    }
}

/// A client from the global flags: the key, else the saved session.
fn connect(global: &Global) -> Result<Client, Failure> {
    let builder = trusting(Client::builder().base_url(&global.url), global);
    let builder = match (&global.key, saved::session_for(&global.url)) {
        (Some(key), _) => builder.api_key(key),
        (None, Some(token)) => builder.session_token(token),
        (None, None) => {
            return Err(Failure::Usage(
                "no credentials: set MOSAIC_API_KEY (or --key), or sign in with `mosaic login`"
                    .into(),
            ));
        }
    };
    Ok(builder.build()?)
}

/// The builder with the certificate choice of the global flags.
fn trusting(
    builder: mosaic_client::ClientBuilder,
    global: &Global,
) -> mosaic_client::ClientBuilder {
    if let Some(fingerprint) = &global.fingerprint {
        builder.fingerprint(fingerprint)
    } else if let Some(ca) = &global.ca_file {
        builder.ca_file(ca)
    } else {
        builder.danger_accept_invalid_certs(global.insecure)
    }
}

/// Prints a value as pretty JSON on stdout.
fn print_json(value: &impl serde::Serialize) -> Outcome {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Refused(format!("cannot encode the output: {e}")))?;
    println!("{text}");
    Ok(())
}
