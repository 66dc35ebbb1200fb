//! Delta frames for `GET /api/ws?delta=1`: per tick, only the fields that
//! changed in each row, plus the ids of removed rows.
//!
//! A client rebuilds the list by applying `changed` (a row it does not know
//! arrives whole) and `removed` to its copy, then sorting newest first by
//! `added_at`, ties by `id` — the order of `torrents:tick`.

use std::collections::HashMap;
use std::sync::Arc;

use mosaic_core::InfoHash;
use mosaic_core::wire::{Torrent, TorrentsDelta};
use serde_json::{Map, Value};

/// The rows last sent: the snapshot's own list (shared, not copied) and
/// where each id sits in it.
#[derive(Debug, Default)]
pub(crate) struct DeltaState {
    rows: Arc<Vec<Torrent>>,
    index: HashMap<InfoHash, usize>,
}

impl DeltaState {
    /// The delta from the previous rows to `rows`, remembering `rows`.
    ///
    /// Rows are compared as typed values first, so only rows that differ
    /// are turned into JSON: a tick where 1 % of 10,000 torrents moved
    /// serialises about a hundred rows, not ten thousand.
    pub(crate) fn advance(&mut self, seq: u64, rows: &Arc<Vec<Torrent>>) -> TorrentsDelta {
        let mut index = HashMap::with_capacity(rows.len());
        let mut changed = Vec::new();
        for (position, row) in rows.iter().enumerate() {
            index.insert(row.id, position);
            let old = self.index.remove(&row.id).map(|at| &self.rows[at]);
            match old {
                None => changed.extend(object(row)),
                Some(old) if old == row => {}
                Some(old) => changed.extend(changed_fields(old, row)),
            }
        }
        let mut removed: Vec<InfoHash> = self.index.drain().map(|(id, _)| id).collect();
        removed.sort();
        self.rows = rows.clone();
        self.index = index;
        TorrentsDelta {
            seq,
            changed,
            removed,
        }
    }
}

fn object(row: &Torrent) -> Option<Map<String, Value>> {
    match serde_json::to_value(row) {
        Ok(Value::Object(object)) => Some(object),
        _ => None,
    }
}

/// The fields of `new` whose JSON differs from `old`'s, plus `id`.
fn changed_fields(old: &Torrent, new: &Torrent) -> Option<Map<String, Value>> {
    let (old, new) = (object(old)?, object(new)?);
    let mut partial: Map<String, Value> = new
        .into_iter()
        .filter(|(key, value)| old.get(key) != Some(value))
        .collect();
    if partial.is_empty() {
        return None;
    }
    partial.insert("id".into(), old.get("id").cloned().unwrap_or(Value::Null));
    Some(partial)
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
            download_rate: 5,
            upload_rate: 0,
            downloaded: 0,
            uploaded: 0,
            ratio: 0.0,
            eta_secs: None,
            peers: 1,
            seeds: 0,
            paused: false,
            completed: false,
            added_at,
            completed_at: None,
            category_id: None,
        }
    }

    /// Applies a delta the way a client does and returns the rebuilt list.
    fn apply(list: &[Value], delta: &TorrentsDelta) -> Vec<Value> {
        let mut by_id: HashMap<String, Map<String, Value>> = list
            .iter()
            .map(|v| {
                (
                    v["id"].as_str().unwrap().to_owned(),
                    v.as_object().unwrap().clone(),
                )
            })
            .collect();
        for id in &delta.removed {
            by_id.remove(&id.to_string());
        }
        for partial in &delta.changed {
            let id = partial["id"].as_str().unwrap().to_owned();
            by_id.entry(id).or_default().extend(partial.clone());
        }
        let mut rows: Vec<Value> = by_id.into_values().map(Value::Object).collect();
        rows.sort_by(|a, b| {
            b["added_at"]
                .as_i64()
                .cmp(&a["added_at"].as_i64())
                .then(a["id"].as_str().cmp(&b["id"].as_str()))
        });
        rows
    }

    #[test]
    fn applying_deltas_reproduces_every_list() {
        let lists = [
            vec![row(2, 20, 0.0), row(1, 10, 0.0)],
            vec![row(2, 20, 0.5), row(1, 10, 0.0)],
            vec![row(3, 30, 0.0), row(2, 20, 0.5)],
            vec![row(3, 30, 1.0), row(2, 20, 0.75), row(4, 20, 0.1)],
            vec![],
        ];
        let mut state = DeltaState::default();
        let first = state.advance(1, &Arc::new(lists[0].clone()));
        let mut client: Vec<Value> = apply(&[], &first);
        assert_eq!(
            client,
            serde_json::to_value(&lists[0])
                .unwrap()
                .as_array()
                .unwrap()
                .clone()
        );
        for (seq, list) in lists.iter().enumerate().skip(1) {
            let delta = state.advance(seq as u64 + 1, &Arc::new(list.clone()));
            client = apply(&client, &delta);
            assert_eq!(
                Value::Array(client.clone()),
                serde_json::to_value(list).unwrap(),
                "at {seq}"
            );
        }
    }

    #[test]
    fn unchanged_rows_send_nothing_and_changes_send_only_fields() {
        let mut state = DeltaState::default();
        state.advance(1, &Arc::new(vec![row(1, 10, 0.0)]));
        assert!(
            state
                .advance(2, &Arc::new(vec![row(1, 10, 0.0)]))
                .changed
                .is_empty()
        );
        let delta = state.advance(3, &Arc::new(vec![row(1, 10, 0.5)]));
        let keys: Vec<&str> = delta.changed[0].keys().map(String::as_str).collect();
        assert_eq!(keys, ["bytes_done", "id", "progress"]);
    }
}
