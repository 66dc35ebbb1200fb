//! Which server certificates the client trusts, and the one rustls
//! configuration built from that choice, shared by HTTP requests and the
//! WebSocket so both sides of the client trust exactly the same thing.
//!
//! There are three ordinary choices — the system's roots, a pinned
//! certificate fingerprint, a custom CA — and one that says what it does
//! in its name ([`ClientBuilder::danger_accept_invalid_certs`]). Even that
//! one still checks the handshake signatures, so the TLS session belongs to
//! whoever holds the certificate's key; it just does not care who that is.
//!
//! [`ClientBuilder::danger_accept_invalid_certs`]: crate::ClientBuilder::danger_accept_invalid_certs

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use rustls::DigitallySignedStruct;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The SHA-256 of a certificate's DER bytes: what `mosaic-server` logs at
/// start (`tls certificate sha256="AA:BB:…"`) for clients to pin.
///
/// Parses with or without colons, in any case, and ignores surrounding
/// quotes; prints as colon-separated uppercase hex like the server.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The fingerprint of a DER-encoded certificate.
    pub fn of(certificate_der: &[u8]) -> Self {
        Self(Sha256::digest(certificate_der).into())
    }

    /// The raw 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// Why a string is not a [`Fingerprint`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a certificate fingerprint is 64 hex digits (colons allowed)")]
pub struct InvalidFingerprint;

impl FromStr for Fingerprint {
    type Err = InvalidFingerprint;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits: String = s
            .trim()
            .trim_matches(['"', '\''])
            .chars()
            .filter(|c| *c != ':')
            .collect();
        if digits.len() != 64 {
            return Err(InvalidFingerprint);
        }
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(digits.as_bytes())
            .map_err(|_| InvalidFingerprint)?;
        bytes.try_into().map(Self).map_err(|_| InvalidFingerprint)
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, byte) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{byte:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

/// How the server's certificate is checked.
#[derive(Clone, Debug, Default)]
pub(crate) enum Trust {
    /// The operating system's trust store and rules.
    #[default]
    SystemRoots,
    /// Exactly this leaf certificate, whatever it names.
    Pinned(Fingerprint),
    /// Certificates issued by one of these PEM certificates.
    CaFile(PathBuf),
    /// The same, from PEM bytes already in memory.
    CaPem(Vec<u8>),
    /// Any certificate at all.
    AcceptInvalid,
}

/// The rustls configuration for `trust`, without ALPN (HTTP/1.1 for both
/// requests and the WebSocket upgrade).
pub(crate) fn client_config(trust: &Trust) -> Result<Arc<rustls::ClientConfig>> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = verifier(trust, &provider)?;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("tls versions: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

fn verifier(trust: &Trust, provider: &Arc<CryptoProvider>) -> Result<Arc<dyn ServerCertVerifier>> {
    let algorithms = provider.signature_verification_algorithms;
    Ok(match trust {
        Trust::SystemRoots => {
            let platform = rustls_platform_verifier::Verifier::new(provider.clone())
                .map_err(|e| Error::Config(format!("system trust store: {e}")))?;
            Arc::new(platform)
        }
        Trust::Pinned(fingerprint) => Arc::new(PinnedVerifier {
            pin: Some(*fingerprint),
            algorithms,
        }),
        Trust::CaFile(path) => {
            let pem = std::fs::read(path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            ca_verifier(&pem, provider)?
        }
        Trust::CaPem(pem) => ca_verifier(pem, provider)?,
        Trust::AcceptInvalid => Arc::new(PinnedVerifier {
            pin: None,
            algorithms,
        }),
    })
}

/// A standard WebPKI verifier whose only roots are the PEM certificates.
fn ca_verifier(pem: &[u8], provider: &Arc<CryptoProvider>) -> Result<Arc<dyn ServerCertVerifier>> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_pemfile::certs(&mut &pem[..]) {
        let cert = cert.map_err(|e| Error::Config(format!("reading the CA certificates: {e}")))?;
        roots
            .add(cert)
            .map_err(|e| Error::Config(format!("unusable CA certificate: {e}")))?;
    }
    if roots.is_empty() {
        return Err(Error::Config("no certificate in the CA file".into()));
    }
    let verifier = rustls::client::WebPkiServerVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .map_err(|e| Error::Config(format!("CA verifier: {e}")))?;
    Ok(verifier)
}

/// The certificate named by the pin does not match the one presented.
#[derive(Debug, thiserror::Error)]
#[error("the server's certificate does not match the pinned fingerprint")]
struct PinMismatch;

/// Accepts the leaf certificate whose SHA-256 is the pin (any leaf when
/// there is no pin), and still verifies every handshake signature against
/// that certificate's key.
///
/// Host names and validity dates are deliberately not checked: the pin
/// names one exact certificate, which is what a self-signed server hands
/// out under every name it answers to.
#[derive(Debug)]
struct PinnedVerifier {
    pin: Option<Fingerprint>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.pin {
            Some(pin) if Fingerprint::of(end_entity) != pin => {
                let other = rustls::OtherError(Arc::new(PinMismatch));
                Err(rustls::CertificateError::Other(other).into())
            }
            _ => Ok(ServerCertVerified::assertion()),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_parse_in_every_spelling_and_print_like_the_server() {
        // Proves colons, case and log quotes do not matter, and Display matches the server's log.
        let fp = Fingerprint::of(b"certificate");
        let logged = fp.to_string();
        assert_eq!(logged.len(), 32 * 3 - 1);
        assert_eq!(logged, logged.to_uppercase());
        let bare = logged.replace(':', "").to_lowercase();
        for spelling in [
            logged.clone(),
            bare.clone(),
            format!("\"{logged}\""),
            format!(" {bare}\n"),
        ] {
            assert_eq!(spelling.parse::<Fingerprint>(), Ok(fp), "{spelling:?}");
        }
        assert!(bare[..62].parse::<Fingerprint>().is_err());
        assert!(format!("{}zz", &bare[..62]).parse::<Fingerprint>().is_err());
    }

    #[test]
    fn ca_pem_without_certificates_is_a_configuration_error() {
        // Proves an empty or garbage CA file is refused at build time, not at the first request.
        let error = client_config(&Trust::CaPem(b"not a certificate".to_vec())).unwrap_err();
        assert!(
            matches!(error, Error::Config(ref m) if m.contains("no certificate")),
            "{error}"
        );
        let missing = client_config(&Trust::CaFile("/nonexistent/ca.pem".into())).unwrap_err();
        assert!(matches!(missing, Error::Read { .. }));
        assert!(client_config(&Trust::SystemRoots).is_ok());
    }
}
