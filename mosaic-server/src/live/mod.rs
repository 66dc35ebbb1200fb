//! Live updates over WebSockets.
//!
//! Topology: one hub task subscribes to the engine's event stream and
//! encodes every frame once per tick; sockets share those encoded frames
//! through a broadcast channel. Each socket has its own bounded queue and
//! writer task, so a slow client only ever loses its own ticks and never
//! holds up the hub or other sockets.

mod delta;
mod focus;
mod socket;

use std::sync::Arc;

use axum::extract::ws::Utf8Bytes;
use futures::StreamExt;
use mosaic_core::events::{Event, Snapshot};
use mosaic_core::wire::TorrentEvent;
use mosaic_core::{Engine, InfoHash};
use parking_lot::RwLock;
use serde::Serialize;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

pub use focus::{Focus, FocusError};
pub use socket::{STALL_LIMIT, SocketAuth, SocketContext, run as run_socket};

use delta::DeltaState;

/// Ticks buffered for a socket that is momentarily behind; past that it
/// skips to the newest.
const HUB_CAPACITY: usize = 8;

/// The frames of one tick, encoded once for every socket.
#[derive(Debug)]
pub struct TickFrames {
    /// The snapshot's sequence number.
    pub seq: u64,
    /// Whether the list changed since the previous tick.
    pub changed: bool,
    /// `torrents:tick` with the whole list.
    pub full: Utf8Bytes,
    /// `torrents:delta` against the previous tick.
    pub delta: Utf8Bytes,
    /// `stats:tick`.
    pub stats: Utf8Bytes,
}

/// What the hub sends to sockets.
#[derive(Debug, Clone)]
pub enum Outgoing {
    /// A tick.
    Tick(Arc<TickFrames>),
    /// A one-off event frame (`torrent:added`, `update:available`, …).
    Event(Utf8Bytes),
}

/// The shared side of every socket.
#[derive(Debug)]
pub struct Hub {
    sender: broadcast::Sender<Outgoing>,
    latest: RwLock<Option<Arc<TickFrames>>>,
}

impl Hub {
    /// Starts the hub task; it ends when `shutdown` is cancelled.
    pub fn start(engine: &Engine, shutdown: CancellationToken) -> Arc<Self> {
        let hub = Arc::new(Self {
            sender: broadcast::channel(HUB_CAPACITY).0,
            latest: RwLock::new(None),
        });
        let mut events = engine.events().subscribe();
        let task_hub = hub.clone();
        tokio::spawn(async move {
            let mut delta = DeltaState::default();
            loop {
                let event = tokio::select! {
                    () = shutdown.cancelled() => return,
                    event = events.next() => event,
                };
                match event {
                    Some(Event::Snapshot(snapshot)) => task_hub.tick(&snapshot, &mut delta),
                    Some(other) => task_hub.relay(&other),
                    None => return,
                }
            }
        });
        hub
    }

    /// A receiver of everything the hub sends from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Outgoing> {
        self.sender.subscribe()
    }

    /// The newest tick, for a socket that just connected or fell behind.
    pub fn latest(&self) -> Option<Arc<TickFrames>> {
        self.latest.read().clone()
    }

    /// Encodes one tick. A tick whose list did not change reuses the
    /// previous list frame: sockets send it only to clients that need a
    /// whole list, and encoding 10,000 unchanged rows every second would
    /// be the hub's main cost on an idle server.
    fn tick(&self, snapshot: &Snapshot, delta: &mut DeltaState) {
        let previous = self.latest();
        let (full, delta_frame) = match previous {
            Some(previous) if !snapshot.changed => (previous.full.clone(), previous.delta.clone()),
            _ => {
                let changes = delta.advance(snapshot.seq, &snapshot.torrents);
                let full = envelope("torrents:tick", &*snapshot.torrents);
                (full, envelope("torrents:delta", &changes))
            }
        };
        let frames = Arc::new(TickFrames {
            seq: snapshot.seq,
            changed: snapshot.changed,
            full,
            delta: delta_frame,
            stats: envelope("stats:tick", &snapshot.stats),
        });
        *self.latest.write() = Some(frames.clone());
        let _ = self.sender.send(Outgoing::Tick(frames));
    }

    fn relay(&self, event: &Event) {
        let frame = match event {
            Event::Added { id, name } => {
                tracing::info!(torrent = %id, name, "torrent added");
                envelope("torrent:added", &torrent_event(*id, name, None))
            }
            Event::Removed { id, name } => {
                tracing::info!(torrent = %id, name, "torrent removed");
                envelope("torrent:removed", &torrent_event(*id, name, None))
            }
            Event::Completed { id, name } => {
                tracing::info!(torrent = %id, name, "download finished");
                envelope("torrent:completed", &torrent_event(*id, name, None))
            }
            Event::Error { id, name, error } => {
                tracing::warn!(torrent = %id, name, error, "torrent failed");
                let named = torrent_event(*id, name, Some(error));
                envelope("torrent:error", &named)
            }
            Event::UpdateAvailable(info) => envelope("update:available", info),
            _ => return,
        };
        let _ = self.sender.send(Outgoing::Event(frame));
    }
}

fn torrent_event(id: InfoHash, name: &str, error: Option<&str>) -> TorrentEvent {
    TorrentEvent {
        id,
        name: name.to_owned(),
        error: error.map(str::to_owned),
    }
}

#[derive(Serialize)]
struct Envelope<'a, T: Serialize + ?Sized> {
    #[serde(rename = "type")]
    kind: &'a str,
    payload: &'a T,
}

/// Encodes `{"type": kind, "payload": payload}` as a text frame.
pub fn envelope<T: Serialize + ?Sized>(kind: &str, payload: &T) -> Utf8Bytes {
    let text =
        serde_json::to_string(&Envelope { kind, payload }).expect("wire types always serialise");
    Utf8Bytes::from(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mosaic_core::wire::Stats;

    fn snapshot(seq: u64, changed: bool) -> Snapshot {
        Snapshot {
            seq,
            torrents: Arc::new(Vec::new()),
            stats: Stats {
                total_torrents: seq,
                ..Stats::default()
            },
            changed,
        }
    }

    fn hub() -> Hub {
        Hub {
            sender: broadcast::channel(HUB_CAPACITY).0,
            latest: RwLock::new(None),
        }
    }

    #[test]
    fn an_unchanged_tick_reuses_the_encoded_list_and_a_changed_one_does_not() {
        let (hub, mut delta) = (hub(), DeltaState::default());
        hub.tick(&snapshot(1, true), &mut delta);
        let first = hub.latest().unwrap();
        hub.tick(&snapshot(2, false), &mut delta);
        let second = hub.latest().unwrap();
        assert_eq!(second.full.as_str().as_ptr(), first.full.as_str().as_ptr());
        assert_ne!(second.stats, first.stats, "stats are encoded every tick");
        hub.tick(&snapshot(3, true), &mut delta);
        let third = hub.latest().unwrap();
        assert_ne!(third.full.as_str().as_ptr(), first.full.as_str().as_ptr());
        assert!(
            third.delta.as_str().contains(r#""seq":3"#),
            "{}",
            third.delta.as_str()
        );
    }
}
