//! `mosaic-server`, driven through its REST API like any user would.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{ChildStdout, Command};
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::{Context, bail};
use futures::{StreamExt, TryStreamExt};
use mosaic_tests::{Process, free_port};
use reqwest::multipart::{Form, Part};
use serde_json::Value;

use super::{Daemon, Lister, describe, http_client, terminate};
use crate::synth::Synthetic;
use crate::wrk::Target;

/// Uploads in flight while loading synthetic torrents.
const ADD_CONCURRENCY: usize = 8;

/// A Mosaic server with its data folder.
pub(crate) struct Mosaic {
    binary: PathBuf,
    dir: PathBuf,
    port: u16,
    plain_http: bool,
    /// Filled from the `api key:` line of the first start.
    key: Arc<Mutex<Option<String>>>,
    process: Option<Process>,
    http: reqwest::Client,
    command: String,
}

impl Mosaic {
    /// A server whose state lives in `dir` (created on first launch).
    pub(crate) fn new(binary: &Path, dir: &Path) -> Self {
        Self {
            binary: binary.to_owned(),
            dir: dir.to_owned(),
            port: free_port(),
            plain_http: false,
            key: Arc::default(),
            process: None,
            http: http_client(),
            command: String::new(),
        }
    }

    /// Serve plain HTTP (`--plain-http`) from the next launch on, for a
    /// comparison without TLS.
    pub(crate) fn set_plain_http(&mut self, plain: bool) {
        self.plain_http = plain;
    }

    /// `https://127.0.0.1:<port>` (or `http://` in plain mode).
    pub(crate) fn base_url(&self) -> String {
        let scheme = if self.plain_http { "http" } else { "https" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// The API port.
    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    /// The API key printed on the first start.
    pub(crate) fn key(&self) -> anyhow::Result<String> {
        let key = self.key.lock().unwrap_or_else(PoisonError::into_inner);
        key.clone()
            .context("mosaic-server has not printed its api key")
    }

    /// The server's self-signed certificate (PEM).
    pub(crate) fn certificate_pem(&self) -> anyhow::Result<Vec<u8>> {
        let path = self.dir.join("data/tls/cert.pem");
        std::fs::read(&path).with_context(|| format!("reading {}", path.display()))
    }

    fn request(
        &self,
        method: reqwest::Method,
        path: &str,
    ) -> anyhow::Result<reqwest::RequestBuilder> {
        let url = format!("{}{path}", self.base_url());
        Ok(self.http.request(method, url).bearer_auth(self.key()?))
    }

    /// `POST /api/categories`; answers the new category's id.
    pub(crate) async fn create_category(&self, name: &str) -> anyhow::Result<i64> {
        let body = serde_json::json!({"name": name, "default_save_path": "", "color": "#336699"});
        let request = self.request(reqwest::Method::POST, "/api/categories")?;
        let answer: Value = request
            .json(&body)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        answer["id"].as_i64().context("no id in category answer")
    }

    /// `POST /api/torrents/category`: files torrent `id` under `category`
    /// (or none).
    pub(crate) async fn set_category(&self, id: &str, category: Option<i64>) -> anyhow::Result<()> {
        let body = serde_json::json!({"infohash": id, "category_id": category});
        let request = self.request(reqwest::Method::POST, "/api/torrents/category")?;
        request.json(&body).send().await?.error_for_status()?;
        Ok(())
    }

    async fn upload(
        &self,
        bytes: Vec<u8>,
        save_path: &Path,
        paused: bool,
    ) -> anyhow::Result<String> {
        let file = Part::bytes(bytes).file_name("bench.torrent");
        let form = Form::new()
            .part("file", file)
            .text("save_path", save_path.to_string_lossy().into_owned())
            .text("paused", paused.to_string());
        let request = self.request(reqwest::Method::POST, "/api/torrents/file")?;
        let response = request.multipart(form).send().await?;
        let status = response.status();
        let body: Value = response.json().await.context("add answer")?;
        if !status.is_success() {
            bail!("adding a torrent answered {status} {body}");
        }
        body["id"]
            .as_str()
            .map(str::to_owned)
            .context("no id in add answer")
    }

    async fn list(&self) -> anyhow::Result<Vec<Value>> {
        let response = self
            .request(reqwest::Method::GET, "/api/torrents")?
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("GET /api/torrents answered {}", response.status());
        }
        Ok(response.json().await?)
    }
}

impl Daemon for Mosaic {
    fn name(&self) -> &'static str {
        if self.plain_http {
            "Mosaic (plain HTTP)"
        } else {
            "Mosaic"
        }
    }

    fn pid(&self) -> Option<u32> {
        self.process.as_ref().map(Process::pid)
    }

    fn process(&mut self) -> Option<&mut Process> {
        self.process.as_mut()
    }

    async fn launch(&mut self) -> anyhow::Result<()> {
        let mut command = Command::new(&self.binary);
        command
            .arg("--data-dir")
            .arg(self.dir.join("data"))
            .arg("--listen")
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["--peer-listen", "127.0.0.1:0", "--no-dht", "--save-path"])
            .arg(self.dir.join("downloads"));
        if self.plain_http {
            command.arg("--plain-http");
        }
        // The operator's own settings must not change what is measured.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("MOSAIC_") || name == "RUST_LOG" {
                command.env_remove(name);
            }
        }
        self.command = describe(&command);
        std::fs::create_dir_all(self.dir.join("logs"))?;
        let (process, stdout) =
            Process::spawn_piped("mosaic-server", command, &self.dir.join("logs"))?;
        read_key(stdout, self.key.clone());
        self.process = Some(process);
        Ok(())
    }

    async fn answers(&self) -> anyhow::Result<bool> {
        Ok(self
            .key
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
            && self.list().await.is_ok())
    }

    async fn stop(&mut self) -> anyhow::Result<()> {
        match self.process.take() {
            Some(mut process) => terminate(&mut process, "mosaic-server").await,
            None => Ok(()),
        }
    }

    async fn add_download(&self, torrent: &Path, save_path: &Path) -> anyhow::Result<String> {
        self.upload(std::fs::read(torrent)?, save_path, false).await
    }

    async fn completed(&self, id: &str) -> anyhow::Result<bool> {
        let response = self
            .request(reqwest::Method::GET, &format!("/api/torrents/{id}"))?
            .send()
            .await?;
        let detail: Value = response.json().await?;
        if let Some(error) = detail["error"].as_str() {
            bail!("mosaic reports {error}");
        }
        Ok(detail["completed"] == true && detail["progress"] == 1.0)
    }

    fn command_line(&self) -> String {
        self.command.clone()
    }
}

impl Lister for Mosaic {
    async fn add_paused(&self, torrents: &[Synthetic], save_path: &Path) -> anyhow::Result<()> {
        futures::stream::iter(torrents)
            .map(|t| self.upload(t.bytes.clone(), save_path, true))
            .buffer_unordered(ADD_CONCURRENCY)
            .try_for_each(|_| async { Ok(()) })
            .await
    }

    async fn count(&self) -> anyhow::Result<usize> {
        Ok(self.list().await?.len())
    }

    fn listing(&self) -> Target {
        let key = self.key().unwrap_or_default();
        Target::get(&format!("{}/api/torrents", self.base_url()))
            .header("Authorization", &format!("Bearer {key}"))
    }
}

/// Drains the server's stdout on a thread (so it never blocks on a full
/// pipe), remembering the key of the `api key:` line.
fn read_key(stdout: ChildStdout, key: Arc<Mutex<Option<String>>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(found) = line.trim().strip_prefix("api key: ") {
                *key.lock().unwrap_or_else(PoisonError::into_inner) = Some(found.trim().to_owned());
            }
        }
    });
}
