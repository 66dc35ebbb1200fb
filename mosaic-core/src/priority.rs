//! File download priorities.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How eagerly a file of a torrent is downloaded.
///
/// librqbit has no priority levels of its own, so Mosaic stages files: the
/// `max` files are fetched first, `high` ones join when every `max` file is
/// complete, and `normal` ones join after that. Within a stage all files
/// download at the same priority. `skip` files are never fetched (pieces
/// shared with a wanted file may still land partly on disk).
#[derive(
    Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// Not downloaded.
    Skip,
    /// Downloaded in the last stage.
    #[default]
    Normal,
    /// Downloaded once every `max` file is complete.
    High,
    /// Downloaded first.
    Max,
}

impl Priority {
    /// Every level, lowest first.
    pub const ALL: [Priority; 4] = [Self::Skip, Self::Normal, Self::High, Self::Max];

    /// The wire name of the level.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Skip => "skip",
            Self::Normal => "normal",
            Self::High => "high",
            Self::Max => "max",
        }
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string is not a [`Priority`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown priority {0:?}: expected skip, normal, high or max")]
pub struct InvalidPriority(pub String);

impl FromStr for Priority {
    type Err = InvalidPriority;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| InvalidPriority(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_order_and_parse() {
        assert!(Priority::Max > Priority::High && Priority::High > Priority::Normal);
        assert_eq!("max".parse::<Priority>().unwrap(), Priority::Max);
        assert!("urgent".parse::<Priority>().is_err());
        assert_eq!(serde_json::to_string(&Priority::Skip).unwrap(), "\"skip\"");
    }
}
