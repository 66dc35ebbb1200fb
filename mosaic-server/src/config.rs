//! Configuration: command-line flags, then `MOSAIC_*` environment
//! variables, then an optional TOML file, then defaults.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use serde::Deserialize;

/// Mosaic's BitTorrent server: HTTPS + WebSocket API and browser UI.
#[derive(Parser, Debug)]
#[command(name = "mosaic-server", version = crate::VERSION, about)]
pub struct Cli {
    /// Server settings.
    #[command(flatten)]
    pub settings: Flags,
    /// An offline task instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Offline tasks.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Account administration, usable whether or not a server runs.
    #[command(subcommand)]
    Admin(Admin),
}

/// `mosaic-server admin …`.
#[derive(Subcommand, Debug)]
pub enum Admin {
    /// Prints a new API key for `admin` alone on one line; the old key stops
    /// working at once, also in a running server.
    RotateKey,
    /// Reads a new password for `admin` from standard input.
    Password,
    /// Makes an Ed25519 release key: writes the private half to `out`
    /// (mode 0600) and prints the public half (base64).
    ReleaseKey {
        /// Where to write the private key.
        #[arg(long)]
        out: PathBuf,
    },
    /// Signs a release feed (JSON `{"releases": [...]}`) and prints the
    /// signed feed to serve.
    SignRelease {
        /// The private key file from `release-key`.
        #[arg(long)]
        key: PathBuf,
        /// The unsigned feed.
        feed: PathBuf,
    },
}

/// Flags, each also readable from a `MOSAIC_*` variable.
#[derive(Args, Debug, Default)]
pub struct Flags {
    /// TOML file with any of these settings (keys as the long flags, with
    /// `_` for `-`).
    #[arg(long, env = "MOSAIC_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Data directory [default: ~/.local/share/mosaic].
    #[arg(long, env = "MOSAIC_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Address of the API [default: 127.0.0.1:8080].
    #[arg(long, env = "MOSAIC_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Default save path for torrents [default: ~/Downloads].
    #[arg(long, env = "MOSAIC_SAVE_PATH")]
    pub save_path: Option<PathBuf>,
    /// Address for incoming peers [default: 0.0.0.0:<stored listen port>].
    #[arg(long, env = "MOSAIC_PEER_LISTEN")]
    pub peer_listen: Option<SocketAddr>,
    /// Turn the DHT off.
    #[arg(long, env = "MOSAIC_NO_DHT")]
    pub no_dht: bool,
    /// DHT node to join through, `host:port` (repeatable). None is built in.
    #[arg(
        long = "dht-bootstrap",
        env = "MOSAIC_DHT_BOOTSTRAP",
        value_delimiter = ','
    )]
    pub dht_bootstrap: Vec<String>,
    /// Confine save paths to this folder (repeatable).
    #[arg(
        long = "download-root",
        env = "MOSAIC_DOWNLOAD_ROOT",
        value_delimiter = ','
    )]
    pub download_roots: Vec<PathBuf>,
    /// Extra host name the server answers to and puts in its certificate
    /// (repeatable).
    #[arg(long = "host-name", env = "MOSAIC_HOST_NAME", value_delimiter = ',')]
    pub host_names: Vec<String>,
    /// Proxy whose `X-Forwarded-For` and `X-Forwarded-Host` are believed
    /// (repeatable). None by default.
    #[arg(
        long = "trusted-proxy",
        env = "MOSAIC_TRUSTED_PROXY",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Let blocklist and release-feed downloads reach loopback and private
    /// networks (refused by default).
    #[arg(long, env = "MOSAIC_ALLOW_PRIVATE_FETCH")]
    pub allow_private_fetch: bool,
    /// Test builds only: trust this Ed25519 release key (base64) instead of
    /// the compiled-in one.
    #[cfg(debug_assertions)]
    #[arg(long, env = "MOSAIC_RELEASE_PUBLIC_KEY", hide = true)]
    pub release_public_key: Option<String>,
    /// PEM certificate chain to serve instead of the self-signed one.
    #[arg(long, env = "MOSAIC_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for `--tls-cert`.
    #[arg(long, env = "MOSAIC_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Serve plain HTTP (behind a TLS-terminating proxy).
    #[arg(long, env = "MOSAIC_PLAIN_HTTP")]
    pub plain_http: bool,
    /// Allow `--plain-http` on a non-loopback address.
    #[arg(long, env = "MOSAIC_I_KNOW_THIS_IS_UNENCRYPTED")]
    pub i_know_this_is_unencrypted: bool,
}

/// The same settings as read from a TOML file.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    data_dir: Option<PathBuf>,
    listen: Option<SocketAddr>,
    save_path: Option<PathBuf>,
    peer_listen: Option<SocketAddr>,
    no_dht: Option<bool>,
    #[serde(default)]
    dht_bootstrap: Vec<String>,
    #[serde(default)]
    download_root: Vec<PathBuf>,
    #[serde(default)]
    host_name: Vec<String>,
    #[serde(default)]
    trusted_proxy: Vec<std::net::IpAddr>,
    allow_private_fetch: Option<bool>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    plain_http: Option<bool>,
    i_know_this_is_unencrypted: Option<bool>,
}

/// Settings after every source is merged.
#[derive(Debug, Clone)]
pub struct Config {
    /// Data directory.
    pub data_dir: PathBuf,
    /// API address.
    pub listen: SocketAddr,
    /// Default save path override.
    pub save_path: Option<PathBuf>,
    /// Peer address override.
    pub peer_listen: Option<SocketAddr>,
    /// DHT on.
    pub dht: bool,
    /// DHT bootstrap nodes.
    pub dht_bootstrap: Vec<String>,
    /// Download roots.
    pub download_roots: Vec<PathBuf>,
    /// Extra host names.
    pub host_names: Vec<String>,
    /// Proxies trusted for forwarded headers.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Fetches may reach private networks.
    pub allow_private_fetch: bool,
    /// A release key replacing the compiled-in one (test builds only).
    pub release_public_key: Option<String>,
    /// User certificate and key.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Serve without TLS.
    pub plain_http: bool,
}

impl Config {
    /// Merges flags (and their variables) over the TOML file.
    ///
    /// # Errors
    /// Fails when the file cannot be read or parsed, or `--plain-http` is
    /// asked on a non-loopback address without its acknowledgement.
    pub fn resolve(flags: &Flags) -> anyhow::Result<Self> {
        let file = match &flags.config {
            Some(path) => read_file(path)?,
            None => FileSettings::default(),
        };
        let pick = |flag: &Vec<String>, file: Vec<String>| {
            if flag.is_empty() { file } else { flag.clone() }
        };
        let tls = match (
            flags.tls_cert.clone().or(file.tls_cert),
            flags.tls_key.clone().or(file.tls_key),
        ) {
            (Some(cert), Some(key)) => Some((cert, key)),
            (None, None) => None,
            _ => anyhow::bail!("tls_cert and tls_key go together"),
        };
        let config = Self {
            data_dir: flags
                .data_dir
                .clone()
                .or(file.data_dir)
                .unwrap_or_else(default_data_dir),
            listen: flags
                .listen
                .or(file.listen)
                .unwrap_or(([127, 0, 0, 1], 8080).into()),
            save_path: flags.save_path.clone().or(file.save_path),
            peer_listen: flags.peer_listen.or(file.peer_listen),
            dht: !(flags.no_dht || file.no_dht.unwrap_or(false)),
            dht_bootstrap: pick(&flags.dht_bootstrap, file.dht_bootstrap),
            download_roots: if flags.download_roots.is_empty() {
                file.download_root
            } else {
                flags.download_roots.clone()
            },
            host_names: pick(&flags.host_names, file.host_name),
            trusted_proxies: if flags.trusted_proxies.is_empty() {
                file.trusted_proxy
            } else {
                flags.trusted_proxies.clone()
            },
            allow_private_fetch: flags.allow_private_fetch
                || file.allow_private_fetch.unwrap_or(false),
            release_public_key: release_key(flags),
            tls,
            plain_http: flags.plain_http || file.plain_http.unwrap_or(false),
        };
        let acknowledged =
            flags.i_know_this_is_unencrypted || file.i_know_this_is_unencrypted.unwrap_or(false);
        if config.plain_http && !config.listen.ip().is_loopback() && !acknowledged {
            anyhow::bail!(
                "--plain-http on a non-loopback address needs --i-know-this-is-unencrypted"
            );
        }
        Ok(config)
    }
}

#[cfg(debug_assertions)]
fn release_key(flags: &Flags) -> Option<String> {
    flags.release_public_key.clone()
}

#[cfg(not(debug_assertions))]
fn release_key(_: &Flags) -> Option<String> {
    None
}

fn read_file(path: &Path) -> anyhow::Result<FileSettings> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading config file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing config file {}", path.display()))
}

/// `$XDG_DATA_HOME/mosaic`, `~/.local/share/mosaic`, or `./mosaic-data`.
fn default_data_dir() -> PathBuf {
    let non_empty = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    non_empty("XDG_DATA_HOME")
        .or_else(|| non_empty("HOME").map(|h| h.join(".local/share")))
        .map_or_else(|| PathBuf::from("mosaic-data"), |base| base.join("mosaic"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("mosaic.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9000\"\nsave_path = \"/from/file\"\nno_dht = true\n",
        )
        .unwrap();
        let flags = Flags {
            config: Some(file),
            save_path: Some("/from/flag".into()),
            ..Flags::default()
        };
        let config = Config::resolve(&flags).unwrap();
        assert_eq!(config.listen, "127.0.0.1:9000".parse().unwrap());
        assert_eq!(config.save_path, Some(PathBuf::from("/from/flag")));
        assert!(!config.dht);
    }

    #[test]
    fn unknown_file_keys_and_exposed_plain_http_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, "lisen = \"127.0.0.1:1\"\n").unwrap();
        assert!(
            Config::resolve(&Flags {
                config: Some(file),
                ..Flags::default()
            })
            .is_err()
        );

        let exposed = Flags {
            plain_http: true,
            listen: Some("0.0.0.0:8080".parse().unwrap()),
            ..Flags::default()
        };
        assert!(Config::resolve(&exposed).is_err());
        let local = Flags {
            plain_http: true,
            ..Flags::default()
        };
        assert!(Config::resolve(&local).unwrap().plain_http);
    }
}
