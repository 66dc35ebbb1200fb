//! Reading .torrent files: the facts Mosaic shows and the checks it makes
//! before handing one to the engine.

use std::path::PathBuf;

use librqbit_core::torrent_metainfo::torrent_from_bytes;

use crate::{Error, InfoHash, Result};

/// Most files one torrent may list.
const MAX_FILES: usize = 100_000;

/// One file listed by a torrent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileMeta {
    /// Path relative to the torrent's folder, checked to stay inside it.
    pub(crate) path: PathBuf,
    /// The same path with `/` separators, for display.
    pub(crate) display: String,
    pub(crate) size: u64,
}

/// What Mosaic keeps of a parsed .torrent.
#[derive(Clone, Debug)]
pub(crate) struct Metainfo {
    pub(crate) info_hash: InfoHash,
    pub(crate) name: String,
    pub(crate) files: Vec<FileMeta>,
    /// Whether the files live in a folder named after the torrent.
    pub(crate) multi_file: bool,
    pub(crate) piece_length: u64,
    pub(crate) piece_count: u64,
    pub(crate) private: bool,
    pub(crate) comment: Option<String>,
    pub(crate) created_by: Option<String>,
    pub(crate) trackers: Vec<String>,
}

impl Metainfo {
    /// Parses and checks .torrent bytes.
    ///
    /// # Errors
    /// [`Error::InvalidTorrent`] when the bytes are not a v1 torrent, or when
    /// a name would place a file outside the torrent's folder.
    pub(crate) fn parse(bytes: &[u8]) -> Result<Self> {
        let invalid = |why: String| Error::InvalidTorrent(why);
        let meta = torrent_from_bytes(bytes).map_err(|e| invalid(format!("{e}")))?;
        let info = meta
            .info
            .data
            .clone()
            .validate()
            .map_err(|e| invalid(format!("{e}")))?;

        let multi_file = info.info().files.is_some();
        let files = info
            .iter_file_details()
            .take(MAX_FILES + 1)
            .map(|fd| {
                let parts: Vec<String> = fd
                    .filename
                    .iter_components()
                    .map(|c| c.into_owned())
                    .collect();
                check_components(&parts)?;
                Ok(FileMeta {
                    path: parts.iter().collect(),
                    display: parts.join("/"),
                    size: fd.len,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if files.len() > MAX_FILES {
            return Err(invalid(format!("more than {MAX_FILES} files")));
        }
        let name = match info.name() {
            Some(name) if !name.is_empty() => name.into_owned(),
            _ if !multi_file => files[0].display.clone(),
            _ => return Err(invalid("multi-file torrent without a name".into())),
        };
        if multi_file {
            check_components(std::slice::from_ref(&name))?;
        }

        Ok(Self {
            info_hash: InfoHash::from_bytes(meta.info_hash.0),
            name,
            multi_file,
            piece_length: u64::from(info.info().piece_length),
            piece_count: u64::from(info.lengths().total_pieces()),
            private: info.info().private,
            comment: meta
                .comment
                .as_ref()
                .map(|c| String::from_utf8_lossy(c.as_ref()).into()),
            created_by: meta
                .created_by
                .as_ref()
                .map(|c| String::from_utf8_lossy(c.as_ref()).into()),
            trackers: meta
                .iter_announce()
                .filter_map(|t| std::str::from_utf8(t.as_ref()).ok().map(str::to_owned))
                .filter(|t| !t.is_empty())
                .collect(),
            files,
        })
    }

    /// Total size of all files.
    #[cfg(test)]
    pub(crate) fn total_size(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

/// Refuses path parts that would leave the torrent's folder or that the
/// file system would read as something other than a plain name.
fn check_components(parts: &[String]) -> Result<()> {
    let bad =
        |p: &String| p.is_empty() || p == "." || p == ".." || p.contains('/') || p.contains('\0');
    if parts.is_empty() || parts.iter().any(bad) {
        return Err(Error::InvalidTorrent(
            "a file name would escape the torrent's folder".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a bencoded single- or multi-file torrent by hand.
    fn torrent(name: &str, files: &[(&[&str], u64)]) -> Vec<u8> {
        let s = |v: &str| format!("{}:{}", v.len(), v);
        let total: u64 = files.iter().map(|f| f.1).sum();
        let pieces = total.div_ceil(16384).max(1) as usize;
        let mut info = String::from("d");
        if files.len() > 1 || files[0].0.len() > 1 {
            info.push_str("5:filesl");
            for (path, len) in files {
                let path: String = path.iter().map(|p| s(p)).collect();
                info.push_str(&format!("d6:lengthi{len}e4:pathl{path}ee"));
            }
            info.push('e');
        } else {
            info.push_str(&format!("6:lengthi{}e", files[0].1));
        }
        info.push_str(&s("name"));
        info.push_str(&s(name));
        info.push_str("12:piece lengthi16384e6:pieces");
        let mut out = format!(
            "d8:announce{}4:info{info}{}:",
            s("http://127.0.0.1:1/a"),
            pieces * 20
        )
        .into_bytes();
        out.extend(std::iter::repeat_n(0u8, pieces * 20));
        out.extend_from_slice(b"ee");
        out
    }

    #[test]
    fn multi_file_torrent_parses() {
        let bytes = torrent("set", &[(&["a.bin"], 20000), (&["sub", "b.bin"], 5)]);
        let meta = Metainfo::parse(&bytes).unwrap();
        assert_eq!(meta.name, "set");
        assert!(meta.multi_file);
        assert_eq!(meta.files[1].display, "sub/b.bin");
        assert_eq!(meta.total_size(), 20005);
        assert_eq!(meta.piece_count, 2);
        assert_eq!(meta.trackers, ["http://127.0.0.1:1/a"]);
    }

    #[test]
    fn escaping_names_are_refused() {
        for files in [
            &[(&["..", "x"][..], 3u64), (&["ok"][..], 1)][..],
            &[(&["a", ".."][..], 3), (&["b"][..], 1)],
        ] {
            let err = Metainfo::parse(&torrent("set", files)).unwrap_err();
            assert!(matches!(err, Error::InvalidTorrent(_)), "{err}");
        }
        let err = Metainfo::parse(&torrent("..", &[(&["a"], 1), (&["b"], 1)])).unwrap_err();
        assert!(matches!(err, Error::InvalidTorrent(_)));
    }

    #[test]
    fn garbage_and_truncation_are_refused() {
        let good = torrent("f", &[(&["f"], 10)]);
        assert!(Metainfo::parse(b"not a torrent").is_err());
        assert!(Metainfo::parse(&good[..good.len() / 2]).is_err());
        assert!(Metainfo::parse(&good).is_ok());
    }
}
