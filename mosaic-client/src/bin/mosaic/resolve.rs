//! Turning what a person types into ids: torrents by info hash, unique
//! prefix, exact name or `all`; categories by name or id.

use mosaic_client::wire::{Category, Torrent};
use mosaic_client::{CategoryId, Client, InfoHash};

use crate::Failure;

/// The torrents named by `names`, in order, each once.
///
/// A full info hash is used as given (the server answers `404` for an
/// unknown one); anything else is looked up in the list, fetched once.
pub(crate) async fn torrent_ids(
    client: &Client,
    names: &[String],
) -> Result<Vec<InfoHash>, Failure> {
    let mut list: Option<Vec<Torrent>> = None;
    let mut ids = Vec::new();
    for name in names {
        let found = match name.parse::<InfoHash>() {
            Ok(id) => vec![id],
            Err(_) => {
                if list.is_none() {
                    list = Some(client.torrents().await?);
                }
                let torrents = list.as_deref().unwrap_or_default();
                matching(torrents, name)?
            }
        };
        for id in found {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Ok(ids)
}

/// One torrent, as [`torrent_ids`] resolves it.
pub(crate) async fn torrent_id(client: &Client, name: &str) -> Result<InfoHash, Failure> {
    let ids = torrent_ids(client, &[name.to_owned()]).await?;
    match ids.as_slice() {
        [id] => Ok(*id),
        _ => Err(Failure::Usage(format!(
            "{name:?} names {} torrents; name one",
            ids.len()
        ))),
    }
}

fn matching(torrents: &[Torrent], name: &str) -> Result<Vec<InfoHash>, Failure> {
    if name == "all" {
        return Ok(torrents.iter().map(|t| t.id).collect());
    }
    let lower = name.to_ascii_lowercase();
    let by_prefix: Vec<InfoHash> = torrents
        .iter()
        .filter(|t| !lower.is_empty() && t.id.to_string().starts_with(&lower))
        .map(|t| t.id)
        .collect();
    let by_name: Vec<InfoHash> = torrents
        .iter()
        .filter(|t| t.name == name)
        .map(|t| t.id)
        .collect();
    let found = if by_prefix.is_empty() {
        by_name
    } else {
        by_prefix
    };
    match found.len() {
        0 => Err(Failure::Refused(format!("no torrent matches {name:?}"))),
        1 => Ok(found),
        n => Err(Failure::Usage(format!(
            "{name:?} matches {n} torrents; give more of the id"
        ))),
    }
}

/// A category by id or name (case-insensitive); `none` is no category.
pub(crate) async fn category(client: &Client, name: &str) -> Result<Option<CategoryId>, Failure> {
    if name.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    let categories = client.categories().await?;
    find_category(&categories, name).map(|c| Some(c.id))
}

pub(crate) fn find_category<'a>(
    categories: &'a [Category],
    name: &str,
) -> Result<&'a Category, Failure> {
    let by_id = name
        .parse::<i64>()
        .ok()
        .and_then(|id| categories.iter().find(|c| c.id.0 == id));
    by_id
        .or_else(|| {
            categories
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(name))
        })
        .ok_or_else(|| Failure::Refused(format!("no category {name:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn torrent(byte: u8, name: &str) -> Torrent {
        let row = serde_json::json!({
            "id": InfoHash::from_bytes([byte; 20]).to_string(), "name": name, "magnet": "",
            "save_path": "/d", "state": "paused", "error": null, "total_bytes": 0,
            "bytes_done": 0, "progress": 0.0, "download_rate": 0, "upload_rate": 0,
            "downloaded": 0, "uploaded": 0, "ratio": 0.0, "eta_secs": null, "peers": 0,
            "seeds": 0, "paused": true, "completed": false, "added_at": 0,
            "completed_at": null, "category_id": null,
        });
        serde_json::from_value(row).unwrap()
    }

    #[test]
    fn prefixes_names_and_all_resolve() {
        // Proves unique prefixes and exact names resolve, and ambiguity or absence is refused.
        let list = [torrent(0xab, "ubuntu.iso"), torrent(0xac, "debian.iso")];
        assert_eq!(matching(&list, "abab").unwrap(), vec![list[0].id]);
        assert_eq!(matching(&list, "ACAC").unwrap(), vec![list[1].id]);
        assert_eq!(matching(&list, "debian.iso").unwrap(), vec![list[1].id]);
        assert_eq!(matching(&list, "all").unwrap().len(), 2);
        assert!(matches!(matching(&list, "a"), Err(Failure::Usage(_))));
        assert!(matches!(
            matching(&list, "fedora.iso"),
            Err(Failure::Refused(_))
        ));
    }
}
