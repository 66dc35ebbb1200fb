//! Deterministic test payloads and their SHA-256 fingerprints.
//!
//! Content comes from a xorshift generator seeded by each file's relative
//! path, so two runs (or two folders) with the same layout hold the same
//! bytes, and different files never share content by accident.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::encode::hex;

/// Bytes generated and written per step.
const CHUNK: usize = 1 << 20;

/// The layout of [`DataSet::standard_multi`]: odd sizes so that files end
/// mid-piece, a file in a subfolder, and a tiny file that sits inside a
/// single piece between two large ones. About 24 MiB in total.
pub const STANDARD_FILES: &[(&str, u64)] = &[
    ("alpha.bin", 7_340_033),
    ("beta.dat", 5_000_017),
    ("notes.txt", 13),
    ("sub/gamma.bin", 9_437_183),
    ("sub/delta.bin", 3_333_331),
];

/// A set of files written under one root folder.
#[derive(Debug, Clone)]
pub struct DataSet {
    root: PathBuf,
    files: Vec<(String, u64)>,
}

impl DataSet {
    /// Writes `files` (relative path with `/` separators, length) under
    /// `dir`, creating folders as needed.
    pub fn create(dir: &Path, files: &[(&str, u64)]) -> Self {
        for &(relative, len) in files {
            let path = dir.join(relative);
            write_pseudo_random(&path, len, seed_for(relative))
                .unwrap_or_else(|e| panic!("cannot write test data {}: {e}", path.display()));
        }
        let files = files.iter().map(|&(p, l)| (p.to_owned(), l)).collect();
        Self {
            root: dir.to_owned(),
            files,
        }
    }

    /// A folder `dir/name` holding the standard multi-file layout (about
    /// 24 MiB in five files, one of them in a subfolder).
    pub fn standard_multi(dir: &Path, name: &str) -> Self {
        Self::create(&dir.join(name), STANDARD_FILES)
    }

    /// The folder the files were written under.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Relative paths and lengths, as given to [`DataSet::create`].
    pub fn files(&self) -> &[(String, u64)] {
        &self.files
    }

    /// The sum of all file lengths.
    pub fn total_len(&self) -> u64 {
        self.files.iter().map(|(_, len)| len).sum()
    }

    /// [`sha256_tree`] of the root folder.
    pub fn sha256_tree(&self) -> BTreeMap<String, String> {
        sha256_tree(&self.root)
    }
}

/// A seed derived from the relative path (FNV-1a), never zero because
/// xorshift would then only produce zeros.
fn seed_for(relative: &str) -> u64 {
    let hash = relative.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    hash | 1
}

/// Writes `len` pseudo-random bytes from `seed` to `path`.
///
/// # Errors
///
/// When the folder or file cannot be created or written.
pub fn write_pseudo_random(path: &Path, len: u64, seed: u64) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut out = BufWriter::new(File::create(path)?);
    let mut rng = XorShift(seed);
    let mut buf = vec![0u8; CHUNK];
    let mut left = len;

    while left > 0 {
        let n = usize::try_from(left.min(CHUNK as u64)).expect("chunk size fits usize");
        rng.fill(&mut buf[..n]);
        out.write_all(&buf[..n])?;
        left -= n as u64;
    }
    out.flush()
}

/// xorshift64* — fast, and good enough to defeat compression and make
/// every piece hash distinct.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn fill(&mut self, buf: &mut [u8]) {
        let mut words = buf.chunks_exact_mut(8);
        for word in &mut words {
            word.copy_from_slice(&self.next().to_le_bytes());
        }
        let tail = words.into_remainder();
        let last = self.next().to_le_bytes();
        tail.copy_from_slice(&last[..tail.len()]);
    }
}

/// Lowercase hex SHA-256 of the file at `path`.
pub fn sha256_file(path: &Path) -> String {
    let mut file =
        File::open(path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = file
            .read(&mut buf)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        if n == 0 {
            return hex(&hasher.finalize());
        }
        hasher.update(&buf[..n]);
    }
}

/// SHA-256 of every regular file under `root`, keyed by its path relative
/// to `root` with `/` separators. Two folders hold the same content exactly
/// when their trees are equal.
pub fn sha256_tree(root: &Path) -> BTreeMap<String, String> {
    let mut tree = BTreeMap::new();
    collect(root, "", &mut tree);
    tree
}

fn collect(dir: &Path, prefix: &str, tree: &mut BTreeMap<String, String>) {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = format!("{prefix}{name}");
        let kind = entry
            .file_type()
            .unwrap_or_else(|e| panic!("cannot stat {relative}: {e}"));

        if kind.is_dir() {
            collect(&entry.path(), &format!("{relative}/"), tree);
        } else if kind.is_file() {
            tree.insert(relative, sha256_file(&entry.path()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_deterministic_and_per_file() {
        // Proves equal layouts give equal bytes and different paths differ.
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let files = [("x.bin", 1_000_003), ("d/y.bin", 7)];
        let one = DataSet::create(a.path(), &files);
        let two = DataSet::create(b.path(), &files);

        assert_eq!(one.sha256_tree(), two.sha256_tree());
        assert_eq!(
            fs::metadata(a.path().join("x.bin")).unwrap().len(),
            1_000_003
        );
        assert_eq!(one.total_len(), 1_000_010);
        let tree = one.sha256_tree();
        assert_eq!(tree.keys().collect::<Vec<_>>(), ["d/y.bin", "x.bin"]);
        assert_ne!(seed_for("x.bin"), seed_for("d/y.bin"));
    }

    #[test]
    fn sha256_matches_known_vector() {
        // Proves the hex digest is the standard SHA-256 of the bytes.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("abc");
        fs::write(&path, b"abc").unwrap();
        assert_eq!(
            sha256_file(&path),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
