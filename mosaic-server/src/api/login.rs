//! Signing in and out with a session cookie.

use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use mosaic_core::wire::{Login, Ok};

use super::AppState;
use super::auth::{Caller, Credential, SESSION_COOKIE};
use super::error::{ApiError, ApiResult};
use super::guard::{OriginRule, peer_ip, request_host};
use super::json::ApiJson;

/// `POST /api/login`: a cross-site page cannot sign a browser in (a
/// foreign `Origin` is refused), while scripts without `Origin` can.
pub(super) async fn login(State(state): State<AppState>, request: Request) -> ApiResult<Response> {
    let host = request_host(&request).unwrap_or_default();
    state
        .policy
        .check_origin(request.headers(), &host, OriginRule::IfPresent)?;
    let ip = state.policy.client_ip(peer_ip(&request), request.headers());
    let ApiJson(body): ApiJson<Login> = ApiJson::from_request(request, &state).await?;

    // Password hashing is deliberately slow; keep it off the async workers
    // so other clients are not held up.
    let access = state.access.clone();
    let token =
        tokio::task::spawn_blocking(move || access.login(ip, &body.username, &body.password))
            .await
            .map_err(|e| ApiError::internal(&e))??;
    tracing::info!(%ip, "signed in");
    Ok(with_cookie(&state, &token, None))
}

/// `POST /api/logout`: ends the session server-side and clears the cookie.
pub(super) async fn logout(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Response {
    if let Credential::Session { token, .. } = &caller.credential {
        state.access.logout(token);
    }
    with_cookie(&state, "", Some(0))
}

fn with_cookie(state: &AppState, token: &str, max_age: Option<u32>) -> Response {
    let secure = if state.policy.tls() { "; Secure" } else { "" };
    let max_age = max_age
        .map(|a| format!("; Max-Age={a}"))
        .unwrap_or_default();
    let cookie =
        format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/{secure}{max_age}");
    let mut response = Json(Ok::YES).into_response();
    let value =
        HeaderValue::from_str(&cookie).expect("tokens are base64url, always a valid header");
    response.headers_mut().insert(header::SET_COOKIE, value);
    response
}
