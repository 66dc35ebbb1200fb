//! A minimal bencode walker over raw bytes.
//!
//! It never builds a tree: values are handed back as the exact byte slices
//! they occupy in the input. That is what an info hash needs (the SHA-1 of
//! the `info` value as it was written, not as a re-encoder would write it)
//! and it is enough to read tracker answers.

use anyhow::{Context, bail, ensure};

/// How deep lists and dictionaries may nest before the input is refused;
/// real torrents and tracker answers stay in single digits.
const MAX_DEPTH: usize = 64;

/// The index just past the value that starts at `start`.
///
/// # Errors
///
/// When the bytes from `start` are not one well-formed bencode value.
pub fn value_end(input: &[u8], start: usize) -> anyhow::Result<usize> {
    walk(input, start, 0)
}

/// Checks that `raw` is exactly one value and returns it.
///
/// # Errors
///
/// When `raw` is malformed or has trailing bytes.
pub fn whole(raw: &[u8]) -> anyhow::Result<&[u8]> {
    let end = value_end(raw, 0)?;
    ensure!(
        end == raw.len(),
        "{} trailing bytes after the value",
        raw.len() - end
    );
    Ok(raw)
}

fn walk(input: &[u8], start: usize, depth: usize) -> anyhow::Result<usize> {
    ensure!(depth <= MAX_DEPTH, "nesting deeper than {MAX_DEPTH}");
    match input.get(start).copied() {
        Some(b'i') => integer_end(input, start),
        Some(b'l') => sequence_end(input, start, depth, false),
        Some(b'd') => sequence_end(input, start, depth, true),
        Some(b'0'..=b'9') => string_span(input, start).map(|(_, end)| end),
        Some(other) => bail!("unexpected byte {other:#04x} at {start}"),
        None => bail!("input ends at {start} where a value should start"),
    }
}

fn integer_end(input: &[u8], start: usize) -> anyhow::Result<usize> {
    let close = find(input, start, b'e')?;
    parse_int(&input[start + 1..close])?;
    Ok(close + 1)
}

/// Walks the items of a list (or key/value pairs of a dictionary) up to
/// the closing `e`.
fn sequence_end(input: &[u8], start: usize, depth: usize, dict: bool) -> anyhow::Result<usize> {
    let mut pos = start + 1;
    while input.get(pos) != Some(&b'e') {
        if dict {
            pos = string_span(input, pos).context("dictionary key")?.1;
        }
        pos = walk(input, pos, depth + 1)?;
    }
    Ok(pos + 1)
}

/// The content range and end of the byte string at `start` (`<len>:<bytes>`).
fn string_span(input: &[u8], start: usize) -> anyhow::Result<(usize, usize)> {
    let colon = find(input, start, b':')?;
    let len = usize::try_from(parse_int(&input[start..colon])?).context("negative length")?;
    let end = colon
        .checked_add(1 + len)
        .filter(|&end| end <= input.len())
        .with_context(|| format!("byte string at {start} runs past the input"))?;
    Ok((colon + 1, end))
}

fn find(input: &[u8], from: usize, byte: u8) -> anyhow::Result<usize> {
    input[from..]
        .iter()
        .position(|&b| b == byte)
        .map(|i| from + i)
        .with_context(|| format!("missing {:?} after {from}", char::from(byte)))
}

fn parse_int(digits: &[u8]) -> anyhow::Result<i64> {
    let text = std::str::from_utf8(digits).context("integer is not ascii")?;
    text.parse()
        .with_context(|| format!("invalid integer {text:?}"))
}

/// The keys and raw values of the dictionary `raw`, in input order.
///
/// # Errors
///
/// When `raw` is not a well-formed dictionary.
pub fn dict_entries(raw: &[u8]) -> anyhow::Result<Vec<(&[u8], &[u8])>> {
    ensure!(raw.first() == Some(&b'd'), "not a dictionary");
    let mut entries = Vec::new();
    let mut pos = 1;
    while raw.get(pos) != Some(&b'e') {
        let (key_start, key_end) = string_span(raw, pos).context("dictionary key")?;
        let value_end = value_end(raw, key_end)?;
        entries.push((&raw[key_start..key_end], &raw[key_end..value_end]));
        pos = value_end;
    }
    Ok(entries)
}

/// The raw value under `key` in the dictionary `raw`, if present.
///
/// # Errors
///
/// When `raw` is not a well-formed dictionary.
pub fn dict_get<'a>(raw: &'a [u8], key: &[u8]) -> anyhow::Result<Option<&'a [u8]>> {
    let entries = dict_entries(raw)?;
    Ok(entries.into_iter().find(|(k, _)| *k == key).map(|(_, v)| v))
}

/// The integer `raw` holds.
///
/// # Errors
///
/// When `raw` is not exactly one integer value.
pub fn as_int(raw: &[u8]) -> anyhow::Result<i64> {
    ensure!(raw.first() == Some(&b'i'), "not an integer");
    ensure!(
        integer_end(raw, 0)? == raw.len(),
        "trailing bytes after integer"
    );
    parse_int(&raw[1..raw.len() - 1])
}

/// The content of the byte string `raw`.
///
/// # Errors
///
/// When `raw` is not exactly one byte string.
pub fn as_bytes(raw: &[u8]) -> anyhow::Result<&[u8]> {
    let (start, end) = string_span(raw, 0)?;
    ensure!(end == raw.len(), "trailing bytes after byte string");
    Ok(&raw[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &[u8] = b"d8:announce3:url4:infod4:name3:abc6:lengthi-5ee4:listli1e2:xyee";

    #[test]
    fn finds_raw_info_value() {
        // Proves a nested dictionary comes back byte-exact, as hashing needs.
        let info = dict_get(SAMPLE, b"info").unwrap().unwrap();
        assert_eq!(info, b"d4:name3:abc6:lengthi-5ee");
        assert_eq!(
            as_bytes(dict_get(info, b"name").unwrap().unwrap()).unwrap(),
            b"abc"
        );
        assert_eq!(
            as_int(dict_get(info, b"length").unwrap().unwrap()).unwrap(),
            -5
        );
        assert_eq!(dict_get(SAMPLE, b"missing").unwrap(), None);
    }

    #[test]
    fn walks_lists_and_binary_strings() {
        // Proves lists are skipped whole and string lengths count raw bytes.
        assert_eq!(value_end(SAMPLE, 0).unwrap(), SAMPLE.len());
        let raw = b"3:\x00e:";
        assert_eq!(as_bytes(raw).unwrap(), b"\x00e:");
    }

    #[test]
    fn rejects_malformed_input() {
        // Proves truncated, overlong and trailing input is refused.
        assert!(value_end(b"d4:info", 0).is_err());
        assert!(value_end(b"5:abc", 0).is_err());
        assert!(whole(b"i1ei2e").is_err());
        assert!(value_end(b"x", 0).is_err());
        assert!(value_end(&[b'l'; 100], 0).is_err());
    }
}
