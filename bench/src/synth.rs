//! Synthetic torrents for the scale scenarios: thousands of small,
//! distinct, valid single-file torrents made in memory.
//!
//! They are loaded paused and never checked, so their data need not exist
//! and their piece hashes are pseudo-random bytes. They name no tracker,
//! so a torrent that gets resumed talks to nobody.

use sha1::{Digest, Sha1};

/// Piece length of every synthetic torrent.
const PIECE_LEN: u64 = 256 * 1024;
/// Base size of a synthetic torrent's file; each adds its index in bytes so
/// that no two are alike.
const BASE_LEN: u64 = 1024 * 1024;

/// One synthetic torrent.
#[derive(Debug, Clone)]
pub(crate) struct Synthetic {
    /// The bencoded `.torrent` file.
    pub(crate) bytes: Vec<u8>,
    /// Lowercase hex v1 info hash.
    pub(crate) info_hash: String,
}

/// Torrents number `start..end`; the same index always gives the same
/// torrent, so a set can be grown in steps (1,000, then 9,000 more).
pub(crate) fn torrents(start: usize, end: usize) -> Vec<Synthetic> {
    (start..end).map(torrent).collect()
}

fn torrent(index: usize) -> Synthetic {
    let length = BASE_LEN + index as u64;
    let pieces = length.div_ceil(PIECE_LEN);
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15 ^ (index as u64 + 1));
    let hashes: Vec<u8> = (0..pieces * 20).map(|_| rng.next() as u8).collect();

    let mut info = Vec::new();
    info.push(b'd');
    key_int(&mut info, "length", length);
    key_bytes(
        &mut info,
        "name",
        format!("synthetic-{index:05}.bin").as_bytes(),
    );
    key_int(&mut info, "piece length", PIECE_LEN);
    key_bytes(&mut info, "pieces", &hashes);
    info.push(b'e');

    let mut bytes = Vec::with_capacity(info.len() + 64);
    bytes.push(b'd');
    key_bytes(&mut bytes, "created by", b"mosaic-bench");
    bytes.extend_from_slice(b"4:info");
    bytes.extend_from_slice(&info);
    bytes.push(b'e');
    Synthetic {
        bytes,
        info_hash: hex(&Sha1::digest(&info)),
    }
}

/// Appends `<len>:<key>` then `i<n>e`; keys must be added in sorted order.
fn key_int(out: &mut Vec<u8>, key: &str, n: u64) {
    string(out, key.as_bytes());
    out.extend_from_slice(format!("i{n}e").as_bytes());
}

fn key_bytes(out: &mut Vec<u8>, key: &str, value: &[u8]) {
    string(out, key.as_bytes());
    string(out, value);
}

fn string(out: &mut Vec<u8>, value: &[u8]) {
    out.extend_from_slice(format!("{}:", value.len()).as_bytes());
    out.extend_from_slice(value);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A tiny deterministic generator; quality does not matter here, only that
/// torrents differ.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn torrents_are_distinct_and_stable() {
        // Proves each index gives its own hash and the same index the same bytes.
        let a = torrents(0, 3);
        let again = torrents(1, 2);
        assert_eq!(a[1].bytes, again[0].bytes);
        assert_ne!(a[0].info_hash, a[1].info_hash);
        assert_eq!(a[0].info_hash.len(), 40);
    }

    #[test]
    fn info_dictionary_is_well_formed() {
        // Proves the file parses as a torrent: the harness finds the info dict and the same hash.
        let t = torrent(7);
        let info = mosaic_tests::torrent::info_dict(&t.bytes).unwrap();
        assert_eq!(hex(&Sha1::digest(info)), t.info_hash);
        let text = String::from_utf8_lossy(info);
        assert!(text.contains("4:name19:synthetic-00007.bin"));
        assert!(text.contains(&format!("6:lengthi{}e", BASE_LEN + 7)));
    }
}
