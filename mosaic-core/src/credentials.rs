//! Users and API keys: argon2id password hashes, SHA-256 key hashes, and
//! constant-time checks. Secrets exist in plain text only in the return
//! value of the call that creates them.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use parking_lot::Mutex;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::store::Store;
use crate::{Error, Result};

/// The account made on first start.
pub const ADMIN: &str = "admin";

/// Characters of a key kept in the clear to tell keys apart.
const HINT_LEN: usize = 4;

/// Secrets printed once on the first start of a data directory.
#[derive(Clone, PartialEq, Eq)]
pub struct FirstRun {
    /// The user created.
    pub username: String,
    /// Its random password.
    pub password: String,
    /// Its API key.
    pub api_key: String,
}

impl std::fmt::Debug for FirstRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FirstRun")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// Checks and changes credentials stored in a [`Store`].
///
/// Key hashes are cached and reloaded whenever another process (such as
/// `mosaic-server admin rotate-key`) commits to the database, so an offline
/// rotation takes effect in a running server at its next request.
#[derive(Debug, Clone)]
pub struct Credentials {
    store: Arc<Store>,
    cache: Arc<Mutex<KeyCache>>,
    verifications: Arc<AtomicU64>,
}

#[derive(Debug, Default)]
struct KeyCache {
    data_version: Option<i64>,
    keys: Vec<(Vec<u8>, String)>,
}

impl Credentials {
    /// Wraps a store.
    pub fn new(store: Arc<Store>) -> Self {
        Self {
            store,
            cache: Arc::default(),
            verifications: Arc::default(),
        }
    }

    /// Creates the admin account with a random password and key when there
    /// is none yet, and returns those secrets that one time.
    ///
    /// # Errors
    /// Fails when the store does.
    pub fn bootstrap(&self) -> Result<Option<FirstRun>> {
        if self.store.password_hash(ADMIN)?.is_some() {
            return Ok(None);
        }
        let password = random_password();
        self.set_password(ADMIN, &password)?;
        let api_key = self.rotate_key(ADMIN)?;
        Ok(Some(FirstRun {
            username: ADMIN.to_owned(),
            password,
            api_key,
        }))
    }

    /// Replaces a user's API key and returns the new one; the old key
    /// stops working at once.
    ///
    /// # Errors
    /// Fails when the store does or the user does not exist.
    pub fn rotate_key(&self, username: &str) -> Result<String> {
        let mut raw = [0u8; 32];
        rand::rng().fill_bytes(&mut raw);
        let key = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
        self.store
            .replace_api_key(username, &hash_key(&key), &key[..HINT_LEN])?;
        self.cache.lock().data_version = None;
        Ok(key)
    }

    /// The user owning `key`, if it is a current key.
    ///
    /// # Errors
    /// Fails when the store does.
    pub fn user_for_key(&self, key: &str) -> Result<Option<String>> {
        let presented = hash_key(key);
        let mut cache = self.cache.lock();
        let version = self.store.data_version()?;
        if cache.data_version != Some(version) {
            cache.keys = self.store.api_key_hashes()?;
            cache.data_version = Some(version);
        }
        // Compare against every key so the time taken says nothing about
        // which one matched.
        let mut owner = None;
        for (hash, user) in &cache.keys {
            if bool::from(hash.as_slice().ct_eq(&presented)) {
                owner = Some(user.clone());
            }
        }
        Ok(owner)
    }

    /// The visible start of a user's key.
    ///
    /// # Errors
    /// Fails when the store does.
    pub fn key_hint(&self, username: &str) -> Result<Option<String>> {
        self.store.api_key_hint(username)
    }

    /// Sets a user's password, creating the user if needed.
    ///
    /// # Errors
    /// Fails when the store does or hashing fails.
    pub fn set_password(&self, username: &str, password: &str) -> Result<()> {
        let salt = new_salt();
        let hash = Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| Error::Engine(anyhow::anyhow!("password hashing failed: {e}")))?;
        self.store.set_password_hash(username, &hash.to_string())
    }

    /// Checks a username and password. Unknown users cost one full verify
    /// against a dummy hash, so timing does not tell which names exist.
    ///
    /// # Errors
    /// [`Error::InvalidCredentials`] when either is wrong.
    pub fn verify_password(&self, username: &str, password: &str) -> Result<()> {
        let stored = self.store.password_hash(username)?;
        let hash = stored.as_deref().unwrap_or_else(|| dummy_hash());
        let parsed = PasswordHash::new(hash).map_err(|_| Error::InvalidCredentials)?;
        self.verifications.fetch_add(1, Ordering::Relaxed);
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        if matches && stored.is_some() {
            Ok(())
        } else {
            Err(Error::InvalidCredentials)
        }
    }
}

impl Credentials {
    /// How many full password verifications ran, known user or not.
    pub fn password_verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }
}

fn new_salt() -> SaltString {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    SaltString::encode_b64(&bytes).expect("16 bytes is a valid salt length")
}

fn hash_key(key: &str) -> Vec<u8> {
    Sha256::digest(key.as_bytes()).to_vec()
}

fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char)
        .collect()
}

/// A valid argon2id hash of a random password, made once per process.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = new_salt();
        Argon2::default()
            .hash_password(random_password().as_bytes(), &salt)
            .expect("hashing a fixed-size password with default parameters succeeds")
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credentials() -> (tempfile::TempDir, Credentials, Arc<Store>) {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(&dir.path().join("db")).unwrap());
        (dir, Credentials::new(store.clone()), store)
    }

    #[test]
    fn bootstrap_creates_admin_once_with_working_secrets() {
        let (_dir, creds, _) = credentials();
        let first = creds.bootstrap().unwrap().unwrap();
        assert_eq!(first.api_key.len(), 43);
        assert!(creds.bootstrap().unwrap().is_none());
        creds.verify_password(ADMIN, &first.password).unwrap();
        assert!(creds.verify_password(ADMIN, "wrong").is_err());
        let before = creds.password_verifications();
        assert!(creds.verify_password("nobody", &first.password).is_err());
        assert_eq!(
            creds.password_verifications(),
            before + 1,
            "unknown users cost a verify"
        );
        assert_eq!(
            creds.user_for_key(&first.api_key).unwrap().as_deref(),
            Some(ADMIN)
        );
        assert_eq!(creds.key_hint(ADMIN).unwrap().unwrap(), first.api_key[..4]);
    }

    #[test]
    fn rotation_from_another_connection_invalidates_the_cache() {
        let (dir, creds, _) = credentials();
        let first = creds.bootstrap().unwrap().unwrap();
        assert!(creds.user_for_key(&first.api_key).unwrap().is_some());

        let other = Credentials::new(Arc::new(Store::open(&dir.path().join("db")).unwrap()));
        let new_key = other.rotate_key(ADMIN).unwrap();
        assert!(creds.user_for_key(&first.api_key).unwrap().is_none());
        assert!(creds.user_for_key(&new_key).unwrap().is_some());
    }

    #[test]
    fn keys_are_stored_only_as_hashes() {
        let (_dir, creds, store) = credentials();
        let first = creds.bootstrap().unwrap().unwrap();
        let stored = store.api_key_hashes().unwrap();
        assert_eq!(
            stored[0].0,
            Sha256::digest(first.api_key.as_bytes()).to_vec()
        );
        assert!(
            !store
                .password_hash(ADMIN)
                .unwrap()
                .unwrap()
                .contains(&first.password)
        );
    }
}
