//! Magnet links: the info hash, display name, trackers and the `x.pe` peer
//! addresses that librqbit itself ignores.

use std::net::SocketAddr;

use librqbit_core::magnet::Magnet as EngineMagnet;

use crate::{Error, InfoHash, Result};

/// Longest magnet link accepted, in bytes.
const MAX_MAGNET_LEN: usize = 64 * 1024;

/// A checked magnet link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Magnet {
    pub(crate) info_hash: InfoHash,
    pub(crate) name: Option<String>,
    pub(crate) trackers: Vec<String>,
    /// Peers named by `x.pe`, as IP literals; host names are ignored
    /// because resolving them would leak the torrent to a resolver.
    pub(crate) peers: Vec<SocketAddr>,
}

impl Magnet {
    /// Parses a magnet link the way the engine will, plus `x.pe`.
    ///
    /// # Errors
    /// [`Error::InvalidMagnet`] when the link is not a `magnet:` URL with a
    /// v1 (`btih`) info hash.
    pub(crate) fn parse(uri: &str) -> Result<Self> {
        let invalid = |why: &str| Error::InvalidMagnet(why.to_owned());
        if uri.len() > MAX_MAGNET_LEN {
            return Err(invalid("link is too long"));
        }
        if !uri.starts_with("magnet:?") {
            return Err(invalid("expected a magnet:? link"));
        }
        let engine =
            EngineMagnet::parse(uri).map_err(|e| Error::InvalidMagnet(format!("{e:#}")))?;
        let hash = engine
            .as_id20()
            .ok_or_else(|| invalid("no btih info hash"))?;

        let url = url::Url::parse(uri).map_err(|_| invalid("not a url"))?;
        let peers = url
            .query_pairs()
            .filter(|(key, _)| key == "x.pe")
            .filter_map(|(_, value)| value.parse().ok())
            .collect();
        Ok(Self {
            info_hash: InfoHash::from_bytes(hash.0),
            name: engine.name,
            trackers: engine.trackers,
            peers,
        })
    }

    /// A minimal magnet for a torrent: hash, name and trackers.
    pub(crate) fn build(info_hash: InfoHash, name: &str, trackers: &[String]) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        out.append_pair("xt", &format!("urn:btih:{info_hash}"));
        out.append_pair("dn", name);
        for tracker in trackers {
            out.append_pair("tr", tracker);
        }
        format!("magnet:?{}", out.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c";

    #[test]
    fn parses_hash_name_trackers_and_peers() {
        let uri = format!(
            "magnet:?xt=urn:btih:{}&dn=Big+Buck+Bunny&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce\
             &x.pe=127.0.0.1:51413&x.pe=%5B%3A%3A1%5D:6881&x.pe=example.org:1",
            HASH.to_uppercase()
        );
        let m = Magnet::parse(&uri).unwrap();
        assert_eq!(m.info_hash.to_string(), HASH);
        assert_eq!(m.name.as_deref(), Some("Big Buck Bunny"));
        assert_eq!(m.trackers, ["http://127.0.0.1:6969/announce"]);
        assert_eq!(
            m.peers,
            [
                "127.0.0.1:51413".parse().unwrap(),
                "[::1]:6881".parse().unwrap()
            ]
        );
    }

    #[test]
    fn rejects_malformed_links() {
        for bad in [
            "",
            "http://example.org/x.torrent",
            "magnet:?dn=nohash",
            "magnet:?xt=urn:btih:1234",
            "magnet:?xt=urn:sha1:dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c",
        ] {
            assert!(
                matches!(Magnet::parse(bad), Err(Error::InvalidMagnet(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn built_magnets_parse_back() {
        let hash: InfoHash = HASH.parse().unwrap();
        let uri = Magnet::build(hash, "a & b", &["http://127.0.0.1:1/a".into()]);
        let m = Magnet::parse(&uri).unwrap();
        assert_eq!((m.info_hash, m.name.as_deref()), (hash, Some("a & b")));
    }
}
