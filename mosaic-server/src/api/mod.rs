//! The remote API: the router, its state and the layers every request
//! passes. Handlers are thin: each turns its extractors into one call on
//! [`mosaic_core::Engine`] and the result into a response.

mod auth;
mod categories;
mod error;
mod guard;
mod json;
mod login;
mod settings;
mod settings_web;
mod torrents;
mod updates;
mod ws;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router, middleware};
use mosaic_core::Engine;
use mosaic_core::access::Access;
use mosaic_core::updater::{self, Updater};
use mosaic_core::wire::Version;

pub use auth::{Caller, Credential, SESSION_COOKIE};
pub use error::{ApiError, ApiResult};
pub use guard::HostPolicy;

/// Largest JSON body accepted.
pub const MAX_JSON_BODY: usize = 1024 * 1024;
/// Largest .torrent upload accepted (the whole multipart body).
pub const MAX_UPLOAD_BODY: usize = 10 * 1024 * 1024;

/// What handlers share.
#[derive(Clone)]
pub struct AppState {
    /// The engine.
    pub engine: Engine,
    /// Keys, sessions and sign-in rules.
    pub access: Arc<Access>,
    /// Which hosts and origins are ours.
    pub policy: Arc<HostPolicy>,
    /// Encoded live frames for every socket.
    pub hub: Arc<crate::live::Hub>,
    /// Inspector focus per caller.
    pub focus: Arc<crate::live::Focus>,
    /// Cancelled when the server shuts down (sockets close with 1001).
    pub shutdown: tokio_util::sync::CancellationToken,
    /// Release checks and verified downloads.
    pub updater: Arc<Updater>,
    /// Notified when an installed update wants the server to restart.
    pub restart: Arc<tokio::sync::Notify>,
}

impl AppState {
    /// State for a router over `engine`, starting its live hub.
    pub fn new(engine: Engine, access: Arc<Access>, policy: HostPolicy) -> Self {
        let shutdown = tokio_util::sync::CancellationToken::new();
        let hub = crate::live::Hub::start(&engine, shutdown.clone());
        let key =
            updater::public_key(updater::RELEASE_PUBLIC_KEY).expect("the compiled-in key is valid");
        let updater = Updater::new(
            engine.store().clone(),
            engine.fetcher().clone(),
            engine.events().clone(),
            key,
            crate::VERSION,
        )
        .expect("the crate version is a semantic version");
        Self {
            engine,
            access,
            policy: Arc::new(policy),
            hub,
            focus: Arc::default(),
            shutdown,
            updater: Arc::new(updater),
            restart: Arc::default(),
        }
    }

    /// The same state trusting another release key.
    pub fn with_updater(mut self, updater: Updater) -> Self {
        self.updater = Arc::new(updater);
        self
    }
}

/// Builds the whole HTTP application, independent of how it is served.
pub fn router(state: AppState) -> Router {
    let gated = Router::new()
        .route("/api/torrents", get(torrents::list))
        .route("/api/torrents/magnet", post(torrents::add_magnet))
        .route(
            "/api/torrents/file",
            post(torrents::add_file).layer(DefaultBodyLimit::max(MAX_UPLOAD_BODY)),
        )
        .route("/api/torrents/category", post(torrents::set_category))
        .route(
            "/api/torrents/file_priorities",
            post(torrents::set_priorities),
        )
        .route("/api/torrents/move", post(torrents::move_storage))
        .route(
            "/api/torrents/{id}",
            get(torrents::detail).delete(torrents::remove),
        )
        .route("/api/torrents/{id}/pause", post(torrents::pause))
        .route("/api/torrents/{id}/resume", post(torrents::resume))
        .route("/api/torrents/{id}/recheck", post(torrents::recheck))
        .route("/api/stats", get(stats))
        .route(
            "/api/categories",
            get(categories::list)
                .post(categories::create)
                .put(categories::update),
        )
        .route("/api/categories/{id}", delete(categories::delete))
        .route(
            "/api/settings/save_path",
            get(settings::save_path).put(settings::set_save_path),
        )
        .route(
            "/api/settings/limits",
            get(settings::limits).put(settings::set_limits),
        )
        .route(
            "/api/settings/alt_speed/toggle",
            post(settings::toggle_alt_speed),
        )
        .route(
            "/api/settings/connection",
            get(settings::connection).put(settings::set_connection),
        )
        .route(
            "/api/settings/web",
            get(settings_web::get).put(settings_web::put),
        )
        .route("/api/settings/web/password", put(settings_web::password))
        .route(
            "/api/settings/web/api_key/rotate",
            post(settings_web::rotate_key),
        )
        .route("/api/logout", post(login::logout))
        .route(
            "/api/settings/blocklist",
            get(updates::blocklist).put(updates::set_blocklist),
        )
        .route(
            "/api/settings/blocklist/refresh",
            post(updates::refresh_blocklist),
        )
        .route(
            "/api/settings/updater",
            get(updates::updater).put(updates::set_updater),
        )
        .route("/api/updater/check", post(updates::check))
        .route("/api/updater/install", post(updates::install))
        .route("/api/inspector/focus", post(ws::focus))
        .route("/api/inspector/clear", post(ws::clear))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_caller,
        ));

    Router::new()
        .route("/api/version", get(version))
        .route("/api/login", post(login::login))
        .route("/api/ws", get(ws::upgrade))
        .merge(gated)
        // Unknown /api paths answer JSON 404; every other path is the UI.
        .fallback(crate::ui::serve)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_JSON_BODY))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            guard::host_check,
        ))
        .layer(middleware::map_response(security_headers))
        .with_state(state)
}

async fn version() -> Json<Version> {
    Json(Version {
        version: crate::VERSION.to_owned(),
    })
}

async fn stats(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Json<mosaic_core::wire::Stats> {
    Json(state.engine.stats())
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
}

/// Turns the plain-text rejections of axum's extractors (a query or path
/// that does not parse) into the JSON error every client expects.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_text = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !is_text {
        return response;
    }
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let message = String::from_utf8_lossy(&body).trim().to_lowercase();
    let message = if message.is_empty() {
        "invalid request".to_owned()
    } else {
        message
    };
    ApiError::new(status, message).into_response()
}

/// Headers every answer carries; HTML answers get the frame and referrer
/// rules too.
async fn security_headers(response: Response) -> Response {
    let mut response = json_errors(response).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                 connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            ),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn html_answers_get_frame_sniff_and_referrer_rules() {
        let html = (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<p>hi</p>",
        );
        let response = security_headers(axum::response::IntoResponse::into_response(html)).await;
        let h = response.headers();
        assert_eq!(h[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(h[header::REFERRER_POLICY], "no-referrer");
        let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));

        let json = Json(Version {
            version: "1".into(),
        });
        let json = security_headers(axum::response::IntoResponse::into_response(json)).await;
        assert_eq!(json.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(json.headers().get(header::X_FRAME_OPTIONS).is_none());
    }
}
