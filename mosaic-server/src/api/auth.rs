//! The gate in front of every route but the public ones: a request must
//! carry `Authorization: Bearer <api key>` naming a current key.

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;
use super::error::ApiError;

/// Who made a request, inserted for handlers that care.
#[derive(Clone, Debug)]
pub struct Caller {
    /// The authenticated user.
    pub username: String,
}

/// Refuses requests without a valid key with `401 {"error":"unauthorized"}`.
pub(super) async fn require_key(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let key = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 256)
        .ok_or_else(ApiError::unauthorized)?;
    let username = state
        .engine
        .credentials()
        .user_for_key(key)
        .map_err(|e| ApiError::internal(&e))?
        .ok_or_else(ApiError::unauthorized)?;
    request.extensions_mut().insert(Caller { username });
    Ok(next.run(request).await)
}
