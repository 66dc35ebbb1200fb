//! Small text encodings the harness speaks: lowercase hex for hashes and
//! RFC 3986 percent-encoding for tracker queries and magnet links.

use anyhow::{Context, bail};

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)].into());
        out.push(DIGITS[usize::from(b & 0x0f)].into());
    }
    out
}

/// The bytes spelled by `text`, in either case.
///
/// # Errors
///
/// When `text` has an odd length or a character that is not a hex digit.
pub fn unhex(text: &str) -> anyhow::Result<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        bail!("hex string of odd length {}", text.len());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            let pair = text.get(i..i + 2).context("hex string is not ascii")?;
            u8::from_str_radix(pair, 16).with_context(|| format!("invalid hex digits {pair:?}"))
        })
        .collect()
}

/// A 20-byte info hash from its 40 hex digits.
///
/// # Errors
///
/// When `text` is not exactly 40 hex digits.
pub fn info_hash_bytes(text: &str) -> anyhow::Result<[u8; 20]> {
    let bytes = unhex(text)?;
    bytes
        .try_into()
        .map_err(|v: Vec<u8>| anyhow::anyhow!("info hash has {} bytes, not 20", v.len()))
}

/// Percent-encodes every byte except RFC 3986's unreserved characters, so
/// the result is safe as a query value whatever it carries (`&`, `=`, `:`,
/// spaces, raw hash bytes).
pub fn percent_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push_str(&hex(&[b]).to_ascii_uppercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        // Proves hex and unhex are inverse and accept either case.
        assert_eq!(hex(&[0x00, 0xab, 0x7f]), "00ab7f");
        assert_eq!(unhex("00AB7f").unwrap(), vec![0x00, 0xab, 0x7f]);
        assert!(unhex("abc").is_err());
        assert!(unhex("zz").is_err());
    }

    #[test]
    fn percent_encode_keeps_only_unreserved() {
        // Proves reserved characters and raw bytes are escaped, unreserved kept.
        assert_eq!(percent_encode(b"a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(percent_encode(b"a b&c=d:/"), "a%20b%26c%3Dd%3A%2F");
        assert_eq!(percent_encode(&[0x00, 0xff]), "%00%FF");
    }

    #[test]
    fn info_hash_needs_forty_digits() {
        // Proves only 20-byte hashes are accepted.
        let text = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(hex(&info_hash_bytes(text).unwrap()), text);
        assert!(info_hash_bytes("0123").is_err());
    }
}
