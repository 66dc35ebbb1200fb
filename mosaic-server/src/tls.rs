//! TLS: the self-signed certificate made on first start (ECDSA P-256, kept
//! in the data directory and reused) or a user's own, served by rustls with
//! TLS 1.2 and 1.3 only.

use std::io::Write;
use std::net::SocketAddr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};

/// A loaded certificate chain and key.
pub struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

impl Identity {
    /// Reads a user's PEM certificate chain and key.
    ///
    /// # Errors
    /// Fails when either file is unreadable or holds no certificate or key.
    pub fn from_files(cert: &Path, key: &Path) -> anyhow::Result<Self> {
        let cert_pem =
            std::fs::read(cert).with_context(|| format!("reading {}", cert.display()))?;
        let key_pem = std::fs::read(key).with_context(|| format!("reading {}", key.display()))?;
        Self::from_pem(&cert_pem, &key_pem)
    }

    fn from_pem(cert_pem: &[u8], key_pem: &[u8]) -> anyhow::Result<Self> {
        let chain = rustls_pemfile::certs(&mut &cert_pem[..])
            .collect::<Result<Vec<_>, _>>()
            .context("parsing certificate")?;
        anyhow::ensure!(!chain.is_empty(), "no certificate in the certificate file");
        let key = rustls_pemfile::private_key(&mut &key_pem[..])
            .context("parsing private key")?
            .context("no private key in the key file")?;
        Ok(Self { chain, key })
    }

    /// Loads `<data>/tls/cert.pem` and `key.pem`, making them first when
    /// absent. The certificate names localhost, the loopback addresses, the
    /// bound address and every configured host name.
    ///
    /// # Errors
    /// Fails when the files cannot be written or read.
    pub fn self_signed(
        data_dir: &Path,
        listen: SocketAddr,
        host_names: &[String],
    ) -> anyhow::Result<Self> {
        let dir = data_dir.join("tls");
        let (cert_path, key_path) = (dir.join("cert.pem"), dir.join("key.pem"));
        if !cert_path.exists() || !key_path.exists() {
            std::fs::create_dir_all(&dir)?;
            let (cert_pem, key_pem) = generate(listen, host_names)?;
            write_private(&key_path, key_pem.as_bytes())?;
            std::fs::write(&cert_path, cert_pem)?;
            tracing::info!(path = %cert_path.display(), "self-signed certificate created");
        }
        Self::from_files(&cert_path, &key_path)
    }

    /// SHA-256 of the leaf certificate, as colon-separated hex: what
    /// clients pin.
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(self.chain[0].as_ref());
        digest
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":")
    }

    /// A rustls server configuration offering HTTP/1.1.
    ///
    /// # Errors
    /// Fails when the key does not match the certificate.
    pub fn server_config(self) -> anyhow::Result<Arc<rustls::ServerConfig>> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
            .with_no_client_auth()
            .with_single_cert(self.chain, self.key)
            .context("certificate and key do not match")?;
        // HTTP/1.1 only: with HTTP/2, clients that are still sending a body
        // the server refuses (413) see the stream reset instead of the
        // answer, and WebSockets need HTTP/1.1 anyway.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

fn generate(listen: SocketAddr, host_names: &[String]) -> anyhow::Result<(String, String)> {
    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    if !listen.ip().is_unspecified() {
        names.push(listen.ip().to_string());
    }
    names.extend(host_names.iter().cloned());
    names.dedup();
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let mut params = rcgen::CertificateParams::new(names)?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Mosaic self-signed");
    let cert = params.self_signed(&key)?;
    Ok((cert.pem(), key.serialize_pem()))
}

/// Writes a file readable by its owner only, from its creation on.
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn self_signed_is_made_once_with_a_private_key_file() {
        let dir = tempfile::tempdir().unwrap();
        let listen: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let first = Identity::self_signed(dir.path(), listen, &[])
            .unwrap()
            .fingerprint();
        let again = Identity::self_signed(dir.path(), listen, &[])
            .unwrap()
            .fingerprint();
        assert_eq!(first, again);
        assert_eq!(first.len(), 32 * 3 - 1);
        let mode = std::fs::metadata(dir.path().join("tls/key.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert!(
            Identity::self_signed(dir.path(), listen, &[])
                .unwrap()
                .server_config()
                .is_ok()
        );
    }
}
