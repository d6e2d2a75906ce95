//! Handler tests of the web interface and JSON API, without sockets:
//! `app(state).oneshot(request)` over a small ledger written to a temporary
//! SQLite store (two summits, three governments, and a document with
//! hostile content). Tests over the bundled corpus ingested through the
//! real pipeline, and in a real browser, live with the `accord serve`
//! command in accord-cli.

mod api;
mod pages;

use accord_model::{
    Commitment, DocKind, Document, Format, Metadata, Span, Strength, Target, Theme,
};
use accord_store::{Pair, Store};
use accord_web::{app, AppState};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A ledger for tests, with the folder that holds its database.
pub struct Fixture {
    /// The server state over it.
    pub state: AppState,
    /// The store.
    pub store: Store,
    _dir: tempfile::TempDir,
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

/// Writes the test ledger and loads the state over it.
pub async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("ledger.db"))
        .await
        .expect("store opens");

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
    ca23_c[0].initiatives = vec!["Global Methane Pledge".into()];
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
    let state = AppState::load(store.clone()).await.expect("state loads");
    Fixture {
        state,
        store,
        _dir: dir,
    }
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
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
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
