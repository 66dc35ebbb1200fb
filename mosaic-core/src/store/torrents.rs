//! Torrent rows: what Mosaic must never lose about an accepted torrent.

use rusqlite::{Row, params};

use super::Store;
use crate::{CategoryId, Error, InfoHash, Priority, Result};

/// What is left to do of a removal that was interrupted.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Removal {
    /// The torrent is not being removed.
    #[default]
    None,
    /// Remove the torrent, keep its data.
    KeepData,
    /// Remove the torrent and its data.
    DeleteData,
}

impl Removal {
    fn to_sql(self) -> i64 {
        match self {
            Self::None => 0,
            Self::KeepData => 1,
            Self::DeleteData => 2,
        }
    }

    fn from_sql(value: i64) -> Self {
        match value {
            1 => Self::KeepData,
            2 => Self::DeleteData,
            _ => Self::None,
        }
    }
}

/// One stored torrent.
#[derive(Clone, PartialEq, Debug)]
pub struct TorrentRecord {
    /// Its id.
    pub info_hash: InfoHash,
    /// Its name (the info hash until metadata arrived).
    pub name: String,
    /// The magnet it was added with, or one made from the info hash.
    pub magnet: String,
    /// The .torrent bytes, `None` until a magnet's metadata arrived.
    pub torrent: Option<Vec<u8>>,
    /// The folder it was added to.
    pub save_path: String,
    /// Its category.
    pub category_id: Option<CategoryId>,
    /// One priority per file; empty until metadata.
    pub priorities: Vec<Priority>,
    /// When it was added.
    pub added_at: i64,
    /// When it completed.
    pub completed_at: Option<i64>,
    /// Lifetime bytes received.
    pub downloaded: u64,
    /// Lifetime bytes sent.
    pub uploaded: u64,
    /// Whether the user paused it.
    pub paused: bool,
    /// An unfinished removal.
    pub removing: Removal,
}

const COLUMNS: &str = "info_hash, name, magnet, torrent, save_path, category_id, priorities,
    added_at, completed_at, downloaded, uploaded, paused, removing";

fn from_row(r: &Row<'_>) -> rusqlite::Result<TorrentRecord> {
    let hash: String = r.get(0)?;
    let priorities: String = r.get(6)?;
    let bad = |e: Box<dyn std::error::Error + Send + Sync>| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e)
    };
    Ok(TorrentRecord {
        info_hash: hash.parse().map_err(|e| bad(Box::new(e)))?,
        name: r.get(1)?,
        magnet: r.get(2)?,
        torrent: r.get(3)?,
        save_path: r.get(4)?,
        category_id: r.get::<_, Option<i64>>(5)?.map(CategoryId),
        priorities: serde_json::from_str(&priorities).map_err(|e| bad(Box::new(e)))?,
        added_at: r.get(7)?,
        completed_at: r.get(8)?,
        downloaded: r.get::<_, i64>(9)?.try_into().unwrap_or(0),
        uploaded: r.get::<_, i64>(10)?.try_into().unwrap_or(0),
        paused: r.get(11)?,
        removing: Removal::from_sql(r.get(12)?),
    })
}

fn priorities_json(priorities: &[Priority]) -> String {
    serde_json::to_string(priorities).expect("priorities always serialise")
}

fn clamp(bytes: u64) -> i64 {
    i64::try_from(bytes).unwrap_or(i64::MAX)
}

impl Store {
    /// Every stored torrent, oldest first.
    ///
    /// # Errors
    /// Fails when SQLite does.
    pub fn torrents(&self) -> Result<Vec<TorrentRecord>> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM torrents ORDER BY added_at, rowid"
        ))?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores a newly accepted torrent.
    ///
    /// # Errors
    /// Fails when SQLite does (including when the id is already stored).
    pub fn insert_torrent(&self, t: &TorrentRecord) -> Result<()> {
        self.conn.lock().execute(
            &format!("INSERT INTO torrents ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
            params![
                t.info_hash.to_string(),
                t.name,
                t.magnet,
                t.torrent,
                t.save_path,
                t.category_id.map(|c| c.0),
                priorities_json(&t.priorities),
                t.added_at,
                t.completed_at,
                clamp(t.downloaded),
                clamp(t.uploaded),
                t.paused,
                t.removing.to_sql(),
            ],
        )?;
        Ok(())
    }

    fn update_one(&self, sql: &str, hash: InfoHash, value: impl rusqlite::ToSql) -> Result<()> {
        let changed = self
            .conn
            .lock()
            .execute(sql, params![hash.to_string(), value])?;
        if changed == 0 {
            return Err(Error::TorrentNotFound);
        }
        Ok(())
    }

    /// Records metadata that arrived for a magnet.
    ///
    /// # Errors
    /// Fails when SQLite does or the torrent is gone.
    pub fn set_metadata(
        &self,
        hash: InfoHash,
        name: &str,
        torrent: &[u8],
        priorities: &[Priority],
    ) -> Result<()> {
        let changed = self.conn.lock().execute(
            "UPDATE torrents SET name = ?2, torrent = ?3, priorities = ?4 WHERE info_hash = ?1",
            params![hash.to_string(), name, torrent, priorities_json(priorities)],
        )?;
        if changed == 0 {
            return Err(Error::TorrentNotFound);
        }
        Ok(())
    }

    /// Records the pause flag.
    ///
    /// # Errors
    /// Fails when SQLite does or the torrent is gone.
    pub fn set_paused(&self, hash: InfoHash, paused: bool) -> Result<()> {
        self.update_one(
            "UPDATE torrents SET paused = ?2 WHERE info_hash = ?1",
            hash,
            paused,
        )
    }

    /// Records the category.
    ///
    /// # Errors
    /// Fails when SQLite does, the torrent is gone or the category unknown.
    pub fn set_category(&self, hash: InfoHash, category: Option<CategoryId>) -> Result<()> {
        let sql = "UPDATE torrents SET category_id = ?2 WHERE info_hash = ?1";
        self.update_one(sql, hash, category.map(|c| c.0))
            .map_err(|e| match e {
                Error::Store(e)
                    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) =>
                {
                    Error::CategoryNotFound
                }
                other => other,
            })
    }

    /// Records file priorities.
    ///
    /// # Errors
    /// Fails when SQLite does or the torrent is gone.
    pub fn set_priorities(&self, hash: InfoHash, priorities: &[Priority]) -> Result<()> {
        let sql = "UPDATE torrents SET priorities = ?2 WHERE info_hash = ?1";
        self.update_one(sql, hash, priorities_json(priorities))
    }

    /// Records a new save path.
    ///
    /// # Errors
    /// Fails when SQLite does or the torrent is gone.
    pub fn set_save_path(&self, hash: InfoHash, save_path: &str) -> Result<()> {
        self.update_one(
            "UPDATE torrents SET save_path = ?2 WHERE info_hash = ?1",
            hash,
            save_path,
        )
    }

    /// Records the completion time.
    ///
    /// # Errors
    /// Fails when SQLite does or the torrent is gone.
    pub fn set_completed_at(&self, hash: InfoHash, at: Option<i64>) -> Result<()> {
        self.update_one(
            "UPDATE torrents SET completed_at = ?2 WHERE info_hash = ?1",
            hash,
            at,
        )
    }

    /// Marks a removal as started, so that a crash before it ends is
    /// finished at the next start instead of resurrecting the torrent.
    ///
    /// # Errors
    /// Fails when SQLite does or the torrent is gone.
    pub fn set_removing(&self, hash: InfoHash, removal: Removal) -> Result<()> {
        let sql = "UPDATE torrents SET removing = ?2 WHERE info_hash = ?1";
        self.update_one(sql, hash, removal.to_sql())
    }

    /// Deletes a torrent row.
    ///
    /// # Errors
    /// Fails when SQLite does.
    pub fn delete_torrent(&self, hash: InfoHash) -> Result<()> {
        self.conn.lock().execute(
            "DELETE FROM torrents WHERE info_hash = ?1",
            [hash.to_string()],
        )?;
        Ok(())
    }

    /// Writes lifetime totals of many torrents in one transaction.
    ///
    /// # Errors
    /// Fails when SQLite does.
    pub fn save_totals(&self, totals: &[(InfoHash, u64, u64)]) -> Result<()> {
        let mut conn = self.conn.lock();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE torrents SET downloaded = ?2, uploaded = ?3 WHERE info_hash = ?1",
            )?;
            for (hash, down, up) in totals {
                stmt.execute(params![hash.to_string(), clamp(*down), clamp(*up)])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(hash: &str) -> TorrentRecord {
        TorrentRecord {
            info_hash: hash.parse().unwrap(),
            name: "n".into(),
            magnet: "magnet:?".into(),
            torrent: None,
            save_path: "/tmp".into(),
            category_id: None,
            priorities: vec![],
            added_at: 5,
            completed_at: None,
            downloaded: 0,
            uploaded: 0,
            paused: false,
            removing: Removal::None,
        }
    }

    #[test]
    fn torrent_rows_round_trip_every_field() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db")).unwrap();
        let cat = store.insert_category("c", "/c", "#123456").unwrap();
        let mut t = record("0123456789abcdef0123456789abcdef01234567");
        store.insert_torrent(&t).unwrap();
        store
            .set_metadata(t.info_hash, "real", b"d4:infoe", &[Priority::Max])
            .unwrap();
        store.set_category(t.info_hash, Some(cat)).unwrap();
        store.save_totals(&[(t.info_hash, 10, 20)]).unwrap();
        store.set_paused(t.info_hash, true).unwrap();
        store
            .set_removing(t.info_hash, Removal::DeleteData)
            .unwrap();

        t.name = "real".into();
        t.torrent = Some(b"d4:infoe".to_vec());
        t.priorities = vec![Priority::Max];
        t.category_id = Some(cat);
        (t.downloaded, t.uploaded, t.paused) = (10, 20, true);
        t.removing = Removal::DeleteData;
        assert_eq!(store.torrents().unwrap(), vec![t.clone()]);

        store.delete_category(cat).unwrap();
        assert_eq!(store.torrents().unwrap()[0].category_id, None);
        assert!(matches!(
            store.set_category(t.info_hash, Some(CategoryId(99))),
            Err(Error::CategoryNotFound)
        ));
    }
}
