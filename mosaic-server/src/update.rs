//! Installing a verified update: the new executable is written beside the
//! running one and renamed over it (an atomic swap on the same file
//! system), then the server re-executes itself with the same arguments.
//! Anything that fails before the rename leaves the running version
//! untouched.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::sync::OnceLock;

use anyhow::Context;

static EXECUTABLE: OnceLock<Option<PathBuf>> = OnceLock::new();

/// Notes the path of the running executable. Call it at start: once the
/// file is replaced, the kernel's link to it reads "(deleted)".
pub fn remember_executable() {
    EXECUTABLE.get_or_init(|| std::env::current_exe().ok());
}

/// The executable's path as noted at start.
///
/// # Errors
/// Fails when it could not be determined.
pub fn executable() -> anyhow::Result<PathBuf> {
    remember_executable();
    EXECUTABLE
        .get()
        .cloned()
        .flatten()
        .context("cannot tell where the executable is")
}

/// Writes `bytes` beside the executable and swaps them in.
///
/// # Errors
/// Fails when the folder is not writable or the rename fails; the running
/// executable is then unchanged.
pub fn replace_executable(bytes: &[u8]) -> anyhow::Result<()> {
    let exe = executable()?;
    let dir = exe.parent().context("the executable has no folder")?;
    let name = exe
        .file_name()
        .context("the executable has no name")?
        .to_string_lossy();
    let staged = dir.join(format!(".{name}.update"));
    let _ = std::fs::remove_file(&staged);

    let written = (|| -> anyhow::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o755)
            .open(&staged)
            .with_context(|| format!("creating {}", staged.display()))?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&staged, &exe).with_context(|| format!("replacing {}", exe.display()))?;
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&staged);
    }
    written?;
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// Replaces this process with the executable, same arguments. Returns only
/// on failure.
pub fn reexec() -> anyhow::Error {
    use std::os::unix::process::CommandExt;
    match executable() {
        Ok(exe) => {
            let error = std::process::Command::new(exe)
                .args(std::env::args_os().skip(1))
                .exec();
            anyhow::Error::new(error).context("restarting after the update")
        }
        Err(e) => e,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_executable_is_known() {
        super::remember_executable();
        assert!(super::executable().unwrap().exists());
    }
}
