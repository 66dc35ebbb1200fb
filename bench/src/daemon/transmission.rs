//! transmission-daemon with a private configuration folder, driven through
//! its RPC interface.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use base64::Engine as _;
use futures::{StreamExt, TryStreamExt};
use mosaic_tests::peers::transmission_settings;
use mosaic_tests::{Process, free_port, info_hash_of_file};
use serde_json::{Value, json};
use tokio::sync::Mutex;

use super::{Daemon, Lister, describe, http_client, spawn, terminate};
use crate::synth::Synthetic;
use crate::wrk::Target;

/// RPC calls in flight while loading synthetic torrents.
const ADD_CONCURRENCY: usize = 4;

/// The `torrent-get` fields that match the columns of Mosaic's list rows
/// (id, name, magnet, save path, state, error, sizes, progress, rates,
/// totals, ratio, ETA, peers, seeds, finished, added and done dates), so
/// the listing comparison asks both for the same information.
pub(crate) const LIST_FIELDS: &[&str] = &[
    "id",
    "hashString",
    "name",
    "magnetLink",
    "downloadDir",
    "status",
    "error",
    "errorString",
    "totalSize",
    "haveValid",
    "percentDone",
    "rateDownload",
    "rateUpload",
    "downloadedEver",
    "uploadedEver",
    "uploadRatio",
    "eta",
    "peersConnected",
    "peersSendingToUs",
    "isFinished",
    "addedDate",
    "doneDate",
];

/// A transmission-daemon process with its configuration folder.
pub(crate) struct Transmission {
    dir: PathBuf,
    rpc_port: u16,
    process: Option<Process>,
    http: reqwest::Client,
    session_id: Mutex<String>,
    command: String,
}

impl Transmission {
    /// A daemon whose configuration lives in `dir`; `settings.json` is
    /// written now.
    ///
    /// # Errors
    ///
    /// When the settings cannot be written.
    pub(crate) fn new(dir: &Path) -> anyhow::Result<Self> {
        let rpc_port = free_port();
        let config = dir.join("config");
        std::fs::create_dir_all(&config)?;
        let settings = settings(&dir.join("downloads"), free_port(), rpc_port);
        std::fs::write(config.join("settings.json"), settings.to_string())?;
        Ok(Self {
            dir: dir.to_owned(),
            rpc_port,
            process: None,
            http: http_client(),
            session_id: Mutex::new(String::new()),
            command: String::new(),
        })
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/transmission/rpc", self.rpc_port)
    }

    /// Calls `method`; a 409 hands out the CSRF session id, which is kept
    /// and the call sent again.
    async fn call(&self, method: &str, arguments: Value) -> anyhow::Result<Value> {
        let body = json!({"method": method, "arguments": arguments});
        for _ in 0..2 {
            let session_id = self.session_id.lock().await.clone();
            let request = self
                .http
                .post(self.url())
                .header("X-Transmission-Session-Id", session_id);
            let response = request.json(&body).send().await?;
            if response.status() == reqwest::StatusCode::CONFLICT {
                let fresh = response.headers().get("X-Transmission-Session-Id");
                let fresh = fresh.context("409 without a session id")?.to_str()?;
                *self.session_id.lock().await = fresh.to_owned();
                continue;
            }
            let mut answer: Value = response.error_for_status()?.json().await?;
            if answer["result"] != "success" {
                bail!("transmission {method} failed: {}", answer["result"]);
            }
            return Ok(answer["arguments"].take());
        }
        bail!("transmission kept refusing the session id")
    }

    async fn add(&self, bytes: &[u8], save_path: &Path, paused: bool) -> anyhow::Result<()> {
        let metainfo = base64::engine::general_purpose::STANDARD.encode(bytes);
        let arguments = json!({"metainfo": metainfo, "download-dir": save_path, "paused": paused});
        self.call("torrent-add", arguments).await.map(drop)
    }
}

/// The test harness's loopback-only settings, with no queue holding
/// torrents back and a quieter log.
fn settings(save_path: &Path, peer_port: u16, rpc_port: u16) -> Value {
    let mut settings = transmission_settings(save_path, peer_port, rpc_port);
    for key in [
        "download-queue-enabled",
        "seed-queue-enabled",
        "queue-stalled-enabled",
    ] {
        settings[key] = json!(false);
    }
    settings["message-level"] = json!(1);
    settings
}

impl Daemon for Transmission {
    fn name(&self) -> &'static str {
        "Transmission"
    }

    fn pid(&self) -> Option<u32> {
        self.process.as_ref().map(Process::pid)
    }

    fn process(&mut self) -> Option<&mut Process> {
        self.process.as_mut()
    }

    async fn launch(&mut self) -> anyhow::Result<()> {
        let mut command = Command::new("transmission-daemon");
        command
            .arg("--foreground")
            .arg("--config-dir")
            .arg(self.dir.join("config"));
        self.command = describe(&command);
        self.process = Some(
            spawn("transmission", command, &self.dir.join("logs"))
                .context("apt-get install transmission-daemon")?,
        );
        Ok(())
    }

    async fn answers(&self) -> anyhow::Result<bool> {
        let listed = self.call("torrent-get", json!({"fields": ["id"]})).await;
        Ok(listed.is_ok())
    }

    async fn stop(&mut self) -> anyhow::Result<()> {
        match self.process.take() {
            Some(mut process) => terminate(&mut process, "transmission-daemon").await,
            None => Ok(()),
        }
    }

    async fn add_download(&self, torrent: &Path, save_path: &Path) -> anyhow::Result<String> {
        self.add(&std::fs::read(torrent)?, save_path, false).await?;
        info_hash_of_file(torrent)
    }

    async fn completed(&self, id: &str) -> anyhow::Result<bool> {
        let fields = ["percentDone", "leftUntilDone", "error", "errorString"];
        let answer = self
            .call("torrent-get", json!({"ids": [id], "fields": fields}))
            .await?;
        let Some(torrent) = answer["torrents"].get(0) else {
            return Ok(false);
        };
        if torrent["error"] != 0 {
            bail!("transmission reports {}", torrent["errorString"]);
        }
        Ok(torrent["leftUntilDone"] == 0 && torrent["percentDone"].as_f64() == Some(1.0))
    }

    fn command_line(&self) -> String {
        self.command.clone()
    }
}

impl Lister for Transmission {
    async fn add_paused(&self, torrents: &[Synthetic], save_path: &Path) -> anyhow::Result<()> {
        futures::stream::iter(torrents)
            .map(|t| self.add(&t.bytes, save_path, true))
            .buffer_unordered(ADD_CONCURRENCY)
            .try_for_each(|()| async { Ok(()) })
            .await
    }

    async fn count(&self) -> anyhow::Result<usize> {
        let answer = self.call("torrent-get", json!({"fields": ["id"]})).await?;
        Ok(answer["torrents"].as_array().map_or(0, Vec::len))
    }

    fn listing(&self) -> Target {
        let body = json!({"method": "torrent-get", "arguments": {"fields": LIST_FIELDS}});
        let session_id = self
            .session_id
            .try_lock()
            .map(|s| s.clone())
            .unwrap_or_default();
        Target::post_json(&self.url(), &body.to_string())
            .header("X-Transmission-Session-Id", &session_id)
    }
}
