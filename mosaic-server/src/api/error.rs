//! Turning failures into the wire contract's JSON errors: one status per
//! core error, `{"error": "<message>"}` always, internal details logged
//! once and never sent.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mosaic_core::Error;
use mosaic_core::wire::ErrorBody;

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    retry_after: Option<u64>,
}

impl ApiError {
    /// An answer with this status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            retry_after: None,
        }
    }

    /// `400 {"error":"invalid request body"}`.
    pub fn invalid_body() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid request body")
    }

    /// `413 {"error":"request body too large"}`.
    pub fn too_large() -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "request body too large")
    }

    /// `401 {"error":"unauthorized"}`.
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized")
    }

    /// `404 {"error":"torrent not found"}`.
    pub fn torrent_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "torrent not found")
    }

    /// `500 {"error":"internal error"}`, logging what happened.
    pub fn internal(error: &dyn std::error::Error) -> Self {
        tracing::error!(error = %error_chain(error), "request failed");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        let status = match &error {
            Error::RateLimited { retry_after } => {
                let mut limited = Self::new(StatusCode::TOO_MANY_REQUESTS, error.to_string());
                limited.retry_after = Some(retry_after.as_secs_f64().ceil().max(1.0) as u64);
                return limited;
            }
            Error::SessionsFull => StatusCode::SERVICE_UNAVAILABLE,
            Error::Fetch(_) => StatusCode::BAD_GATEWAY,
            Error::NoUpdate => StatusCode::CONFLICT,
            Error::TorrentNotFound | Error::CategoryNotFound => StatusCode::NOT_FOUND,
            Error::CategoryExists | Error::MetadataPending(_) => StatusCode::CONFLICT,
            Error::InvalidCredentials => StatusCode::UNAUTHORIZED,
            e if e.is_caller_error() => StatusCode::BAD_REQUEST,
            _ => return Self::internal(&error),
        };
        Self::new(status, error.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(ErrorBody {
            error: self.message,
        });
        let mut response = (self.status, body).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// What handlers return.
pub type ApiResult<T> = Result<T, ApiError>;
