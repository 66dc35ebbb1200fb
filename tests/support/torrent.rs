//! Torrent files made by an independent tool (Debian's `mktorrent`), their
//! v1 info hashes, and magnet links.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;
use sha1::{Digest, Sha1};

use crate::bencode;
use crate::encode::{hex, percent_encode};

/// A `.torrent` file on disk and what tests usually need from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TorrentFile {
    /// Where the file was written.
    pub path: PathBuf,
    /// Lowercase hex SHA-1 of the bencoded `info` dictionary.
    pub info_hash_hex: String,
    /// The torrent's `info.name` (the top folder or single file name).
    pub name: String,
}

impl TorrentFile {
    /// Reads an existing torrent file.
    ///
    /// # Errors
    ///
    /// When the file cannot be read or is not a torrent.
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let info = info_dict(&bytes)?;
        let name = bencode::dict_get(info, b"name")?.context("info has no name")?;
        Ok(Self {
            path: path.to_owned(),
            info_hash_hex: hex(&Sha1::digest(info)),
            name: String::from_utf8_lossy(bencode::as_bytes(name)?).into_owned(),
        })
    }

    /// [`magnet_for`] this torrent.
    pub fn magnet(&self, tracker: Option<&str>, peers: &[SocketAddr]) -> String {
        magnet_for(&self.info_hash_hex, &self.name, tracker, peers)
    }
}

/// Runs `mktorrent` on `source` (a file or folder) and writes `out`, with
/// pieces of `2^piece_len_log2` bytes.
///
/// mktorrent refuses to overwrite, so `out` must not exist yet.
pub fn make_torrent(source: &Path, announce: &str, out: &Path, piece_len_log2: u8) -> TorrentFile {
    let output = Command::new("mktorrent")
        .arg("-a")
        .arg(announce)
        .arg("-l")
        .arg(piece_len_log2.to_string())
        .arg("-o")
        .arg(out)
        .arg(source)
        .output()
        .unwrap_or_else(|e| panic!("cannot run mktorrent (apt-get install mktorrent): {e}"));

    if !output.status.success() {
        panic!(
            "mktorrent failed ({}) for {}:\n{}{}",
            output.status,
            source.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        );
    }
    TorrentFile::read(out).unwrap_or_else(|e| panic!("mktorrent wrote a bad torrent: {e:#}"))
}

/// The raw bytes of the top-level `info` value of a torrent file.
///
/// # Errors
///
/// When `torrent` is not a bencoded dictionary with an `info` dictionary.
pub fn info_dict(torrent: &[u8]) -> anyhow::Result<&[u8]> {
    let info = bencode::dict_get(bencode::whole(torrent)?, b"info")?.context("no info key")?;
    anyhow::ensure!(info.first() == Some(&b'd'), "info is not a dictionary");
    Ok(info)
}

/// The lowercase hex v1 info hash of the torrent file at `path`.
///
/// # Errors
///
/// When the file cannot be read or is not a torrent.
pub fn info_hash_of_file(path: &Path) -> anyhow::Result<String> {
    TorrentFile::read(path).map(|t| t.info_hash_hex)
}

/// A magnet link: `magnet:?xt=urn:btih:<hash>&dn=<name>[&tr=<tracker>][&x.pe=<ip:port>…]`,
/// every value percent-encoded.
pub fn magnet_for(
    info_hash_hex: &str,
    name: &str,
    tracker: Option<&str>,
    peers: &[SocketAddr],
) -> String {
    let mut link = format!(
        "magnet:?xt=urn:btih:{}&dn={}",
        info_hash_hex.to_ascii_lowercase(),
        percent_encode(name.as_bytes())
    );
    if let Some(tracker) = tracker {
        link.push_str("&tr=");
        link.push_str(&percent_encode(tracker.as_bytes()));
    }
    for peer in peers {
        link.push_str("&x.pe=");
        link.push_str(&percent_encode(peer.to_string().as_bytes()));
    }
    link
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_hash_covers_exact_info_bytes() {
        // Proves the hash is SHA-1 of the info value's bytes, nothing else.
        let torrent =
            b"d8:announce1:x4:infod6:lengthi3e4:name1:a12:piece lengthi16384e6:pieces0:ee";
        let info = info_dict(torrent).unwrap();
        assert_eq!(
            info,
            b"d6:lengthi3e4:name1:a12:piece lengthi16384e6:pieces0:e"
        );
        assert_eq!(
            hex(&Sha1::digest(info)),
            "d0cca2ae37cab7350a5fae9d5ced056fcfc386b2"
        );
        assert!(info_dict(b"d4:infoi1ee").is_err());
    }

    #[test]
    fn magnet_encodes_every_part() {
        // Proves names, trackers and peers are percent-encoded in order.
        let peers = [
            "127.0.0.1:6881".parse().unwrap(),
            "[::1]:7000".parse().unwrap(),
        ];
        let link = magnet_for(
            "ABCDEF0123456789ABCDEF0123456789ABCDEF01",
            "my file&co",
            Some("http://127.0.0.1:1/announce?a=b"),
            &peers,
        );
        assert_eq!(
            link,
            "magnet:?xt=urn:btih:abcdef0123456789abcdef0123456789abcdef01\
             &dn=my%20file%26co\
             &tr=http%3A%2F%2F127.0.0.1%3A1%2Fannounce%3Fa%3Db\
             &x.pe=127.0.0.1%3A6881&x.pe=%5B%3A%3A1%5D%3A7000"
        );
    }
}
