//! The session `mosaic login` keeps for later commands: one file per user,
//! readable by its owner only, holding the server URL and the session
//! token.
//!
//! The folder is `$MOSAIC_CONFIG_DIR`, else `$XDG_CONFIG_HOME/mosaic`, else
//! `~/.config/mosaic`.

use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::Failure;

#[derive(Serialize, Deserialize)]
struct Saved {
    url: String,
    token: String,
}

fn file() -> Option<PathBuf> {
    let dir = std::env::var_os("MOSAIC_CONFIG_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_CONFIG_HOME").map(|d| PathBuf::from(d).join("mosaic")))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config/mosaic")))?;
    Some(dir.join("session.json"))
}

/// The saved token when it was made for this URL.
pub(crate) fn session_for(url: &str) -> Option<String> {
    let text = std::fs::read_to_string(file()?).ok()?;
    let saved: Saved = serde_json::from_str(&text).ok()?;
    (same_url(&saved.url, url)).then_some(saved.token)
}

fn same_url(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// Saves a session for `url`, replacing any other.
pub(crate) fn save(url: &str, token: &str) -> Result<PathBuf, Failure> {
    let path = file().ok_or_else(|| {
        Failure::Usage("no HOME or MOSAIC_CONFIG_DIR to save the session in".into())
    })?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| cannot(&path, &e))?;
    }
    let saved = Saved {
        url: url.to_owned(),
        token: token.to_owned(),
    };
    let text = serde_json::to_string(&saved).map_err(|e| Failure::Refused(e.to_string()))?;
    let mut file = private_file(&path).map_err(|e| cannot(&path, &e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| cannot(&path, &e))?;
    Ok(path)
}

/// Forgets the saved session, if any.
pub(crate) fn forget() {
    if let Some(path) = file() {
        // Nothing saved is the state we want anyway.
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(unix)]
fn private_file(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // An older file keeps its mode through `open`; tighten it as well.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

#[cfg(not(unix))]
fn private_file(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    std::fs::File::create(path)
}

fn cannot(path: &std::path::Path, error: &std::io::Error) -> Failure {
    Failure::Refused(format!(
        "cannot save the session in {}: {error}",
        path.display()
    ))
}
