//! Sign-in and web-access payloads.

use serde::{Deserialize, Serialize};

/// `POST /api/login`.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Login {
    /// The user.
    pub username: String,
    /// The password.
    pub password: String,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// `GET /api/settings/web`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct WebSettings {
    /// The signed-in user.
    pub username: String,
    /// The first characters of the current API key.
    pub api_key_hint: String,
    /// Extra host names the server answers to (besides loopback names and
    /// the bound address).
    pub host_names: Vec<String>,
    /// How long an unused sign-in session lives.
    pub session_ttl_secs: u64,
}

/// `PUT /api/settings/web`: fields left out keep their value.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct WebSettingsUpdate {
    /// Extra host names.
    #[serde(default)]
    pub host_names: Option<Vec<String>>,
    /// Session time to live, 60 s to 30 days.
    #[serde(default)]
    pub session_ttl_secs: Option<u64>,
}

/// `PUT /api/settings/web/password`.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct PasswordChange {
    /// The current password.
    pub old_password: String,
    /// The new password, 8 characters at least.
    pub new_password: String,
}

impl std::fmt::Debug for PasswordChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordChange { .. }")
    }
}

/// `POST /api/settings/web/api_key/rotate`: the new key, shown once.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct NewApiKey {
    /// The new API key.
    pub api_key: String,
}

impl std::fmt::Debug for NewApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewApiKey { .. }")
    }
}
