//! One WebSocket: initial frames, then ticks and events from the hub, the
//! caller's inspector frames, and the rules for closing.
//!
//! Back-pressure: frames go through a queue of [`QUEUE`] messages to a
//! writer task. When the queue is full, new frames for this socket are
//! dropped (a later full tick repairs the list); if the writer makes no
//! progress for [`STALL_LIMIT`], the socket is closed.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket};
use futures::{SinkExt, StreamExt};
use mosaic_core::Engine;
use mosaic_core::access::Access;
use tokio::sync::{broadcast, mpsc};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::{Focus, Hub, Outgoing, TickFrames, envelope};

/// Messages waiting for a socket's writer at most.
const QUEUE: usize = 16;
/// A socket whose writer is stuck this long is closed.
pub const STALL_LIMIT: Duration = Duration::from_secs(10);

/// Close code for revoked credentials (policy violation).
const CLOSE_POLICY: u16 = 1008;
/// Close code for a server going away.
const CLOSE_AWAY: u16 = 1001;

/// What a socket proved itself with, checked again on every tick so that
/// rotation, logout and expiry end it.
#[derive(Clone, Debug)]
pub enum SocketAuth {
    /// An API key.
    Key(String),
    /// A session token.
    Session(String),
}

/// Everything a socket needs.
pub struct SocketContext {
    /// The hub.
    pub hub: Arc<Hub>,
    /// The engine, for inspector frames.
    pub engine: Engine,
    /// For revalidating credentials.
    pub access: Arc<Access>,
    /// Inspector focus per caller.
    pub focus: Arc<Focus>,
    /// This socket's caller, the key into `focus`.
    pub caller: String,
    /// How it authenticated.
    pub auth: SocketAuth,
    /// Whether it asked for delta frames.
    pub delta: bool,
    /// Cancelled at server shutdown.
    pub shutdown: CancellationToken,
}

impl SocketContext {
    fn still_authorized(&self) -> bool {
        match &self.auth {
            SocketAuth::Key(key) => matches!(self.access.user_for_key(key), Ok(Some(_))),
            SocketAuth::Session(token) => self.access.session_is_live(token),
        }
    }

    fn inspector_frame(&self) -> Option<Utf8Bytes> {
        let (id, tabs) = self.focus.get(&self.caller)?;
        let detail = self.engine.detail(id, tabs).ok()?;
        Some(envelope("inspector:tick", &detail))
    }
}

/// Why the socket loop ended.
enum End {
    Client,
    Close(u16, &'static str),
    Stalled,
}

/// Serves one socket until it closes.
pub async fn run(socket: WebSocket, ctx: SocketContext) {
    let (mut sink, mut stream) = socket.split();
    let (queue, mut pending) = mpsc::channel::<Message>(QUEUE);
    let progress = Arc::new(parking_lot::Mutex::new(Instant::now()));
    let writer_progress = progress.clone();
    let writer = tokio::spawn(async move {
        while let Some(message) = pending.recv().await {
            let closing = matches!(message, Message::Close(_));
            if sink.send(message).await.is_err() || closing {
                break;
            }
            *writer_progress.lock() = Instant::now();
        }
        let _ = sink.close().await;
    });

    let mut ticks = ctx.hub.subscribe();
    let mut sender = Sender {
        queue,
        progress,
        need_full: true,
    };
    if let Some(latest) = ctx.hub.latest() {
        sender.need_full = !sender.push(Message::Text(latest.full.clone()));
        sender.push(Message::Text(latest.stats.clone()));
    }
    let end = serve(&ctx, &mut stream, &mut ticks, &mut sender).await;

    match end {
        End::Stalled => writer.abort(),
        End::Close(code, reason) => {
            let frame = CloseFrame {
                code,
                reason: reason.into(),
            };
            sender.push(Message::Close(Some(frame)));
            drop(sender);
            let _ = tokio::time::timeout(Duration::from_secs(2), writer).await;
        }
        End::Client => {
            drop(sender);
            let _ = tokio::time::timeout(Duration::from_secs(2), writer).await;
        }
    }
}

async fn serve(
    ctx: &SocketContext,
    stream: &mut futures::stream::SplitStream<WebSocket>,
    ticks: &mut broadcast::Receiver<Outgoing>,
    sender: &mut Sender,
) -> End {
    loop {
        tokio::select! {
            () = ctx.shutdown.cancelled() => return End::Close(CLOSE_AWAY, "server shutting down"),
            incoming = stream.next() => match incoming {
                Some(Ok(Message::Close(_)) | Err(_)) | None => return End::Client,
                Some(Ok(_)) => {}
            },
            outgoing = ticks.recv() => match outgoing {
                Ok(Outgoing::Tick(frames)) => {
                    if !ctx.still_authorized() {
                        return End::Close(CLOSE_POLICY, "credentials no longer valid");
                    }
                    sender.tick(ctx, &frames);
                    if sender.stalled() {
                        tracing::debug!("closing a stalled websocket");
                        return End::Stalled;
                    }
                }
                Ok(Outgoing::Event(frame)) => {
                    sender.push(Message::Text(frame));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => sender.need_full = true,
                Err(broadcast::error::RecvError::Closed) => return End::Close(CLOSE_AWAY, "server shutting down"),
            },
        }
    }
}

struct Sender {
    queue: mpsc::Sender<Message>,
    progress: Arc<parking_lot::Mutex<Instant>>,
    /// The client has no current list (it just connected before the first
    /// tick, or a list frame was dropped): the next tick sends it whole.
    need_full: bool,
}

impl Sender {
    /// Queues a frame, dropping it when the queue is full.
    fn push(&mut self, message: Message) -> bool {
        self.queue.try_send(message).is_ok()
    }

    fn tick(&mut self, ctx: &SocketContext, frames: &TickFrames) {
        let list = match (self.need_full, frames.changed, ctx.delta) {
            (true, _, _) => Some(&frames.full),
            (false, true, true) => Some(&frames.delta),
            (false, true, false) => Some(&frames.full),
            (false, false, _) => None,
        };
        if let Some(list) = list {
            self.need_full = !self.push(Message::Text(list.clone()));
        }
        self.push(Message::Text(frames.stats.clone()));
        if let Some(inspector) = ctx.inspector_frame() {
            self.push(Message::Text(inspector));
        }
    }

    /// Whether frames are waiting and the writer has not moved for the
    /// stall limit.
    fn stalled(&self) -> bool {
        let waiting = self.queue.capacity() < QUEUE;
        waiting && self.progress.lock().elapsed() >= STALL_LIMIT
    }
}
