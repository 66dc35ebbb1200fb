//! IP blocklists: parsing the formats people publish (PeerGuardian text,
//! eMule DAT, and plain CIDR or address lines, IPv4 and IPv6, optionally
//! gzip-compressed) into address ranges, and writing them in the form
//! librqbit loads.

use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::ops::RangeInclusive;

use crate::{Error, Result};

/// Most bytes a list may have once decompressed; a longer body is cut
/// there (a gzip bomb gets no further).
pub const MAX_DECODED: u64 = 256 * 1024 * 1024;

/// A parsed blocklist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Blocklist {
    /// IPv4 ranges, inclusive.
    pub v4: Vec<RangeInclusive<Ipv4Addr>>,
    /// IPv6 ranges, inclusive.
    pub v6: Vec<RangeInclusive<Ipv6Addr>>,
}

impl Blocklist {
    /// Parses a list body, gunzipping it first when it starts with gzip's
    /// magic bytes. Lines that are not ranges are skipped.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the gzip stream is corrupt or no line
    /// holds a valid entry.
    pub fn parse(body: &[u8]) -> Result<Self> {
        let text = decode(body)?;
        let mut list = Self::default();
        for line in String::from_utf8_lossy(&text).lines() {
            match parse_line(line) {
                Some(Entry::V4(r)) => list.v4.push(r),
                Some(Entry::V6(r)) => list.v6.push(r),
                None => {}
            }
        }
        if list.is_empty() {
            return Err(Error::InvalidInput(
                "the body holds no blocklist entry".into(),
            ));
        }
        Ok(list)
    }

    /// Number of ranges.
    pub fn len(&self) -> usize {
        self.v4.len() + self.v6.len()
    }

    /// Whether there are no ranges.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `ip` falls in a range.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(ip) => self.v4.iter().any(|r| r.contains(&ip)),
            IpAddr::V6(ip) => self.v6.iter().any(|r| r.contains(&ip)),
        }
    }

    /// The list as `name:start-end` lines, the text librqbit reads.
    pub fn to_engine_text(&self) -> String {
        let v4 = self
            .v4
            .iter()
            .map(|r| format!("b:{}-{}\n", r.start(), r.end()));
        let v6 = self
            .v6
            .iter()
            .map(|r| format!("b:{}-{}\n", r.start(), r.end()));
        v4.chain(v6).collect()
    }
}

fn decode(body: &[u8]) -> Result<Vec<u8>> {
    if !body.starts_with(&[0x1f, 0x8b]) {
        return Ok(body.iter().copied().take(MAX_DECODED as usize).collect());
    }
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(body)
        .take(MAX_DECODED)
        .read_to_end(&mut text)
        .map_err(|e| Error::InvalidInput(format!("corrupt gzip body: {e}")))?;
    Ok(text)
}

enum Entry {
    V4(RangeInclusive<Ipv4Addr>),
    V6(RangeInclusive<Ipv6Addr>),
}

/// One line in any supported format, or `None` for comments and noise.
fn parse_line(line: &str) -> Option<Entry> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
        return None;
    }
    emule_dat(line)
        .or_else(|| peerguardian(line))
        .or_else(|| cidr_or_address(line))
}

/// eMule DAT: `start - end , level , description`. Levels of 128 and
/// above mean "allow" in that format, so they are not blocked.
fn emule_dat(line: &str) -> Option<Entry> {
    let mut fields = line.splitn(3, ',');
    let (range, level) = (fields.next()?, fields.next()?);
    let level: u32 = level.trim().parse().ok()?;
    if level >= 128 {
        return None;
    }
    let (start, end) = range.split_once('-')?;
    range_of(start.trim(), end.trim())
}

/// PeerGuardian text: `description:start-end` (the description may hold
/// colons, IPv6 addresses hold many, so the range is found from the right
/// by its dash).
fn peerguardian(line: &str) -> Option<Entry> {
    let dash = line.rfind('-')?;
    let (left, end) = (&line[..dash], line[dash + 1..].trim());
    let start = if end.contains(':') {
        // IPv6: the start address is the longest valid suffix after a colon.
        left.char_indices()
            .filter(|&(_, c)| c == ':')
            .map(|(i, _)| left[i + 1..].trim())
            .find(|s| s.parse::<Ipv6Addr>().is_ok())?
    } else {
        left.rsplit_once(':')?.1.trim()
    };
    range_of(start, end)
}

/// A single address, or CIDR `addr/len`.
fn cidr_or_address(line: &str) -> Option<Entry> {
    let token = line.split_whitespace().next()?;
    let (address, prefix) = match token.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix.parse::<u32>().ok()?)),
        None => (token, None),
    };
    match address.parse::<IpAddr>().ok()? {
        IpAddr::V4(ip) => {
            let prefix = prefix.unwrap_or(32);
            (prefix <= 32).then_some(())?;
            let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
            let start = ip.to_bits() & mask;
            Some(Entry::V4(
                Ipv4Addr::from_bits(start)..=Ipv4Addr::from_bits(start | !mask),
            ))
        }
        IpAddr::V6(ip) => {
            let prefix = prefix.unwrap_or(128);
            (prefix <= 128).then_some(())?;
            let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
            let start = ip.to_bits() & mask;
            Some(Entry::V6(
                Ipv6Addr::from_bits(start)..=Ipv6Addr::from_bits(start | !mask),
            ))
        }
    }
}

fn range_of(start: &str, end: &str) -> Option<Entry> {
    match (parse_padded(start)?, parse_padded(end)?) {
        (IpAddr::V4(a), IpAddr::V4(b)) if a <= b => Some(Entry::V4(a..=b)),
        (IpAddr::V6(a), IpAddr::V6(b)) if a <= b => Some(Entry::V6(a..=b)),
        _ => None,
    }
}

/// An address, accepting the zero-padded IPv4 octets eMule lists use
/// (`001.002.003.004`), read as decimal.
fn parse_padded(text: &str) -> Option<IpAddr> {
    if let Ok(ip) = text.parse() {
        return Some(ip);
    }
    let octets: Vec<u8> = text
        .split('.')
        .map(|o| o.parse().ok())
        .collect::<Option<_>>()?;
    let octets: [u8; 4] = octets.try_into().ok()?;
    Some(IpAddr::V4(Ipv4Addr::from(octets)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn v4(a: &str, b: &str) -> RangeInclusive<Ipv4Addr> {
        a.parse().unwrap()..=b.parse().unwrap()
    }

    #[test]
    fn every_format_parses_to_the_right_ranges() {
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            ("Some Org:1.2.3.0-1.2.3.255", Some(("1.2.3.0", "1.2.3.255"))),
            (
                "Bad: Corp: Inc:10.0.0.1-10.0.0.9",
                Some(("10.0.0.1", "10.0.0.9")),
            ),
            (
                "  padded name :  5.6.7.8-5.6.7.8  ",
                Some(("5.6.7.8", "5.6.7.8")),
            ),
            (
                "001.002.003.004 - 001.002.003.010 , 000 , emule entry",
                Some(("1.2.3.4", "1.2.3.10")),
            ),
            (
                "001.002.003.004 - 001.002.003.010 , 200 , allowed range",
                None,
            ),
            ("192.168.0.0/16", Some(("192.168.0.0", "192.168.255.255"))),
            ("127.0.0.2", Some(("127.0.0.2", "127.0.0.2"))),
            ("8.8.8.8/0", Some(("0.0.0.0", "255.255.255.255"))),
            ("10.0.0.0/33", None),
            ("name:9.9.9.9-1.1.1.1", None),
            ("# comment: 1.1.1.1-2.2.2.2", None),
            ("not an address", None),
            ("name:1.2.3.4-", None),
        ];
        for (line, expected) in cases {
            let parsed = parse_line(line);
            match (parsed, expected) {
                (Some(Entry::V4(r)), Some((a, b))) => assert_eq!(r, v4(a, b), "{line}"),
                (None, None) => {}
                _ => panic!("wrong result for {line:?}"),
            }
        }
    }

    #[test]
    fn ipv6_ranges_and_cidrs_parse() {
        let list =
            Blocklist::parse(b"v6 net:2001:db8::1-2001:db8::ffff\n2001:db8:1::/48\n").unwrap();
        let first: RangeInclusive<Ipv6Addr> =
            "2001:db8::1".parse().unwrap()..="2001:db8::ffff".parse().unwrap();
        assert_eq!(list.v6[0], first);
        assert!(list.contains("2001:db8:1:ffff::1".parse().unwrap()));
        assert!(!list.contains("2001:db8:2::1".parse().unwrap()));
        assert_eq!(list.v4.len(), 0);
    }

    #[test]
    fn gzip_is_detected_by_its_magic_bytes() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"a:127.0.0.2-127.0.0.2\n").unwrap();
        let list = Blocklist::parse(&gz.finish().unwrap()).unwrap();
        assert!(list.contains("127.0.0.2".parse().unwrap()));
        assert!(!list.contains("127.0.0.3".parse().unwrap()));
        assert!(Blocklist::parse(&[0x1f, 0x8b, 1, 2, 3]).is_err());
    }

    #[test]
    fn a_body_without_entries_is_refused() {
        assert!(Blocklist::parse(b"<html>not found</html>").is_err());
        assert!(Blocklist::parse(b"").is_err());
    }

    #[test]
    fn a_gzip_bomb_is_cut_at_the_cap() {
        // 1 GiB of repeated lines compresses to about a megabyte.
        let line = b"bomb:10.0.0.1-10.0.0.1\n";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let chunk = line.repeat(64 * 1024);
        let mut written = 0u64;
        while written < 1024 * 1024 * 1024 {
            gz.write_all(&chunk).unwrap();
            written += chunk.len() as u64;
        }
        let body = gz.finish().unwrap();
        let decoded = decode(&body).unwrap();
        assert_eq!(decoded.len() as u64, MAX_DECODED);
    }

    #[test]
    fn engine_text_round_trips_through_the_parser() {
        let list = Blocklist::parse(b"1.2.3.0/24\n2001:db8::/32\n").unwrap();
        assert_eq!(
            Blocklist::parse(list.to_engine_text().as_bytes()).unwrap(),
            list
        );
    }
}
