//! A JSON body extractor whose failures are the contract's errors: 413 over
//! the size limit, 400 for anything that is not the expected JSON. The
//! `Content-Type` is not required, matching what scripts send.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// Time allowed to receive a JSON body.
const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// A JSON request body of type `T`.
pub(super) struct ApiJson<T>(pub(super) T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // A body trickled in slower than this is abandoned.
        let read = tokio::time::timeout(BODY_TIMEOUT, Bytes::from_request(req, state));
        let bytes = read
            .await
            .map_err(|_| ApiError::new(StatusCode::REQUEST_TIMEOUT, "request body too slow"))?;
        let bytes = bytes.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::too_large()
            } else {
                ApiError::invalid_body()
            }
        })?;
        serde_json::from_slice(&bytes)
            .map(Self)
            .map_err(|_| ApiError::invalid_body())
    }
}
