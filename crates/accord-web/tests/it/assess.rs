//! Assessments on the commitment's page and in the API: the form, the
//! history, stale writes refused with the writer's text kept, evidence
//! suggestions.

use crate::{fixture, req, session_of, suggestion_id, HOSTILE};
use accord_store::assess::{Decision, SuggestionFilter};
use accord_store::users::Role;
use axum::http::StatusCode;
use futures_util::TryStreamExt as _;
use serde_json::json;

fn form<'a>(
    member: &'a str,
    score: &'a str,
    rationale: &'a str,
    base: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("base_revision", base),
        ("member", member),
        ("member_other", ""),
        ("score", score),
        ("status", "in_progress"),
        ("rationale", rationale),
        ("evidence_url", "https://example.org/progress-report"),
        ("evidence_document_id", ""),
        ("evidence_date", "2024-05-17"),
        ("evidence_passage", "The strategy was adopted."),
        ("evidence_url", ""),
        ("evidence_document_id", "ca23"),
        ("evidence_date", ""),
        ("evidence_passage", ""),
        ("evidence_url", ""),
        ("evidence_document_id", ""),
        ("evidence_date", ""),
        ("evidence_passage", ""),
    ]
}

#[tokio::test]
async fn an_analyst_assesses_on_the_commitment_page_and_everyone_sees_it() {
    let f = fixture().await;
    let analyst = session_of(&f.store, Role::Analyst).await;

    // The analyst sees the form: the commitment's actors to pick from.
    let page = req("GET", "/commitments/us23-001")
        .cookie(&analyst)
        .send(&f.state)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Not assessed yet."));
    assert!(page
        .text()
        .contains("action=\"/commitments/us23-001/assessments\""));
    for member in ["US", "CA", "MX"] {
        assert!(
            page.body.contains(&format!("<option value=\"{member}\"")),
            "{member}"
        );
    }
    assert!(page.body.contains("name=\"base_revision\" value=\"0\""));

    let saved = req("POST", "/commitments/us23-001/assessments")
        .cookie(&analyst)
        .form(&form("US", "0", "Drafted, not adopted.", "0"))
        .send(&f.state)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/commitments/us23-001#member-US");
    let revised = req("POST", "/commitments/us23-001/assessments")
        .cookie(&analyst)
        .form(&form("US", "1", "Adopted <b>in full</b>.", "1"))
        .send(&f.state)
        .await;
    assert_eq!(revised.status, StatusCode::SEE_OTHER, "{}", revised.body);

    // A reader (here: nobody logged in) sees the current assessment and
    // the history, not the form.
    let page = req("GET", "/commitments/us23-001").send(&f.state).await;
    let body = page.text();
    assert!(body.contains("id=\"member-US\""));
    assert!(
        body.contains("<span class=\"score score-full\">+1</span> full compliance"),
        "{body}"
    );
    assert!(body.contains("in progress"));
    assert!(
        body.contains("Adopted &lt;b&gt;in full&lt;&#x2f;b&gt;.")
            || body.contains("Adopted &lt;b&gt;in full&lt;/b&gt;."),
        "escaped"
    );
    assert!(body.contains("href=\"https://example.org/progress-report\""));
    assert!(
        body.contains("href=\"/documents/ca23\""),
        "a document as evidence links to it"
    );
    assert!(body.contains("2024-05-17"));
    assert!(body.contains("By ana"));
    assert!(body.contains("revision 2"));
    assert!(body.contains("History: 2 revisions"));
    assert!(
        body.contains("Drafted, not adopted."),
        "the history keeps revision 1"
    );
    assert!(!body.contains("name=\"rationale\""), "no form for readers");
    assert!(body.contains("Log in</a> as an analyst"));

    // The analyst's revise form starts from revision 2.
    let page = req("GET", "/commitments/us23-001")
        .cookie(&analyst)
        .send(&f.state)
        .await;
    assert!(page.body.contains("name=\"base_revision\" value=\"2\""));

    let api = req("GET", "/api/v1/commitments/us23-001/assessments")
        .send(&f.state)
        .await;
    assert_eq!(api.status, StatusCode::OK);
    let api = api.json();
    assert_eq!(api["current"].as_array().unwrap().len(), 1);
    assert_eq!(api["current"][0]["revision"], 2);
    assert_eq!(api["current"][0]["score"], 1);
    assert_eq!(api["current"][0]["author"], "ana");
    assert_eq!(api["current"][0]["evidence"][1]["document_id"], "ca23");
    assert_eq!(api["history"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_stale_form_is_refused_with_their_version_and_your_text() {
    let f = fixture().await;
    let analyst = session_of(&f.store, Role::Analyst).await;
    let admin = session_of(&f.store, Role::Admin).await;
    // Both read revision 0; the admin saves first.
    let first = req("POST", "/commitments/us23-001/assessments")
        .cookie(&admin)
        .form(&form("CA", "1", "Their careful reading.", "0"))
        .send(&f.state)
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let stale = req("POST", "/commitments/us23-001/assessments")
        .cookie(&analyst)
        .form(&form("CA", "-1", "My own <reading>.", "0"))
        .send(&f.state)
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    let body = stale.text();
    assert!(body.contains("Someone else changed this assessment"));
    assert!(
        body.contains("Their careful reading."),
        "their version is shown"
    );
    assert!(body.contains("By boss"));
    assert!(
        body.contains("My own &lt;reading&gt;."),
        "your text is kept, escaped"
    );
    assert!(
        body.contains("name=\"base_revision\" value=\"1\""),
        "now based on theirs"
    );
    assert!(
        body.contains("<option value=\"-1\" selected>"),
        "your score is kept"
    );
    assert!(body.contains("value=\"https://example.org/progress-report\""));
    let history = f
        .store
        .assessment_history("us23-001", Some("CA"))
        .await
        .unwrap();
    assert_eq!(history.len(), 1, "nothing overwritten");

    // Sending the kept form again replaces theirs, knowingly.
    let again = req("POST", "/commitments/us23-001/assessments")
        .cookie(&analyst)
        .form(&form("CA", "-1", "My own <reading>.", "1"))
        .send(&f.state)
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let history = f
        .store
        .assessment_history("us23-001", Some("CA"))
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].rationale, "Their careful reading.");
}

#[tokio::test]
async fn refused_values_give_the_form_back_with_a_message() {
    let f = fixture().await;
    let analyst = session_of(&f.store, Role::Analyst).await;
    for (change, message) in [
        (
            ("evidence_url", "javascript:alert(1)"),
            "must start with https:",
        ),
        (("evidence_date", "May 2024"), "must be ISO"),
        (("evidence_document_id", "nope"), "no document nope"),
        (("score", "2"), "use +1, 0"),
        (("status", "done"), "unknown status"),
        (("member", ""), "say which member"),
    ] {
        let mut fields = form("US", "1", "Kept text.", "0");
        if let Some(field) = fields.iter_mut().find(|(k, _)| *k == change.0) {
            field.1 = change.1;
        }
        let answer = req("POST", "/commitments/us23-001/assessments")
            .cookie(&analyst)
            .form(&fields)
            .send(&f.state)
            .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{change:?}: {}",
            answer.body
        );
        assert!(answer.body.contains(message), "{change:?}: {}", answer.body);
        assert!(answer.body.contains("Kept text."), "{change:?}");
    }
    let missing = req("POST", "/commitments/nope-001/assessments")
        .cookie(&analyst)
        .form(&form("US", "1", "x", "0"))
        .send(&f.state)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(f
        .store
        .assessment_history("us23-001", None)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn another_member_can_be_typed_in() {
    let f = fixture().await;
    let mut fields = form("US", "0", "The EU joined.", "0");
    fields[2] = ("member_other", "eu");
    let answer = req("POST", "/commitments/us23-001/assessments")
        .cookie(&session_of(&f.store, Role::Analyst).await)
        .form(&fields)
        .send(&f.state)
        .await;
    assert_eq!(answer.location(), "/commitments/us23-001#member-EU");
    let page = req("GET", "/commitments/us23-001").send(&f.state).await;
    assert!(page.body.contains("id=\"member-EU\""));
}

#[tokio::test]
async fn the_api_writes_assessments_and_refuses_stale_ones() {
    let f = fixture().await;
    let body = |score: i64, base: Option<i64>| {
        json!({
            "commitment_id": "ca23-001",
            "member": "ca",
            "score": score,
            "status": "in progress",
            "rationale": format!("score {score}"),
            "evidence": [{"url": "https://example.org/r", "passage": "p"}, {}],
            "base_revision": base,
        })
    };
    let first = req("POST", "/api/v1/assessments")
        .token(&f.tokens.analyst)
        .json(&body(0, Some(0)))
        .send(&f.state)
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let first = first.json();
    assert_eq!(
        (first["member"].as_str(), first["revision"].as_i64()),
        (Some("CA"), Some(1))
    );
    assert_eq!(first["status"], "in_progress");
    assert_eq!(first["score_label"], "partial compliance");
    assert_eq!(
        first["evidence"].as_array().unwrap().len(),
        1,
        "empty evidence dropped"
    );

    let stale = req("POST", "/api/v1/assessments")
        .token(&f.tokens.admin)
        .json(&body(1, Some(0)))
        .send(&f.state)
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.json()["error"]["status"], 409);
    assert!(stale.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("ana"));

    for (bad, status) in [
        (
            json!({"commitment_id": "ca23-001", "member": "CA", "status": "nope"}),
            400,
        ),
        (
            json!({"commitment_id": "ca23-001", "member": "CA", "status": "achieved", "score": 5}),
            400,
        ),
        (
            json!({"commitment_id": "ca23-001", "member": "CA", "status": "achieved", "colour": "red"}),
            400,
        ),
        (
            json!({"commitment_id": "nope", "member": "CA", "status": "achieved"}),
            404,
        ),
    ] {
        let answer = req("POST", "/api/v1/assessments")
            .token(&f.tokens.analyst)
            .json(&bad)
            .send(&f.state)
            .await;
        assert_eq!(answer.status.as_u16(), status, "{bad}: {}", answer.body);
        assert_eq!(answer.json()["error"]["status"], status);
    }
    let not_json = req("POST", "/api/v1/assessments")
        .token(&f.tokens.analyst)
        .header("content-type", "application/json")
        .send(&f.state)
        .await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    let missing = req("GET", "/api/v1/commitments/nope/assessments")
        .send(&f.state)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn suggestions_are_decided_on_the_page_and_in_the_api() {
    let f = fixture().await;
    let analyst = session_of(&f.store, Role::Analyst).await;
    let page = req("GET", "/commitments/us23-001")
        .cookie(&analyst)
        .send(&f.state)
        .await;
    let body = page.text();
    assert!(body.contains("Waiting for a decision (2)"));
    assert!(body.contains(&format!(
        "action=\"/suggestions/{}/accept\"",
        suggestion_id()
    )));
    assert!(
        body.contains("&lt;script&gt;"),
        "a hostile passage is escaped"
    );
    assert!(!body.contains("<script"));
    let reader_page = req("GET", "/commitments/us23-001").send(&f.state).await;
    assert!(
        !reader_page.text().contains("/accept\""),
        "no buttons for readers"
    );

    let accepted = req("POST", &format!("/suggestions/{}/accept", suggestion_id()))
        .cookie(&analyst)
        .send(&f.state)
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    assert_eq!(accepted.location(), "/commitments/us23-001#suggestions");
    let page = req("GET", "/commitments/us23-001").send(&f.state).await;
    assert!(page.body.contains("Accepted: evidence candidates"));
    assert!(page.body.contains("accepted by ana"));
    assert!(page.body.contains("Waiting for a decision (1)"));

    let second = req("GET", "/api/v1/suggestions?limit=1&offset=1")
        .send(&f.state)
        .await
        .json();
    assert_eq!(
        (&second["total"], &second["offset"], &second["limit"]),
        (&json!(2), &json!(1), &json!(1)),
        "{second}"
    );
    assert_eq!(
        second["items"][0]["document_id"], "mx23",
        "best first: the second is the passage of score 0.3"
    );
    assert_eq!(second["items"].as_array().map(Vec::len), Some(1));
    let listed = req(
        "GET",
        "/api/v1/suggestions?commitment=us23-001&status=pending",
    )
    .send(&f.state)
    .await
    .json();
    assert_eq!(listed["total"], 1);
    let other = listed["items"][0]["id"].as_str().unwrap().to_string();
    let rejected = req("POST", &format!("/api/v1/suggestions/{other}/reject"))
        .token(&f.tokens.analyst)
        .send(&f.state)
        .await;
    assert_eq!(rejected.status, StatusCode::OK);
    assert_eq!(rejected.json()["status"], "rejected");
    assert_eq!(rejected.json()["decided_by"], "ana");
    let pending = SuggestionFilter {
        commitment: Some("us23-001"),
        status: Some(Decision::Pending),
    };
    let remaining: Vec<_> = f.store.suggestions(pending).try_collect().await.unwrap();
    assert!(remaining.is_empty());
    let bad = req("GET", "/api/v1/suggestions?status=maybe")
        .send(&f.state)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let missing = req("POST", "/api/v1/suggestions/nope/accept")
        .token(&f.tokens.analyst)
        .send(&f.state)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let _ = HOSTILE;
}
