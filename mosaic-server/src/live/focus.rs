//! Inspector focus: which torrent, and which of its tabs, each caller's
//! sockets receive as `inspector:tick`.

use std::collections::HashMap;

use mosaic_core::wire::InspectorTab;
use mosaic_core::{InfoHash, Tabs};
use parking_lot::Mutex;

/// Why a focus request was refused.
#[derive(Debug, PartialEq, Eq)]
pub struct FocusError(pub String);

/// Most tabs one focus request may name.
const MAX_TABS: usize = 16;

/// Focus per caller (a session, or an API key's user).
#[derive(Debug, Default)]
pub struct Focus {
    by_caller: Mutex<HashMap<String, (InfoHash, Tabs)>>,
}

impl Focus {
    /// Sets a caller's focus; an empty id clears it.
    ///
    /// # Errors
    /// A malformed id or too many tabs.
    pub fn set(
        &self,
        caller: &str,
        id: &str,
        tabs: &[InspectorTab],
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
            match tab {
                InspectorTab::Files => chosen.files = true,
                InspectorTab::Peers => chosen.peers = true,
                InspectorTab::Trackers => chosen.trackers = true,
                InspectorTab::Pieces => chosen.pieces = true,
                _ => {}
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
            .set("a", id, &[InspectorTab::Overview, InspectorTab::Files])
            .unwrap();
        let (hash, tabs) = focus.get("a").unwrap();
        assert_eq!(hash.to_string(), id);
        assert!(tabs.files && !tabs.peers && !tabs.pieces);
        assert!(focus.get("b").is_none());
        assert!(focus.set("a", "nothex", &[]).is_err());
        assert!(focus.set("a", id, &[InspectorTab::Files; 17]).is_err());
        focus.set("a", "", &[]).unwrap();
        assert!(focus.get("a").is_none());
    }

    #[test]
    fn unknown_tab_names_do_not_parse() {
        let bad = serde_json::from_str::<mosaic_core::wire::InspectorFocus>(
            r#"{"id":"","tabs":["bogus"]}"#,
        );
        assert!(bad.is_err());
    }
}
