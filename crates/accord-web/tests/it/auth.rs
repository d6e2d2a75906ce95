//! Logging in and out, API tokens, and the server with anonymous reading
//! turned off.

use crate::{fixture, req, session_of, Answer};
use accord_store::users::Role;
use axum::http::StatusCode;

/// The `name=value` part of the answer's session cookie.
fn cookie_of(answer: &Answer) -> String {
    let set = answer.header("set-cookie");
    set.split(';').next().unwrap_or("").to_string()
}

#[tokio::test]
async fn logging_in_with_the_right_password_starts_a_session_and_the_wrong_one_does_not() {
    let f = fixture().await;
    let form = req("GET", "/login?next=%2Fscorecard").send(&f.state).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"password\""));
    assert!(form.text().contains("value=\"/scorecard\""), "next is kept");

    let wrong = req("POST", "/login")
        .form(&[
            ("name", "ana"),
            ("password", "not-her-password"),
            ("next", "/scorecard"),
        ])
        .send(&f.state)
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("Wrong user name or password"));
    assert!(wrong.body.contains("value=\"ana\""), "the name is kept");
    assert_eq!(wrong.header("set-cookie"), "", "no session");
    let nobody = req("POST", "/login")
        .form(&[("name", "nobody"), ("password", "whatever-password")])
        .send(&f.state)
        .await;
    assert_eq!(nobody.status, StatusCode::UNAUTHORIZED);

    let right = req("POST", "/login")
        .header("host", "127.0.0.1:8080")
        .form(&[
            ("name", "ana"),
            ("password", "ana-password"),
            ("next", "/scorecard"),
        ])
        .send(&f.state)
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    assert_eq!(right.location(), "/scorecard");
    let set = right.header("set-cookie");
    for attribute in [
        "accord_session=s_",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
        "Max-Age=",
    ] {
        assert!(set.contains(attribute), "{attribute} in {set}");
    }
    assert!(!set.contains("Secure"), "no Secure on loopback: {set}");
    let cookie = cookie_of(&right);

    let me = req("GET", "/api/v1/me")
        .cookie(&cookie)
        .send(&f.state)
        .await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.json()["name"], "ana");
    assert_eq!(me.json()["role"], "analyst");
    assert_eq!(me.json()["via"], "session");
    let page = req("GET", "/").cookie(&cookie).send(&f.state).await;
    assert!(page
        .body
        .contains("Logged in as <strong>ana</strong> (analyst)"));
    assert!(page.body.contains("action=\"/logout\""));

    // Away from loopback the cookie is Secure; `next` never leaves the site.
    let remote = req("POST", "/login")
        .header("host", "accord.example.org")
        .form(&[
            ("name", "ana"),
            ("password", "ana-password"),
            ("next", "https://evil.example/"),
        ])
        .send(&f.state)
        .await;
    assert!(remote.header("set-cookie").ends_with("; Secure"));
    assert_eq!(remote.location(), "/");
}

/// Passwords cannot be guessed at the server's speed: past the attempts a
/// user name has in a window, even the right password is refused (429,
/// with when to try again) without being checked; other names go on, and
/// a success forgives the failures before it.
#[tokio::test]
async fn too_many_failed_logins_for_a_name_are_refused_for_a_while() {
    let f = fixture().await;
    let state = f
        .state
        .clone()
        .with_login_throttle(3, std::time::Duration::from_secs(600));
    let login = |name: &'static str, password: &'static str| {
        req("POST", "/login").form(&[("name", name), ("password", password)])
    };
    // A success forgives: two failures, a success, then three more failures
    // are still allowed.
    for password in ["guess-1", "guess-2", "ana-password", "guess-3", "guess-4"] {
        let answer = login("ana", password).send(&state).await;
        assert_ne!(answer.status, StatusCode::TOO_MANY_REQUESTS, "{password}");
    }
    assert_eq!(
        login("ana", "guess-5").send(&state).await.status,
        StatusCode::UNAUTHORIZED
    );
    let refused = login("ana", "ana-password").send(&state).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        refused
            .body
            .contains("Too many failed logins for this user name: try again in 10 minutes."),
        "{}",
        refused.body
    );
    let wait: u64 = refused.header("retry-after").parse().unwrap();
    assert!((590..=600).contains(&wait), "{wait}");
    assert_eq!(refused.header("set-cookie"), "", "no session");
    // Another name is not held back by ana's.
    let other = login("boss", "boss-password").send(&state).await;
    assert_eq!(other.status, StatusCode::SEE_OTHER, "{}", other.body);
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let f = fixture().await;
    let cookie = session_of(&f.store, Role::Analyst).await;
    let me = req("GET", "/api/v1/me")
        .cookie(&cookie)
        .send(&f.state)
        .await;
    assert_eq!(me.status, StatusCode::OK);
    let out = req("POST", "/logout").cookie(&cookie).send(&f.state).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.location(), "/");
    assert!(out.header("set-cookie").contains("Max-Age=0"));
    // The old cookie is worth nothing now, here and in the store.
    let me = req("GET", "/api/v1/me")
        .cookie(&cookie)
        .send(&f.state)
        .await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    let secret = cookie.trim_start_matches("accord_session=");
    assert_eq!(f.store.session_user(secret).await.unwrap(), None);
    // A page seen with the dead cookie is anonymous, and the browser is
    // told to forget it.
    let page = req("GET", "/").cookie(&cookie).send(&f.state).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Log in</a>"));
    assert!(page.header("set-cookie").contains("Max-Age=0"));
}

#[tokio::test]
async fn tokens_work_until_revoked() {
    let f = fixture().await;
    let me = req("GET", "/api/v1/me")
        .token(&f.tokens.reader)
        .send(&f.state)
        .await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.json()["name"], "rita");
    assert_eq!(me.json()["via"], "token");
    let anonymous = req("GET", "/api/v1/me").send(&f.state).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    let id = f
        .store
        .tokens()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.user == "rita")
        .unwrap()
        .id;
    let revoke = req("POST", &format!("/admin/tokens/{id}/revoke"))
        .token(&f.tokens.admin)
        .send(&f.state)
        .await;
    assert_eq!(revoke.status, StatusCode::SEE_OTHER, "{}", revoke.body);
    for uri in ["/api/v1/me", "/api/v1/summits"] {
        let revoked = req("GET", uri).token(&f.tokens.reader).send(&f.state).await;
        assert_eq!(revoked.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert!(revoked.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("revoked"));
    }
    let basic = req("GET", "/api/v1/me")
        .header("authorization", "Basic YW5hOmFuYS1wYXNzd29yZA==")
        .send(&f.state)
        .await;
    assert_eq!(basic.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_new_token_is_shown_once_and_works() {
    let f = fixture().await;
    let made = req("POST", "/admin/tokens")
        .cookie(&session_of(&f.store, Role::Admin).await)
        .form(&[("user", "ana"), ("label", "nightly import")])
        .send(&f.state)
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(made.header("cache-control"), "no-store");
    let start = made.body.find("acc_").expect("the secret is shown");
    let secret: String = made.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let me = req("GET", "/api/v1/me").token(&secret).send(&f.state).await;
    assert_eq!(me.json()["name"], "ana");
    let admin = req("GET", "/admin")
        .token(&f.tokens.admin)
        .send(&f.state)
        .await;
    assert!(admin.body.contains("nightly import"));
    assert!(
        !admin.body.contains(&secret),
        "the list never shows secrets"
    );
}

#[tokio::test]
async fn with_anonymous_reading_off_only_users_read() {
    let f = fixture().await;
    let private = f.state.clone().with_anonymous_read(false);
    for uri in [
        "/",
        "/search?q=methane",
        "/commitments/us23-001",
        "/scorecard",
        "/nowhere",
    ] {
        let page = req("GET", uri).send(&private).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{uri}");
        assert!(page.location().starts_with("/login"), "{uri}");
    }
    let page = req("GET", "/commitments/us23-001").send(&private).await;
    assert_eq!(page.location(), "/login?next=%2Fcommitments%2Fus23-001");
    for uri in [
        "/api/v1/summits",
        "/api/v1/commitments/us23-001",
        "/api/v1/openapi.json",
        "/api/v1/nothing",
    ] {
        let api = req("GET", uri).send(&private).await;
        assert_eq!(api.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(api.json()["error"]["status"], 401, "{uri}");
    }
    // The login form and its style sheet stay open, and logging in works.
    for uri in ["/login", "/static/style.css"] {
        assert_eq!(
            req("GET", uri).send(&private).await.status,
            StatusCode::OK,
            "{uri}"
        );
    }
    let login = req("POST", "/login")
        .form(&[
            ("name", "rita"),
            ("password", "rita-password"),
            ("next", "/commitments/us23-001"),
        ])
        .send(&private)
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    let cookie = cookie_of(&login);
    let page = req("GET", "/commitments/us23-001")
        .cookie(&cookie)
        .send(&private)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let api = req("GET", "/api/v1/summits")
        .token(&f.tokens.reader)
        .send(&private)
        .await;
    assert_eq!(api.status, StatusCode::OK);

    // On (the default): readable by anyone.
    assert!(f.state.anonymous_read());
    assert_eq!(req("GET", "/").send(&f.state).await.status, StatusCode::OK);
    assert_eq!(
        req("GET", "/api/v1/summits").send(&f.state).await.status,
        StatusCode::OK
    );
}
