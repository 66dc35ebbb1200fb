//! [`ClientBuilder`]: where the server is, how to prove who we are, which
//! certificate to trust, and the timeouts.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::auth::{Auth, Login, Secret};
use crate::client::{Client, Inner};
use crate::error::{Error, Result};
use crate::live::Backoff;
use crate::tls::{Fingerprint, Trust, client_config};

/// Time allowed for a whole request, unless changed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Time allowed to open a connection, unless changed.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Configures a [`Client`]; made by [`Client::builder`].
///
/// Only the base URL is required. Without a key or a sign-in only the
/// public routes answer (`version`, `login`). The certificate is checked
/// against the system's roots unless one of the other choices is made;
/// the last choice made wins.
#[derive(Debug)]
pub struct ClientBuilder {
    base_url: Option<String>,
    api_key: Option<Secret>,
    login: Option<Login>,
    session_token: Option<Secret>,
    trust: Trust,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    backoff: Backoff,
    invalid: Option<Error>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            api_key: None,
            login: None,
            session_token: None,
            trust: Trust::default(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: concat!("mosaic-client/", env!("CARGO_PKG_VERSION")).to_owned(),
            backoff: Backoff::default(),
            invalid: None,
        }
    }
}

impl ClientBuilder {
    /// The server, `https://host:port` (what `MOSAIC` holds in the seed's
    /// examples). A path prefix is kept for servers behind a proxy.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Authenticate every request with this API key (`Authorization:
    /// Bearer`). Takes precedence over a sign-in.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Secret::new(key));
        self
    }

    /// Sign in with a username and password and use the session cookie.
    /// The client signs in on first use and again whenever the server
    /// says the session has expired.
    pub fn login(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.login = Some(Login {
            username: username.into(),
            password: Secret::new(password),
        });
        self
    }

    /// Resume a session whose token was saved from
    /// [`Client::session_token`]. Without [`ClientBuilder::login`] as well,
    /// an expired session is an error rather than a new sign-in.
    pub fn session_token(mut self, token: impl Into<String>) -> Self {
        self.session_token = Some(Secret::new(token));
        self
    }

    /// Trust the certificates the operating system trusts (the default).
    pub fn system_roots(mut self) -> Self {
        self.trust = Trust::SystemRoots;
        self
    }

    /// Trust exactly the certificate with this SHA-256 fingerprint, as the
    /// server logs it (`AA:BB:…`; colons and case do not matter). Host
    /// names and dates are not checked: the pin names one certificate.
    pub fn fingerprint(mut self, fingerprint: &str) -> Self {
        match fingerprint.parse::<Fingerprint>() {
            Ok(pin) => self.trust = Trust::Pinned(pin),
            Err(e) => self.invalid = Some(Error::Config(e.to_string())),
        }
        self
    }

    /// Like [`ClientBuilder::fingerprint`] with a parsed [`Fingerprint`].
    pub fn pin(mut self, fingerprint: Fingerprint) -> Self {
        self.trust = Trust::Pinned(fingerprint);
        self
    }

    /// Trust certificates issued by the PEM certificates in this file
    /// (which may be the server's own self-signed `cert.pem`). Read when
    /// the client is built.
    pub fn ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.trust = Trust::CaFile(path.into());
        self
    }

    /// Like [`ClientBuilder::ca_file`] with the PEM bytes themselves.
    pub fn ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.trust = Trust::CaPem(pem.into());
        self
    }

    /// Accept any certificate, as `curl -k` does: anyone who can intercept
    /// the connection can read the API key. Meant for a self-signed server
    /// on a network you trust; prefer [`ClientBuilder::fingerprint`].
    /// `false` goes back to the system's roots.
    pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
        if accept {
            self.trust = Trust::AcceptInvalid;
        } else if matches!(self.trust, Trust::AcceptInvalid) {
            self.trust = Trust::SystemRoots;
        }
        self
    }

    /// Time allowed for a whole request (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` sent (default `mosaic-client/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The shortest and longest pause between reconnection attempts of the
    /// event stream (default 250 ms doubling up to 30 s).
    pub fn reconnect_delay(mut self, first: Duration, max: Duration) -> Self {
        self.backoff = Backoff::new(first, max);
        self
    }

    /// Builds the client. Nothing is sent yet.
    ///
    /// # Errors
    /// [`Error::Config`] for a missing or unusable base URL, an invalid
    /// fingerprint or an empty CA file; [`Error::Read`] when the CA file
    /// cannot be read.
    pub fn build(self) -> Result<Client> {
        if let Some(invalid) = self.invalid {
            return Err(invalid);
        }
        let base = base_url(self.base_url.as_deref())?;
        let tls = client_config(&self.trust)?;

        let http = reqwest::Client::builder()
            .tls_backend_preconfigured((*tls).clone())
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent.clone())
            // The API never redirects; following one could carry the key
            // elsewhere. Proxies are not used, like the WebSocket.
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .map_err(|e| Error::Config(format!("http client: {e}")))?;

        let auth = Auth::new(self.api_key, self.login, self.session_token);
        let origin = base.origin().ascii_serialization();
        Ok(Client::from_inner(Arc::new(Inner {
            http,
            base,
            origin,
            auth,
            tls,
            user_agent: self.user_agent,
            connect_timeout: self.connect_timeout,
            backoff: self.backoff,
        })))
    }
}

/// Parses and checks the base URL: http(s), a host, no credentials, query
/// or fragment, and a path ending in `/` so that API paths join under it.
fn base_url(raw: Option<&str>) -> Result<Url> {
    let raw = raw.ok_or_else(|| Error::Config("no base url".into()))?;
    let mut url =
        Url::parse(raw.trim()).map_err(|e| Error::Config(format!("base url {raw:?}: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(Error::Config(format!(
            "base url {raw:?}: expected https://host:port"
        )));
    }
    // Credentials in the URL would end up in error messages and logs.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(
            "base url must not contain credentials".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(
            "base url must not have a query or fragment".into(),
        ));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_normalised() {
        // Proves good URLs gain a trailing slash and unsafe or foreign ones are refused.
        assert_eq!(
            base_url(Some("https://127.0.0.1:8080")).unwrap().as_str(),
            "https://127.0.0.1:8080/"
        );
        assert_eq!(
            base_url(Some("https://h/mosaic")).unwrap().as_str(),
            "https://h/mosaic/"
        );
        for bad in [
            "ftp://h",
            "https://user:pw@h",
            "https://h/?key=x",
            "not a url",
            "https://h/#f",
        ] {
            assert!(
                matches!(base_url(Some(bad)), Err(Error::Config(_))),
                "{bad}"
            );
        }
        assert!(base_url(None).is_err());
    }

    #[test]
    fn builder_reports_bad_input_and_hides_secrets() {
        // Proves an invalid fingerprint fails build() and Debug never shows the key or password.
        let bad = Client::builder()
            .base_url("https://127.0.0.1:1")
            .fingerprint("AB:CD")
            .build();
        assert!(matches!(bad, Err(Error::Config(_))));
        let builder = Client::builder()
            .api_key("sekrit-key")
            .login("admin", "sekrit-pw");
        let shown = format!("{builder:?}");
        assert!(!shown.contains("sekrit"), "{shown}");
        let client = builder.base_url("https://127.0.0.1:1").build().unwrap();
        assert!(!format!("{client:?}").contains("sekrit"));
    }

    #[test]
    fn danger_choice_can_be_undone() {
        // Proves danger_accept_invalid_certs(false) returns to system roots, and only then.
        let builder = ClientBuilder::default().danger_accept_invalid_certs(true);
        assert!(matches!(builder.trust, Trust::AcceptInvalid));
        let builder = builder.danger_accept_invalid_certs(false);
        assert!(matches!(builder.trust, Trust::SystemRoots));
        let pinned = ClientBuilder::default()
            .pin(Fingerprint::of(b"x"))
            .danger_accept_invalid_certs(false);
        assert!(matches!(pinned.trust, Trust::Pinned(_)));
    }
}
