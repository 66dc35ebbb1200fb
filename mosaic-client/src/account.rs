//! Who the client is: the server version (public), signing in and out,
//! the web-access settings, the password and the API key.

use mosaic_core::wire::{NewApiKey, PasswordChange, Version, WebSettings, WebSettingsUpdate};
use reqwest::Method;

use crate::auth::Secret;
use crate::client::{Body, Client};
use crate::error::{Error, Result};

impl Client {
    /// The server's version, `x.y.z`; needs no credentials.
    ///
    /// # Errors
    /// Transport failures.
    pub async fn version(&self) -> Result<String> {
        let version: Version = self.call(Method::GET, "api/version", Body::Empty).await?;
        Ok(version.version)
    }

    /// Signs in now with the username and password given to
    /// [`ClientBuilder::login`](crate::ClientBuilder::login), instead of on
    /// first use, so wrong credentials show at once.
    ///
    /// # Errors
    /// `401 invalid credentials`; `429 too many login attempts` with
    /// [`Error::retry_after`]; [`Error::Config`] when no username and
    /// password were given.
    pub async fn login(&self) -> Result<()> {
        if self.inner.auth.login.is_none() {
            return Err(Error::Config(
                "no username and password to sign in with".into(),
            ));
        }
        let generation = self.inner.auth.session().generation;
        self.sign_in_after(generation).await
    }

    /// Ends the session on the server and forgets it here.
    ///
    /// # Errors
    /// `401` when there is no valid session or key.
    pub async fn logout(&self) -> Result<()> {
        let result = self.call_ok(Method::POST, "api/logout", Body::Empty).await;
        self.inner.auth.set_session(None);
        result
    }

    /// The current session token, to save and resume later with
    /// [`ClientBuilder::session_token`](crate::ClientBuilder::session_token).
    /// It is a credential: store it like a password.
    pub fn session_token(&self) -> Option<String> {
        let session = self.inner.auth.session();
        session.token.map(|token| token.expose().to_owned())
    }

    /// The signed-in user, API key hint, host names and session lifetime.
    ///
    /// # Errors
    /// `401` without valid credentials; transport failures.
    pub async fn web_settings(&self) -> Result<WebSettings> {
        self.call(Method::GET, "api/settings/web", Body::Empty)
            .await
    }

    /// Changes host names or the session lifetime.
    ///
    /// # Errors
    /// `400` for a lifetime outside 60 s to 30 days or a bad host name.
    pub async fn set_web_settings(&self, update: &WebSettingsUpdate) -> Result<()> {
        self.call_ok(Method::PUT, "api/settings/web", Body::json(update)?)
            .await
    }

    /// Changes the password; other sessions of the user end. A client
    /// signing in with a password keeps using the old one it was built
    /// with, so build a new client afterwards.
    ///
    /// # Errors
    /// `401 invalid credentials` for a wrong old password; `400` for a new
    /// one under 8 characters; `429` when tried too often.
    pub async fn change_password(&self, old_password: &str, new_password: &str) -> Result<()> {
        let body = PasswordChange {
            old_password: old_password.to_owned(),
            new_password: new_password.to_owned(),
        };
        self.call_ok(Method::PUT, "api/settings/web/password", Body::json(&body)?)
            .await
    }

    /// Replaces the API key and answers the new one, shown only this once.
    /// The old key stops working at once; a client that authenticated with
    /// it switches to the new one by itself.
    ///
    /// # Errors
    /// `401` without valid credentials; transport failures.
    pub async fn rotate_api_key(&self) -> Result<String> {
        let path = "api/settings/web/api_key/rotate";
        let rotated: NewApiKey = self.call(Method::POST, path, Body::Empty).await?;
        if self.inner.auth.key().is_some() {
            self.inner
                .auth
                .set_key(Secret::new(rotated.api_key.clone()));
        }
        Ok(rotated.api_key)
    }
}
