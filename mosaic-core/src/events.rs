//! The live event stream any embedder can subscribe to.
//!
//! librqbit has no event stream of its own, so events are produced by the
//! engine's tick: once per second it reads each torrent's stats once and
//! publishes a [`Snapshot`] (the whole list and the session totals, shared
//! behind an `Arc`, so a tick costs the same with one subscriber or a
//! thousand). Adds, removals, completions and errors are published as they
//! are seen, between snapshots.
//!
//! Delivery: a bounded broadcast of [`CAPACITY`] events. A subscriber that
//! falls that far behind loses the oldest events it has not read (it is
//! never allowed to slow the engine or other subscribers); since every
//! snapshot is complete, catching up on the next one repairs any loss.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::Stream;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;

use crate::InfoHash;
use crate::wire::{Stats, Torrent, UpdateInfo};

/// Events kept for a slow subscriber before the oldest are dropped.
pub const CAPACITY: usize = 64;

/// One published moment of the whole session.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Increases by one every tick.
    pub seq: u64,
    /// Every torrent, in list order.
    pub torrents: Arc<Vec<Torrent>>,
    /// Session totals.
    pub stats: Stats,
    /// Whether any row differs from the previous snapshot's.
    pub changed: bool,
}

/// Something that happened in the engine.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// The periodic snapshot.
    Snapshot(Arc<Snapshot>),
    /// A torrent was added.
    Added {
        /// Its id.
        id: InfoHash,
        /// Its name.
        name: String,
    },
    /// A torrent was removed.
    Removed {
        /// Its id.
        id: InfoHash,
        /// Its name.
        name: String,
    },
    /// Every wanted file of a torrent became complete.
    Completed {
        /// Its id.
        id: InfoHash,
        /// Its name.
        name: String,
    },
    /// A torrent stopped with an error.
    Error {
        /// Its id.
        id: InfoHash,
        /// Its name.
        name: String,
        /// What went wrong.
        error: String,
    },
    /// A newer release is available.
    UpdateAvailable(UpdateInfo),
}

/// The publishing side, owned by the engine.
#[derive(Debug, Clone)]
pub struct EventBus {
    sender: broadcast::Sender<Event>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(CAPACITY).0,
        }
    }
}

impl EventBus {
    /// Publishes an event to every current subscriber; without subscribers
    /// it is dropped.
    pub fn publish(&self, event: Event) {
        let _ = self.sender.send(event);
    }

    /// A new subscription, starting with the next event published.
    pub fn subscribe(&self) -> Events {
        Events {
            inner: BroadcastStream::new(self.sender.subscribe()),
        }
    }
}

/// A subscription: a [`Stream`] of events that skips what a slow reader
/// missed (see the module documentation).
pub struct Events {
    inner: BroadcastStream<Event>,
}

impl std::fmt::Debug for Events {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Events")
    }
}

impl Stream for Events {
    type Item = Event;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        loop {
            match Pin::new(&mut self.inner).poll_next(cx) {
                Poll::Ready(Some(Ok(event))) => return Poll::Ready(Some(event)),
                Poll::Ready(Some(Err(_lagged))) => continue,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    fn added(n: u8) -> Event {
        Event::Added {
            id: InfoHash::from_bytes([n; 20]),
            name: n.to_string(),
        }
    }

    #[tokio::test]
    async fn a_slow_subscriber_loses_the_oldest_events_only() {
        let bus = EventBus::default();
        let mut slow = bus.subscribe();
        for n in 0..(CAPACITY as u8 + 10) {
            bus.publish(added(n));
        }
        assert_eq!(
            slow.next().await,
            Some(added(10)),
            "the oldest ten were dropped"
        );
        let mut fresh = bus.subscribe();
        bus.publish(added(200));
        assert_eq!(fresh.next().await, Some(added(200)));
    }
}
