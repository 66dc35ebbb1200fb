//! Child processes started by the harness.
//!
//! Output goes to files (appended, so a restarted program keeps one log),
//! the process is killed and reaped on drop, and when the drop happens
//! during a panic the log tails are printed so a failing test shows what
//! the program said.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};

/// Lines of each log shown by [`Process::tails`] in panic messages.
pub const TAIL_LINES: usize = 40;

/// Proxy settings removed from every child's environment.
const PROXY_VARS: &[&str] = &[
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
];

/// A running (or exited, not yet dropped) child process.
#[derive(Debug)]
pub struct Process {
    name: String,
    child: Child,
    stdout_log: PathBuf,
    stderr_log: PathBuf,
}

impl Process {
    /// Spawns `command` with stdout and stderr appended to
    /// `<log_dir>/<name>.stdout.log` and `<log_dir>/<name>.stderr.log`.
    ///
    /// # Errors
    ///
    /// When a log file cannot be opened or the program cannot be started.
    pub fn spawn(name: &str, mut command: Command, log_dir: &Path) -> anyhow::Result<Self> {
        let stdout_log = log_dir.join(format!("{name}.stdout.log"));
        command.stdout(append_file(&stdout_log)?);
        Self::spawn_inner(name, command, log_dir, stdout_log)
    }

    /// Like [`Process::spawn`] but with stdout piped to the caller, who is
    /// expected to copy what it reads into [`Process::stdout_log`].
    ///
    /// # Errors
    ///
    /// When the log file cannot be opened or the program cannot be started.
    pub fn spawn_piped(
        name: &str,
        mut command: Command,
        log_dir: &Path,
    ) -> anyhow::Result<(Self, ChildStdout)> {
        command.stdout(Stdio::piped());
        let stdout_log = log_dir.join(format!("{name}.stdout.log"));
        let mut process = Self::spawn_inner(name, command, log_dir, stdout_log)?;
        let stdout = process.child.stdout.take().expect("stdout was piped above");
        Ok((process, stdout))
    }

    fn spawn_inner(
        name: &str,
        mut command: Command,
        log_dir: &Path,
        stdout_log: PathBuf,
    ) -> anyhow::Result<Self> {
        let stderr_log = log_dir.join(format!("{name}.stderr.log"));
        command
            .stdin(Stdio::null())
            .stderr(append_file(&stderr_log)?);
        // aria2 and Transmission's libcurl honour these; loopback traffic
        // must never be sent to a proxy.
        for var in PROXY_VARS {
            command.env_remove(var);
        }
        let child = command
            .spawn()
            .with_context(|| format!("cannot start {name} ({:?})", command.get_program()))?;
        let name = name.to_owned();
        Ok(Self {
            name,
            child,
            stdout_log,
            stderr_log,
        })
    }

    /// The operating system's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The file that receives (or is given a copy of) stdout.
    pub fn stdout_log(&self) -> &Path {
        &self.stdout_log
    }

    /// The file that receives stderr.
    pub fn stderr_log(&self) -> &Path {
        &self.stderr_log
    }

    /// Sends the signal named `signal` (`"HUP"`, `"TERM"`, …).
    ///
    /// This runs the `kill` utility: the workspace forbids `unsafe`, which
    /// calling `kill(2)` through libc would need, and no signal crate is
    /// worth a dependency for this.
    ///
    /// # Errors
    ///
    /// When the process already exited or `kill` fails.
    pub fn signal(&mut self, signal: &str) -> anyhow::Result<()> {
        if let Some(status) = self.exit_status() {
            bail!("{} already exited ({status})", self.name);
        }
        let status = Command::new("kill")
            .args(["-s", signal, &self.pid().to_string()])
            .status()
            .context("cannot run kill")?;
        if !status.success() {
            bail!("kill -s {signal} {} failed: {status}", self.pid());
        }
        Ok(())
    }

    /// The exit status if the process has exited (reaping it), else `None`.
    pub fn exit_status(&mut self) -> Option<ExitStatus> {
        self.child
            .try_wait()
            .unwrap_or_else(|e| panic!("cannot poll {}: {e}", self.name))
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.exit_status().is_none()
    }

    /// Waits up to `timeout` for the process to exit by itself.
    pub async fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        crate::wait_until(timeout, || std::future::ready(self.exit_status())).await
    }

    /// Kills the process with SIGKILL (if still running) and reaps it.
    pub fn kill(&mut self) -> ExitStatus {
        if let Some(status) = self.exit_status() {
            return status;
        }
        // An error here means the process exited between the two calls;
        // `wait` below reaps it either way.
        let _ = self.child.kill();
        self.child
            .wait()
            .unwrap_or_else(|e| panic!("cannot reap {}: {e}", self.name))
    }

    /// Everything written to stdout so far.
    pub fn stdout_text(&self) -> String {
        read_lossy(&self.stdout_log)
    }

    /// Everything written to stderr so far.
    pub fn stderr_text(&self) -> String {
        read_lossy(&self.stderr_log)
    }

    /// The last [`TAIL_LINES`] lines of both logs, labelled, for messages.
    pub fn tails(&self) -> String {
        format!(
            "--- {name} stdout (tail) ---\n{}\n--- {name} stderr (tail) ---\n{}",
            tail(&self.stdout_text(), TAIL_LINES),
            tail(&self.stderr_text(), TAIL_LINES),
            name = self.name,
        )
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            eprintln!("{}", self.tails());
        }
    }
}

/// Opens `path` for appending, creating it.
///
/// # Errors
///
/// When the file cannot be opened.
pub fn append_file(path: &Path) -> anyhow::Result<File> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot open log {}", path.display()))
}

/// Reads a log that may hold invalid UTF-8 or may not exist yet.
pub fn read_lossy(path: &Path) -> String {
    fs::read(path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

/// The last `lines` lines of `text`.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_last_lines() {
        // Proves tails are cut from the end and short texts are kept whole.
        assert_eq!(tail("a\nb\nc\n", 2), "b\nc");
        assert_eq!(tail("a", 5), "a");
    }

    #[tokio::test]
    async fn captures_output_and_reaps() {
        // Proves output lands in the log files and exit status is reported.
        let dir = tempfile::tempdir().unwrap();
        let mut command = Command::new("sh");
        command.args(["-c", "echo out; echo err >&2; exit 3"]);
        let mut process = Process::spawn("sh", command, dir.path()).unwrap();

        let status = process.wait_exit(Duration::from_secs(10)).await.unwrap();
        assert_eq!(status.code(), Some(3));
        assert_eq!(process.stdout_text(), "out\n");
        assert_eq!(process.stderr_text(), "err\n");
    }

    #[tokio::test]
    async fn signals_reach_the_child() {
        // Proves signal() delivers TERM and drop-free kill reports the signal.
        let dir = tempfile::tempdir().unwrap();
        let mut command = Command::new("sleep");
        command.arg("30");
        let mut process = Process::spawn("sleep", command, dir.path()).unwrap();

        process.signal("TERM").unwrap();
        let status = process.wait_exit(Duration::from_secs(10)).await.unwrap();
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&status),
            Some(15)
        );
        assert!(process.signal("TERM").is_err());
    }
}
