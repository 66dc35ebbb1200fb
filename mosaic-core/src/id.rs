//! Typed identifiers that cross crate lines: torrent info hashes and
//! category ids.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A BitTorrent v1 info hash, the id of a torrent everywhere in Mosaic.
///
/// It prints and parses as 40 lowercase hex characters; parsing also accepts
/// uppercase hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InfoHash([u8; 20]);

impl InfoHash {
    /// Wraps raw hash bytes.
    pub const fn from_bytes(bytes: [u8; 20]) -> Self {
        Self(bytes)
    }

    /// The raw 20 bytes.
    pub const fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }
}

/// Why a string is not an [`InfoHash`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("info hash must be 40 hex characters")]
pub struct InvalidInfoHash;

impl FromStr for InfoHash {
    type Err = InvalidInfoHash;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != 40 {
            return Err(InvalidInfoHash);
        }
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(s.as_bytes())
            .map_err(|_| InvalidInfoHash)?;
        let bytes: [u8; 20] = bytes.try_into().map_err(|_| InvalidInfoHash)?;
        Ok(Self(bytes))
    }
}

impl fmt::Display for InfoHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&data_encoding::HEXLOWER.encode(&self.0))
    }
}

impl fmt::Debug for InfoHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "InfoHash({self})")
    }
}

impl Serialize for InfoHash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for InfoHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The id of a category, assigned by the store.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CategoryId(pub i64);

impl fmt::Display for CategoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for CategoryId {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_hash_round_trips_and_lowercases() {
        let hash: InfoHash = "DD8255ECDC7CA55FB0BBF81323D87062DB1F6D1C".parse().unwrap();
        assert_eq!(hash.to_string(), "dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c");
        let json = serde_json::to_string(&hash).unwrap();
        assert_eq!(json, "\"dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c\"");
        assert_eq!(serde_json::from_str::<InfoHash>(&json).unwrap(), hash);
    }

    #[test]
    fn info_hash_rejects_bad_input() {
        assert!("abc".parse::<InfoHash>().is_err());
        assert!(
            "zz8255ecdc7ca55fb0bbf81323d87062db1f6d1c"
                .parse::<InfoHash>()
                .is_err()
        );
        assert!(
            "../8255ecdc7ca55fb0bbf81323d87062db1f6d1"
                .parse::<InfoHash>()
                .is_err()
        );
    }
}
