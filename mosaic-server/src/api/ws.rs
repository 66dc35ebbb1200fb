//! `GET /api/ws` and the inspector focus routes.

use axum::Extension;
use axum::Json;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use mosaic_core::wire::{InspectorFocus, Ok};
use serde::Deserialize;

use super::AppState;
use super::auth::{Caller, Credential, bearer, identify, session_token};
use super::error::{ApiError, ApiResult};
use super::guard::OriginRule;
use super::json::ApiJson;
use crate::live::{SocketAuth, SocketContext, run_socket};

#[derive(Deserialize)]
pub(super) struct WsQuery {
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    delta: Option<String>,
}

/// Checks credentials and origin before upgrading, so a refused client
/// gets a JSON error instead of a socket.
pub(super) async fn upgrade(
    State(state): State<AppState>,
    Query(query): Query<WsQuery>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> ApiResult<Response> {
    let (caller, auth) = authenticate(&state, &query, &headers)?;
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    if headers.contains_key(axum::http::header::ORIGIN) {
        state
            .policy
            .check_origin(&headers, host, OriginRule::Required)?;
    }
    let upgrade = upgrade
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "websocket upgrade expected"))?;

    let context = SocketContext {
        hub: state.hub.clone(),
        engine: state.engine.clone(),
        access: state.access.clone(),
        focus: state.focus.clone(),
        caller: focus_key(&caller),
        auth,
        delta: matches!(query.delta.as_deref(), Some("1" | "true")),
        shutdown: state.shutdown.clone(),
    };
    Ok(upgrade.on_upgrade(move |socket| run_socket(socket, context)))
}

fn authenticate(
    state: &AppState,
    query: &WsQuery,
    headers: &HeaderMap,
) -> ApiResult<(Caller, SocketAuth)> {
    if let Some(key) = query
        .key
        .as_deref()
        .filter(|k| !k.is_empty() && k.len() <= 256)
    {
        let user = state
            .access
            .user_for_key(key)
            .map_err(|e| ApiError::internal(&e))?;
        let username = user.ok_or_else(ApiError::unauthorized)?;
        let caller = Caller {
            username,
            credential: Credential::ApiKey,
        };
        return Ok((caller, SocketAuth::Key(key.to_owned())));
    }
    let caller = identify(state, headers)?;
    let auth = match (bearer(headers), session_token(headers)) {
        (Some(key), _) => SocketAuth::Key(key?.to_owned()),
        (None, Some(token)) => SocketAuth::Session(token.to_owned()),
        (None, None) => return Err(ApiError::unauthorized()),
    };
    Ok((caller, auth))
}

/// Focus belongs to a session, or to an API key's user across its sockets.
fn focus_key(caller: &Caller) -> String {
    match caller.session_id() {
        Some(id) => format!("session:{id}"),
        None => format!("user:{}", caller.username),
    }
}

/// `POST /api/inspector/focus {id, tabs}`; an empty id clears.
pub(super) async fn focus(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    ApiJson(request): ApiJson<InspectorFocus>,
) -> ApiResult<Json<Ok>> {
    let key = focus_key(&caller);
    let focused = state
        .focus
        .set(&key, &request.id, &request.tabs)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.0))?;
    if let Some(id) = focused
        && state.engine.torrent(id).is_err()
    {
        state.focus.clear(&key);
        return Err(ApiError::torrent_not_found());
    }
    Ok(Json(Ok::YES))
}

/// `POST /api/inspector/clear`.
pub(super) async fn clear(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Json<Ok> {
    state.focus.clear(&focus_key(&caller));
    Json(Ok::YES)
}
