//! A ready swarm for one torrent: deterministic data, a `.torrent` that
//! names a real tracker, and an aria2 seeder the tracker already counts as
//! complete.
//!
//! Waiting for the tracker's count matters: a leecher that announces
//! before the seeder gets an empty peer list and only asks again after the
//! tracker's interval, which is far longer than a test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::{
    Aria2Seeder, DataSet, TestDir, TorrentFile, Tracker, make_torrent, sha256_file, sha256_tree,
};

/// Time for the seeder's first announce to show in a scrape.
const SCRAPE_TIMEOUT: Duration = Duration::from_secs(60);

/// A tracker and a seeder serving one torrent, stopped on drop.
#[derive(Debug)]
pub struct Swarm {
    // Declared first so the processes die before the folders go.
    seeder: Option<Aria2Seeder>,
    tracker: Tracker,
    torrent: TorrentFile,
    data: DataSet,
    multi_file: bool,
    dir: TestDir,
}

impl Swarm {
    /// A multi-file torrent of the folder `name` holding `files`, with
    /// pieces of `2^piece_len_log2` bytes, written as `<dir>/<name>.torrent`.
    pub async fn multi_file(
        label: &str,
        name: &str,
        files: &[(&str, u64)],
        piece_len_log2: u8,
    ) -> Self {
        let dir = TestDir::new(label);
        let data = DataSet::create(&dir.subdir("seed").join(name), files);
        let source = data.root().to_owned();
        Self::start(dir, data, &source, true, piece_len_log2).await
    }

    /// A single-file torrent of one file `name` of `len` bytes, written as
    /// `<dir>/<name>.torrent`.
    pub async fn single_file(label: &str, name: &str, len: u64, piece_len_log2: u8) -> Self {
        let dir = TestDir::new(label);
        let data = DataSet::create(&dir.subdir("seed"), &[(name, len)]);
        let source = data.root().join(name);
        Self::start(dir, data, &source, false, piece_len_log2).await
    }

    async fn start(
        dir: TestDir,
        data: DataSet,
        source: &Path,
        multi_file: bool,
        piece_len_log2: u8,
    ) -> Self {
        let tracker = Tracker::start();
        let name = source.file_name().expect("a data set path has a name");
        let out = dir.join(format!("{}.torrent", name.to_string_lossy()));
        let torrent = make_torrent(source, &tracker.announce_url(), &out, piece_len_log2);
        tracker.whitelist(&torrent.info_hash_hex).await;

        let seeder = Aria2Seeder::start(&torrent.path, &dir.join("seed")).await;
        let seen = tracker
            .wait_seeders(&torrent.info_hash_hex, 1, SCRAPE_TIMEOUT)
            .await;
        if let Err(e) = seen {
            panic!(
                "the tracker never counted the seeder: {e:#}\n{}",
                seeder.tails()
            );
        }
        Self {
            seeder: Some(seeder),
            tracker,
            torrent,
            data,
            multi_file,
            dir,
        }
    }

    /// The test's own folder (the data is under `seed/`).
    pub fn dir(&self) -> &TestDir {
        &self.dir
    }

    /// A new folder `name` inside [`Swarm::dir`], e.g. a save path.
    pub fn subdir(&self, name: &str) -> PathBuf {
        self.dir.subdir(name)
    }

    /// The seeded files.
    pub fn data(&self) -> &DataSet {
        &self.data
    }

    /// The `.torrent` file.
    pub fn torrent(&self) -> &TorrentFile {
        &self.torrent
    }

    /// The torrent's info hash, lowercase hex.
    pub fn hash(&self) -> &str {
        &self.torrent.info_hash_hex
    }

    /// The tracker.
    pub fn tracker(&self) -> &Tracker {
        &self.tracker
    }

    /// The seeder; panics after [`Swarm::stop_seeder`].
    pub fn seeder(&self) -> &Aria2Seeder {
        self.seeder.as_ref().expect("the seeder was stopped")
    }

    /// Kills the seeder, leaving the swarm without a complete peer.
    pub fn stop_seeder(&mut self) {
        self.seeder = None;
    }

    /// The SHA-256 of every seeded file, keyed by its path inside the
    /// torrent (`a/b.bin` for a multi-file torrent's `<name>/a/b.bin`).
    pub fn expected(&self) -> BTreeMap<String, String> {
        self.data.sha256_tree()
    }

    /// The same map for a client's copy under `save_path` (where a
    /// multi-file torrent gets its own folder).
    pub fn downloaded(&self, save_path: &Path) -> BTreeMap<String, String> {
        if self.multi_file {
            return sha256_tree(&save_path.join(&self.torrent.name));
        }
        let file = save_path.join(&self.torrent.name);
        if !file.is_file() {
            return BTreeMap::new();
        }
        BTreeMap::from([(self.torrent.name.clone(), sha256_file(&file))])
    }
}
