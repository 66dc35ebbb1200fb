//! Save-path rules: where torrents may write, and how data is removed
//! without ever touching anything outside a torrent's folder.

use std::path::{Component, Path, PathBuf};

use crate::{Error, Result};

/// Longest save path accepted, in bytes.
const MAX_PATH_LEN: usize = 4096;

/// Which save paths are accepted.
///
/// Without download roots, any absolute path without `..` is accepted (the
/// server process's own permissions then decide). With roots, the path,
/// after resolving symlinks of its existing part, must lie inside one.
#[derive(Clone, Debug, Default)]
pub struct SavePathPolicy {
    roots: Vec<PathBuf>,
}

impl SavePathPolicy {
    /// A policy confined to `roots` (none: unconfined).
    ///
    /// # Errors
    /// Fails when a root is not an absolute path.
    pub fn new(roots: &[PathBuf]) -> Result<Self> {
        let roots = roots
            .iter()
            .map(|root| {
                check_shape(root)?;
                Ok(resolve_existing_prefix(root))
            })
            .collect::<Result<_>>()?;
        Ok(Self { roots })
    }

    /// Checks a save path from a request and returns it as a path.
    ///
    /// # Errors
    /// [`Error::InvalidSavePath`] when it is empty, relative, has `..`, or
    /// lies outside the download roots.
    pub fn check(&self, raw: &str) -> Result<PathBuf> {
        if raw.len() > MAX_PATH_LEN || raw.contains('\0') {
            return Err(Error::InvalidSavePath(
                "path is too long or has a nul byte".into(),
            ));
        }
        let path = PathBuf::from(raw);
        check_shape(&path)?;
        if !self.roots.is_empty() {
            let resolved = resolve_existing_prefix(&path);
            if !self.roots.iter().any(|root| resolved.starts_with(root)) {
                return Err(Error::InvalidSavePath(
                    "path is outside the download roots".into(),
                ));
            }
        }
        Ok(path)
    }
}

fn check_shape(path: &Path) -> Result<()> {
    if !path.is_absolute() {
        return Err(Error::InvalidSavePath("path must be absolute".into()));
    }
    if path.components().any(|c| c == Component::ParentDir) {
        return Err(Error::InvalidSavePath("path must not contain '..'".into()));
    }
    Ok(())
}

/// Resolves symlinks in the longest part of `path` that exists and appends
/// the rest, so a link inside a root that points elsewhere is seen through.
fn resolve_existing_prefix(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |acc, part| acc.join(part));
        }
        match (
            existing.file_name().map(ToOwned::to_owned),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Whether a path taken from a .torrent stays inside the folder it is
/// joined to: only plain names, no root, no `..`, no `.`.
pub(crate) fn is_contained(relative: &Path) -> bool {
    relative.components().count() > 0
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Deletes a torrent's files under `folder` and then the folders they leave
/// empty, up to and including `folder` unless it is `save_path` itself.
///
/// A file is deleted only when its real location is inside `save_path`:
/// a symlinked folder pointing elsewhere is left alone.
pub(crate) fn remove_torrent_data(save_path: &Path, folder: &Path, files: &[PathBuf]) {
    let Ok(root) = save_path.canonicalize() else {
        return;
    };
    for relative in files.iter().filter(|f| is_contained(f)) {
        let file = folder.join(relative);
        let inside = file
            .parent()
            .and_then(|p| p.canonicalize().ok())
            .is_some_and(|parent| parent.starts_with(&root));
        if inside {
            let _ = std::fs::remove_file(&file);
            remove_empty_parents(&file, folder);
        } else {
            tracing::warn!(file = %file.display(), "not deleting a file outside the save path");
        }
    }
    if folder != save_path && folder.starts_with(save_path) {
        let _ = std::fs::remove_dir(folder);
    }
}

fn remove_empty_parents(file: &Path, stop: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == stop || !d.starts_with(stop) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_and_dotdot_paths_are_refused() {
        let policy = SavePathPolicy::default();
        assert!(policy.check("/srv/downloads/iso").is_ok());
        for bad in ["", "downloads", "./x", "/srv/../etc", "/a/b/..", "/a\0b"] {
            assert!(
                matches!(policy.check(bad), Err(Error::InvalidSavePath(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn roots_confine_paths_also_through_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("link")).unwrap();

        let policy = SavePathPolicy::new(std::slice::from_ref(&root)).unwrap();
        assert!(policy.check(root.join("new/sub").to_str().unwrap()).is_ok());
        assert!(policy.check(outside.to_str().unwrap()).is_err());
        assert!(policy.check(root.join("link/x").to_str().unwrap()).is_err());
    }

    #[test]
    fn containment_rejects_escapes() {
        assert!(is_contained(Path::new("a/b.txt")));
        for bad in ["../x", "/etc/passwd", "a/../../x", "", "./a"] {
            assert!(!is_contained(Path::new(bad)), "{bad:?}");
        }
    }

    #[test]
    fn removal_stays_inside_the_save_path() {
        let dir = tempfile::tempdir().unwrap();
        let save = dir.path().join("save");
        let victim = dir.path().join("victim");
        std::fs::create_dir_all(save.join("t/sub")).unwrap();
        std::fs::create_dir_all(&victim).unwrap();
        std::fs::write(save.join("t/sub/a"), b"a").unwrap();
        std::fs::write(victim.join("b"), b"b").unwrap();
        std::os::unix::fs::symlink(&victim, save.join("t/evil")).unwrap();

        let files = [
            PathBuf::from("sub/a"),
            PathBuf::from("evil/b"),
            PathBuf::from("../x"),
        ];
        remove_torrent_data(&save, &save.join("t"), &files);
        assert!(!save.join("t/sub").exists());
        assert!(victim.join("b").exists());
        assert!(save.exists());
    }
}
