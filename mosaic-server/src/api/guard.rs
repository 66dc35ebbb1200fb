//! Request guards that do not depend on who is asking: the Host check
//! against DNS rebinding, the same-origin check against cross-site request
//! forgery, and working out the client's address behind trusted proxies.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::uri::Authority;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use mosaic_core::access::Access;

use super::AppState;
use super::error::ApiError;

/// The names and addresses the server answers to.
#[derive(Debug, Clone)]
pub struct HostPolicy {
    bound: SocketAddr,
    tls: bool,
    configured: Vec<String>,
    trusted_proxies: Vec<IpAddr>,
    access: Arc<Access>,
}

/// How strictly a request must prove it comes from our own pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OriginRule {
    /// `Origin` (else `Referer`) must be present and match.
    Required,
    /// When present it must match; absent is fine (sign-in from scripts).
    IfPresent,
}

impl HostPolicy {
    /// A policy for a server bound to `bound`. Configured names are added to
    /// the loopback names and literals, the bound address, and the names
    /// stored in the web settings.
    pub fn new(
        bound: SocketAddr,
        tls: bool,
        configured: Vec<String>,
        trusted_proxies: Vec<IpAddr>,
        access: Arc<Access>,
    ) -> Self {
        Self {
            bound,
            tls,
            configured,
            trusted_proxies,
            access,
        }
    }

    /// Whether the server speaks TLS.
    pub fn tls(&self) -> bool {
        self.tls
    }

    fn default_port(&self) -> u16 {
        if self.tls { 443 } else { 80 }
    }

    fn scheme(&self) -> &'static str {
        if self.tls { "https" } else { "http" }
    }

    /// Whether a `Host` value names this server: an allowed name, written
    /// exactly (lowercase, no trailing dot), with the bound port.
    pub fn host_allowed(&self, host: &str) -> bool {
        let Ok(authority) = host.parse::<Authority>() else {
            return false;
        };
        if authority.as_str().contains('@') {
            return false;
        }
        let port = authority.port_u16().unwrap_or(self.default_port());
        port == self.bound.port() && self.name_allowed(authority.host())
    }

    fn name_allowed(&self, name: &str) -> bool {
        if name == "localhost" || self.configured.iter().any(|n| n == name) {
            return true;
        }
        if self.access.host_names().iter().any(|n| n == name) {
            return true;
        }
        let literal = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .unwrap_or(name);
        match literal.parse::<IpAddr>() {
            // Only the canonical spelling counts, so "127.1" or zero-padded
            // forms that some resolvers accept are not let through.
            Ok(ip) => ip.to_string() == literal && (ip.is_loopback() || ip == self.bound.ip()),
            Err(_) => false,
        }
    }

    /// Checks that the request's `Origin` (else `Referer`) is this server
    /// as named in its `Host`.
    ///
    /// # Errors
    /// `403 origin mismatch`, or `403 missing origin` under
    /// [`OriginRule::Required`] when neither header is there.
    pub fn check_origin(
        &self,
        headers: &HeaderMap,
        host: &str,
        rule: OriginRule,
    ) -> Result<(), ApiError> {
        let origins = headers.get_all(header::ORIGIN).iter().count();
        let (claimed, is_referer) = match headers.get(header::ORIGIN) {
            Some(origin) => (Some(origin), false),
            None => (headers.get(header::REFERER), true),
        };
        let Some(claimed) = claimed else {
            return match rule {
                OriginRule::Required => Err(forbidden("missing origin")),
                OriginRule::IfPresent => Ok(()),
            };
        };
        let claimed = claimed.to_str().unwrap_or_default();
        if origins <= 1 && self.same_origin(claimed, host, is_referer) {
            Ok(())
        } else {
            Err(forbidden("origin mismatch"))
        }
    }

    /// Compares the claimed origin as text with this server's origin as the
    /// request names it (`Host` was already checked to be ours). Browsers
    /// send an origin exactly so; anything spelled otherwise (userinfo, a
    /// path, other case, short address forms) is not one of ours.
    fn same_origin(&self, claimed: &str, host: &str, is_referer: bool) -> bool {
        let expected = format!("{}://{host}", self.scheme());
        match is_referer {
            false => claimed == expected,
            true => claimed
                .strip_prefix(&expected)
                .is_some_and(|rest| rest.starts_with('/')),
        }
    }

    /// The client's address: the TCP peer, or, when the peer is a trusted
    /// proxy, the nearest untrusted address in `X-Forwarded-For`.
    pub fn client_ip(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> IpAddr {
        let peer = peer.unwrap_or(IpAddr::from([0, 0, 0, 0]));
        if !self.trusted_proxies.contains(&peer) {
            return peer;
        }
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .collect::<Vec<_>>();
        forwarded
            .into_iter()
            .rev()
            .find(|ip| !self.trusted_proxies.contains(ip))
            .unwrap_or(peer)
    }

    fn is_trusted_proxy(&self, peer: Option<IpAddr>) -> bool {
        peer.is_some_and(|p| self.trusted_proxies.contains(&p))
    }
}

fn forbidden(message: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, message)
}

/// The `Host` of a request (HTTP/2 carries it in the URI).
pub(super) fn request_host(request: &Request) -> Option<String> {
    let header = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    header
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.to_string()))
}

/// The TCP peer's address, when the request came over a socket.
pub(super) fn peer_ip(request: &Request) -> Option<IpAddr> {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

/// Refuses requests whose `Host` is not this server (`421 host not
/// allowed`), which is what a DNS-rebinding page would send. A forwarded
/// host from anyone but a trusted proxy is refused too.
pub(super) async fn host_check(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let policy = &state.policy;
    let host = request_host(&request);
    // Two Host headers, or a request-target naming another authority than
    // Host, could make a proxy and this server disagree on who is asked.
    let hosts = request.headers().get_all(header::HOST).iter().count();
    let target = request.uri().authority().map(|a| a.as_str().to_owned());
    let consistent = hosts <= 1 && target.as_ref().is_none_or(|t| Some(t) == host.as_ref());
    let forwarded = request.headers().contains_key("x-forwarded-host");
    let allowed = consistent
        && host.is_some_and(|h| policy.host_allowed(&h))
        && (!forwarded || policy.is_trusted_proxy(peer_ip(&request)));
    if !allowed {
        return Err(ApiError::new(
            StatusCode::MISDIRECTED_REQUEST,
            "host not allowed",
        ));
    }
    Ok(next.run(request).await)
}

/// The client's address as [`HostPolicy::client_ip`] works it out.
pub(super) struct ClientIp(pub(super) IpAddr);

impl axum::extract::FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(Self(state.policy.client_ip(peer, &parts.headers)))
    }
}
