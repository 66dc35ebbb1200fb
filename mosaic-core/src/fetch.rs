//! Fetching URLs on the operator's behalf (blocklists, the release feed)
//! without becoming a way into the local network: only http and https,
//! a size cap and a timeout, and — unless the operator allows it —
//! no loopback, private, link-local or multicast target, checked on the
//! address actually connected to (after DNS) and again on every redirect.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Redirects followed at most.
const MAX_REDIRECTS: usize = 5;

/// Why a fetch failed; the message is meant for the operator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FetchError(pub String);

/// An HTTP client for operator-configured URLs.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    allow_private: bool,
}

impl Fetcher {
    /// A fetcher; `allow_private` lets it reach loopback and private
    /// networks (for a mirror on the LAN, or tests).
    ///
    /// # Errors
    /// Fails when the TLS backend cannot start.
    pub fn new(allow_private: bool, timeout: Duration) -> Result<Self, FetchError> {
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                return attempt.error("too many redirects");
            }
            match check_url(attempt.url(), allow_private) {
                Ok(()) => attempt.follow(),
                Err(e) => attempt.error(e.0),
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(concat!("Mosaic/", env!("CARGO_PKG_VERSION")))
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(10))
            .redirect(redirects)
            .no_proxy()
            .dns_resolver(Arc::new(Guarded { allow_private }))
            .build()
            .map_err(|e| FetchError(format!("http client: {e}")))?;
        Ok(Self {
            client,
            allow_private,
        })
    }

    /// Downloads `url` into memory, at most `max_bytes`.
    ///
    /// # Errors
    /// A [`FetchError`] saying what happened: a refused or malformed URL,
    /// no answer, a non-2xx status, or a body over the cap.
    pub async fn get(&self, url: &str, max_bytes: u64) -> Result<Vec<u8>, FetchError> {
        let parsed = url::Url::parse(url).map_err(|_| FetchError("malformed url".into()))?;
        check_url(&parsed, self.allow_private)?;
        let response = self.client.get(parsed).send().await.map_err(describe)?;
        let status = response.status();
        if !status.is_success() {
            return Err(FetchError(format!(
                "server answered http {}",
                status.as_u16()
            )));
        }
        if response.content_length().is_some_and(|n| n > max_bytes) {
            return Err(FetchError(format!("body larger than {max_bytes} bytes")));
        }
        let mut body = Vec::new();
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(describe)?;
            if body.len() as u64 + chunk.len() as u64 > max_bytes {
                return Err(FetchError(format!("body larger than {max_bytes} bytes")));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// Checks a URL's scheme and, when its host is an address, the address.
pub fn check_url(url: &url::Url, allow_private: bool) -> Result<(), FetchError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchError("only http and https urls are fetched".into()));
    }
    let literal = match url.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        Some(url::Host::Domain(_)) => None,
        None => return Err(FetchError("url has no host".into())),
    };
    match literal {
        Some(ip) if !allow_private && is_internal(ip) => Err(refused(ip)),
        _ => Ok(()),
    }
}

fn refused(ip: IpAddr) -> FetchError {
    FetchError(format!(
        "refused to fetch from the private or local address {ip}"
    ))
}

/// Loopback, private, link-local, multicast, unspecified and other
/// addresses that do not lead to the public internet.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_multicast()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || o[0] >= 240
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_internal(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

fn describe(e: reqwest::Error) -> FetchError {
    let what = if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_connect() {
        "could not connect".to_owned()
    } else if e.is_redirect() {
        "bad redirect".to_owned()
    } else {
        "request failed".to_owned()
    };
    let mut detail = String::new();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        detail = cause.to_string();
        source = cause.source();
    }
    if detail.is_empty() {
        FetchError(what)
    } else {
        FetchError(format!("{what}: {detail}"))
    }
}

/// A resolver that drops internal addresses, so a public name that
/// resolves to a private address cannot be used to reach it.
struct Guarded {
    allow_private: bool,
}

impl Resolve for Guarded {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| allow_private || !is_internal(a.ip()))
                .collect();
            if allowed.is_empty() {
                let first = found.first().map(|a| a.ip());
                let message =
                    first.map_or_else(|| format!("{host} did not resolve"), |ip| refused(ip).0);
                return Err(message.into());
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.1.1",
            "224.0.0.1",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:4700::1111", "8.8.8.8"] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn schemes_and_literals_are_checked() {
        let check = |u: &str, allow| check_url(&url::Url::parse(u).unwrap(), allow);
        assert!(check("file:///etc/passwd", true).is_err());
        assert!(check("ftp://example.org/x", true).is_err());
        assert!(check("http://127.0.0.1:1/x", false).is_err());
        assert!(check("http://[::1]:1/x", false).is_err());
        assert!(check("http://127.0.0.1:1/x", true).is_ok());
        assert!(check("https://example.org/x", false).is_ok());
    }

    #[tokio::test]
    async fn names_resolving_to_loopback_are_refused_at_connect_time() {
        let fetcher = Fetcher::new(false, Duration::from_secs(5)).unwrap();
        let err = fetcher
            .get("http://localhost:9/list", 1024)
            .await
            .unwrap_err();
        assert!(err.0.contains("refused to fetch"), "{err}");
    }
}
