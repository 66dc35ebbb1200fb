//! Category routes.

use axum::Json;
use axum::extract::{Path, State};
use mosaic_core::CategoryId;
use mosaic_core::wire::{Category, CategoryUpdate, Created, NewCategory, Ok};

use super::AppState;
use super::error::{ApiError, ApiResult};
use super::json::ApiJson;

pub(super) async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<Category>>> {
    Ok(Json(state.engine.categories()?))
}

pub(super) async fn create(
    State(state): State<AppState>,
    ApiJson(new): ApiJson<NewCategory>,
) -> ApiResult<Json<Created>> {
    Ok(Json(Created {
        id: state.engine.create_category(&new)?,
    }))
}

pub(super) async fn update(
    State(state): State<AppState>,
    ApiJson(update): ApiJson<CategoryUpdate>,
) -> ApiResult<Json<Ok>> {
    state.engine.update_category(&update)?;
    Ok(Json(Ok::YES))
}

pub(super) async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Ok>> {
    let id: CategoryId = id
        .parse()
        .map_err(|_| ApiError::new(axum::http::StatusCode::NOT_FOUND, "category not found"))?;
    state.engine.delete_category(id)?;
    Ok(Json(Ok::YES))
}
