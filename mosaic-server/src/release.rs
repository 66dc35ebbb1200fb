//! `admin release-key` and `admin sign-release`: the tools for whoever
//! ships Mosaic releases to make a key and sign feeds with it.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use anyhow::Context;
use base64::Engine as _;
use mosaic_core::updater::{self, Feed};

/// Writes a new private key (base64 of its 32-byte seed) and prints the
/// public key to compile in.
pub(crate) fn make_key(out: &Path) -> anyhow::Result<()> {
    let key = updater::generate_key();
    let b64 = &base64::engine::general_purpose::STANDARD;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(out)
        .with_context(|| format!("creating {} (it must not exist)", out.display()))?;
    writeln!(file, "{}", b64.encode(key.to_bytes()))?;
    println!("{}", b64.encode(key.verifying_key().to_bytes()));
    Ok(())
}

/// Prints the signed form of an unsigned feed file.
pub(crate) fn sign(key_file: &Path, feed_file: &Path) -> anyhow::Result<()> {
    let seed = std::fs::read_to_string(key_file)
        .with_context(|| format!("reading {}", key_file.display()))?;
    let seed = base64::engine::general_purpose::STANDARD
        .decode(seed.trim())
        .context("the key file is not base64")?;
    let seed: [u8; 32] = seed
        .try_into()
        .map_err(|_| anyhow::anyhow!("the key must be 32 bytes"))?;
    let key = ed25519_dalek::SigningKey::from_bytes(&seed);
    let feed: Feed =
        serde_json::from_slice(&std::fs::read(feed_file)?).context("the feed is not valid")?;
    println!(
        "{}",
        serde_json::to_string_pretty(&updater::sign(&feed, &key))?
    );
    Ok(())
}
