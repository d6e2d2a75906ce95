//! Two analysts on one PostgreSQL server, each through a server of their
//! own (two `AppState`s, two connection pools), assess the same summit at
//! the same time through the JSON API: each reads the current revision,
//! writes against it, and on a 409 reads again and retries. Afterwards no
//! accepted change is lost and the audit log has one entry per change.

use crate::req;
use accord_store::scratch::Scratch;
use accord_store::users::Role;
use accord_store::{Backend, Store};
use accord_web::AppState;
use axum::http::StatusCode;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The commitments of NALS 2023 in the test ledger.
const COMMITMENTS: [&str; 6] = [
    "us23-001", "us23-002", "us23-003", "ca23-001", "ca23-002", "mx23-001",
];
const MEMBERS: [&str; 2] = ["US", "CA"];
/// Times each analyst goes over every (commitment, member).
const ROUNDS: usize = 2;

/// What the server accepted from an analyst.
#[derive(Debug, Clone)]
struct Accepted {
    commitment: String,
    member: String,
    revision: i64,
    rationale: String,
}

/// The current revision of (commitment, member), read through the API.
async fn current_revision(state: &AppState, token: &str, commitment: &str, member: &str) -> i64 {
    let answer = req(
        "GET",
        &format!("/api/v1/commitments/{commitment}/assessments"),
    )
    .token(token)
    .send(state)
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.json()["current"]
        .as_array()
        .expect("current")
        .iter()
        .find(|a| a["member"] == member)
        .map_or(0, |a| a["revision"].as_i64().expect("revision"))
}

/// One analyst's session: every (commitment, member), `ROUNDS` times; the
/// first write waits at `start` so that both analysts write it against the
/// same revision.
async fn session(
    state: AppState,
    token: String,
    name: &'static str,
    start: Arc<tokio::sync::Barrier>,
) -> (Vec<Accepted>, usize) {
    let mut accepted = Vec::new();
    let mut conflicts = 0;
    let mut first = true;
    for round in 0..ROUNDS {
        for commitment in COMMITMENTS {
            for member in MEMBERS {
                let rationale = format!("{name}, round {round}, {commitment} {member}");
                let mut attempts = 0;
                loop {
                    attempts += 1;
                    assert!(attempts <= 50, "{name} never got {commitment} {member} in");
                    let base = current_revision(&state, &token, commitment, member).await;
                    if first {
                        start.wait().await;
                        first = false;
                    }
                    let answer = req("POST", "/api/v1/assessments")
                        .token(&token)
                        .json(&json!({
                            "commitment_id": commitment,
                            "member": member,
                            "score": (round % 3) as i64 - 1,
                            "status": "in_progress",
                            "rationale": rationale,
                            "base_revision": base,
                        }))
                        .send(&state)
                        .await;
                    match answer.status {
                        StatusCode::CREATED => {
                            let saved = answer.json();
                            assert_eq!(saved["author"], name);
                            accepted.push(Accepted {
                                commitment: commitment.to_string(),
                                member: member.to_string(),
                                revision: saved["revision"].as_i64().expect("revision"),
                                rationale: rationale.clone(),
                            });
                            break;
                        }
                        StatusCode::CONFLICT => {
                            conflicts += 1;
                            tokio::task::yield_now().await;
                        }
                        other => panic!("{name}: {other}: {}", answer.body),
                    }
                }
            }
        }
    }
    (accepted, conflicts)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_analysts_on_one_postgres_server_lose_no_change() {
    let scratch = Scratch::new(Backend::Postgres)
        .await
        .expect("a scratch PostgreSQL ledger");
    let store = scratch.store.clone();
    crate::fill(&store).await;
    store
        .add_user("ana", Role::Analyst, "ana-password", "setup")
        .await
        .expect("ana");
    store
        .add_user("ben", Role::Analyst, "ben-password", "setup")
        .await
        .expect("ben");
    let ana_token = store
        .create_token("ana", "script", "setup")
        .await
        .expect("token");
    let ben_token = store
        .create_token("ben", "script", "setup")
        .await
        .expect("token");
    let audit_before = store.audit_log(None, 100_000).await.expect("audit").len();

    // Two servers over the same database.
    let first_server = AppState::load(store.clone()).await.expect("state");
    let second_store = Store::connect(&scratch.location)
        .await
        .expect("second pool");
    let second_server = AppState::load(second_store.clone()).await.expect("state");

    let start = Arc::new(tokio::sync::Barrier::new(2));
    let ana = tokio::spawn(session(first_server, ana_token, "ana", Arc::clone(&start)));
    let ben = tokio::spawn(session(second_server, ben_token, "ben", start));
    let (ana_accepted, ana_conflicts) = ana.await.expect("ana's session");
    let (ben_accepted, ben_conflicts) = ben.await.expect("ben's session");

    let n_changes = COMMITMENTS.len() * MEMBERS.len() * ROUNDS;
    assert_eq!(ana_accepted.len(), n_changes);
    assert_eq!(ben_accepted.len(), n_changes);
    assert!(
        ana_conflicts + ben_conflicts >= 1,
        "the first write of both was based on the same revision: one of them must have been refused"
    );

    // Every accepted change is in the history, by its author, with its
    // text; the revisions of each (commitment, member) are 1..=n.
    let mut histories = BTreeMap::new();
    for commitment in COMMITMENTS {
        for member in MEMBERS {
            let history = store
                .assessment_history(commitment, Some(member))
                .await
                .expect("history");
            let revisions: Vec<i64> = history.iter().map(|a| a.revision).collect();
            let expected: Vec<i64> = (1..=history.len() as i64).collect();
            assert_eq!(revisions, expected, "{commitment} {member}");
            assert_eq!(
                history.len(),
                2 * ROUNDS,
                "{commitment} {member}: one per analyst and round"
            );
            histories.insert((commitment.to_string(), member.to_string()), history);
        }
    }
    for (author, accepted) in [("ana", &ana_accepted), ("ben", &ben_accepted)] {
        for a in accepted {
            let history = &histories[&(a.commitment.clone(), a.member.clone())];
            let stored = history
                .iter()
                .find(|h| h.revision == a.revision)
                .unwrap_or_else(|| panic!("{author}'s {a:?} is lost"));
            assert_eq!(stored.author, author, "{a:?}");
            assert_eq!(stored.rationale, a.rationale, "{a:?}");
        }
    }

    // One audit entry per accepted change, naming its author and revision.
    let audit = store.audit_log(None, 100_000).await.expect("audit");
    let changes: Vec<_> = audit[..audit.len() - audit_before]
        .iter()
        .filter(|e| e.action.starts_with("assessment."))
        .collect();
    assert_eq!(
        changes.len(),
        2 * n_changes,
        "one audit entry per accepted change"
    );
    assert_eq!(
        audit.len() - audit_before,
        2 * n_changes,
        "and nothing else"
    );
    let audited: BTreeSet<(String, String, i64)> = changes
        .iter()
        .map(|e| {
            (
                e.actor.clone(),
                e.subject.clone(),
                e.detail["revision"].as_i64().expect("revision"),
            )
        })
        .collect();
    for (author, accepted) in [("ana", &ana_accepted), ("ben", &ben_accepted)] {
        for a in accepted {
            let key = (
                author.to_string(),
                format!("{}/{}", a.commitment, a.member),
                a.revision,
            );
            assert!(audited.contains(&key), "no audit entry for {key:?}");
        }
    }

    second_store.close().await;
    scratch.finish().await;
}
