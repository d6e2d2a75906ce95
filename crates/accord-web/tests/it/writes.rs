//! Every route that changes something, pages and API alike, from one
//! table: nobody logged in is refused (401; pages send the login form), a
//! role too weak is refused (403), and neither changes anything in the
//! store; the role the route needs succeeds and does change it.

use crate::{dump, fixture, req, session_of, suggestion_id, Answer, Fixture};
use accord_store::users::Role;
use axum::http::StatusCode;
use serde_json::json;

/// How a route is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An HTML form post, with a session cookie.
    Page,
    /// A JSON API call, with a token.
    Api,
}

/// A route that writes: how it is called, by whom.
struct Write {
    kind: Kind,
    uri: &'static str,
    /// Form fields (pages) — or none.
    form: &'static [(&'static str, &'static str)],
    /// JSON body (API) — or null.
    json: fn() -> serde_json::Value,
    /// The weakest role allowed.
    needs: Role,
}

fn no_json() -> serde_json::Value {
    serde_json::Value::Null
}

fn assessment_json() -> serde_json::Value {
    json!({
        "commitment_id": "us23-001",
        "member": "US",
        "score": 1,
        "status": "achieved",
        "rationale": "The strategy was published.",
        "evidence": [{"url": "https://example.org/report", "date": "2024-05-17"}],
        "base_revision": 0,
    })
}

const ASSESSMENT_FORM: &[(&str, &str)] = &[
    ("member", "US"),
    ("member_other", ""),
    ("score", "1"),
    ("status", "achieved"),
    ("rationale", "The strategy was published."),
    ("evidence_url", "https://example.org/report"),
    ("evidence_document_id", ""),
    ("evidence_date", "2024-05-17"),
    ("evidence_passage", ""),
    ("base_revision", "0"),
];

/// Every route that writes. `{suggestion}` and `{token}` stand for a
/// suggestion's and a token's id in the fixture.
const WRITES: &[Write] = &[
    Write {
        kind: Kind::Page,
        uri: "/commitments/us23-001/assessments",
        form: ASSESSMENT_FORM,
        json: no_json,
        needs: Role::Analyst,
    },
    Write {
        kind: Kind::Page,
        uri: "/suggestions/{suggestion}/accept",
        form: &[],
        json: no_json,
        needs: Role::Analyst,
    },
    Write {
        kind: Kind::Page,
        uri: "/suggestions/{suggestion}/reject",
        form: &[],
        json: no_json,
        needs: Role::Analyst,
    },
    Write {
        kind: Kind::Page,
        uri: "/admin/users",
        form: &[
            ("name", "newbie"),
            ("role", "reader"),
            ("password", "newbie-password"),
        ],
        json: no_json,
        needs: Role::Admin,
    },
    Write {
        kind: Kind::Page,
        uri: "/admin/users/rita/role",
        form: &[("role", "analyst")],
        json: no_json,
        needs: Role::Admin,
    },
    Write {
        kind: Kind::Page,
        uri: "/admin/users/rita/password",
        form: &[("password", "a-new-password")],
        json: no_json,
        needs: Role::Admin,
    },
    Write {
        kind: Kind::Page,
        uri: "/admin/users/rita/remove",
        form: &[],
        json: no_json,
        needs: Role::Admin,
    },
    Write {
        kind: Kind::Page,
        uri: "/admin/tokens",
        form: &[("user", "rita"), ("label", "a script")],
        json: no_json,
        needs: Role::Admin,
    },
    Write {
        kind: Kind::Page,
        uri: "/admin/tokens/{token}/revoke",
        form: &[],
        json: no_json,
        needs: Role::Admin,
    },
    Write {
        kind: Kind::Api,
        uri: "/api/v1/assessments",
        form: &[],
        json: assessment_json,
        needs: Role::Analyst,
    },
    Write {
        kind: Kind::Api,
        uri: "/api/v1/suggestions/{suggestion}/accept",
        form: &[],
        json: no_json,
        needs: Role::Analyst,
    },
    Write {
        kind: Kind::Api,
        uri: "/api/v1/suggestions/{suggestion}/reject",
        form: &[],
        json: no_json,
        needs: Role::Analyst,
    },
];

/// Who sends a request: nobody, or the test user with a role.
#[derive(Debug, Clone, Copy)]
enum Who {
    Nobody,
    User(Role),
}

async fn call(f: &Fixture, write: &Write, who: Who) -> Answer {
    let token_id = f.store.tokens().await.expect("tokens")[0].id.clone();
    let uri = write
        .uri
        .replace("{suggestion}", &suggestion_id())
        .replace("{token}", &token_id);
    let mut request = req("POST", &uri);
    match write.kind {
        Kind::Page => {
            request = request.form(write.form);
            if let Who::User(role) = who {
                request = request.cookie(&session_of(&f.store, role).await);
            }
        }
        Kind::Api => {
            let body = (write.json)();
            if !body.is_null() {
                request = request.json(&body);
            }
            if let Who::User(role) = who {
                request = request.token(f.tokens.of(role));
            }
        }
    }
    request.send(&f.state).await
}

fn assert_refused(write: &Write, who: Who, answer: &Answer) {
    let uri = write.uri;
    match (write.kind, who) {
        (Kind::Page, Who::Nobody) => {
            assert_eq!(
                answer.status,
                StatusCode::SEE_OTHER,
                "{uri} {who:?}: {}",
                answer.body
            );
            assert!(
                answer.location().starts_with("/login"),
                "{uri}: {}",
                answer.location()
            );
        }
        (Kind::Api, Who::Nobody) => {
            assert_eq!(
                answer.status,
                StatusCode::UNAUTHORIZED,
                "{uri} {who:?}: {}",
                answer.body
            );
            assert_eq!(answer.json()["error"]["status"], 401, "{uri}");
            assert!(
                answer.header("www-authenticate").starts_with("Bearer"),
                "{uri}"
            );
        }
        (Kind::Page, Who::User(_)) => {
            assert_eq!(
                answer.status,
                StatusCode::FORBIDDEN,
                "{uri} {who:?}: {}",
                answer.body
            );
            assert!(answer.content_type().starts_with("text/html"), "{uri}");
            assert!(answer.body.contains("role"), "{uri}: {}", answer.body);
        }
        (Kind::Api, Who::User(_)) => {
            assert_eq!(
                answer.status,
                StatusCode::FORBIDDEN,
                "{uri} {who:?}: {}",
                answer.body
            );
            assert_eq!(answer.json()["error"]["status"], 403, "{uri}");
        }
    }
}

#[tokio::test]
async fn writes_without_the_role_they_need_are_refused_and_change_nothing() {
    let f = fixture().await;
    let before = dump(&f.store).await;
    for write in WRITES {
        let weaker = Role::ALL.into_iter().filter(|r| *r < write.needs);
        for who in std::iter::once(Who::Nobody).chain(weaker.map(Who::User)) {
            let answer = call(&f, write, who).await;
            assert_refused(write, who, &answer);
            assert_eq!(
                dump(&f.store).await,
                before,
                "{} {who:?} changed the store",
                write.uri
            );
        }
    }
    // A token that does not exist is refused too.
    let answer = req("POST", "/api/v1/assessments")
        .token("acc_0000")
        .json(&assessment_json())
        .send(&f.state)
        .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(dump(&f.store).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_with_the_role_they_need_succeed_and_change_the_store() {
    // Each on a fresh ledger (the writes would undo each other), all at
    // once.
    let mut tasks = tokio::task::JoinSet::new();
    for (i, _) in WRITES.iter().enumerate() {
        tasks.spawn(succeeds(&WRITES[i]));
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("a write's check panicked");
    }
}

async fn succeeds(write: &'static Write) {
    let f = fixture().await;
    let before = dump(&f.store).await;
    let answer = call(&f, write, Who::User(write.needs)).await;
    let uri = write.uri;
    match write.kind {
        Kind::Page => {
            assert!(
                answer.status == StatusCode::SEE_OTHER || answer.status == StatusCode::OK,
                "{uri}: {} {}",
                answer.status,
                answer.body
            );
            assert!(!answer.location().starts_with("/login"), "{uri}");
        }
        Kind::Api => assert!(
            answer.status == StatusCode::OK || answer.status == StatusCode::CREATED,
            "{uri}: {} {}",
            answer.status,
            answer.body
        ),
    }
    let after = dump(&f.store).await;
    assert_ne!(after, before, "{uri} changed nothing");
    let audit = after["audit"].as_array().expect("audit").len();
    assert_eq!(
        audit,
        before["audit"].as_array().expect("audit").len() + 1,
        "{uri}: one audit entry per change"
    );
    assert_eq!(
        after["audit"][0]["actor"],
        crate::user_of(write.needs),
        "{uri}: the audit names who did it"
    );
}

#[tokio::test]
async fn admin_reads_are_refused_below_admin() {
    let f = fixture().await;
    for role in [Role::Reader, Role::Analyst] {
        let page = req("GET", "/admin")
            .cookie(&session_of(&f.store, role).await)
            .send(&f.state)
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{role:?}");
        let api = req("GET", "/api/v1/audit")
            .token(f.tokens.of(role))
            .send(&f.state)
            .await;
        assert_eq!(api.status, StatusCode::FORBIDDEN, "{role:?}");
    }
    let anonymous = req("GET", "/admin").send(&f.state).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.location(), "/login?next=%2Fadmin");
    let anonymous = req("GET", "/api/v1/audit").send(&f.state).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    let page = req("GET", "/admin")
        .cookie(&session_of(&f.store, Role::Admin).await)
        .send(&f.state)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for shown in ["boss", "ana", "rita", "user.add", "token.create"] {
        assert!(page.body.contains(shown), "{shown}");
    }
    let audit = req("GET", "/api/v1/audit?limit=2")
        .token(&f.tokens.admin)
        .send(&f.state)
        .await;
    assert_eq!(audit.status, StatusCode::OK);
    assert_eq!(audit.json().as_array().expect("entries").len(), 2);
}

#[tokio::test]
async fn forms_posted_from_another_site_are_refused() {
    let f = fixture().await;
    let before = dump(&f.store).await;
    let answer = req("POST", "/commitments/us23-001/assessments")
        .cookie(&session_of(&f.store, Role::Analyst).await)
        .header("host", "127.0.0.1:8080")
        .header("origin", "https://evil.example")
        .form(ASSESSMENT_FORM)
        .send(&f.state)
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    assert_eq!(dump(&f.store).await, before);
    let same_site = req("POST", "/commitments/us23-001/assessments")
        .cookie(&session_of(&f.store, Role::Analyst).await)
        .header("host", "127.0.0.1:8080")
        .header("origin", "http://127.0.0.1:8080")
        .form(ASSESSMENT_FORM)
        .send(&f.state)
        .await;
    assert_eq!(
        same_site.status,
        StatusCode::SEE_OTHER,
        "{}",
        same_site.body
    );
}

#[tokio::test]
async fn the_last_admin_stays() {
    let f = fixture().await;
    let cookie = session_of(&f.store, Role::Admin).await;
    for (uri, form) in [
        ("/admin/users/boss/remove", vec![]),
        ("/admin/users/boss/role", vec![("role", "analyst")]),
    ] {
        let answer = req("POST", uri)
            .cookie(&cookie)
            .form(&form)
            .send(&f.state)
            .await;
        assert_eq!(answer.status, StatusCode::CONFLICT, "{uri}");
        assert!(answer.body.contains("last admin"), "{uri}");
    }
    let boss = f
        .store
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.name == "boss");
    assert_eq!(boss.map(|u| u.role), Some(Role::Admin));
}
