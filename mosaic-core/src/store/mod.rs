//! The SQLite store: torrents, categories, settings, users and API-key
//! hashes. Every write is one transaction, so a crash at any point leaves
//! either the old or the new row, never half of one.

mod migrations;
mod torrents;

use std::path::Path;

use parking_lot::Mutex;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::wire::{Category, CategoryUpdate};
use crate::{CategoryId, Error, Result};

pub use torrents::{Removal, TorrentRecord};

/// A handle on the database file. One connection behind a mutex: every
/// statement is short, and SQLite serialises writers anyway.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`.
    ///
    /// # Errors
    /// Fails when the file cannot be opened or migrated.
    pub fn open(path: &Path) -> Result<Self> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        migrations::migrate(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// A counter that changes whenever another connection (for example an
    /// offline `admin` command) commits to the file.
    ///
    /// # Errors
    /// Fails when SQLite does.
    pub fn data_version(&self) -> Result<i64> {
        let conn = self.conn.lock();
        Ok(conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// Reads one setting, `None` when it was never written.
    ///
    /// # Errors
    /// Fails when SQLite does or the stored value no longer parses.
    pub fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let conn = self.conn.lock();
        let raw: Option<String> = conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        raw.map(|raw| serde_json::from_str(&raw).map_err(|e| Error::Engine(e.into())))
            .transpose()
    }

    /// Writes one setting.
    ///
    /// # Errors
    /// Fails when SQLite does.
    pub fn set_setting<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let raw = serde_json::to_string(value).map_err(|e| Error::Engine(e.into()))?;
        self.conn.lock().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, raw],
        )?;
        Ok(())
    }

    /// Every category, by name.
    ///
    /// # Errors
    /// Fails when SQLite does.
    pub fn categories(&self) -> Result<Vec<Category>> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT id, name, default_save_path, color FROM categories ORDER BY name, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Category {
                id: CategoryId(r.get(0)?),
                name: r.get(1)?,
                default_save_path: r.get(2)?,
                color: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Creates a category.
    ///
    /// # Errors
    /// [`Error::CategoryExists`] when the name is taken.
    pub fn insert_category(&self, name: &str, save_path: &str, color: &str) -> Result<CategoryId> {
        let conn = self.conn.lock();
        conn.execute(
            "INSERT INTO categories (name, default_save_path, color) VALUES (?1, ?2, ?3)",
            params![name, save_path, color],
        )
        .map_err(unique_as_exists)?;
        Ok(CategoryId(conn.last_insert_rowid()))
    }

    /// Changes the given fields of a category.
    ///
    /// # Errors
    /// [`Error::CategoryNotFound`], or [`Error::CategoryExists`] on a rename
    /// to a taken name.
    pub fn update_category(&self, update: &CategoryUpdate) -> Result<()> {
        let changed = self
            .conn
            .lock()
            .execute(
                "UPDATE categories SET name = COALESCE(?2, name),
                     default_save_path = COALESCE(?3, default_save_path),
                     color = COALESCE(?4, color)
                 WHERE id = ?1",
                params![
                    update.id.0,
                    update.name,
                    update.default_save_path,
                    update.color
                ],
            )
            .map_err(unique_as_exists)?;
        if changed == 0 {
            return Err(Error::CategoryNotFound);
        }
        Ok(())
    }

    /// Deletes a category; its torrents lose their category.
    ///
    /// # Errors
    /// [`Error::CategoryNotFound`].
    pub fn delete_category(&self, id: CategoryId) -> Result<()> {
        let changed = self
            .conn
            .lock()
            .execute("DELETE FROM categories WHERE id = ?1", [id.0])?;
        if changed == 0 {
            return Err(Error::CategoryNotFound);
        }
        Ok(())
    }

    /// The password hash of a user.
    ///
    /// # Errors
    /// Fails when SQLite does.
    pub fn password_hash(&self, username: &str) -> Result<Option<String>> {
        let conn = self.conn.lock();
        let hash = conn
            .query_row(
                "SELECT password_hash FROM users WHERE username = ?1",
                [username],
                |r| r.get(0),
            )
            .optional()?;
        Ok(hash)
    }

    /// Creates the user or replaces its password hash.
    ///
    /// # Errors
    /// Fails when SQLite does.
    pub fn set_password_hash(&self, username: &str, hash: &str) -> Result<()> {
        self.conn.lock().execute(
            "INSERT INTO users (username, password_hash) VALUES (?1, ?2)
             ON CONFLICT(username) DO UPDATE SET password_hash = excluded.password_hash",
            params![username, hash],
        )?;
        Ok(())
    }

    /// Replaces every API key of `username` with one new key hash, in one
    /// transaction so that no moment has zero or two valid keys.
    ///
    /// # Errors
    /// Fails when SQLite does or the user does not exist.
    pub fn replace_api_key(&self, username: &str, key_hash: &[u8], hint: &str) -> Result<()> {
        let mut conn = self.conn.lock();
        let tx = conn.transaction()?;
        let user_id: i64 = tx.query_row(
            "SELECT id FROM users WHERE username = ?1",
            [username],
            |r| r.get(0),
        )?;
        tx.execute("DELETE FROM api_keys WHERE user_id = ?1", [user_id])?;
        tx.execute(
            "INSERT INTO api_keys (user_id, key_hash, hint, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![user_id, key_hash, hint, crate::now()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every stored API-key hash with its owner's name.
    ///
    /// # Errors
    /// Fails when SQLite does.
    pub fn api_key_hashes(&self) -> Result<Vec<(Vec<u8>, String)>> {
        let conn = self.conn.lock();
        let mut stmt = conn.prepare(
            "SELECT k.key_hash, u.username FROM api_keys k JOIN users u ON u.id = k.user_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The hint (first characters) of a user's API key.
    ///
    /// # Errors
    /// Fails when SQLite does.
    pub fn api_key_hint(&self, username: &str) -> Result<Option<String>> {
        let conn = self.conn.lock();
        let hint = conn
            .query_row(
                "SELECT k.hint FROM api_keys k JOIN users u ON u.id = k.user_id
                 WHERE u.username = ?1 ORDER BY k.id DESC LIMIT 1",
                [username],
                |r| r.get(0),
            )
            .optional()?;
        Ok(hint)
    }
}

fn unique_as_exists(e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => Error::CategoryExists,
        _ => Error::Store(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("mosaic.db")).unwrap();
        (dir, store)
    }

    #[test]
    fn categories_are_unique_and_sorted() {
        let (_dir, store) = store();
        let b = store.insert_category("b", "/data/b", "#000000").unwrap();
        store.insert_category("a", "/data/a", "#ffffff").unwrap();
        assert!(matches!(
            store.insert_category("a", "/x", "#000000"),
            Err(Error::CategoryExists)
        ));
        let names: Vec<_> = store
            .categories()
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, ["a", "b"]);
        store.delete_category(b).unwrap();
        assert!(matches!(
            store.delete_category(b),
            Err(Error::CategoryNotFound)
        ));
    }

    #[test]
    fn api_key_replacement_leaves_exactly_one() {
        let (_dir, store) = store();
        store.set_password_hash("admin", "h").unwrap();
        store.replace_api_key("admin", &[1; 32], "AAAA").unwrap();
        store.replace_api_key("admin", &[2; 32], "BBBB").unwrap();
        let keys = store.api_key_hashes().unwrap();
        assert_eq!(keys, vec![(vec![2; 32], "admin".to_owned())]);
        assert_eq!(
            store.api_key_hint("admin").unwrap().as_deref(),
            Some("BBBB")
        );
    }

    #[test]
    fn settings_round_trip() {
        let (_dir, store) = store();
        assert_eq!(store.setting::<u32>("x").unwrap(), None);
        store.set_setting("x", &7u32).unwrap();
        store.set_setting("x", &8u32).unwrap();
        assert_eq!(store.setting::<u32>("x").unwrap(), Some(8));
    }
}
