//! [`EventStream`]: the client's reconnecting event stream, read one event
//! at a time by a Python iterator or async iterator.
//!
//! Each event crosses as `[type, payload]`, with the server's frame type
//! (`"torrents:tick"`, `"torrent:completed"`, …) or, for changes of the
//! stream itself, `"disconnected"` and `"reconnected"`. On a delta stream
//! the list is rebuilt here, so Python always sees full `torrents:tick`
//! lists.

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures::{Stream, StreamExt};
use mosaic_client::{Client, Event, TorrentList};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::call::Call;
use crate::errors::Failure;
use crate::json::{Outcome, outcome};
use crate::runtime;

type Events = Pin<Box<dyn Stream<Item = mosaic_client::Result<Event>> + Send>>;

/// The stream and the list it keeps; `None` once closed.
struct Feed {
    events: Events,
    list: TorrentList,
}

/// Live events of one connection, in the order they arrive.
#[pyclass(frozen, module = "mosaic._mosaic")]
pub(crate) struct EventStream {
    // An async mutex: a read holds it across the wait for the next frame,
    // and a second reader waits its turn rather than failing.
    feed: Arc<Mutex<Option<Feed>>>,
}

impl EventStream {
    pub(crate) fn new(client: &Client, delta: bool) -> Self {
        let events: Events = if delta {
            Box::pin(client.events_delta())
        } else {
            Box::pin(client.events())
        };
        let feed = Feed {
            events,
            list: TorrentList::default(),
        };
        Self {
            feed: Arc::new(Mutex::new(Some(feed))),
        }
    }

    /// A call answering the next event, `null` when the stream has ended,
    /// or raising `TimeoutError` when `timeout` passes first. Dropping the
    /// call midway loses nothing: the stream resumes where it was.
    fn next_call(&self, timeout: Option<f64>) -> PyResult<Call> {
        let limit = timeout.map(seconds).transpose()?;
        let feed = self.feed.clone();
        Ok(Call::new(async move {
            let mut feed = feed.lock().await;
            let Some(feed) = feed.as_mut() else {
                return Ok(Value::Null);
            };
            match limit {
                None => feed.next().await,
                Some(limit) => match tokio::time::timeout(limit, feed.next()).await {
                    Ok(next) => next,
                    Err(_) => Err(Failure::Local {
                        class: "TimeoutError",
                        description: format!("no event within {} s", limit.as_secs_f64()),
                    }),
                },
            }
        }))
    }
}

#[pymethods]
impl EventStream {
    /// The next event, blocking with the GIL released.
    #[pyo3(signature = (timeout=None))]
    fn next(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Py<PyAny>> {
        self.next_call(timeout)?.wait(py)
    }

    /// The next event, as an awaitable.
    #[pyo3(signature = (timeout=None))]
    fn anext(&self, timeout: Option<f64>) -> PyResult<Call> {
        self.next_call(timeout)
    }

    /// Closes the socket; later reads find the stream ended.
    fn close(&self) {
        let feed = self.feed.clone();
        // A read in progress holds the lock; the stream closes when it ends.
        runtime::runtime().spawn(async move { feed.lock().await.take() });
    }
}

impl Feed {
    async fn next(&mut self) -> Outcome {
        while let Some(item) = self.events.next().await {
            if let Some(frame) = self.frame(item?)? {
                return Ok(frame);
            }
        }
        Ok(Value::Null)
    }

    /// `[type, payload]` for an event, `None` for one to skip.
    fn frame(&mut self, event: Event) -> Result<Option<Value>, Failure> {
        if self.list.apply(&event) {
            let list = outcome(self.list.torrents())?;
            return Ok(Some(json!(["torrents:tick", list])));
        }
        let (kind, payload) = match event {
            Event::Stats(stats) => ("stats:tick", outcome(Ok(stats))?),
            Event::Inspector(detail) => ("inspector:tick", outcome(Ok(detail))?),
            Event::Update(info) => ("update:available", outcome(Ok(info))?),
            Event::Added { id, name } => ("torrent:added", json!({"id": id, "name": name})),
            Event::Removed { id, name } => ("torrent:removed", json!({"id": id, "name": name})),
            Event::Completed { id, name } => ("torrent:completed", json!({"id": id, "name": name})),
            Event::Failed { id, name, error } => (
                "torrent:error",
                json!({"id": id, "name": name, "error": error}),
            ),
            Event::Disconnected { reason } => ("disconnected", json!({"reason": reason})),
            Event::Reconnected => ("reconnected", Value::Null),
            Event::Unknown { kind, payload } => return Ok(Some(json!([kind, payload]))),
            // A kind of event this build does not know yet.
            _ => return Ok(None),
        };
        Ok(Some(json!([kind, payload])))
    }
}

fn seconds(value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value)
        .map_err(|_| PyValueError::new_err("timeout must be a non-negative number of seconds"))
}
