//! The browser UI, embedded in the binary at compile time from
//! `frontend/dist` (see `build.rs`) and served for every path outside
//! `/api`.
//!
//! Files under `assets/` carry a content hash in their names, so they are
//! cached for a year; everything else (`index.html` above all) must be
//! revalidated on each load. Paths that name no file get `index.html`, so
//! the app's own paths (`/settings`) survive a reload.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::api::ApiError;

/// One embedded file.
pub(crate) struct Asset {
    /// Path below `dist/`, `/`-separated, without a leading slash.
    path: &'static str,
    bytes: &'static [u8],
    /// A quoted content hash.
    etag: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/ui_assets.rs"));

/// Where hashed build output lives.
const HASHED_DIR: &str = "assets/";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// What a server built without the UI answers instead of the app. Plain
/// markup: the Content-Security-Policy forbids inline styles and scripts.
const NOT_BUILT: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Mosaic: web interface not built</title></head><body>\
<h1>Mosaic's web interface was not built</h1>\
<p>This server was compiled without <code>frontend/dist</code>. Build the interface and the \
server again:</p>\
<pre>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build &amp;&amp; cd .. &amp;&amp; cargo build</pre>\
<p>(<code>scripts/run</code> does both.) The API under <code>/api</code> works without it.</p>\
</body></html>\n";

/// Whether this binary carries the built UI.
pub fn is_built() -> bool {
    find("index.html").is_some()
}

/// The router's fallback: unknown `/api` paths stay JSON errors, other
/// `GET`/`HEAD` requests get a UI file.
pub async fn serve(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return ApiError::new(StatusCode::NOT_FOUND, "not found").into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        let mut response =
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed").into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }

    match resolve(path) {
        Lookup::File(asset) => file(asset, &headers),
        Lookup::Missing => ApiError::new(StatusCode::NOT_FOUND, "not found").into_response(),
        Lookup::NotBuilt => not_built(),
    }
}

enum Lookup {
    File(&'static Asset),
    Missing,
    NotBuilt,
}

/// The file for a request path: an exact file, else `index.html` for app
/// paths. Missing hashed assets and other names with an extension are not
/// app paths, so a stale `<script>` gets a 404 rather than HTML.
fn resolve(path: &str) -> Lookup {
    let name = path.trim_start_matches('/');
    if let Some(asset) = find(name).filter(|_| !name.is_empty()) {
        return Lookup::File(asset);
    }
    let last = name.rsplit('/').next().unwrap_or_default();
    if name.starts_with(HASHED_DIR) || last.contains('.') {
        return if is_built() {
            Lookup::Missing
        } else {
            Lookup::NotBuilt
        };
    }
    find("index.html").map_or(Lookup::NotBuilt, Lookup::File)
}

fn find(name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.path == name)
}

fn file(asset: &'static Asset, request: &HeaderMap) -> Response {
    let cache = if asset.path.starts_with(HASHED_DIR) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let fresh = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|t| t.trim() == asset.etag));
    let (status, body) = if fresh {
        (StatusCode::NOT_MODIFIED, Body::empty())
    } else {
        (StatusCode::OK, Body::from(asset.bytes))
    };

    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(asset.path)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::ETAG, HeaderValue::from_static(asset.etag));
    response
}

fn not_built() -> Response {
    let headers = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CACHE_CONTROL, REVALIDATE),
    ];
    (StatusCode::OK, headers, NOT_BUILT).into_response()
}

/// The media type for a file name, by extension.
fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    match extension.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_follow_extensions() {
        // Proves each kind of build output gets the type browsers require
        // (module scripts are refused under nosniff with a wrong type).
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("assets/index-1a2B.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            content_type("assets/index-1a2B.CSS"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn app_paths_fall_back_to_the_index_and_file_names_do_not() {
        // Proves the SPA fallback covers app routes only: a missing script
        // or a stray file name is a 404, never HTML.
        let index = || match resolve("/settings") {
            Lookup::File(asset) => Some(asset.path),
            Lookup::Missing => None,
            Lookup::NotBuilt => Some("not built"),
        };
        if is_built() {
            assert_eq!(index(), Some("index.html"));
            assert!(matches!(resolve("/"), Lookup::File(a) if a.path == "index.html"));
            assert!(matches!(resolve("/assets/gone-123.js"), Lookup::Missing));
            assert!(matches!(resolve("/robots.txt"), Lookup::Missing));
        } else {
            assert_eq!(index(), Some("not built"));
            assert!(matches!(resolve("/"), Lookup::NotBuilt));
        }
    }
}
