//! The command line: global connection flags and one subcommand each.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// A command-line remote for a Mosaic server.
///
/// Connection settings come from flags or the environment (`MOSAIC`,
/// `MOSAIC_API_KEY`, like the API examples). Torrents are named by their
/// info hash, a unique prefix of it (as `list` shows), their exact name,
/// or `all`.
#[derive(Parser, Debug)]
#[command(name = "mosaic", version, about, propagate_version = true)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Flags every command takes.
#[derive(Args, Debug)]
pub(crate) struct Global {
    /// Server base URL.
    #[arg(
        long,
        env = "MOSAIC",
        default_value = "https://127.0.0.1:8080",
        global = true
    )]
    pub(crate) url: String,
    /// API key (else the session saved by `mosaic login`).
    #[arg(long, env = "MOSAIC_API_KEY", hide_env_values = true, global = true)]
    pub(crate) key: Option<String>,
    /// Trust only the certificate with this SHA-256 fingerprint, as the
    /// server logs it (`tls certificate sha256=…`).
    #[arg(
        long,
        env = "MOSAIC_FINGERPRINT",
        global = true,
        conflicts_with_all = ["ca_file", "insecure"]
    )]
    pub(crate) fingerprint: Option<String>,
    /// Trust certificates issued by this PEM file (e.g. the server's
    /// `<data dir>/tls/cert.pem`).
    #[arg(
        long,
        env = "MOSAIC_CA_FILE",
        global = true,
        conflicts_with = "insecure"
    )]
    pub(crate) ca_file: Option<PathBuf>,
    /// Accept any certificate, like `curl -k`: anyone on the path can read
    /// the API key. Prefer --fingerprint.
    #[arg(long, global = true)]
    pub(crate) insecure: bool,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    pub(crate) json: bool,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// List torrents.
    #[command(visible_alias = "ls")]
    List(ListArgs),
    /// Add magnets, .torrent files or .torrent URLs.
    Add(AddArgs),
    /// Show one torrent with its files, peers and trackers.
    Info {
        /// The torrent.
        id: String,
    },
    /// Stop torrents.
    Pause {
        /// Torrents (or `all`).
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Start paused torrents.
    Resume {
        /// Torrents (or `all`).
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Hash torrents' data again.
    Recheck {
        /// Torrents (or `all`).
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Remove torrents.
    Rm {
        /// Torrents.
        #[arg(required = true)]
        ids: Vec<String>,
        /// Also delete the downloaded data.
        #[arg(long)]
        delete_data: bool,
    },
    /// Set file priorities: `priority <id> <file index|a-b|all>... <skip|normal|high|max>`.
    Priority {
        /// The torrent.
        id: String,
        /// File indexes (`3`), ranges (`0-4`) or `all`.
        #[arg(required = true, num_args = 1..)]
        files: Vec<String>,
        /// The level.
        level: mosaic_client::Priority,
    },
    /// Manage categories.
    #[command(subcommand)]
    Category(CategoryCommand),
    /// Move a torrent's data to another folder.
    Move {
        /// The torrent.
        id: String,
        /// The new absolute save path.
        path: String,
    },
    /// Show session totals.
    Stats,
    /// A live view of the torrents, refreshed from the event stream.
    Watch {
        /// Stop after this many refreshes.
        #[arg(long)]
        count: Option<u64>,
    },
    /// Sign in with a password and keep the session for later commands.
    Login {
        /// The user.
        #[arg(long, default_value = "admin")]
        user: String,
        /// Read the password from standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// End the saved session.
    Logout,
    /// Manage the API key.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Show the client's and the server's versions.
    Version,
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(Args, Debug)]
pub(crate) struct ListArgs {
    /// Only torrents in this state (downloading, seeding, paused, …).
    #[arg(long)]
    pub(crate) state: Option<String>,
    /// Only torrents in this category (name, id, or `none`).
    #[arg(long)]
    pub(crate) category: Option<String>,
}

#[derive(Args, Debug)]
pub(crate) struct AddArgs {
    /// Magnet links, .torrent files, or http(s) URLs of .torrent files.
    #[arg(required = true)]
    pub(crate) sources: Vec<String>,
    /// Absolute folder to save into.
    #[arg(long)]
    pub(crate) save_path: Option<String>,
    /// Category (name or id).
    #[arg(long)]
    pub(crate) category: Option<String>,
    /// Add without starting.
    #[arg(long)]
    pub(crate) paused: bool,
    /// Wait until the downloads complete, with live progress.
    #[arg(long, conflicts_with = "paused")]
    pub(crate) wait: bool,
}

#[derive(Subcommand, Debug)]
pub(crate) enum CategoryCommand {
    /// List categories.
    List,
    /// Create a category.
    Add {
        /// Its unique name.
        name: String,
        /// Default save path of its torrents.
        #[arg(long)]
        save_path: Option<String>,
        /// Colour, `#rrggbb`.
        #[arg(long)]
        color: Option<String>,
    },
    /// Delete a category (its torrents stay, without one).
    Rm {
        /// Name or id.
        category: String,
    },
    /// Put torrents in a category: `category set <category|none> <id>...`.
    Set {
        /// Name, id, or `none` to clear.
        category: String,
        /// Torrents.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Rename a category or change its save path or colour.
    Edit {
        /// Name or id.
        category: String,
        /// New name.
        #[arg(long)]
        name: Option<String>,
        /// New default save path.
        #[arg(long)]
        save_path: Option<String>,
        /// New colour, `#rrggbb`.
        #[arg(long)]
        color: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub(crate) enum KeyCommand {
    /// Replace the API key and print the new one; the old one stops working.
    Rotate,
}
