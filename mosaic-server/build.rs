//! Embeds the built browser UI: lists every file under `frontend/dist` in
//! a generated table of `include_bytes!` entries that `src/ui.rs` serves.
//!
//! When the UI was not built the table is empty and the server answers a
//! page saying how to build it, so `cargo build` works without Node. The
//! folder is watched either way: the whole of `frontend/` while `dist/` is
//! missing, so that building the UI later makes the next `cargo build`
//! embed it.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let frontend = manifest.join("..").join("frontend");
    let dist = frontend.join("dist");

    let mut files = Vec::new();
    if dist.join("index.html").is_file() {
        println!("cargo:rerun-if-changed={}", dist.display());
        collect(&dist, &dist, &mut files);
        files.sort();
    } else if frontend.is_dir() {
        println!("cargo:rerun-if-changed={}", frontend.display());
    }

    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets it")).join("ui_assets.rs");
    fs::write(&out, table(&dist, &files)).expect("OUT_DIR is writable");
}

/// Every file below `dir`, as paths relative to `root` with `/` separators.
fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a readable directory entry").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path.strip_prefix(root).expect("below the root");
            let parts: Vec<_> = relative.iter().map(|p| p.to_string_lossy()).collect();
            files.push(parts.join("/"));
        }
    }
}

/// `pub(crate) static ASSETS: &[Asset]` with each file's bytes and a weak
/// content hash for its `ETag`.
fn table(dist: &Path, files: &[String]) -> String {
    let mut code = String::from("pub(crate) static ASSETS: &[Asset] = &[\n");
    for name in files {
        let path = dist.join(name);
        let bytes = fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let _ = writeln!(
            code,
            "    Asset {{ path: {name:?}, bytes: include_bytes!({:?}), etag: \"\\\"{:016x}\\\"\" }},",
            path.display().to_string(),
            fnv1a(&bytes),
        );
    }
    code.push_str("];\n");
    code
}

/// FNV-1a, 64-bit: enough to tell two builds of a file apart.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
