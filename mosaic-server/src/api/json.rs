//! A JSON body extractor whose failures are the contract's errors: 413 over
//! the size limit, 400 for anything that is not the expected JSON. The
//! `Content-Type` is not required, matching what scripts send.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// A JSON request body of type `T`.
pub(super) struct ApiJson<T>(pub(super) T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
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
