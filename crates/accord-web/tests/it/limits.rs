//! The server's limits: a body too large is refused with 413 before it is
//! read; beyond the number of requests in progress a request is refused at
//! once with 503 and `Retry-After` (a download is in progress until its
//! body is sent); a request that takes too long is stopped with 503. Each answer says what happened, in the API's JSON
//! shape or as a page.

use crate::{fixture, Fixture};
use accord_web::limits::Limits;
use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use std::convert::Infallible;
use std::time::Duration;
use tower::ServiceExt;

/// A request whose body never arrives (its sender is kept but never
/// sends): the request stays in progress.
fn endless_post(token: &str) -> (Request<Body>, http_body_util::channel::Sender<Bytes>) {
    let (sender, body) = http_body_util::Channel::<Bytes, Infallible>::new(1);
    let request = Request::post("/api/v1/assessments")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .header("content-length", "100")
        .body(Body::new(body))
        .expect("request");
    (request, sender)
}

async fn answer(router: axum::Router, request: Request<Body>) -> (StatusCode, String, String) {
    let response = router.oneshot(request).await.expect("infallible");
    let status = response.status();
    let retry = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = body_of(response).await;
    (status, retry, String::from_utf8_lossy(&bytes).into_owned())
}

/// A fixture, and its server under `limits`.
async fn limited(limits: Limits) -> (Fixture, axum::Router) {
    let f = fixture().await;
    let router = accord_web::app_with_limits(f.state.clone(), limits);
    (f, router)
}

/// A response's whole body.
async fn body_of(response: axum::response::Response) -> Bytes {
    response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).expect("request")
}

#[tokio::test]
async fn a_body_too_large_is_refused_before_it_is_read() {
    let (f, router) = limited(Limits {
        max_body: 1000,
        ..Limits::default()
    })
    .await;
    let (request, _sender) = endless_post(&f.tokens.analyst);
    let (mut parts, body) = request.into_parts();
    parts
        .headers
        .insert("content-length", "5000000".parse().unwrap());
    let request = Request::from_parts(parts, body);
    let (status, _, body) = answer(router.clone(), request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body.contains("larger than the 1000 bytes"), "{body}");
    // Without a declared length, the body limit still holds.
    let big = format!("{{\"rationale\": \"{}\"}}", "x".repeat(5000));
    let request = Request::post("/api/v1/assessments")
        .header("authorization", format!("Bearer {}", f.tokens.analyst))
        .header("content-type", "application/json")
        .body(Body::from(big))
        .expect("request");
    let (status, _, _) = answer(router, request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn beyond_the_requests_in_progress_the_server_refuses_at_once() {
    let (f, router) = limited(Limits {
        max_in_flight: 1,
        ..Limits::default()
    })
    .await;
    let (request, _sender) = endless_post(&f.tokens.analyst);
    let stuck = tokio::spawn(answer(router.clone(), request));
    let mut refused = None;
    for _ in 0..200 {
        let (status, retry, body) = answer(router.clone(), get("/api/v1/summits")).await;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            refused = Some((retry, body));
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let (retry, body) =
        refused.expect("a second request is refused while the first is in progress");
    assert_eq!(retry, "1");
    assert!(body.contains("try again"), "{body}");
    let (status, _, page) = answer(router.clone(), get("/")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.contains("<html") || page.contains("<!doctype"),
        "pages answer with a page: {page}"
    );
    stuck.abort();
    let _ = stuck.await;
    let (status, _, _) = answer(router, get("/api/v1/summits")).await;
    assert_eq!(status, StatusCode::OK, "served again once the first ended");
}

#[tokio::test]
async fn a_download_counts_as_in_progress_until_it_is_sent() {
    // The fixture is kept: it holds the ledger's files.
    let (_fixture, router) = limited(Limits {
        max_in_flight: 1,
        ..Limits::default()
    })
    .await;
    let summits = || answer(router.clone(), get("/api/v1/summits"));
    for format in ["json", "csv"] {
        let uri = format!("/api/v1/export?format={format}");
        let response = router.clone().oneshot(get(&uri)).await.expect("infallible");
        assert_eq!(response.status(), StatusCode::OK);
        // Its handler has returned, its body is not read yet: the server
        // is still answering it.
        assert_eq!(summits().await.0, StatusCode::SERVICE_UNAVAILABLE);
        let bytes = body_of(response).await;
        assert!(bytes.len() > 1000, "{format}: {} bytes", bytes.len());
        assert_eq!(summits().await.0, StatusCode::OK, "{format}: sent");
    }
    // A download the client leaves gives its place up.
    let response = router.clone().oneshot(get("/api/v1/export")).await;
    assert_eq!(summits().await.0, StatusCode::SERVICE_UNAVAILABLE);
    drop(response);
    assert_eq!(summits().await.0, StatusCode::OK, "left");
}

#[tokio::test]
async fn a_request_that_takes_too_long_is_stopped() {
    let (f, router) = limited(Limits {
        timeout: Duration::from_millis(100),
        ..Limits::default()
    })
    .await;
    let (request, _sender) = endless_post(&f.tokens.analyst);
    let (status, retry, body) = answer(router.clone(), request).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(retry, "1");
    assert!(body.contains("took longer than"), "{body}");
    let (status, _, _) = answer(router, get("/api/v1/summits")).await;
    assert_eq!(status, StatusCode::OK);
}
