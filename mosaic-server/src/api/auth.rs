//! Who is calling: a bearer API key, or a sign-in session cookie. Cookie
//! requests that change anything must also come from our own origin, since
//! a browser attaches the cookie to cross-site requests too; bearer
//! requests skip that check because no browser adds the header by itself.

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;
use super::error::ApiError;
use super::guard::{OriginRule, request_host};

/// Name of the sign-in cookie.
pub const SESSION_COOKIE: &str = "mosaic_session";

/// How a request proved who it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// An API key.
    ApiKey,
    /// A session cookie; the id is the session's, not its token.
    Session {
        /// The session's id.
        id: String,
        /// The cookie's token.
        token: String,
    },
}

/// Who made a request, inserted for handlers that care.
#[derive(Clone, Debug)]
pub struct Caller {
    /// The authenticated user.
    pub username: String,
    /// How they authenticated.
    pub credential: Credential,
}

impl Caller {
    /// The session id when signed in with a cookie.
    pub fn session_id(&self) -> Option<&str> {
        match &self.credential {
            Credential::Session { id, .. } => Some(id),
            Credential::ApiKey => None,
        }
    }
}

/// The bearer key in `Authorization`, if that header is there at all.
pub(super) fn bearer(headers: &HeaderMap) -> Option<Result<&str, ApiError>> {
    let value = headers.get(AUTHORIZATION)?;
    let key = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 256);
    Some(key.ok_or_else(ApiError::unauthorized))
}

/// The session token in the `Cookie` header.
pub(super) fn session_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, token)| token)
        .filter(|t| !t.is_empty() && t.len() <= 256)
}

/// Resolves the caller from a key or cookie.
///
/// # Errors
/// `401 unauthorized` when neither proves a user.
pub(super) fn identify(state: &AppState, headers: &HeaderMap) -> Result<Caller, ApiError> {
    if let Some(key) = bearer(headers) {
        let user = state
            .access
            .user_for_key(key?)
            .map_err(|e| ApiError::internal(&e))?;
        let username = user.ok_or_else(ApiError::unauthorized)?;
        return Ok(Caller {
            username,
            credential: Credential::ApiKey,
        });
    }
    let token = session_token(headers).ok_or_else(ApiError::unauthorized)?;
    let session = state
        .access
        .session(token)
        .ok_or_else(ApiError::unauthorized)?;
    let credential = Credential::Session {
        id: session.id,
        token: token.to_owned(),
    };
    Ok(Caller {
        username: session.username,
        credential,
    })
}

/// The gate in front of every non-public route: `401` without a valid key
/// or session, `403` for a cookie request that changes state without
/// proving it comes from our own origin.
pub(super) async fn require_caller(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let caller = identify(&state, request.headers())?;
    let changes_state = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if changes_state && caller.session_id().is_some() {
        let host = request_host(&request).unwrap_or_default();
        state
            .policy
            .check_origin(request.headers(), &host, OriginRule::Required)?;
    }
    request.extensions_mut().insert(caller);
    Ok(next.run(request).await)
}
