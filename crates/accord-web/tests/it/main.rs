//! Handler tests of the web interface and JSON API, without sockets:
//! `app(state).oneshot(request)` over a small ledger written to a temporary
//! SQLite store (two summits, three governments, and a document with
//! hostile content), with a team (an admin, an analyst, a reader, each
//! with an API token) and evidence suggestions. Tests over the bundled
//! corpus ingested through the real pipeline, and in a real browser, live
//! with the `accord serve` command in accord-cli.

mod api;
mod assess;
mod auth;
mod concurrent;
mod limits;
mod pages;
mod scorecard;
mod writes;

use accord_model::{
    Commitment, DocKind, Document, Format, Metadata, Span, Strength, Target, Theme,
};
use accord_store::assess::Suggestion;
use accord_store::users::Role;
use accord_store::{Pair, Store};
use accord_web::{app, AppState};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use futures_util::TryStreamExt as _;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A ledger for tests, with the folder that holds its database.
pub struct Fixture {
    /// The server state over it.
    pub state: AppState,
    /// The store.
    pub store: Store,
    /// The API tokens of the team: admin, analyst, reader.
    pub tokens: Team,
    _dir: tempfile::TempDir,
}

/// One secret per member of the test team.
#[derive(Debug, Clone)]
pub struct Team {
    /// `boss`, an admin.
    pub admin: String,
    /// `ana`, an analyst.
    pub analyst: String,
    /// `rita`, a reader.
    pub reader: String,
}

impl Team {
    /// The secret of the user with `role`.
    pub fn of(&self, role: Role) -> &str {
        match role {
            Role::Admin => &self.admin,
            Role::Analyst => &self.analyst,
            Role::Reader => &self.reader,
        }
    }
}

/// The test team's users: name, role, password.
pub const USERS: [(&str, Role, &str); 3] = [
    ("boss", Role::Admin, "boss-password"),
    ("ana", Role::Analyst, "ana-password"),
    ("rita", Role::Reader, "rita-password"),
];

/// The name of the test user with `role`.
pub fn user_of(role: Role) -> &'static str {
    USERS
        .iter()
        .find(|(_, r, _)| *r == role)
        .map(|(name, _, _)| *name)
        .unwrap_or("nobody")
}

/// The suggestions of the test ledger (both for us23-001): a passage of
/// Canada's statement and one of the hostile statement.
pub fn suggestions() -> Vec<Suggestion> {
    [
        (
            "ca23",
            "We will cut methane emissions from oil and gas by 75 percent by 2030.",
            0.8,
        ),
        ("mx23", HOSTILE, 0.3),
    ]
    .into_iter()
    .map(|(document, passage, score)| Suggestion {
        id: Suggestion::id_for("us23-001", document, passage),
        commitment_id: "us23-001".into(),
        document_id: document.into(),
        passage: passage.into(),
        score,
        status: accord_store::assess::Decision::Pending,
        found_at: "2026-01-01T00:00:00Z".into(),
        decided_by: None,
        decided_at: None,
    })
    .collect()
}

/// The id of the first test suggestion (Canada's passage).
pub fn suggestion_id() -> String {
    suggestions()[0].id.clone()
}

/// Hostile text: markup and script that must never run.
pub const HOSTILE: &str = "<script>alert('x')</script><img src=x onerror=alert(1)>";

fn document(id: &str, issuer: &str, summit: &str, title: &str, text: &str) -> Document {
    Document {
        id: id.into(),
        source_file: format!("{id}.txt"),
        source_path: format!("/tmp/{id}.txt"),
        content_hash: format!("{id}-hash"),
        format: Format::Text,
        meta: Metadata {
            title: Some(title.into()),
            date: Some(format!("{}-01-10", &summit[5..])),
            issuer: Some(issuer.into()),
            summit: Some(summit.into()),
            language: Some("en".into()),
            kind: Some(DocKind::FactSheet),
            source_url: Some("https://example.org/statement".into()),
        },
        original: text.into(),
        text: text.into(),
    }
}

fn commitment(document: &Document, ordinal: u32, text: &str, theme: Theme) -> Commitment {
    let start = document.text.find(text).unwrap_or(0);
    Commitment {
        id: format!("{}-{ordinal:03}", document.id),
        document_id: document.id.clone(),
        ordinal,
        text: text.into(),
        span: Span::new(start, start + text.len()),
        section: Some("Climate".into()),
        actors: vec!["US".into(), "CA".into(), "MX".into()],
        strength: Strength::Firm,
        theme,
        targets: vec![],
        deadline: None,
        initiatives: vec![],
        confidence: 0.9,
    }
}

/// Writes the test ledger and its team and loads the state over it.
pub async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("ledger.db"))
        .await
        .expect("store opens");
    fill(&store).await;
    let tokens = team(&store).await;
    let state = AppState::load(store.clone()).await.expect("state loads");
    Fixture {
        state,
        store,
        tokens,
        _dir: dir,
    }
}

/// Adds the test team (users and one API token each) and the suggestions.
pub async fn team(store: &Store) -> Team {
    let mut secrets = Vec::new();
    for (name, role, password) in USERS {
        store
            .add_user(name, role, password, "setup")
            .await
            .expect("user added");
        secrets.push(
            store
                .create_token(name, "tests", "setup")
                .await
                .expect("token made"),
        );
    }
    store
        .add_suggestions(&suggestions())
        .await
        .expect("suggestions added");
    Team {
        admin: secrets[0].clone(),
        analyst: secrets[1].clone(),
        reader: secrets[2].clone(),
    }
}

/// Writes the test ledger's documents, commitments and pairs.
pub async fn fill(store: &Store) {
    let us21_text = "# Climate\n\nWe will create a North American methane and black carbon strategy.\n\nWe will restart the Trafficking in Persons Working Group.\n";
    let us21 = document("us21", "US", "NALS 2021", "US fact sheet 2021", us21_text);
    let us21_c = vec![
        commitment(
            &us21,
            1,
            "We will create a North American methane and black carbon strategy.",
            Theme::ClimateEnvironment,
        ),
        commitment(
            &us21,
            2,
            "We will restart the Trafficking in Persons Working Group.",
            Theme::SecurityCrime,
        ),
    ];

    let us23_text = "# Climate\n\nIntro words.\n\nWe will reduce methane emissions from the oil and gas sector by 75% by 2030.\n\nWe will restart the Trafficking in Persons Working Group.\n\nWe will launch a Food Loss and Waste Reduction Action Plan.\n";
    let us23 = document("us23", "US", "NALS 2023", "US fact sheet 2023", us23_text);
    let mut us23_c = vec![
        commitment(
            &us23,
            1,
            "We will reduce methane emissions from the oil and gas sector by 75% by 2030.",
            Theme::ClimateEnvironment,
        ),
        commitment(
            &us23,
            2,
            "We will restart the Trafficking in Persons Working Group.",
            Theme::SecurityCrime,
        ),
        commitment(
            &us23,
            3,
            "We will launch a Food Loss and Waste Reduction Action Plan.",
            Theme::Development,
        ),
    ];
    us23_c[0].deadline = Some("2030".into());
    us23_c[0].targets = vec![Target {
        value: 75.0,
        unit: "percent".into(),
        direction: "reduce".into(),
        baseline_year: None,
        target_year: Some(2030),
        phrase: "by 75% by 2030".into(),
    }];
    us23_c[0].initiatives = vec!["Global Methane Pledge".into()];

    let ca23_text = "# Climate\n\nWe will cut methane emissions from oil and gas by 75 percent by 2030.\n\nWe will adopt the social cost of greenhouse gases.\n";
    let ca23 = document(
        "ca23",
        "CA",
        "NALS 2023",
        "Canada's statement 2023",
        ca23_text,
    );
    let mut ca23_c = vec![
        commitment(
            &ca23,
            1,
            "We will cut methane emissions from oil and gas by 75 percent by 2030.",
            Theme::ClimateEnvironment,
        ),
        commitment(
            &ca23,
            2,
            "We will adopt the social cost of greenhouse gases.",
            Theme::ClimateEnvironment,
        ),
    ];
    ca23_c[0].initiatives = vec!["Global Methane Pledge (GMP)".into()];
    ca23_c[0].deadline = Some("2020".into());

    let hostile_text = format!("# {HOSTILE}\n\nWe will fight {HOSTILE} hostile markup together.\n");
    let mut hostile = document("mx23", "MX", "NALS 2023", HOSTILE, &hostile_text);
    hostile.meta.source_url = Some("javascript:alert(document.cookie)".into());
    let mut hostile_c = vec![commitment(
        &hostile,
        1,
        &format!("We will fight {HOSTILE} hostile markup together."),
        Theme::Other,
    )];
    hostile_c[0].section = Some(HOSTILE.into());
    hostile_c[0].initiatives = vec![HOSTILE.into()];
    hostile_c[0].actors = vec!["MX".into()];

    for (d, cs) in [
        (&us21, &us21_c),
        (&us23, &us23_c),
        (&ca23, &ca23_c),
        (&hostile, &hostile_c),
    ] {
        store.write_document(d, cs, &[]).await.expect("write");
    }
    let pair = |a: &str, b: &str, score: f64, kind: Option<&str>| Pair {
        a: a.into(),
        b: b.into(),
        score,
        kind: kind.map(Into::into),
    };
    store
        .replace_pairs(
            &[pair("us23-001", "ca23-001", 0.8, None)],
            &[
                pair("us23-001", "us21-001", 0.4, Some("expands")),
                pair("us23-002", "us21-002", 0.95, Some("repeats")),
            ],
        )
        .await
        .expect("pairs");
}

/// An answer: status, headers, body as text.
pub struct Answer {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body.
    pub body: String,
}

impl Answer {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The Content-Type.
    pub fn content_type(&self) -> &str {
        self.header("content-type")
    }

    /// A header's value ("" when absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The `Location` of a redirect.
    pub fn location(&self) -> &str {
        self.header("location")
    }

    /// The body with the slashes minijinja escapes turned back, to look
    /// for links.
    pub fn text(&self) -> String {
        self.body.replace("&#x2f;", "/")
    }
}

/// A request being built.
pub struct Req {
    method: &'static str,
    uri: String,
    headers: Vec<(String, String)>,
    body: String,
}

/// A request of `method` to `uri`.
pub fn req(method: &'static str, uri: &str) -> Req {
    Req {
        method,
        uri: uri.to_string(),
        headers: Vec::new(),
        body: String::new(),
    }
}

/// `fields` as `application/x-www-form-urlencoded`.
pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                accord_web::views::encode(k),
                accord_web::views::encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

impl Req {
    /// With a header.
    pub fn header(mut self, name: &str, value: &str) -> Req {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// With an API token.
    pub fn token(self, secret: &str) -> Req {
        self.header("authorization", &format!("Bearer {secret}"))
    }

    /// With a session cookie (`accord_session=…`).
    pub fn cookie(self, cookie: &str) -> Req {
        self.header("cookie", cookie)
    }

    /// With a form body.
    pub fn form(mut self, fields: &[(&str, &str)]) -> Req {
        self.body = form_body(fields);
        self.header("content-type", "application/x-www-form-urlencoded")
    }

    /// With a JSON body.
    pub fn json(mut self, value: &serde_json::Value) -> Req {
        self.body = value.to_string();
        self.header("content-type", "application/json")
    }

    /// Sends it to the app over `state`.
    pub async fn send(self, state: &AppState) -> Answer {
        let mut request = Request::builder().method(self.method).uri(&self.uri);
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let response = app(state.clone())
            .oneshot(request.body(Body::from(self.body)).expect("request"))
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }
}

/// A session cookie of the test user with `role`, made in the store (no
/// password hashing: fast).
pub async fn session_of(store: &Store, role: Role) -> String {
    let secret = store
        .start_session(user_of(role), 1)
        .await
        .expect("session");
    format!("accord_session={secret}")
}

/// Everything a write can change, as JSON: users, tokens, assessments,
/// suggestions and the audit log.
pub async fn dump(store: &Store) -> serde_json::Value {
    let mut histories = Vec::new();
    for c in store
        .commitments(&accord_store::Filter::default())
        .await
        .expect("commitments")
    {
        histories.push(
            store
                .assessment_history(&c.id, None)
                .await
                .expect("history"),
        );
    }
    serde_json::json!({
        "users": store.users().await.expect("users"),
        "tokens": store.tokens().await.expect("tokens"),
        "assessments": histories,
        "suggestions": store.suggestions(Default::default()).try_collect::<Vec<_>>().await.expect("suggestions"),
        "audit": store.audit_log(None, 100_000).await.expect("audit"),
    })
}

/// GETs `uri` from the app over `state`.
pub async fn get(state: &AppState, uri: &str) -> Answer {
    let response = app(state.clone())
        .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}
