//! The ceiling of any download: how fast one core of this machine computes
//! SHA-1, the hash every BitTorrent v1 piece is checked with.
//!
//! The same bytes are hashed in piece-sized steps with the implementation
//! librqbit uses (aws-lc through librqbit's own wrapper) and with the pure
//! Rust `sha1` crate. The buffer is larger than any CPU cache and already
//! in memory, so the rate is the hashing alone, without disk or network.

use std::hint::black_box;
use std::time::Instant;

use librqbit_sha1_wrapper::ISha1;
use sha1::Digest;

use crate::results::HashRow;
use crate::summary::Summary;

/// Bytes hashed per call, like a torrent piece.
const PIECE: usize = 1 << 20;
/// The buffer cycled through; larger than any last-level cache.
const BUFFER: usize = 256 << 20;

/// Hashes one piece and answers a byte of the digest (so the work cannot
/// be optimised away).
type PieceHash = fn(&[u8]) -> u8;

/// Hashes `total` bytes `runs` times with each implementation.
pub(crate) fn run(total: u64, runs: usize) -> Vec<HashRow> {
    let mut buffer = vec![0u8; BUFFER];
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for chunk in buffer.chunks_mut(8) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        chunk.copy_from_slice(&state.to_le_bytes()[..chunk.len()]);
    }

    let implementations: [(&str, PieceHash); 2] = [
        ("aws-lc SHA-1 (what librqbit uses)", aws_lc_piece),
        ("sha1 crate (pure Rust)", rust_piece),
    ];
    implementations
        .iter()
        .map(|(name, hash)| {
            let rates: Vec<f64> = (0..runs).map(|_| rate(&buffer, total, *hash)).collect();
            HashRow {
                implementation: (*name).to_owned(),
                mib_per_sec: Summary::of(&rates),
            }
        })
        .collect()
}

/// MiB/s of hashing `total` bytes of `buffer` (cycled) piece by piece.
fn rate(buffer: &[u8], total: u64, hash: PieceHash) -> f64 {
    let started = Instant::now();
    let mut done = 0u64;
    let mut sink = 0u8;
    while done < total {
        for piece in buffer.chunks(PIECE) {
            sink ^= hash(black_box(piece));
            done += piece.len() as u64;
            if done >= total {
                break;
            }
        }
    }
    black_box(sink);
    done as f64 / (1024.0 * 1024.0) / started.elapsed().as_secs_f64()
}

fn aws_lc_piece(piece: &[u8]) -> u8 {
    let mut hasher = librqbit_sha1_wrapper::Sha1::new();
    hasher.update(piece);
    hasher.finish()[0]
}

fn rust_piece(piece: &[u8]) -> u8 {
    sha1::Sha1::digest(piece)[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_implementations_agree() {
        // Proves the two hashers compute the same SHA-1, so their rates compare like for like.
        let data = b"mosaic benchmark piece";
        let mut aws = librqbit_sha1_wrapper::Sha1::new();
        aws.update(data);
        assert_eq!(aws.finish().as_slice(), sha1::Sha1::digest(data).as_slice());
    }
}
