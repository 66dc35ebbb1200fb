//! The embedded browser UI as the router serves it: caching, types, the
//! app-path fallback, and the line between UI paths and `/api`.

mod common;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use common::{BOUND, Fixture, fixture};

/// Sends a request without credentials and returns status, headers, body.
async fn get(
    f: &Fixture,
    method: &str,
    path: &str,
    etag: Option<&str>,
) -> (StatusCode, HeaderMap, String) {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, BOUND);
    if let Some(tag) = etag {
        request = request.header(header::IF_NONE_MATCH, tag);
    }
    let response = f
        .app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// The first `/assets/…` URL named in the index page.
fn first_asset(index: &str) -> String {
    let start = index.find("/assets/").expect("the index links its assets");
    let end = index[start..].find('"').unwrap() + start;
    index[start..end].to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_and_app_paths_are_html_that_must_be_revalidated() {
    // Proves `/` and client-side paths answer the app (or, in a build
    // without it, the page saying how to build it) under the strict CSP.
    let f = fixture().await;
    for path in ["/", "/settings", "/categories/deep/link"] {
        let (status, headers, body) = get(&f, "GET", path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
        assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
        if mosaic_server::ui::is_built() {
            assert!(body.contains("<div id=\"root\">"), "{path}: {body}");
        } else {
            assert!(body.contains("npm run build"), "{path}: {body}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hashed_assets_are_immutable_and_typed_and_revalidation_uses_etags() {
    // Proves build output is cached for a year with the right media type,
    // and an unchanged file answers 304 to its ETag.
    let f = fixture().await;
    if !mosaic_server::ui::is_built() {
        eprintln!("skipped: frontend/dist was not built into this binary");
        return;
    }
    let (_, index_headers, index) = get(&f, "GET", "/", None).await;
    let script = first_asset(&index);
    let (status, headers, body) = get(&f, "GET", &script, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.is_empty());
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let expected = if script.ends_with(".js") {
        "text/javascript; charset=utf-8"
    } else {
        "text/css; charset=utf-8"
    };
    assert_eq!(headers[header::CONTENT_TYPE], expected);
    assert!(headers.get(header::CONTENT_SECURITY_POLICY).is_none());

    let etag = index_headers[header::ETAG].to_str().unwrap();
    let (status, _, body) = get(&f, "GET", "/", Some(etag)).await;
    assert_eq!((status, body.as_str()), (StatusCode::NOT_MODIFIED, ""));
    let (status, _, _) = get(&f, "GET", "/", Some("\"stale\"")).await;
    assert_eq!(status, StatusCode::OK);

    let (status, headers, _) = get(&f, "HEAD", &script, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_paths_missing_files_and_writes_stay_json_errors() {
    // Proves the fallback never turns an unknown API route, a missing
    // script or a write into the HTML page.
    let f = fixture().await;
    for path in ["/api/nothing", "/api", "/api/torrents/x/y/z"] {
        let (status, headers, body) = get(&f, "GET", path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/json");
        assert_eq!(body, r#"{"error":"not found"}"#);
    }
    if mosaic_server::ui::is_built() {
        for path in ["/assets/index-gone.js", "/robots.txt"] {
            let (status, _, body) = get(&f, "GET", path, None).await;
            assert_eq!(
                (status, body.as_str()),
                (StatusCode::NOT_FOUND, r#"{"error":"not found"}"#)
            );
        }
    }
    let (status, headers, body) = get(&f, "POST", "/settings", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(headers[header::ALLOW], "GET, HEAD");
    assert_eq!(body, r#"{"error":"method not allowed"}"#);

    let request = Request::builder()
        .uri("/")
        .header(header::HOST, "evil.example:8080")
        .body(Body::empty())
        .unwrap();
    let response = f.app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::MISDIRECTED_REQUEST);
}
