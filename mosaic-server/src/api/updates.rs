//! Blocklist and updater routes.

use axum::Json;
use axum::extract::State;
use mosaic_core::wire::{BlocklistSettings, BlocklistUpdate, Ok, UpdateInfo, UpdaterSettings};

use super::AppState;
use super::error::{ApiError, ApiResult};
use super::json::ApiJson;

pub(super) async fn blocklist(State(state): State<AppState>) -> ApiResult<Json<BlocklistSettings>> {
    Ok(Json(state.engine.blocklist()?))
}

pub(super) async fn set_blocklist(
    State(state): State<AppState>,
    ApiJson(update): ApiJson<BlocklistUpdate>,
) -> ApiResult<Json<Ok>> {
    state.engine.set_blocklist(&update).await?;
    Ok(Json(Ok::YES))
}

/// `502` with the reason when the list cannot be fetched or parsed; the
/// list in force stays.
pub(super) async fn refresh_blocklist(State(state): State<AppState>) -> ApiResult<Json<Ok>> {
    let settings = state.engine.refresh_blocklist().await?;
    tracing::info!(entries = settings.entries, "blocklist loaded");
    Ok(Json(Ok::YES))
}

pub(super) async fn updater(State(state): State<AppState>) -> ApiResult<Json<UpdaterSettings>> {
    Ok(Json(state.updater.settings()?))
}

pub(super) async fn set_updater(
    State(state): State<AppState>,
    ApiJson(settings): ApiJson<UpdaterSettings>,
) -> ApiResult<Json<Ok>> {
    state.updater.set_settings(&settings)?;
    Ok(Json(Ok::YES))
}

pub(super) async fn check(State(state): State<AppState>) -> ApiResult<Json<UpdateInfo>> {
    Ok(Json(state.updater.check().await?))
}

/// Downloads and verifies the update, swaps the executable, answers, and
/// then lets the server restart into the new version.
pub(super) async fn install(State(state): State<AppState>) -> ApiResult<Json<Ok>> {
    let download = state.updater.download().await?;
    let bytes = download.bytes;
    tokio::task::spawn_blocking(move || crate::update::replace_executable(&bytes))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|e| ApiError::internal(e.as_ref()))?;
    tracing::info!(version = download.version, "update installed; restarting");
    state.restart.notify_one();
    Ok(Json(Ok::YES))
}
