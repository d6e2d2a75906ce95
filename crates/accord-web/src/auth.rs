//! Who is asking, and what they may do.
//!
//! A request proves who it is with a login session (the `accord_session`
//! cookie: HttpOnly, SameSite=Strict, Path=/, and Secure unless the server
//! is reached on a loopback address) or an API token
//! (`Authorization: Bearer acc_…`). [`identify`], a middleware over the
//! whole site, looks the credential up once per request and leaves an
//! [`Identity`] in the request; it also answers for the server when
//! anonymous reading is off (pages redirect to `/login`, API calls answer
//! 401) and refuses cross-site form posts.
//!
//! Handlers then ask for what they need with an extractor: [`Viewer`]
//! (whoever it is, perhaps nobody), [`ApiUser`] and [`PageUser`] (a user
//! with at least the role `R`: [`AnyRole`], [`AnalystRole`] or
//! [`AdminRole`]). Nobody logged in is 401 (pages: a 303 to `/login`); a
//! role too weak is 403. The refusal happens before the handler runs, so a
//! refused request never changes anything.

use crate::error::{ApiError, Error, PageError};
use crate::state::AppState;
use crate::views::encode;
use accord_store::users::{Role, User};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::convert::Infallible;
use std::marker::PhantomData;

/// The name of the login session's cookie.
pub const SESSION_COOKIE: &str = "accord_session";

/// How long a login session lasts.
pub const SESSION_HOURS: i64 = 12;

/// How a request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// The login session's cookie.
    Session,
    /// An API token.
    Token,
}

/// Who sent a request, as [`identify`] found out.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    /// The user, or `None` for nobody logged in.
    pub user: Option<User>,
    /// How they proved it.
    pub via: Option<Via>,
}

/// Paths anyone may reach even when anonymous reading is off: the login
/// form, logging out, and the style sheet the login form uses.
fn open_to_all(path: &str) -> bool {
    matches!(path, "/login" | "/logout" | "/static/style.css")
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// The secret of an `Authorization: Bearer …` header; `Err` for another
/// scheme.
fn bearer(headers: &HeaderMap) -> Result<Option<&str>, Error> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().unwrap_or("").trim();
    match value.split_once(' ') {
        Some((scheme, secret)) if scheme.eq_ignore_ascii_case("bearer") => Ok(Some(secret.trim())),
        _ => Err(Error::Unauthorized(
            "use an API token: Authorization: Bearer acc_…".into(),
        )),
    }
}

/// The value of the session cookie, if the request has one.
pub fn session_secret(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// Whether the request reached the server on a loopback name, where the
/// session cookie may go without `Secure` (plain HTTP on the same
/// machine). Anywhere else the cookie is `Secure`: serve behind HTTPS.
fn on_loopback(headers: &HeaderMap) -> bool {
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    if forwarded_https {
        return false;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    let name = name.to_ascii_lowercase();
    // No Host at all: a test or a local tool, not a browser.
    name.is_empty()
        || name == "localhost"
        || name.ends_with(".localhost")
        || name == "::1"
        || name.starts_with("127.")
}

fn cookie(value: &str, max_age: i64, headers: &HeaderMap) -> HeaderValue {
    let secure = if on_loopback(headers) { "" } else { "; Secure" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("accord_session=; Path=/; Max-Age=0"))
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(secret: &str, headers: &HeaderMap) -> HeaderValue {
    cookie(secret, SESSION_HOURS * 3600, headers)
}

/// The `Set-Cookie` value that ends a session in the browser.
pub fn clear_session_cookie(headers: &HeaderMap) -> HeaderValue {
    cookie("", 0, headers)
}

/// Whether a browser sent this request from another site (a form posted
/// from elsewhere), going by `Sec-Fetch-Site` and `Origin`. Requests that
/// carry neither (scripts, tests) are not cross-site.
fn cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let origin = origin.to_str().unwrap_or("null");
    let origin_host = origin.split_once("://").map(|(_, rest)| rest);
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin_host, host) {
        (Some(origin_host), Some(host)) => !origin_host.eq_ignore_ascii_case(host),
        _ => true,
    }
}

/// A local path to go back to after logging in: `next` if it is a path on
/// this site, else `/`.
pub fn safe_next(next: &str) -> String {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control());
    if local {
        next.to_string()
    } else {
        "/".to_string()
    }
}

/// A 303 to the login form, coming back to `next` afterwards.
pub fn to_login(next: &str) -> Response {
    let next = safe_next(next);
    let location = if next == "/" {
        "/login".to_string()
    } else {
        format!("/login?next={}", encode(&next))
    };
    see_other(&location)
}

/// A 303 to `location` (after a form post, or to the login form).
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// Where a page asked for without a login should come back to: the page
/// itself for a GET; for a form post, the page the form was on.
fn page_to_come_back_to(parts: &Parts) -> String {
    if parts.method == Method::GET || parts.method == Method::HEAD {
        return parts
            .uri
            .path_and_query()
            .map_or("/".to_string(), |p| p.as_str().to_string());
    }
    let referer = parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let path = match referer.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => "/",
    };
    safe_next(path)
}

/// The middleware that finds out who is asking (see the module's
/// documentation), over every route of the site.
pub async fn identify(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let api = is_api(&path);
    let refuse = |error: Error| -> Response {
        if api {
            ApiError(error).into_response()
        } else {
            PageError(error).into_response()
        }
    };
    let headers = request.headers();
    let mut stale_cookie = false;
    let token = match bearer(headers) {
        Ok(token) => token,
        Err(e) => return refuse(e),
    };
    let identity = match token {
        Some(secret) => match state.store().token_user(secret).await {
            Ok(Some(user)) => Identity {
                user: Some(user),
                via: Some(Via::Token),
            },
            Ok(None) => {
                return refuse(Error::Unauthorized(
                    "this API token is not valid: it was revoked, or never made".into(),
                ))
            }
            Err(e) => return refuse(e.into()),
        },
        None => match session_secret(headers) {
            Some(secret) => match state.store().session_user(secret).await {
                Ok(Some(user)) => Identity {
                    user: Some(user),
                    via: Some(Via::Session),
                },
                Ok(None) => {
                    stale_cookie = true;
                    Identity::default()
                }
                Err(e) => return refuse(e.into()),
            },
            None => Identity::default(),
        },
    };
    let safe_method = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe_method && identity.via != Some(Via::Token) && cross_site(headers) {
        return refuse(Error::Forbidden(
            "this form was sent from another site; nothing was changed".into(),
        ));
    }
    if !state.anonymous_read() && identity.user.is_none() && !open_to_all(&path) {
        if api {
            return refuse(Error::Unauthorized(
                "this server answers only its users: log in, or give an API token (Authorization: Bearer acc_…)".into(),
            ));
        }
        let (parts, _) = request.into_parts();
        return to_login(&page_to_come_back_to(&parts));
    }
    let clear = stale_cookie.then(|| clear_session_cookie(request.headers()));
    request.extensions_mut().insert(identity);
    let mut response = next.run(request).await;
    if let Some(clear) = clear {
        response.headers_mut().append(header::SET_COOKIE, clear);
    }
    response
}

/// Whoever is asking (perhaps nobody), and the page they asked for.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    /// The user, or `None`.
    pub user: Option<User>,
    /// How they proved it.
    pub via: Option<Via>,
    /// The path and query asked for.
    pub here: String,
}

impl Viewer {
    /// Whether the viewer's role includes `role`.
    pub fn can(&self, role: Role) -> bool {
        self.user.as_ref().is_some_and(|u| u.can(role))
    }

    /// What templates show of the viewer (`viewer` in `base.html`).
    pub fn for_template(&self) -> minijinja::Value {
        let login_href = if self.here == "/" || self.here.starts_with("/login") {
            "/login".to_string()
        } else {
            format!("/login?next={}", encode(&self.here))
        };
        minijinja::context! {
            user => self.user,
            analyst => self.can(Role::Analyst),
            admin => self.can(Role::Admin),
            here => self.here,
            login_href,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let identity = parts
            .extensions
            .get::<Identity>()
            .cloned()
            .unwrap_or_default();
        Ok(Viewer {
            user: identity.user,
            via: identity.via,
            here: parts
                .uri
                .path_and_query()
                .map_or("/".to_string(), |p| p.as_str().to_string()),
        })
    }
}

/// A role a route needs, as a type (for [`ApiUser`] and [`PageUser`]).
pub trait Needs: Send + Sync + 'static {
    /// The weakest role allowed.
    const ROLE: Role;
}

/// Any logged-in user.
#[derive(Debug)]
pub struct AnyRole;
impl Needs for AnyRole {
    const ROLE: Role = Role::Reader;
}

/// Analysts and admins.
#[derive(Debug)]
pub struct AnalystRole;
impl Needs for AnalystRole {
    const ROLE: Role = Role::Analyst;
}

/// Admins.
#[derive(Debug)]
pub struct AdminRole;
impl Needs for AdminRole {
    const ROLE: Role = Role::Admin;
}

/// The user, if there is one and their role includes `needed`.
pub fn require(user: Option<&User>, needed: Role) -> Result<User, Error> {
    match user {
        None => Err(Error::Unauthorized(format!(
            "log in, or give an API token (Authorization: Bearer acc_…): this needs the {} role",
            needed.as_str()
        ))),
        Some(user) if !user.can(needed) => Err(Error::Forbidden(format!(
            "{} is {} {}: this needs the {} role; nothing was changed",
            user.name,
            article(user.role),
            user.role.as_str(),
            needed.as_str()
        ))),
        Some(user) => Ok(user.clone()),
    }
}

fn article(role: Role) -> &'static str {
    match role {
        Role::Reader => "a",
        Role::Analyst | Role::Admin => "an",
    }
}

/// A user whose role includes `R`'s, for the API: otherwise 401 or 403 in
/// the API's error shape.
#[derive(Debug)]
pub struct ApiUser<R: Needs> {
    /// The user.
    pub user: User,
    /// How they proved it.
    pub via: Option<Via>,
    role: PhantomData<R>,
}

impl<R: Needs, S: Send + Sync> FromRequestParts<S> for ApiUser<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Ok(viewer) = Viewer::from_request_parts(parts, state).await;
        let user = require(viewer.user.as_ref(), R::ROLE)?;
        Ok(ApiUser {
            user,
            via: viewer.via,
            role: PhantomData,
        })
    }
}

/// A user whose role includes `R`'s, for pages: otherwise a 303 to the
/// login form, or a 403 page.
#[derive(Debug)]
pub struct PageUser<R: Needs> {
    /// The user.
    pub user: User,
    /// The viewer, for the page's header.
    pub viewer: Viewer,
    role: PhantomData<R>,
}

impl<R: Needs, S: Send + Sync> FromRequestParts<S> for PageUser<R> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Ok(viewer) = Viewer::from_request_parts(parts, state).await;
        match require(viewer.user.as_ref(), R::ROLE) {
            Ok(user) => Ok(PageUser {
                user,
                viewer,
                role: PhantomData,
            }),
            Err(Error::Unauthorized(_)) => Err(to_login(&page_to_come_back_to(parts))),
            Err(e) => Err(crate::pages::error_response(&viewer, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_places_to_come_back_to() {
        assert_eq!(safe_next("/commitments/x?y=1"), "/commitments/x?y=1");
        for outside in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil",
            "",
            "x",
        ] {
            assert_eq!(safe_next(outside), "/", "{outside}");
        }
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; accord_session=s_abc ; b=2"),
        );
        assert_eq!(session_secret(&headers), Some("s_abc"));
        headers.insert(header::COOKIE, HeaderValue::from_static("accord_session="));
        assert_eq!(session_secret(&headers), None);
    }

    #[test]
    fn the_cookie_is_secure_except_on_loopback() {
        let mut headers = HeaderMap::new();
        for (host, secure) in [
            ("127.0.0.1:8080", false),
            ("localhost", false),
            ("[::1]:80", false),
            ("accord.example.org", true),
            ("10.0.0.5:8080", true),
        ] {
            headers.insert(header::HOST, HeaderValue::from_static(host));
            let cookie = session_cookie("s_x", &headers);
            let cookie = cookie.to_str().unwrap();
            assert!(
                cookie.contains("HttpOnly; SameSite=Strict; Path=/"),
                "{cookie}"
            );
            assert_eq!(cookie.ends_with("; Secure"), secure, "{host}: {cookie}");
        }
    }

    #[test]
    fn forms_posted_from_elsewhere_are_cross_site() {
        let mut headers = HeaderMap::new();
        assert!(!cross_site(&headers), "no browser headers");
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(!cross_site(&headers));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(cross_site(&headers));
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(!cross_site(&headers), "Sec-Fetch-Site decides");
        headers.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(cross_site(&headers));
    }
}
