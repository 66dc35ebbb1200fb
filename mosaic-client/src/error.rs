//! The client's one error type: what the server refused (with its status
//! and message), and what went wrong on the way there.
//!
//! Nothing in here holds a secret: the API key, the password and the
//! session token never reach an error, so `Display` and `Debug` are safe to
//! log.

use std::time::Duration;

/// Everything a [`Client`](crate::Client) call can fail with.
///
/// Ask it questions rather than matching on variants: [`Error::status`],
/// [`Error::is_unauthorized`], [`Error::is_rate_limited`] with
/// [`Error::retry_after`], [`Error::is_connect`] and so on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status and its JSON message.
    #[error("server answered {status}: {message}")]
    Api {
        /// The HTTP status.
        status: u16,
        /// The server's `{"error": ...}` message.
        message: String,
        /// The `Retry-After` of a `429`.
        retry_after: Option<Duration>,
    },
    /// No connection could be made: refused, unreachable, or DNS.
    #[error("cannot connect to the server")]
    Connect(#[source] BoxError),
    /// The TLS handshake failed, most often because the server's
    /// certificate is not the one trusted.
    #[error("tls handshake failed: {}", tls_reason(.0))]
    Tls(#[source] rustls::Error),
    /// The server took longer than the timeout.
    #[error("request timed out")]
    Timeout(#[source] BoxError),
    /// The request or the answer broke off after the connection was made.
    #[error("request failed")]
    Http(#[source] reqwest::Error),
    /// The WebSocket failed after it was opened.
    #[error("websocket failed")]
    WebSocket(#[source] Box<tokio_tungstenite::tungstenite::Error>),
    /// The server answered something that is not the expected JSON.
    #[error("unexpected answer from the server")]
    Decode(#[source] serde_json::Error),
    /// The client was configured wrongly (base URL, certificate, key).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// A local file could not be read.
    #[error("cannot read {path}")]
    Read {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// A boxed cause.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Result with the client's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The HTTP status the server answered, when it answered one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } => Some(*status),
            Self::Http(e) => e.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// The server's own error message (`"torrent not found"`), when it
    /// answered one.
    pub fn message(&self) -> Option<&str> {
        match self {
            Self::Api { message, .. } => Some(message),
            _ => None,
        }
    }

    /// `401`: no valid key or session, or wrong sign-in credentials.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// `403`: a cookie request failed the origin check.
    pub fn is_forbidden(&self) -> bool {
        self.status() == Some(403)
    }

    /// `404`: no such torrent, category or route.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// `400`: the request was refused as malformed or invalid.
    pub fn is_bad_request(&self) -> bool {
        self.status() == Some(400)
    }

    /// `409`: the request conflicts with the current state (a taken
    /// category name, metadata not yet available, no update to install).
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409)
    }

    /// `429`: too many sign-in attempts; see [`Error::retry_after`].
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(429)
    }

    /// How long the server asked to wait before trying again.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The server could not be reached at all, including a refused TLS
    /// certificate: nothing was sent.
    pub fn is_connect(&self) -> bool {
        matches!(self, Self::Connect(_) | Self::Tls(_))
    }

    /// The TLS handshake failed (see [`Error::is_connect`]).
    pub fn is_tls(&self) -> bool {
        matches!(self, Self::Tls(_))
    }

    /// The server did not answer in time.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout(_))
    }

    /// Sorts a transport failure into connect, TLS, timeout or the rest.
    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        if let Some(tls) = find_rustls(&error) {
            return Self::Tls(tls);
        }
        if error.is_timeout() {
            return Self::Timeout(Box::new(error));
        }
        if error.is_connect() {
            return Self::Connect(Box::new(error));
        }
        Self::Http(error)
    }

    /// Sorts a WebSocket failure the same way.
    pub(crate) fn from_websocket(error: tokio_tungstenite::tungstenite::Error) -> Self {
        use tokio_tungstenite::tungstenite::Error as Ws;
        if let Some(tls) = find_rustls(&error) {
            return Self::Tls(tls);
        }
        match error {
            Ws::Io(io) => Self::from_io(io),
            Ws::Http(response) => {
                let status = response.status().as_u16();
                let body = response.body().as_deref().unwrap_or_default();
                Self::api(status, body, None)
            }
            other => Self::WebSocket(Box::new(other)),
        }
    }

    /// Sorts an I/O failure while connecting.
    pub(crate) fn from_io(error: std::io::Error) -> Self {
        if let Some(tls) = find_rustls(&error) {
            return Self::Tls(tls);
        }
        match error.kind() {
            std::io::ErrorKind::TimedOut => Self::Timeout(Box::new(error)),
            _ => Self::Connect(Box::new(error)),
        }
    }

    /// An error answer: the JSON message when the body has one, else the
    /// start of the body as text.
    pub(crate) fn api(status: u16, body: &[u8], retry_after: Option<Duration>) -> Self {
        let message = match serde_json::from_slice::<mosaic_core::wire::ErrorBody>(body) {
            Ok(parsed) => parsed.error,
            Err(_) => String::from_utf8_lossy(&body[..body.len().min(200)])
                .trim()
                .to_owned(),
        };
        Self::Api {
            status,
            message,
            retry_after,
        }
    }
}

/// A readable reason for a refused handshake: rustls prints the cause of
/// a custom verifier's refusal in `Debug` form.
fn tls_reason(error: &rustls::Error) -> String {
    use rustls::CertificateError;
    match error {
        rustls::Error::InvalidCertificate(CertificateError::Other(other)) => other.0.to_string(),
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            "the certificate's issuer is not trusted".into()
        }
        other => other.to_string(),
    }
}

/// The rustls error somewhere in a chain of causes.
///
/// `std::io::Error::source` skips the error it wraps, so wrapped errors are
/// looked into with `get_ref` as well.
fn find_rustls(error: &(dyn std::error::Error + 'static)) -> Option<rustls::Error> {
    let mut current = Some(error);
    while let Some(e) = current {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls.clone());
        }
        let wrapped = e
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            .map(|inner| inner as &(dyn std::error::Error + 'static));
        if let Some(tls) = wrapped.and_then(find_rustls) {
            return Some(tls);
        }
        current = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_answer_questions() {
        // Proves status predicates, the kept message and retry_after.
        let limited = Error::api(
            429,
            br#"{"error":"too many login attempts"}"#,
            Some(Duration::from_secs(12)),
        );
        assert!(limited.is_rate_limited() && !limited.is_unauthorized());
        assert_eq!(limited.retry_after(), Some(Duration::from_secs(12)));
        assert_eq!(limited.message(), Some("too many login attempts"));
        assert_eq!(
            limited.to_string(),
            "server answered 429: too many login attempts"
        );

        let forbidden = Error::api(403, br#"{"error":"origin mismatch"}"#, None);
        assert!(forbidden.is_forbidden() && !forbidden.is_unauthorized());
        let missing = Error::api(404, br#"{"error":"torrent not found"}"#, None);
        assert!(missing.is_not_found() && missing.retry_after().is_none());
        assert_eq!(
            Error::api(502, b"<html>bad gateway</html>", None).message(),
            Some("<html>bad gateway</html>")
        );
    }

    #[test]
    fn rustls_errors_are_found_inside_io_errors() {
        // Proves a certificate refusal wrapped in io::Error is sorted as TLS.
        let tls = rustls::Error::General("pinned certificate mismatch".into());
        let io = std::io::Error::new(std::io::ErrorKind::InvalidData, tls.clone());
        let sorted = Error::from_io(io);
        assert!(sorted.is_tls() && sorted.is_connect());
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(matches!(Error::from_io(refused), Error::Connect(_)));
    }
}
