//! Delta frames (`GET /api/ws?delta=1`) and [`TorrentList`], which turns
//! full ticks and deltas back into the list a plain stream would carry.

use std::collections::HashMap;

use mosaic_core::wire::Torrent;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::events::Event;

/// The payload of a `torrents:delta` frame (shared with the server).
pub type TorrentDelta = mosaic_core::wire::TorrentsDelta;

/// The torrent list rebuilt from [`Event::Torrents`] and [`Event::Delta`].
///
/// ```
/// # fn demo(events: Vec<mosaic_client::Event>) -> mosaic_client::Result<()> {
/// let mut list = mosaic_client::TorrentList::default();
/// for event in &events {
///     if list.apply(event) {
///         println!("{} torrents", list.torrents()?.len());
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default)]
pub struct TorrentList {
    rows: HashMap<String, Map<String, Value>>,
}

impl TorrentList {
    /// Applies a list event and tells whether it was one; other events are
    /// ignored.
    pub fn apply(&mut self, event: &Event) -> bool {
        match event {
            Event::Torrents(torrents) => self.replace(torrents),
            Event::Delta(delta) => self.merge(delta),
            _ => return false,
        }
        true
    }

    /// Replaces the list with a full tick.
    pub fn replace(&mut self, torrents: &[Torrent]) {
        self.rows = torrents
            .iter()
            .filter_map(|t| match serde_json::to_value(t) {
                Ok(Value::Object(row)) => Some((t.id.to_string(), row)),
                _ => None,
            })
            .collect();
    }

    /// Removes and merges what a delta frame says changed.
    pub fn merge(&mut self, delta: &TorrentDelta) {
        for id in &delta.removed {
            self.rows.remove(&id.to_string());
        }
        for partial in &delta.changed {
            let Some(Value::String(id)) = partial.get("id") else {
                continue;
            };
            let row = self.rows.entry(id.clone()).or_default();
            row.extend(partial.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }

    /// Number of torrents.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The list in the server's order: newest first, ties by id.
    ///
    /// # Errors
    /// [`Error::Decode`] when a row is incomplete, which means a delta
    /// arrived for a torrent no full tick or delta introduced.
    pub fn torrents(&self) -> Result<Vec<Torrent>> {
        let mut torrents = self
            .rows
            .values()
            .map(|row| serde_json::from_value(Value::Object(row.clone())))
            .collect::<serde_json::Result<Vec<Torrent>>>()
            .map_err(Error::Decode)?;
        torrents.sort_by(|a, b| b.added_at.cmp(&a.added_at).then(a.id.cmp(&b.id)));
        Ok(torrents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mosaic_core::InfoHash;
    use mosaic_core::wire::TorrentState;

    fn row(n: u8, added_at: i64, progress: f64) -> Torrent {
        Torrent {
            id: InfoHash::from_bytes([n; 20]),
            name: format!("t{n}"),
            magnet: String::new(),
            save_path: "/d".into(),
            state: TorrentState::Downloading,
            error: None,
            total_bytes: 100,
            bytes_done: (progress * 100.0) as u64,
            progress,
            download_rate: 0,
            upload_rate: 0,
            downloaded: 0,
            uploaded: 0,
            ratio: 0.0,
            eta_secs: None,
            peers: 0,
            seeds: 0,
            paused: false,
            completed: false,
            added_at,
            completed_at: None,
            category_id: None,
        }
    }

    fn delta(value: Value) -> Event {
        Event::Delta(serde_json::from_value(value).unwrap())
    }

    #[test]
    fn deltas_rebuild_the_plain_list() {
        // Proves a full tick plus deltas (change, add, remove) gives the same list, in server order.
        let (a, b, c) = (row(1, 10, 0.0), row(2, 20, 0.0), row(3, 30, 0.0));
        let mut list = TorrentList::default();
        assert!(list.apply(&Event::Torrents(vec![b.clone(), a.clone()])));
        assert!(!list.apply(&Event::Reconnected));

        let partial_a =
            serde_json::json!({"id": a.id.to_string(), "progress": 0.5, "bytes_done": 50});
        list.apply(&delta(serde_json::json!({
            "seq": 2,
            "changed": [partial_a, serde_json::to_value(&c).unwrap()],
            "removed": [b.id.to_string()],
        })));
        let mut changed_a = a.clone();
        changed_a.progress = 0.5;
        changed_a.bytes_done = 50;
        assert_eq!(list.torrents().unwrap(), vec![c, changed_a]);
        assert_eq!(list.len(), 2);
    }

    #[test]
    fn a_delta_for_an_unknown_torrent_is_an_error() {
        // Proves a partial row nobody introduced is reported, not invented.
        let mut list = TorrentList::default();
        let id = InfoHash::from_bytes([9; 20]).to_string();
        list.apply(&delta(
            serde_json::json!({"seq": 1, "changed": [{"id": id, "progress": 1.0}], "removed": []}),
        ));
        assert!(list.torrents().is_err());
    }
}
