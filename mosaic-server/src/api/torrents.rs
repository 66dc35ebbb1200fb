//! Torrent routes: list, details, add, control and file priorities.

use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use mosaic_core::wire::{
    AddMagnet, Added, Detail, MoveTorrent, Ok, SetCategory, SetFilePriorities, Torrent,
};
use mosaic_core::{AddOptions, CategoryId, InfoHash};
use serde::Deserialize;

use super::AppState;
use super::error::{ApiError, ApiResult};
use super::json::ApiJson;

/// An id from the path; one that does not parse names no torrent.
fn torrent_id(raw: &str) -> ApiResult<InfoHash> {
    raw.parse().map_err(|_| ApiError::torrent_not_found())
}

pub(super) async fn list(State(state): State<AppState>) -> Json<Vec<Torrent>> {
    Json(state.engine.torrents())
}

pub(super) async fn detail(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Detail>> {
    Ok(Json(state.engine.torrent(torrent_id(&id)?)?))
}

pub(super) async fn add_magnet(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<AddMagnet>,
) -> ApiResult<Json<Added>> {
    let id = state.engine.add_magnet(&request).await?;
    Ok(Json(Added { id }))
}

pub(super) async fn add_file(
    State(state): State<AppState>,
    multipart: Multipart,
) -> ApiResult<Json<Added>> {
    let (bytes, options) = read_upload(multipart).await?;
    let id = state.engine.add_torrent_file(&bytes, &options).await?;
    Ok(Json(Added { id }))
}

/// Reads the multipart fields `file`, `save_path`, `category_id` and
/// `paused`; unknown fields are ignored.
async fn read_upload(mut multipart: Multipart) -> ApiResult<(Vec<u8>, AddOptions)> {
    let mut file = None;
    let mut options = AddOptions::default();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        let data = field.bytes().await.map_err(multipart_error)?;
        let text = || String::from_utf8(data.to_vec()).map_err(|_| ApiError::invalid_body());
        match name.as_str() {
            "file" => file = Some(data.to_vec()),
            "save_path" => options.save_path = text()?.trim().to_owned(),
            "category_id" => options.category_id = parse_category(&text()?)?,
            "paused" => options.paused = parse_flag(&text()?)?,
            _ => {}
        }
    }
    let file = file
        .ok_or_else(|| ApiError::new(axum::http::StatusCode::BAD_REQUEST, "missing file field"))?;
    Ok((file, options))
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::too_large()
    } else {
        ApiError::invalid_body()
    }
}

fn parse_category(raw: &str) -> ApiResult<Option<CategoryId>> {
    match raw.trim() {
        "" | "null" => Ok(None),
        id => id.parse().map(Some).map_err(|_| ApiError::invalid_body()),
    }
}

fn parse_flag(raw: &str) -> ApiResult<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "false" | "no" | "off" => Ok(false),
        "1" | "true" | "yes" | "on" => Ok(true),
        _ => Err(ApiError::invalid_body()),
    }
}

pub(super) async fn pause(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Ok>> {
    state.engine.pause(torrent_id(&id)?).await?;
    Ok(Json(Ok::YES))
}

pub(super) async fn resume(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Ok>> {
    state.engine.resume(torrent_id(&id)?).await?;
    Ok(Json(Ok::YES))
}

pub(super) async fn recheck(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Ok>> {
    state.engine.recheck(torrent_id(&id)?).await?;
    Ok(Json(Ok::YES))
}

#[derive(Deserialize)]
pub(super) struct RemoveQuery {
    #[serde(default)]
    delete: Option<String>,
}

pub(super) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<RemoveQuery>,
) -> ApiResult<Json<Ok>> {
    let delete = query
        .delete
        .as_deref()
        .map(parse_flag)
        .transpose()?
        .unwrap_or(false);
    state.engine.remove(torrent_id(&id)?, delete).await?;
    Ok(Json(Ok::YES))
}

pub(super) async fn set_category(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<SetCategory>,
) -> ApiResult<Json<Ok>> {
    state
        .engine
        .set_category(request.infohash, request.category_id)?;
    Ok(Json(Ok::YES))
}

pub(super) async fn set_priorities(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<SetFilePriorities>,
) -> ApiResult<Json<Ok>> {
    state.engine.set_file_priorities(&request)?;
    Ok(Json(Ok::YES))
}

pub(super) async fn move_storage(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<MoveTorrent>,
) -> ApiResult<Json<Ok>> {
    state
        .engine
        .move_storage(request.infohash, &request.save_path)
        .await?;
    Ok(Json(Ok::YES))
}
