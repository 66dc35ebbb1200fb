//! Web-access settings: host names, session lifetime, password, API key.

use axum::extract::State;
use axum::{Extension, Json};
use mosaic_core::wire::{NewApiKey, Ok, PasswordChange, WebSettings, WebSettingsUpdate};

use super::AppState;
use super::auth::Caller;
use super::error::{ApiError, ApiResult};
use super::guard::ClientIp;
use super::json::ApiJson;

pub(super) async fn get(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<WebSettings>> {
    Ok(Json(state.access.web_settings(&caller.username)?))
}

pub(super) async fn put(
    State(state): State<AppState>,
    ApiJson(update): ApiJson<WebSettingsUpdate>,
) -> ApiResult<Json<Ok>> {
    state.access.set_web_settings(&update)?;
    Ok(Json(Ok::YES))
}

/// Changes the caller's password; limited like sign-in, since it also
/// checks a password.
pub(super) async fn password(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ClientIp(ip): ClientIp,
    ApiJson(change): ApiJson<PasswordChange>,
) -> ApiResult<Json<Ok>> {
    let access = state.access.clone();
    tokio::task::spawn_blocking(move || {
        let keep = caller.session_id();
        access.change_password(
            ip,
            &caller.username,
            keep,
            &change.old_password,
            &change.new_password,
        )
    })
    .await
    .map_err(|e| ApiError::internal(&e))??;
    tracing::info!("password changed");
    Ok(Json(Ok::YES))
}

pub(super) async fn rotate_key(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> ApiResult<Json<NewApiKey>> {
    let api_key = state.access.rotate_key(&caller.username)?;
    tracing::info!(user = caller.username, "api key rotated");
    Ok(Json(NewApiKey { api_key }))
}
