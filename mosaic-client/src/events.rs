//! The typed live events, decoded from the WebSocket's
//! `{"type": …, "payload": …}` frames.

use mosaic_core::InfoHash;
use mosaic_core::wire::{Detail, Stats, Torrent, UpdateInfo};
use serde::Deserialize;
use serde_json::Value;

use crate::delta::TorrentDelta;
use crate::error::{Error, Result};
use mosaic_core::wire::TorrentEvent;

/// Something the server reported, or a change in the stream itself.
///
/// Streams from [`Client::events`](crate::Client::events) and
/// [`Client::events_delta`](crate::Client::events_delta) yield these.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// `torrents:tick`: the whole list, newest first. Sent on connecting
    /// (and so after every reconnect) and each second the list changed.
    Torrents(Vec<Torrent>),
    /// `torrents:delta`: what changed in the list since the previous
    /// frame, on a delta stream; apply it with
    /// [`TorrentList`](crate::TorrentList).
    Delta(TorrentDelta),
    /// `stats:tick`: session totals, each second.
    Stats(Stats),
    /// `inspector:tick`: the focused torrent with the focused tabs, each
    /// second while [`Client::focus_inspector`](crate::Client::focus_inspector)
    /// is in effect.
    Inspector(Box<Detail>),
    /// `torrent:added`.
    Added {
        /// The torrent.
        id: InfoHash,
        /// Its name (the info hash until metadata arrives).
        name: String,
    },
    /// `torrent:removed`.
    Removed {
        /// The torrent.
        id: InfoHash,
        /// Its name.
        name: String,
    },
    /// `torrent:completed`: every wanted file is complete.
    Completed {
        /// The torrent.
        id: InfoHash,
        /// Its name.
        name: String,
    },
    /// `torrent:error`: a torrent stopped with an error.
    Failed {
        /// The torrent.
        id: InfoHash,
        /// Its name.
        name: String,
        /// What went wrong.
        error: String,
    },
    /// `update:available`: a newer server release exists.
    Update(UpdateInfo),
    /// The connection dropped; the stream is reconnecting. Events that
    /// happen until [`Event::Reconnected`] are missed, which the full
    /// [`Event::Torrents`] after it repairs for the list.
    Disconnected {
        /// Why, for logs.
        reason: String,
    },
    /// The stream is connected again; a full [`Event::Torrents`] follows.
    Reconnected,
    /// A frame type this client does not know, from a newer server.
    Unknown {
        /// The frame's `type`.
        kind: String,
        /// Its payload, undecoded.
        payload: Value,
    },
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    payload: Value,
}

impl Event {
    /// Decodes one text frame.
    ///
    /// # Errors
    /// [`Error::Decode`] when the frame is not an envelope, or a known
    /// type's payload does not have the expected shape.
    pub fn from_frame(text: &str) -> Result<Self> {
        let envelope: Envelope = serde_json::from_str(text).map_err(Error::Decode)?;
        let payload = envelope.payload;
        let decoded = match envelope.kind.as_str() {
            "torrents:tick" => serde_json::from_value(payload).map(Self::Torrents),
            "torrents:delta" => serde_json::from_value(payload).map(Self::Delta),
            "stats:tick" => serde_json::from_value(payload).map(Self::Stats),
            "inspector:tick" => {
                serde_json::from_value(payload).map(|d| Self::Inspector(Box::new(d)))
            }
            "update:available" => serde_json::from_value(payload).map(Self::Update),
            "torrent:added" => named(payload).map(|n| Self::Added {
                id: n.id,
                name: n.name,
            }),
            "torrent:removed" => named(payload).map(|n| Self::Removed {
                id: n.id,
                name: n.name,
            }),
            "torrent:completed" => named(payload).map(|n| Self::Completed {
                id: n.id,
                name: n.name,
            }),
            "torrent:error" => named(payload).map(|n| Self::Failed {
                id: n.id,
                name: n.name,
                error: n.error.unwrap_or_default(),
            }),
            _ => Ok(Self::Unknown {
                kind: envelope.kind,
                payload,
            }),
        };
        decoded.map_err(Error::Decode)
    }
}

fn named(payload: Value) -> serde_json::Result<TorrentEvent> {
    serde_json::from_value(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0123456789abcdef0123456789abcdef01234567";

    #[test]
    fn frames_decode_into_typed_events() {
        // Proves each documented frame type decodes, and unknown types are kept rather than refused.
        let added = Event::from_frame(&format!(
            r#"{{"type":"torrent:added","payload":{{"id":"{ID}","name":"n"}}}}"#
        ))
        .unwrap();
        assert_eq!(
            added,
            Event::Added {
                id: ID.parse().unwrap(),
                name: "n".into()
            }
        );
        let failed = format!(
            r#"{{"type":"torrent:error","payload":{{"id":"{ID}","name":"n","error":"disk full"}}}}"#
        );
        let failed = Event::from_frame(&failed).unwrap();
        assert!(matches!(failed, Event::Failed { error, .. } if error == "disk full"));
        let stats =
            serde_json::json!({"type": "stats:tick", "payload": Stats::default()}).to_string();
        assert_eq!(
            Event::from_frame(&stats).unwrap(),
            Event::Stats(Stats::default())
        );
        assert_eq!(
            Event::from_frame(r#"{"type":"torrents:tick","payload":[]}"#).unwrap(),
            Event::Torrents(vec![])
        );
        let future =
            Event::from_frame(r#"{"type":"peer:banned","payload":{"ip":"1.2.3.4"}}"#).unwrap();
        assert!(matches!(future, Event::Unknown { kind, .. } if kind == "peer:banned"));
    }

    #[test]
    fn malformed_known_frames_are_errors() {
        // Proves drift in a known payload is reported instead of being hidden.
        assert!(
            Event::from_frame(r#"{"type":"stats:tick","payload":{"total_torrents":"many"}}"#)
                .is_err()
        );
        assert!(Event::from_frame("not json").is_err());
    }
}
