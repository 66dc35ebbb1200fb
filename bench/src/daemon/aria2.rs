//! aria2c as a download daemon, driven over its JSON-RPC interface.
//!
//! aria2 has no notion of a torrent library to list, so it takes part in
//! the download scenario only.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use base64::Engine as _;
use mosaic_tests::{Process, free_port};
use serde_json::{Value, json};

use super::{Daemon, describe, http_client, spawn, terminate};

/// An aria2c process with its folder.
pub(crate) struct Aria2 {
    dir: PathBuf,
    rpc_port: u16,
    secret: String,
    process: Option<Process>,
    http: reqwest::Client,
    command: String,
}

impl Aria2 {
    /// A daemon keeping its logs in `dir`.
    pub(crate) fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_owned(),
            rpc_port: free_port(),
            secret: format!("bench{}", std::process::id()),
            process: None,
            http: http_client(),
            command: String::new(),
        }
    }

    async fn call(&self, method: &str, params: Value) -> anyhow::Result<Value> {
        let mut all = vec![json!(format!("token:{}", self.secret))];
        all.extend(params.as_array().cloned().unwrap_or_default());
        let request = json!({"jsonrpc": "2.0", "id": "bench", "method": method, "params": all});
        let url = format!("http://127.0.0.1:{}/jsonrpc", self.rpc_port);
        let mut body: Value = self
            .http
            .post(url)
            .json(&request)
            .send()
            .await?
            .json()
            .await?;
        if let Some(error) = body.get("error") {
            bail!("aria2 {method} failed: {error}");
        }
        Ok(body["result"].take())
    }
}

impl Daemon for Aria2 {
    fn name(&self) -> &'static str {
        "aria2"
    }

    fn pid(&self) -> Option<u32> {
        self.process.as_ref().map(Process::pid)
    }

    fn process(&mut self) -> Option<&mut Process> {
        self.process.as_mut()
    }

    async fn launch(&mut self) -> anyhow::Result<()> {
        let mut command = Command::new("aria2c");
        command
            .args([
                "--no-conf=true",
                "--enable-rpc=true",
                "--rpc-listen-all=false",
                "--enable-dht=false",
                "--enable-dht6=false",
                "--bt-enable-lpd=false",
                "--enable-peer-exchange=false",
                "--bt-external-ip=127.0.0.1",
                "--interface=127.0.0.1",
                "--disable-ipv6=true",
                "--file-allocation=none",
                "--seed-time=0",
                "--bt-save-metadata=false",
                "--console-log-level=warn",
            ])
            .arg(format!("--listen-port={}", free_port()))
            .arg(format!("--rpc-listen-port={}", self.rpc_port))
            .arg(format!("--rpc-secret={}", self.secret))
            .arg(format!("--stop-with-process={}", std::process::id()));
        self.command = describe(&command).replace(&self.secret, "<secret>");
        self.process =
            Some(spawn("aria2", command, &self.dir.join("logs")).context("apt-get install aria2")?);
        Ok(())
    }

    async fn answers(&self) -> anyhow::Result<bool> {
        Ok(self.call("aria2.getVersion", json!([])).await.is_ok())
    }

    async fn stop(&mut self) -> anyhow::Result<()> {
        match self.process.take() {
            Some(mut process) => terminate(&mut process, "aria2c").await,
            None => Ok(()),
        }
    }

    async fn add_download(&self, torrent: &Path, save_path: &Path) -> anyhow::Result<String> {
        let bytes = base64::engine::general_purpose::STANDARD.encode(std::fs::read(torrent)?);
        let options = json!({"dir": save_path});
        let gid = self
            .call("aria2.addTorrent", json!([bytes, [], options]))
            .await?;
        gid.as_str().map(str::to_owned).context("no gid from aria2")
    }

    async fn completed(&self, id: &str) -> anyhow::Result<bool> {
        let keys = ["status", "completedLength", "totalLength", "errorMessage"];
        let status = self.call("aria2.tellStatus", json!([id, keys])).await?;
        if status["status"] == "error" {
            bail!("aria2 reports {}", status["errorMessage"]);
        }
        let done = status["completedLength"] == status["totalLength"];
        Ok(done && status["totalLength"] != "0")
    }

    fn command_line(&self) -> String {
        self.command.clone()
    }
}
