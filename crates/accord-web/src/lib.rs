//! The web interface and JSON API over the ledger: the only crate that
//! knows HTTP.
//!
//! [`app`] gives the whole site as an axum [`Router`]: server-rendered HTML
//! pages (`pages`), the JSON API under `/api/v1/` (`api`, described at
//! `/api/v1/openapi.json`), over an [`AppState`] that holds the store and a
//! snapshot of the ledger with its search index (`state`). What pages and
//! API show is computed in `views` (and `compliance` for assessments and
//! scorecards); who is asking and what they may do is decided in `auth`;
//! errors become HTTP answers in one place (`error`).
#![deny(missing_docs)]

pub mod api;
pub mod auth;
pub mod compliance;
pub mod error;
mod export;
pub mod limits;
pub mod pages;
pub mod state;
pub mod views;

pub use error::{ApiError, Error, Result};
pub use state::{AppState, Ledger};

use axum::Router;

/// The whole site: pages, `/api/v1/…`, and HTML or JSON 404s, behind
/// [`auth::identify`] (who is asking; anonymous reading on or off) and
/// the server's [`limits`] with their default values.
pub fn app(state: AppState) -> Router {
    app_with_limits(state, limits::Limits::default())
}

/// [`app`] with the given [`limits::Limits`].
pub fn app_with_limits(state: AppState, limits: limits::Limits) -> Router {
    let max_body = limits.max_body;
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .fallback(error::page_not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::identify,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(
            limits::Guard::new(limits),
            limits::guard,
        ))
        .with_state(state)
}

/// Serves [`app_with_limits`] on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    limits: limits::Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app_with_limits(state, limits))
        .with_graceful_shutdown(shutdown)
        .await
}

/// An answer of [`get_for_tests`].
#[derive(Debug, Clone)]
pub struct TestAnswer {
    /// The status code.
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: String,
    /// The body as text.
    pub body: String,
}

/// GETs `uri` from [`app`] over `state` without a socket, for tests of
/// crates that do not know HTTP.
pub async fn get_for_tests(state: &AppState, uri: &str) -> TestAnswer {
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;
    let request = match axum::http::Request::get(uri).body(axum::body::Body::empty()) {
        Ok(request) => request,
        Err(e) => {
            return TestAnswer {
                status: 400,
                content_type: String::new(),
                body: format!("bad request URI {uri:?}: {e}"),
            }
        }
    };
    let response = match app(state.clone()).oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = match response.into_body().collect().await {
        Ok(collected) => String::from_utf8_lossy(&collected.to_bytes()).into_owned(),
        Err(e) => format!("cannot read the body: {e}"),
    };
    TestAnswer {
        status,
        content_type,
        body,
    }
}
