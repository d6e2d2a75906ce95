//! Logging in and out, and the admin page: users with their roles, API
//! tokens (listed without their secrets; a new token's secret is shown
//! once, on the answer to the form that made it) and the audit log.

use super::{error_response, render_page, render_page_with_status};
use crate::auth::{
    clear_session_cookie, safe_next, see_other, session_cookie, session_secret, AdminRole,
    PageUser, Viewer, SESSION_HOURS,
};
use crate::error::{Error, PageForm, PagePath, PageQuery};
use crate::state::AppState;
use crate::views::encode;
use accord_store::users::{Role, User};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use minijinja::context;
use serde::{Deserialize, Serialize};

/// The account pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/admin", get(admin))
        .route("/admin/users", post(add_user))
        .route("/admin/users/{name}/role", post(set_role))
        .route("/admin/users/{name}/password", post(set_password))
        .route("/admin/users/{name}/remove", post(remove_user))
        .route("/admin/tokens", post(create_token))
        .route("/admin/tokens/{id}/revoke", post(revoke_token))
}

/// The login form's query string.
#[derive(Debug, Clone, Default, Deserialize)]
struct LoginParams {
    next: Option<String>,
}

fn login_page(
    viewer: &Viewer,
    status: StatusCode,
    name: &str,
    next: &str,
    message: Option<&str>,
) -> Response {
    render_page_with_status(
        viewer,
        status,
        "login.html",
        context! { name, next => safe_next(next), message },
    )
}

/// `GET /login`: the login form.
async fn login_form(viewer: Viewer, PageQuery(params): PageQuery<LoginParams>) -> Response {
    let next = params.next.unwrap_or_else(|| "/".into());
    login_page(&viewer, StatusCode::OK, "", &next, None)
}

/// `POST /login`: starts a session and goes to `next`; a wrong name or
/// password gives the form again (401); too many attempts at a name
/// ([`crate::limits::LoginThrottle`]) give it with 429 and `Retry-After`,
/// the password unchecked.
async fn login(
    viewer: Viewer,
    State(state): State<AppState>,
    headers: HeaderMap,
    form: PageForm,
) -> Response {
    let name = form.get("name");
    let password = form
        .0
        .iter()
        .find(|(key, _)| key == "password")
        .map_or("", |(_, value)| value.as_str());
    let next = form.get("next");
    if name.is_empty() || password.is_empty() {
        return login_page(
            &viewer,
            StatusCode::UNAUTHORIZED,
            name,
            next,
            Some("Give your user name and your password."),
        );
    }
    if let Err(wait) = state.logins().attempt(name) {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        let mut response = login_page(
            &viewer,
            StatusCode::TOO_MANY_REQUESTS,
            name,
            next,
            Some(&format!(
                "Too many failed logins for this user name: try again in {minutes} minute{}.",
                if minutes == 1 { "" } else { "s" }
            )),
        );
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(wait.as_secs().max(1)),
        );
        return response;
    }
    let user = match state.store().login(name, password).await {
        Ok(Some(user)) => {
            state.logins().succeeded(name);
            user
        }
        Ok(None) => {
            return login_page(
                &viewer,
                StatusCode::UNAUTHORIZED,
                name,
                next,
                Some("Wrong user name or password. Nothing was changed; try again."),
            )
        }
        Err(e) => return error_response(&viewer, e.into()),
    };
    if let Some(old) = session_secret(&headers) {
        let _ = state.store().end_session(old).await;
    }
    let secret = match state.store().start_session(&user.name, SESSION_HOURS).await {
        Ok(secret) => secret,
        Err(e) => return error_response(&viewer, e.into()),
    };
    let mut response = see_other(&safe_next(next));
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&secret, &headers));
    response
}

/// `POST /logout`: ends the session, here and in the store.
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(secret) = session_secret(&headers) {
        if let Err(e) = state.store().end_session(secret).await {
            eprintln!("warning: cannot end a session: {e}");
        }
    }
    let mut response = see_other("/");
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_session_cookie(&headers));
    response
}

/// A line of the audit log as the admin page shows it.
#[derive(Debug, Serialize)]
struct AuditLine {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    subject: String,
    detail: String,
}

/// Entries of the audit log the admin page shows.
const AUDIT_LINES: i64 = 200;

/// The admin page, with `message` about the last form when it was refused.
async fn admin_page(
    state: &AppState,
    viewer: &Viewer,
    status: StatusCode,
    message: Option<String>,
    add: minijinja::Value,
) -> Response {
    let store = state.store();
    let lists = async {
        Ok::<_, accord_store::Error>((
            store.users().await?,
            store.tokens().await?,
            store.audit_log(None, AUDIT_LINES).await?,
        ))
    };
    let (users, tokens, audit) = match lists.await {
        Ok(lists) => lists,
        Err(e) => return error_response(viewer, e.into()),
    };
    let users: Vec<minijinja::Value> = users
        .iter()
        .map(|u| {
            let base = format!("/admin/users/{}", encode(&u.name));
            context! {
                name => u.name,
                role => u.role.as_str(),
                created_at => u.created_at,
                role_action => format!("{base}/role"),
                password_action => format!("{base}/password"),
                remove_action => format!("{base}/remove"),
                is_me => viewer.user.as_ref().is_some_and(|me| me.name == u.name),
            }
        })
        .collect();
    let tokens: Vec<minijinja::Value> = tokens
        .iter()
        .map(|t| {
            context! {
                id => t.id,
                user => t.user,
                label => t.label,
                created_at => t.created_at,
                revoke_action => format!("/admin/tokens/{}/revoke", encode(&t.id)),
            }
        })
        .collect();
    let audit: Vec<AuditLine> = audit
        .iter()
        .map(|e| AuditLine {
            seq: e.seq,
            at: e.at.clone(),
            actor: e.actor.clone(),
            action: e.action.clone(),
            subject: e.subject.clone(),
            detail: super::short(&e.detail.to_string(), 240),
        })
        .collect();
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    render_page_with_status(
        viewer,
        status,
        "admin.html",
        context! { users, tokens, audit, roles, message, add },
    )
}

fn no_add_form() -> minijinja::Value {
    context! { name => "", role => "reader" }
}

/// `GET /admin` (admins).
async fn admin(
    PageUser { viewer, .. }: PageUser<AdminRole>,
    State(state): State<AppState>,
) -> Response {
    admin_page(&state, &viewer, StatusCode::OK, None, no_add_form()).await
}

/// After an admin form: back to the admin page, or the page again with
/// what went wrong.
async fn after(
    state: &AppState,
    viewer: &Viewer,
    result: Result<(), Error>,
    anchor: &str,
    add: minijinja::Value,
) -> Response {
    match result {
        Ok(()) => see_other(&format!("/admin#{anchor}")),
        Err(e) => {
            let (status, message) = e.status_and_message();
            if status == StatusCode::INTERNAL_SERVER_ERROR {
                return error_response(viewer, e);
            }
            admin_page(state, viewer, status, Some(message), add).await
        }
    }
}

fn parse_role(name: &str) -> Result<Role, Error> {
    Role::parse(name).ok_or_else(|| {
        Error::BadRequest(format!(
            "unknown role {name:?}: use reader, analyst or admin"
        ))
    })
}

/// Refuses to leave the server without an admin.
async fn keep_an_admin(state: &AppState, name: &str, new_role: Option<Role>) -> Result<(), Error> {
    let users: Vec<User> = state.store().users().await?;
    let admins = users.iter().filter(|u| u.role == Role::Admin).count();
    let target_is_admin = users
        .iter()
        .any(|u| u.name == name && u.role == Role::Admin);
    if target_is_admin && admins == 1 && new_role != Some(Role::Admin) {
        return Err(Error::Conflict(format!(
            "{name} is the last admin: make another admin first; nothing was changed"
        )));
    }
    Ok(())
}

/// `POST /admin/users` (admins): adds a user.
async fn add_user(
    PageUser { user, viewer, .. }: PageUser<AdminRole>,
    State(state): State<AppState>,
    form: PageForm,
) -> Response {
    let name = form.get("name").to_string();
    let role_name = form.get("role").to_string();
    let password = form
        .0
        .iter()
        .find(|(key, _)| key == "password")
        .map_or(String::new(), |(_, value)| value.clone());
    let result = async {
        let role = parse_role(&role_name)?;
        state
            .store()
            .add_user(&name, role, &password, &user.name)
            .await?;
        Ok(())
    }
    .await;
    let add = context! { name, role => role_name };
    after(&state, &viewer, result, "users", add).await
}

/// `POST /admin/users/{name}/role` (admins).
async fn set_role(
    PageUser { user, viewer, .. }: PageUser<AdminRole>,
    State(state): State<AppState>,
    PagePath(name): PagePath<String>,
    form: PageForm,
) -> Response {
    let result = async {
        let role = parse_role(form.get("role"))?;
        keep_an_admin(&state, &name, Some(role)).await?;
        state.store().set_role(&name, role, &user.name).await?;
        Ok(())
    }
    .await;
    after(&state, &viewer, result, "users", no_add_form()).await
}

/// `POST /admin/users/{name}/password` (admins): sets a password; the
/// user's sessions end.
async fn set_password(
    PageUser { user, viewer, .. }: PageUser<AdminRole>,
    State(state): State<AppState>,
    PagePath(name): PagePath<String>,
    form: PageForm,
) -> Response {
    let password = form
        .0
        .iter()
        .find(|(key, _)| key == "password")
        .map_or(String::new(), |(_, value)| value.clone());
    let result = async {
        state
            .store()
            .set_password(&name, &password, &user.name)
            .await?;
        Ok(())
    }
    .await;
    after(&state, &viewer, result, "users", no_add_form()).await
}

/// `POST /admin/users/{name}/remove` (admins).
async fn remove_user(
    PageUser { user, viewer, .. }: PageUser<AdminRole>,
    State(state): State<AppState>,
    PagePath(name): PagePath<String>,
) -> Response {
    let result = async {
        keep_an_admin(&state, &name, None).await?;
        state.store().remove_user(&name, &user.name).await?;
        Ok(())
    }
    .await;
    after(&state, &viewer, result, "users", no_add_form()).await
}

/// `POST /admin/tokens` (admins): makes an API token and shows its secret,
/// once.
async fn create_token(
    PageUser { user, viewer, .. }: PageUser<AdminRole>,
    State(state): State<AppState>,
    form: PageForm,
) -> Response {
    let owner = form.get("user").to_string();
    let label = form.get("label").to_string();
    let made = async {
        if label.is_empty() || label.chars().count() > 100 {
            return Err(Error::BadRequest(
                "say what the token is for, in at most 100 characters".into(),
            ));
        }
        Ok(state
            .store()
            .create_token(&owner, &label, &user.name)
            .await?)
    }
    .await;
    let secret = match made {
        Ok(secret) => secret,
        Err(e) => return after(&state, &viewer, Err(e), "tokens", no_add_form()).await,
    };
    let mut response = match render_page(&viewer, "token.html", context! { secret, owner, label }) {
        Ok(response) => response,
        Err(e) => return error_response(&viewer, e),
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `POST /admin/tokens/{id}/revoke` (admins).
async fn revoke_token(
    PageUser { user, viewer, .. }: PageUser<AdminRole>,
    State(state): State<AppState>,
    PagePath(id): PagePath<String>,
) -> Response {
    let result = async {
        state.store().revoke_token(&id, &user.name).await?;
        Ok(())
    }
    .await;
    after(&state, &viewer, result, "tokens", no_add_form()).await
}
