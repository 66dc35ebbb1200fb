//! Inspector focus: which torrent, and which of its tabs, each caller's
//! sockets receive as `inspector:tick`.

use std::collections::HashMap;

use mosaic_core::{InfoHash, Tabs};
use parking_lot::Mutex;

/// An inspector tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    /// The row and the torrent's static facts (always included).
    Overview,
    /// Files.
    Files,
    /// Peers.
    Peers,
    /// Trackers.
    Trackers,
    /// The piece map.
    Pieces,
}

/// Why a focus request was refused.
#[derive(Debug, PartialEq, Eq)]
pub struct FocusError(pub String);

impl Tab {
    fn parse(name: &str) -> Result<Self, FocusError> {
        Ok(match name {
            "overview" => Self::Overview,
            "files" => Self::Files,
            "peers" => Self::Peers,
            "trackers" => Self::Trackers,
            "pieces" => Self::Pieces,
            other => return Err(FocusError(format!("unknown tab {other:?}"))),
        })
    }
}

/// Most tabs one focus request may name.
const MAX_TABS: usize = 16;

/// Focus per caller (a session, or an API key's user).
#[derive(Debug, Default)]
pub struct Focus {
    by_caller: Mutex<HashMap<String, (InfoHash, Tabs)>>,
}

impl Focus {
    /// Sets a caller's focus from request fields; an empty id clears it.
    ///
    /// # Errors
    /// A malformed id or an unknown tab.
    pub fn set(
        &self,
        caller: &str,
        id: &str,
        tabs: &[String],
    ) -> Result<Option<InfoHash>, FocusError> {
        if id.is_empty() {
            self.clear(caller);
            return Ok(None);
        }
        let hash: InfoHash = id
            .parse()
            .map_err(|_| FocusError("invalid torrent id".into()))?;
        if tabs.len() > MAX_TABS {
            return Err(FocusError("too many tabs".into()));
        }
        let mut chosen = Tabs {
            files: false,
            peers: false,
            trackers: false,
            pieces: false,
        };
        for tab in tabs {
            match Tab::parse(tab)? {
                Tab::Overview => {}
                Tab::Files => chosen.files = true,
                Tab::Peers => chosen.peers = true,
                Tab::Trackers => chosen.trackers = true,
                Tab::Pieces => chosen.pieces = true,
            }
        }
        self.by_caller
            .lock()
            .insert(caller.to_owned(), (hash, chosen));
        Ok(Some(hash))
    }

    /// Clears a caller's focus.
    pub fn clear(&self, caller: &str) {
        self.by_caller.lock().remove(caller);
    }

    /// A caller's focus.
    pub fn get(&self, caller: &str) -> Option<(InfoHash, Tabs)> {
        self.by_caller.lock().get(caller).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_is_per_caller_and_validated() {
        let focus = Focus::default();
        let id = "0123456789abcdef0123456789abcdef01234567";
        focus
            .set("a", id, &["overview".into(), "files".into()])
            .unwrap();
        let (hash, tabs) = focus.get("a").unwrap();
        assert_eq!(hash.to_string(), id);
        assert!(tabs.files && !tabs.peers && !tabs.pieces);
        assert!(focus.get("b").is_none());
        assert!(focus.set("a", id, &["bogus".into()]).is_err());
        assert!(focus.set("a", "nothex", &[]).is_err());
        focus.set("a", "", &[]).unwrap();
        assert!(focus.get("a").is_none());
    }
}
