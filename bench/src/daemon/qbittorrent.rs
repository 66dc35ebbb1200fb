//! qbittorrent-nox with a private profile, driven through its Web API.
//!
//! The profile's configuration is written before the first start, so no
//! setting that reaches beyond loopback (DHT, LSD, UPnP) is ever on, not
//! even for the first second. The Web UI skips authentication for clients
//! on localhost, which is all the bench is.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, bail};
use mosaic_tests::{Process, free_port, info_hash_of_file};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use super::{Daemon, Lister, describe, http_client, spawn, terminate};
use crate::synth::Synthetic;
use crate::wrk::Target;

/// Torrent files per upload while loading synthetic torrents.
const ADD_BATCH: usize = 100;

/// A qbittorrent-nox process with its profile folder.
pub(crate) struct Qbittorrent {
    dir: PathBuf,
    web_port: u16,
    process: Option<Process>,
    http: reqwest::Client,
    command: String,
    /// Whether the running process's preferences were checked.
    checked: AtomicBool,
}

impl Qbittorrent {
    /// A client whose profile lives in `dir`; the configuration is written
    /// now.
    ///
    /// # Errors
    ///
    /// When the configuration cannot be written.
    pub(crate) fn new(dir: &Path) -> anyhow::Result<Self> {
        let web_port = free_port();
        let config_dir = dir.join("profile/qBittorrent/config");
        std::fs::create_dir_all(&config_dir)?;
        let config = configuration(web_port, free_port(), &dir.join("downloads"));
        std::fs::write(config_dir.join("qBittorrent.conf"), config)?;
        Ok(Self {
            dir: dir.to_owned(),
            web_port,
            process: None,
            http: http_client(),
            command: String::new(),
            checked: AtomicBool::new(false),
        })
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/api/v2{path}", self.web_port)
    }

    async fn add(&self, files: Vec<Vec<u8>>, save_path: &Path, paused: bool) -> anyhow::Result<()> {
        let mut form = Form::new()
            .text("savepath", save_path.to_string_lossy().into_owned())
            .text("paused", paused.to_string())
            .text("autoTMM", "false");
        for (i, bytes) in files.into_iter().enumerate() {
            form = form.part(
                "torrents",
                Part::bytes(bytes).file_name(format!("{i}.torrent")),
            );
        }
        let response = self
            .http
            .post(self.url("/torrents/add"))
            .multipart(form)
            .send()
            .await?;
        let status = response.status();
        let body = response.text().await?;
        if !status.is_success() || body.trim() != "Ok." {
            bail!("qBittorrent refused the torrents: {status} {body}");
        }
        Ok(())
    }

    async fn info(&self, query: &str) -> anyhow::Result<Vec<Value>> {
        let response = self
            .http
            .get(self.url(&format!("/torrents/info{query}")))
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("torrents/info answered {}", response.status());
        }
        Ok(response.json().await?)
    }

    /// Fails unless qBittorrent reports the loopback-only settings of
    /// [`configuration`] as in force (a renamed key would otherwise be
    /// ignored silently).
    async fn check_preferences(&self) -> anyhow::Result<()> {
        let response = self.http.get(self.url("/app/preferences")).send().await?;
        let prefs: Value = response.error_for_status()?.json().await?;
        let expected = [
            ("dht", json!(false)),
            ("lsd", json!(false)),
            ("pex", json!(false)),
            ("upnp", json!(false)),
            ("queueing_enabled", json!(false)),
            ("bittorrent_protocol", json!(1)),
            ("current_interface_address", json!("127.0.0.1")),
            ("bypass_local_auth", json!(true)),
        ];
        for (key, value) in expected {
            if prefs[key] != value {
                bail!(
                    "qBittorrent ignored its configuration: {key} is {}, not {value}",
                    prefs[key]
                );
            }
        }
        Ok(())
    }
}

/// The `qBittorrent.conf` of a fresh profile.
fn configuration(web_port: u16, peer_port: u16, save_path: &Path) -> String {
    format!(
        "[LegalNotice]
Accepted=true

[BitTorrent]
Session\\DHTEnabled=false
Session\\LSDEnabled=false
Session\\PeXEnabled=false
Session\\Port={peer_port}
Session\\Interface=lo
Session\\InterfaceName=lo
Session\\InterfaceAddress=127.0.0.1
Session\\BTProtocol=TCP
Session\\QueueingSystemEnabled=false
Session\\DefaultSavePath={save}

[Network]
PortForwardingEnabled=false

[Preferences]
Connection\\UPnP=false
General\\Locale=en
WebUI\\Address=127.0.0.1
WebUI\\Port={web_port}
WebUI\\LocalHostAuth=false
",
        save = save_path.display()
    )
}

impl Daemon for Qbittorrent {
    fn name(&self) -> &'static str {
        "qBittorrent"
    }

    fn pid(&self) -> Option<u32> {
        self.process.as_ref().map(Process::pid)
    }

    fn process(&mut self) -> Option<&mut Process> {
        self.process.as_mut()
    }

    async fn launch(&mut self) -> anyhow::Result<()> {
        let mut command = Command::new("qbittorrent-nox");
        command.arg(format!("--profile={}", self.dir.join("profile").display()));
        self.command = describe(&command);
        self.checked.store(false, Ordering::Relaxed);
        self.process = Some(
            spawn("qbittorrent", command, &self.dir.join("logs"))
                .context("apt-get install qbittorrent-nox")?,
        );
        Ok(())
    }

    async fn answers(&self) -> anyhow::Result<bool> {
        if self.info("").await.is_err() {
            return Ok(false);
        }
        if !self.checked.swap(true, Ordering::Relaxed) {
            self.check_preferences().await?;
        }
        Ok(true)
    }

    async fn stop(&mut self) -> anyhow::Result<()> {
        match self.process.take() {
            Some(mut process) => terminate(&mut process, "qbittorrent-nox").await,
            None => Ok(()),
        }
    }

    async fn add_download(&self, torrent: &Path, save_path: &Path) -> anyhow::Result<String> {
        self.add(vec![std::fs::read(torrent)?], save_path, false)
            .await?;
        info_hash_of_file(torrent)
    }

    async fn completed(&self, id: &str) -> anyhow::Result<bool> {
        let rows = self.info(&format!("?hashes={id}")).await?;
        let Some(row) = rows.first() else {
            return Ok(false);
        };
        if row["state"] == "error" || row["state"] == "missingFiles" {
            bail!("qBittorrent reports state {}", row["state"]);
        }
        Ok(row["amount_left"] == 0 && row["progress"].as_f64() == Some(1.0))
    }

    fn command_line(&self) -> String {
        self.command.clone()
    }
}

impl Lister for Qbittorrent {
    async fn add_paused(&self, torrents: &[Synthetic], save_path: &Path) -> anyhow::Result<()> {
        let before = self.count().await?;
        for batch in torrents.chunks(ADD_BATCH) {
            let files = batch.iter().map(|t| t.bytes.clone()).collect();
            self.add(files, save_path, true).await?;
        }
        // Adding is asynchronous in qBittorrent: "Ok." only means queued.
        super::wait_count(
            self,
            before + torrents.len(),
            std::time::Duration::from_secs(600),
        )
        .await
    }

    async fn count(&self) -> anyhow::Result<usize> {
        Ok(self.info("").await?.len())
    }

    fn listing(&self) -> Target {
        Target::get(&self.url("/torrents/info"))
    }
}
