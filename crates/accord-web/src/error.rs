//! Errors, and the one place that maps them to HTTP: [`ApiError`] answers
//! JSON (`{"error": {"status": 404, "message": "…"}}`), [`PageError`] an
//! HTML page, both with the same status and message. Internal causes are
//! logged, never shown. [`ApiQuery`] is the query-string extractor whose
//! rejection has the same JSON shape, [`ApiPath`] the same for path
//! parameters and [`ApiJson`] for JSON bodies ([`PageQuery`], [`PagePath`]
//! and [`PageForm`] answer HTML pages).
//!
//! The store's domain errors keep their meaning: a stale write
//! (`Conflict`) is 409, a refused value (`Invalid`) 400, a missing record
//! (`NotFound`) 404. A page asked for without the login it needs
//! redirects to `/login` (303) instead of answering 401.

use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// What can go wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The thing asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// The path exists but not with this method.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// Nobody is logged in, or the credentials given are not valid.
    #[error("{0}")]
    Unauthorized(String),
    /// The user is known but their role does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// Someone else changed the record since it was read.
    #[error("{0}")]
    Conflict(String),
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] accord_store::Error),
    /// The search index failed.
    #[error("search: {0}")]
    Search(#[from] accord_search::Error),
    /// The server is at its limit (too many requests at once, or one took
    /// too long): try again shortly.
    #[error("{0}")]
    Busy(String),
    /// The request body is larger than the server takes.
    #[error("{0}")]
    TooLarge(String),
    /// Anything else on our side.
    #[error("{0}")]
    Internal(String),
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The status code and the message safe to show the client.
    pub fn status_and_message(&self) -> (StatusCode, String) {
        match self {
            Error::NotFound(message) => (StatusCode::NOT_FOUND, message.clone()),
            Error::BadRequest(message) => (StatusCode::BAD_REQUEST, message.clone()),
            Error::MethodNotAllowed(message) => (StatusCode::METHOD_NOT_ALLOWED, message.clone()),
            Error::Unauthorized(message) => (StatusCode::UNAUTHORIZED, message.clone()),
            Error::Forbidden(message) => (StatusCode::FORBIDDEN, message.clone()),
            Error::Conflict(message) => (StatusCode::CONFLICT, message.clone()),
            Error::Busy(message) => (StatusCode::SERVICE_UNAVAILABLE, message.clone()),
            Error::TooLarge(message) => (StatusCode::PAYLOAD_TOO_LARGE, message.clone()),
            Error::Store(accord_store::Error::Conflict(message)) => {
                (StatusCode::CONFLICT, message.clone())
            }
            Error::Store(accord_store::Error::Invalid(message)) => {
                (StatusCode::BAD_REQUEST, message.clone())
            }
            Error::Store(accord_store::Error::NotFound(what)) => {
                (StatusCode::NOT_FOUND, format!("no {what}"))
            }
            Error::Store(_) | Error::Search(_) | Error::Internal(_) => {
                eprintln!("error: {self}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error; the server log has the cause".to_string(),
                )
            }
        }
    }
}

/// The JSON body of an API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status code.
    pub status: u16,
    /// A clear message for people.
    pub message: String,
}

/// An error answered as JSON.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl<E: Into<Error>> From<E> for ApiError {
    fn from(e: E) -> ApiError {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = self.0.status_and_message();
        let body = ErrorBody {
            error: ErrorDetail {
                status: status.as_u16(),
                message,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"accord\""),
            );
        }
        response
    }
}

/// An error answered as an HTML page.
#[derive(Debug)]
pub struct PageError(pub Error);

impl<E: Into<Error>> From<E> for PageError {
    fn from(e: E) -> PageError {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, message) = self.0.status_and_message();
        if status == StatusCode::UNAUTHORIZED {
            return crate::auth::to_login("/");
        }
        let html = crate::pages::error_page(status, &message);
        let mut response = (status, html).into_response();
        crate::pages::set_html_headers(&mut response);
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// A query string read into `T`; a malformed one is a 400 in the API's
/// error shape.
#[derive(Debug, Clone, Default)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(ApiError(Error::BadRequest(format!(
                "bad query string: {}",
                rejection.body_text()
            )))),
        }
    }
}

/// A query string read into `T` for an HTML page; a malformed one is a
/// 400 page.
#[derive(Debug, Clone, Default)]
pub struct PageQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for PageQuery<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(PageQuery(value)),
            Err(rejection) => Err(PageError(Error::BadRequest(format!(
                "bad query string: {}",
                rejection.body_text()
            )))),
        }
    }
}

/// A path parameter read into `T`; a malformed one (such as bytes that are
/// not UTF-8) is a 400 in the API's error shape.
#[derive(Debug, Clone, Default)]
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(rejection) => Err(ApiError(Error::BadRequest(format!(
                "bad path: {}",
                rejection.body_text()
            )))),
        }
    }
}

/// A path parameter read into `T` for an HTML page; a malformed one is a
/// 400 page.
#[derive(Debug, Clone, Default)]
pub struct PagePath<T>(pub T);

impl<T, S> FromRequestParts<S> for PagePath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(PagePath(value)),
            Err(rejection) => Err(PageError(Error::BadRequest(format!(
                "bad path: {}",
                rejection.body_text()
            )))),
        }
    }
}

/// A JSON body read into `T`; a malformed one is a 400 in the API's error
/// shape.
#[derive(Debug, Clone, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError(body_error("bad JSON body", rejection))),
        }
    }
}

/// A body that could not be read: too large (413), or malformed (400).
fn body_error(what: &str, rejection: impl IntoResponse + std::fmt::Display) -> Error {
    let text = rejection.to_string();
    if rejection.into_response().status() == StatusCode::PAYLOAD_TOO_LARGE {
        Error::TooLarge(format!(
            "the request body is larger than this server takes ({text})"
        ))
    } else {
        Error::BadRequest(format!("{what}: {text}"))
    }
}

/// The fields of a submitted HTML form (`application/x-www-form-urlencoded`),
/// in order, repeated names kept; a malformed body is a 400 page.
#[derive(Debug, Clone, Default)]
pub struct PageForm(pub Vec<(String, String)>);

impl PageForm {
    /// The first value of a field, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.trim())
    }
}

impl<S> FromRequest<S> for PageForm
where
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<Vec<(String, String)>>::from_request(request, state).await {
            Ok(axum::Form(fields)) => Ok(PageForm(fields)),
            Err(rejection) => Err(PageError(body_error("bad form", rejection))),
        }
    }
}

/// The API's answer for a path it does not know.
pub async fn api_not_found() -> ApiError {
    ApiError(Error::NotFound("no such API endpoint".into()))
}

/// The API's answer for a known path asked with a method it does not
/// answer.
pub async fn api_method_not_allowed() -> ApiError {
    ApiError(Error::MethodNotAllowed(
        "this endpoint does not answer this method (see /api/v1/openapi.json)".into(),
    ))
}

/// The answer for a page that does not exist.
pub async fn page_not_found() -> PageError {
    PageError(Error::NotFound("no such page".into()))
}

/// A response with a `Content-Type`.
pub fn with_content_type(body: impl IntoResponse, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    response
}
