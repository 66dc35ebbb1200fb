//! Settings routes.

use axum::Json;
use axum::extract::State;
use mosaic_core::wire::{AltSpeed, ConnectionSettings, Ok, SavePath, SpeedLimits};

use super::AppState;
use super::error::ApiResult;
use super::json::ApiJson;

pub(super) async fn save_path(State(state): State<AppState>) -> Json<SavePath> {
    Json(state.engine.save_path())
}

pub(super) async fn set_save_path(
    State(state): State<AppState>,
    ApiJson(path): ApiJson<SavePath>,
) -> ApiResult<Json<Ok>> {
    state.engine.set_save_path(&path)?;
    Ok(Json(Ok::YES))
}

pub(super) async fn limits(State(state): State<AppState>) -> Json<SpeedLimits> {
    Json(state.engine.limits())
}

pub(super) async fn set_limits(
    State(state): State<AppState>,
    ApiJson(limits): ApiJson<SpeedLimits>,
) -> ApiResult<Json<Ok>> {
    state.engine.set_limits(limits)?;
    Ok(Json(Ok::YES))
}

pub(super) async fn toggle_alt_speed(State(state): State<AppState>) -> ApiResult<Json<AltSpeed>> {
    Ok(Json(state.engine.toggle_alt_speed()?))
}

pub(super) async fn connection(State(state): State<AppState>) -> Json<ConnectionSettings> {
    Json(state.engine.connection())
}

pub(super) async fn set_connection(
    State(state): State<AppState>,
    ApiJson(settings): ApiJson<ConnectionSettings>,
) -> ApiResult<Json<Ok>> {
    state.engine.set_connection(settings)?;
    Ok(Json(Ok::YES))
}
