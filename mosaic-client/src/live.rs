//! The live event stream over `GET /api/ws`, reconnecting by itself.
//!
//! The stream is a state machine driven by the caller's polling (no task
//! is spawned, so dropping the stream closes the socket). When a connected
//! socket drops, goes silent for [`IDLE_LIMIT`] or the server closes it,
//! the stream yields [`Event::Disconnected`], retries with exponential
//! backoff, and on success yields [`Event::Reconnected`] followed by a
//! full list.
//!
//! Every connection starts with a full [`Event::Torrents`]. The server
//! sends its latest full tick to a new socket, but it has none during its
//! first second (right after a restart, exactly when a reconnecting client
//! arrives) and then sends the list only once it changes. So when a socket
//! delivers stats or a delta before any full list, the stream fetches the
//! list over HTTP and yields it first.
//!
//! It yields an `Err` and ends only when retrying cannot help: the first
//! connection fails (a wrong URL should show at once), or a reconnect is
//! refused with a `4xx` (revoked key, expired session that cannot be
//! renewed) or by TLS (the certificate changed), or a frame does not
//! decode.

use std::collections::VecDeque;
use std::time::Duration;

use futures::{Stream, StreamExt};
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use url::{Host, Url};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::events::Event;

/// A socket that delivers nothing for this long is taken for dead: the
/// server sends `stats:tick` every second.
pub const IDLE_LIMIT: Duration = Duration::from_secs(15);

/// Pauses between reconnection attempts: `first`, doubling, at most `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Backoff {
    first: Duration,
    max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new(Duration::from_millis(250), Duration::from_secs(30))
    }
}

impl Backoff {
    pub(crate) fn new(first: Duration, max: Duration) -> Self {
        Self {
            first,
            max: max.max(first),
        }
    }

    /// The pause before attempt number `failures` (1 after the first
    /// failure).
    fn delay(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(16);
        self.first.saturating_mul(1 << doublings).min(self.max)
    }
}

/// Anything a WebSocket can run over: TCP, or TLS over TCP.
trait Io: AsyncRead + AsyncWrite + Unpin + Send {}

impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

type Socket = WebSocketStream<Box<dyn Io>>;

impl Client {
    /// The live events: full list ticks, stats ticks, inspector frames,
    /// torrent events and update notices, reconnecting automatically (see
    /// [`Event::Disconnected`] and [`Event::Reconnected`]).
    ///
    /// Nothing is sent until the stream is first polled. Dropping the
    /// stream closes the socket.
    ///
    /// # Errors
    /// Items are `Err` only for failures that reconnecting cannot fix, and
    /// the stream ends after one: the first connection failing, a refusal
    /// (`401` after the key was rotated, a changed certificate), or a frame
    /// that does not decode.
    pub fn events(&self) -> impl Stream<Item = Result<Event>> + Send + 'static {
        stream(self.clone(), false)
    }

    /// Like [`Client::events`], with the list sent as [`Event::Delta`]
    /// frames of what changed after the first full [`Event::Torrents`].
    /// Feed both to a [`TorrentList`](crate::TorrentList) to keep the
    /// list. A server without delta mode sends full ticks instead, which
    /// the list handles the same way.
    ///
    /// # Errors
    /// As [`Client::events`].
    pub fn events_delta(&self) -> impl Stream<Item = Result<Event>> + Send + 'static {
        stream(self.clone(), true)
    }
}

struct Live {
    client: Client,
    delta: bool,
    socket: Option<Socket>,
    /// Whether the current socket has delivered (or been given) a full list.
    has_list: bool,
    /// Failed attempts since the last connection.
    failures: u32,
    connected_once: bool,
    ready: VecDeque<Result<Event>>,
    ended: bool,
}

fn stream(client: Client, delta: bool) -> impl Stream<Item = Result<Event>> + Send + 'static {
    let live = Live {
        client,
        delta,
        socket: None,
        has_list: false,
        failures: 0,
        connected_once: false,
        ready: VecDeque::new(),
        ended: false,
    };
    futures::stream::unfold(live, |mut live| async move {
        let item = live.next().await?;
        Some((item, live))
    })
}

impl Live {
    async fn next(&mut self) -> Option<Result<Event>> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            if self.ended {
                return None;
            }
            match self.socket.take() {
                None => self.connect().await,
                Some(socket) => self.read(socket).await,
            }
        }
    }

    async fn connect(&mut self) {
        if self.failures > 0 {
            tokio::time::sleep(self.client.inner.backoff.delay(self.failures)).await;
        }

        match open(&self.client, self.delta).await {
            Ok(socket) => {
                if self.connected_once {
                    self.ready.push_back(Ok(Event::Reconnected));
                }
                self.connected_once = true;
                self.failures = 0;
                self.has_list = false;
                self.socket = Some(socket);
            }
            Err(e) if self.connected_once && !is_final(&e) => {
                let failures = self.failures;
                tracing::debug!(error = %e, failures, "event stream reconnect failed");
                self.failures = self.failures.saturating_add(1);
            }
            Err(e) => self.end(e),
        }
    }

    async fn read(&mut self, mut socket: Socket) {
        let message = match tokio::time::timeout(IDLE_LIMIT, socket.next()).await {
            Ok(Some(Ok(message))) => message,
            Ok(Some(Err(e))) => return self.disconnected(Error::from_websocket(e).to_string()),
            Ok(None) => return self.disconnected("connection closed".into()),
            Err(_) => return self.disconnected(format!("no frame for {IDLE_LIMIT:?}")),
        };

        match message {
            Message::Text(text) => match Event::from_frame(&text) {
                Ok(event) => self.deliver(event, socket).await,
                Err(e) => self.end(e),
            },
            Message::Close(frame) => {
                let reason = frame.map_or_else(
                    || "closed by the server".to_owned(),
                    |f| format!("closed by the server ({}: {})", u16::from(f.code), f.reason),
                );
                self.disconnected(reason);
            }
            // Pings need no answer from us (tungstenite queues the pong),
            // and the server sends no binary frames.
            _ => self.socket = Some(socket),
        }
    }

    /// Queues a decoded event, preceded by the list fetched over HTTP when
    /// this socket has not sent a full one yet.
    async fn deliver(&mut self, event: Event, socket: Socket) {
        let needs_list = matches!(
            event,
            Event::Stats(_) | Event::Delta(_) | Event::Inspector(_)
        );
        if matches!(event, Event::Torrents(_)) {
            self.has_list = true;
        } else if needs_list && !self.has_list {
            match self.client.torrents().await {
                Ok(list) => self.ready.push_back(Ok(Event::Torrents(list))),
                Err(e) if is_final(&e) => return self.end(e),
                Err(e) => return self.disconnected(e.to_string()),
            }
            self.has_list = true;
        }

        self.ready.push_back(Ok(event));
        self.socket = Some(socket);
    }

    fn disconnected(&mut self, reason: String) {
        tracing::debug!(reason, "event stream disconnected");
        self.ready.push_back(Ok(Event::Disconnected { reason }));
        self.failures = 1;
    }

    fn end(&mut self, error: Error) {
        self.ready.push_back(Err(error));
        self.ended = true;
    }
}

/// Whether a failed reconnect cannot get better by waiting: the server
/// answered and refused (a 4xx), or the certificate is not trusted.
fn is_final(error: &Error) -> bool {
    let refused = error.status().is_some_and(|s| (400..500).contains(&s));
    refused || error.is_tls()
}

/// Opens a socket with the client's credentials, signing in first (or
/// again, once, when the session was refused) if it uses a session.
async fn open(client: &Client, delta: bool) -> Result<Socket> {
    let auth = &client.inner.auth;
    if auth.uses_session() && auth.session().token.is_none() {
        client.sign_in_after(auth.session().generation).await?;
    }
    let generation = auth.session().generation;
    match handshake(client, delta).await {
        Err(e) if e.is_unauthorized() && auth.uses_session() && auth.login.is_some() => {
            client.sign_in_after(generation).await?;
            handshake(client, delta).await
        }
        other => other,
    }
}

async fn handshake(client: &Client, delta: bool) -> Result<Socket> {
    let url = ws_url(client, delta)?;
    let timeout = client.inner.connect_timeout;
    let connecting = async {
        let stream = connect_stream(client, &url).await?;
        let request = upgrade_request(client, &url)?;
        let (socket, _) = tokio_tungstenite::client_async(request, stream)
            .await
            .map_err(Error::from_websocket)?;
        Ok(socket)
    };

    match tokio::time::timeout(timeout, connecting).await {
        Ok(result) => result,
        Err(elapsed) => Err(Error::Timeout(Box::new(elapsed))),
    }
}

/// The upgrade request with the client's credentials (the key as a bearer
/// header rather than `?key=`, so it never sits in a URL) and user agent.
fn upgrade_request(
    client: &Client,
    url: &Url,
) -> Result<tokio_tungstenite::tungstenite::handshake::client::Request> {
    let mut request = url
        .as_str()
        .into_client_request()
        .map_err(Error::from_websocket)?;
    let auth = &client.inner.auth;
    let headers = auth.headers(&auth.session(), &client.inner.origin, false);
    request.headers_mut().extend(headers);

    if let Ok(agent) = client.inner.user_agent.parse() {
        let headers = request.headers_mut();
        headers.insert(reqwest::header::USER_AGENT, agent);
    }
    Ok(request)
}

/// `ws(s)://…/api/ws[?delta=1]` under the base URL.
fn ws_url(client: &Client, delta: bool) -> Result<Url> {
    let mut url = client.url(if delta { "api/ws?delta=1" } else { "api/ws" })?;
    let scheme = if url.scheme() == "https" { "wss" } else { "ws" };
    url.set_scheme(scheme)
        .map_err(|()| Error::Config("cannot make a websocket url".into()))?;
    Ok(url)
}

/// TCP to the URL's host, wrapped in TLS for `wss` with the client's
/// shared TLS configuration.
async fn connect_stream(client: &Client, url: &Url) -> Result<Box<dyn Io>> {
    let port = url.port_or_known_default().unwrap_or(443);
    let (tcp, name) = match url.host() {
        Some(Host::Ipv4(ip)) => (TcpStream::connect((ip, port)).await, ServerName::from(ip)),
        Some(Host::Ipv6(ip)) => (TcpStream::connect((ip, port)).await, ServerName::from(ip)),
        Some(Host::Domain(domain)) => {
            let name = ServerName::try_from(domain.to_owned())
                .map_err(|e| Error::Config(format!("host name {domain:?}: {e}")))?;
            (TcpStream::connect((domain, port)).await, name)
        }
        None => return Err(Error::Config("base url has no host".into())),
    };
    let tcp = tcp.map_err(Error::from_io)?;
    if url.scheme() != "wss" {
        return Ok(Box::new(tcp));
    }
    let connector = tokio_rustls::TlsConnector::from(client.inner.tls.clone());
    let tls = connector.connect(name, tcp).await.map_err(Error::from_io)?;
    Ok(Box::new(tls))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        // Proves the pause sequence 250 ms, 500 ms, 1 s … stops at the maximum.
        let backoff = Backoff::default();
        let pauses: Vec<u128> = (1..=10).map(|n| backoff.delay(n).as_millis()).collect();
        assert_eq!(
            pauses,
            [250, 500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]
        );
        assert_eq!(backoff.delay(u32::MAX), Duration::from_secs(30));
        let odd = Backoff::new(Duration::from_secs(5), Duration::from_secs(1));
        assert_eq!(odd.delay(3), Duration::from_secs(5));
    }

    #[test]
    fn only_refusals_end_a_reconnecting_stream() {
        // Proves 4xx and TLS refusals are final while outages and 5xx are retried.
        assert!(is_final(&Error::api(
            401,
            br#"{"error":"unauthorized"}"#,
            None
        )));
        assert!(is_final(&Error::Tls(rustls::Error::General("pin".into()))));
        assert!(!is_final(&Error::api(503, b"{}", None)));
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(!is_final(&Error::from_io(refused)));
    }

    #[test]
    fn websocket_urls_follow_the_base_url() {
        // Proves https maps to wss, http to ws, and a path prefix is kept.
        let client = Client::builder()
            .base_url("https://[::1]:8443/m")
            .build()
            .unwrap();
        assert_eq!(
            ws_url(&client, true).unwrap().as_str(),
            "wss://[::1]:8443/m/api/ws?delta=1"
        );
        let plain = Client::builder()
            .base_url("http://localhost:8080")
            .build()
            .unwrap();
        assert_eq!(
            ws_url(&plain, false).unwrap().as_str(),
            "ws://localhost:8080/api/ws"
        );
    }
}
