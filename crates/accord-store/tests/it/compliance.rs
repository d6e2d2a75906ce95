//! Assessments, users, suggestions, the audit log, backup and restore, on
//! both backends.

use super::{commitment, document, on_both};
use accord_model::Theme;
use accord_store::assess::{
    Decision, Evidence, NewAssessment, Status, Suggestion, SuggestionFilter,
};
use accord_store::scratch::Scratch;
use accord_store::users::Role;
use accord_store::{Backend, Error, Store};
use futures_util::TryStreamExt as _;

/// A ledger of one summit with three commitments: d-001 … d-003.
async fn seed(store: &Store) {
    let d = document("d", "/d", "NALS 2023");
    let commitments: Vec<_> = (1..=3)
        .map(|i| {
            commitment(
                "d",
                i,
                &format!("We will do thing {i}."),
                Theme::Health,
                vec![],
            )
        })
        .collect();
    store.write_document(&d, &commitments, &[]).await.unwrap();
}

fn change(commitment: &str, member: &str, score: i64, base: Option<i64>) -> NewAssessment {
    NewAssessment {
        commitment_id: commitment.into(),
        member: member.into(),
        score: Some(score),
        status: if score == 1 {
            Status::Achieved
        } else {
            Status::InProgress
        },
        rationale: format!("score {score}"),
        evidence: vec![Evidence {
            url: Some("https://example.org/report".into()),
            date: Some("2024-01-10".into()),
            passage: Some("The plan was published.".into()),
            ..Evidence::default()
        }],
        base_revision: base,
    }
}

/// What a page refuses, the store refuses too, so that the command line
/// and the spreadsheet cannot store it: a member that is not a short code
/// (too long, or turning the text's direction to read as another),
/// evidence at an address that is not on the web, a date that is not ISO,
/// a document that is not in the ledger. Nothing of a refused change is
/// stored.
#[tokio::test]
async fn every_way_in_is_held_to_the_same_checks() {
    on_both(every_way_in_is_held_to_the_same_checks_on).await;
}

async fn every_way_in_is_held_to_the_same_checks_on(store: Store) {
    seed(&store).await;
    let with = |edit: &dyn Fn(&mut NewAssessment)| {
        let mut new = change("d-001", "MX", 1, None);
        new.evidence.insert(0, Evidence::default());
        edit(&mut new);
        new
    };
    let evidence =
        |edit: &dyn Fn(&mut Evidence)| with(&|n: &mut NewAssessment| edit(&mut n.evidence[1]));
    let cases = [
        (with(&|n| n.member = "M".repeat(65)), "use a short code"),
        (
            with(&|n| n.member = "U\u{202e}S".into()),
            "use a short code",
        ),
        (
            evidence(&|e| e.url = Some("javascript:alert(1)".into())),
            "evidence 1: the address \"javascript:alert(1)\" must start with https://",
        ),
        (
            evidence(&|e| e.date = Some("10/01/2024".into())),
            "evidence 1: the date \"10/01/2024\" must be ISO",
        ),
        (
            evidence(&|e| e.document_id = Some("no-such-document".into())),
            "evidence 1: no document no-such-document in the ledger",
        ),
        (with(&|n| n.score = Some(2)), "score 2: use -1"),
    ];
    for (new, message) in cases {
        let refused = store.assess(&new, "ana").await;
        let Err(Error::Invalid(why)) = &refused else {
            panic!("{message}: {refused:?}");
        };
        assert!(why.contains(message), "{why}");
    }
    assert!(store
        .assessment_history("d-001", None)
        .await
        .unwrap()
        .is_empty());
    // The same change, held to the checks, is stored.
    let stored = store.assess(&with(&|_| {}), "ana").await.unwrap();
    assert_eq!((stored.member.as_str(), stored.evidence.len()), ("MX", 1));
}

#[tokio::test]
async fn assessments_keep_their_history_and_refuse_stale_writes() {
    on_both(assessments_keep_their_history_and_refuse_stale_writes_on).await;
}

async fn assessments_keep_their_history_and_refuse_stale_writes_on(store: Store) {
    seed(&store).await;
    let first = store
        .assess(&change("d-001", "ca", 0, Some(0)), "ana")
        .await
        .unwrap();
    assert_eq!((first.revision, first.member.as_str()), (1, "CA"));
    let second = store
        .assess(&change("d-001", "CA", 1, Some(1)), "ben")
        .await
        .unwrap();
    assert_eq!(second.revision, 2);
    // Written against revision 1 after revision 2 exists: refused.
    let stale = store
        .assess(&change("d-001", "CA", -1, Some(1)), "ana")
        .await;
    assert!(matches!(stale, Err(Error::Conflict(_))), "{stale:?}");
    // Out of range, unknown commitment: refused.
    assert!(matches!(
        store.assess(&change("d-001", "CA", 2, None), "ana").await,
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        store.assess(&change("nope", "CA", 1, None), "ana").await,
        Err(Error::NotFound(_))
    ));

    let history = store.assessment_history("d-001", Some("ca")).await.unwrap();
    assert_eq!(
        history,
        vec![first.clone(), second.clone()],
        "nothing is overwritten"
    );
    let current = store
        .current_assessments(&accord_store::assess::AssessmentFilter::default())
        .await
        .unwrap();
    assert_eq!(current, vec![second.clone()]);
    let by_summit = store
        .current_assessments(&accord_store::assess::AssessmentFilter {
            summit: Some("nals 2023".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_summit, vec![second]);

    let log = store.audit_log(Some("d-001"), 100).await.unwrap();
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.action.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(
        actions,
        vec![("assessment.revise", "ben"), ("assessment.create", "ana")],
        "every change is logged, the refused ones are not"
    );
    assert_eq!(log[0].detail["score"], 1);
}

/// PostgreSQL's text cannot hold a NUL, SQLite's can: free text a user
/// writes (a rationale, a token's label) is stored without it on both, and
/// a member with a control character is refused.
#[tokio::test]
async fn free_text_with_nul_is_stored_the_same_on_both() {
    on_both(free_text_with_nul_is_stored_the_same_on_both_on).await;
}

async fn free_text_with_nul_is_stored_the_same_on_both_on(store: Store) {
    seed(&store).await;
    let mut new = change("d-001", "CA", 1, Some(0));
    new.rationale = "Published\0 in May.".into();
    let stored = store.assess(&new, "ana").await.unwrap();
    assert_eq!(stored.rationale, "Published in May.");
    let history = store.assessment_history("d-001", Some("CA")).await.unwrap();
    assert_eq!(history[0].rationale, "Published in May.");
    new.member = "C\0A".into();
    let refused = store.assess(&new, "ana").await;
    assert!(matches!(refused, Err(Error::Invalid(_))), "{refused:?}");

    store
        .add_user("ana", Role::Analyst, "a long password", "root")
        .await
        .unwrap();
    store.create_token("ana", "cron\0job", "ana").await.unwrap();
    assert_eq!(store.tokens().await.unwrap()[0].label, "cronjob");
}

#[tokio::test]
async fn users_log_in_with_passwords_and_tokens() {
    on_both(users_log_in_with_passwords_and_tokens_on).await;
}

async fn users_log_in_with_passwords_and_tokens_on(store: Store) {
    let ana = store
        .add_user("ana", Role::Analyst, "correct horse", "admin")
        .await
        .unwrap();
    assert!(ana.can(Role::Reader) && ana.can(Role::Analyst) && !ana.can(Role::Admin));
    assert!(matches!(
        store
            .add_user("ana", Role::Reader, "another one", "admin")
            .await,
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        store.add_user("bob", Role::Reader, "short", "admin").await,
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        store
            .add_user("bad name!", Role::Reader, "long enough", "admin")
            .await,
        Err(Error::Invalid(_))
    ));
    assert_eq!(
        store.login("ana", "correct horse").await.unwrap(),
        Some(ana.clone())
    );
    assert_eq!(store.login("ana", "wrong horse").await.unwrap(), None);
    assert_eq!(store.login("nobody", "correct horse").await.unwrap(), None);

    // An expired session is not a login, and goes when the next starts.
    let expired = store.start_session("ana", -1).await.unwrap();
    assert_eq!(store.session_user(&expired).await.unwrap(), None);
    let session = store.start_session("ana", 1).await.unwrap();
    assert_eq!(
        store.session_user(&session).await.unwrap(),
        Some(ana.clone())
    );
    store.end_session(&session).await.unwrap();
    assert_eq!(store.session_user(&session).await.unwrap(), None);

    let token = store.create_token("ana", "scripts", "ana").await.unwrap();
    assert!(token.starts_with("acc_"));
    assert_eq!(store.token_user(&token).await.unwrap(), Some(ana.clone()));
    assert_eq!(store.token_user("acc_forged").await.unwrap(), None);
    let tokens = store.tokens().await.unwrap();
    assert_eq!(tokens.len(), 1);
    store.revoke_token(&tokens[0].id, "ana").await.unwrap();
    assert_eq!(store.token_user(&token).await.unwrap(), None);

    store.set_role("ana", Role::Admin, "root").await.unwrap();
    store
        .set_password("ana", "battery staple", "root")
        .await
        .unwrap();
    assert_eq!(store.login("ana", "correct horse").await.unwrap(), None);
    assert_eq!(
        store
            .login("ana", "battery staple")
            .await
            .unwrap()
            .map(|u| u.role),
        Some(Role::Admin)
    );
    // The last admin stays one.
    assert!(matches!(
        store.remove_user("ana", "root").await,
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        store.set_role("ana", Role::Reader, "root").await,
        Err(Error::Invalid(_))
    ));
    store
        .add_user("root", Role::Admin, "another password", "ana")
        .await
        .unwrap();
    store.remove_user("ana", "root").await.unwrap();
    assert_eq!(store.users().await.unwrap().len(), 1);
    let actions: Vec<String> = store
        .audit_log(None, 100)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "user.add",
            "token.create",
            "token.revoke",
            "user.role",
            "user.password",
            "user.add",
            "user.remove"
        ]
    );
}

#[tokio::test]
async fn rejected_suggestions_stay_rejected() {
    on_both(rejected_suggestions_stay_rejected_on).await;
}

async fn rejected_suggestions_stay_rejected_on(store: Store) {
    seed(&store).await;
    let suggestion = |passage: &str| Suggestion {
        id: Suggestion::id_for("d-001", "later", passage),
        commitment_id: "d-001".into(),
        document_id: "later".into(),
        passage: passage.into(),
        score: 0.5,
        status: Decision::Pending,
        found_at: "2024-01-01T00:00:00Z".into(),
        decided_by: None,
        decided_at: None,
    };
    let found = [
        suggestion("We did thing 1."),
        suggestion("Thing 1 is done."),
    ];
    assert_eq!(store.add_suggestions(&found).await.unwrap(), 2);
    store
        .decide_suggestion(&found[0].id, Decision::Rejected, "ana")
        .await
        .unwrap();
    // Found again by a later ingest: nothing changes.
    assert_eq!(store.add_suggestions(&found).await.unwrap(), 0);
    let rejected = listed(&store, Some("d-001"), Some(Decision::Rejected)).await;
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].decided_by.as_deref(), Some("ana"));
    let pending = listed(&store, None, Some(Decision::Pending)).await;
    assert_eq!(pending.len(), 1);
    assert_eq!(listed(&store, Some("d-002"), None).await, []);
    assert!(matches!(
        store
            .decide_suggestion("missing", Decision::Accepted, "ana")
            .await,
        Err(Error::NotFound(_))
    ));
}

/// Two analysts edit the assessments of one summit at the same time, each
/// reading the current revision and writing the next; a refused write is
/// read again and resubmitted. Nothing is lost: every write that was
/// accepted is in the history and in the audit log.
#[tokio::test]
async fn two_analysts_at_once_lose_nothing() {
    for backend in [Backend::Postgres, Backend::Sqlite] {
        let scratch = Scratch::new(backend).await.unwrap();
        seed(&scratch.store).await;
        let analyst = |name: &'static str, store: Store| async move {
            let mut accepted = 0;
            let mut conflicts = 0;
            for round in 0..8 {
                for id in ["d-001", "d-002", "d-003"] {
                    loop {
                        let seen = store
                            .assessment_history(id, Some("US"))
                            .await
                            .unwrap()
                            .last()
                            .map(|a| a.revision)
                            .unwrap_or(0);
                        let mut new = change(id, "US", (round % 3) - 1, Some(seen));
                        new.rationale = format!("{name} round {round}");
                        match store.assess(&new, name).await {
                            Ok(_) => {
                                accepted += 1;
                                break;
                            }
                            Err(Error::Conflict(_)) => conflicts += 1,
                            Err(e) => panic!("{backend:?} {name}: {e}"),
                        }
                    }
                }
            }
            (accepted, conflicts)
        };
        let (a, b) = tokio::join!(
            tokio::spawn(analyst("ana", scratch.store.clone())),
            tokio::spawn(analyst("ben", scratch.store.clone()))
        );
        let ((a_ok, _), (b_ok, _)) = (a.unwrap(), b.unwrap());
        assert_eq!(a_ok + b_ok, 48);
        let mut revisions = 0;
        for id in ["d-001", "d-002", "d-003"] {
            let history = scratch.store.assessment_history(id, None).await.unwrap();
            let numbers: Vec<i64> = history.iter().map(|h| h.revision).collect();
            assert_eq!(numbers, (1..=16).collect::<Vec<_>>(), "{backend:?} {id}");
            for name in ["ana", "ben"] {
                let mine: Vec<_> = history.iter().filter(|h| h.author == name).collect();
                assert_eq!(
                    mine.len(),
                    8,
                    "{backend:?}: every write of {name} on {id} is kept"
                );
            }
            revisions += history.len();
        }
        let log = scratch.store.audit_log(None, 1000).await.unwrap();
        assert_eq!(
            log.len(),
            revisions,
            "{backend:?}: one audit entry per change"
        );
        scratch.finish().await;
    }
}

#[tokio::test]
async fn a_backup_moves_a_ledger_between_backends_without_loss() {
    let from = Scratch::new(Backend::Sqlite).await.unwrap();
    seed(&from.store).await;
    from.store
        .assess(&change("d-002", "MX", 0, Some(0)), "ana")
        .await
        .unwrap();
    from.store
        .add_user("ana", Role::Analyst, "correct horse", "admin")
        .await
        .unwrap();
    let mut first = Vec::new();
    from.store.backup(&mut first).await.unwrap();

    let to = Scratch::new(Backend::Postgres).await.unwrap();
    let counts = to.store.restore(&mut first.as_slice()).await.unwrap();
    assert!(counts.contains(&("commitments", 3)), "{counts:?}");
    let mut second = Vec::new();
    to.store.backup(&mut second).await.unwrap();
    assert_eq!(
        String::from_utf8(first.clone()).unwrap(),
        String::from_utf8(second).unwrap(),
        "the restored ledger backs up to the same bytes"
    );
    // The restored ledger works: logins, new log entries after the old ones.
    assert!(to
        .store
        .login("ana", "correct horse")
        .await
        .unwrap()
        .is_some());
    to.store
        .assess(&change("d-002", "MX", 1, Some(1)), "ana")
        .await
        .unwrap();
    assert_eq!(
        to.store.audit_log(None, 1).await.unwrap()[0].action,
        "assessment.revise"
    );
    // A ledger that is not empty is refused, and keeps what it had.
    let refused = to.store.restore(&mut first.as_slice()).await;
    assert!(matches!(refused, Err(Error::Invalid(_))), "{refused:?}");
    assert_eq!(to.store.documents().await.unwrap().len(), 1);
    from.finish().await;
    to.finish().await;
}

/// A backup that does not hold together is refused at its line, with the
/// cause in the words of a backup (not the database's code), and nothing of
/// it is written; the same on both backends.
#[tokio::test]
async fn a_broken_backup_is_refused_at_its_line_with_its_cause() {
    on_both(a_broken_backup_is_refused_at_its_line_with_its_cause_on).await;
}

async fn a_broken_backup_is_refused_at_its_line_with_its_cause_on(store: Store) {
    let from = Scratch::new(Backend::Sqlite).await.unwrap();
    seed(&from.store).await;
    let mut bytes = Vec::new();
    from.store.backup(&mut bytes).await.unwrap();
    from.finish().await;
    let lines: Vec<String> = String::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let of = |table: &str| {
        lines
            .iter()
            .position(|l| l.contains(&format!("\"table\":\"{table}\"")))
            .unwrap()
    };
    let (document, commitment) = (of("documents"), of("commitments"));
    let without = |n: usize| {
        let mut l = lines.clone();
        l.remove(n);
        l
    };
    let with_twice = |n: usize| {
        let mut l = lines.clone();
        l.insert(n + 1, lines[n].clone());
        l
    };
    let mut nameless = lines.clone();
    nameless[commitment] = nameless[commitment].replace("\"table\":", "\"tabel\":");
    let cases = [
        // The commitment's document is missing: the first commitment,
        // now one line up, refers to it.
        (
            without(document),
            commitment,
            "refers to a row that no earlier line of the backup holds",
        ),
        (
            with_twice(commitment),
            commitment + 2,
            "an earlier line holds a row with the same key",
        ),
        (nameless, commitment + 1, "no table named"),
    ];
    for (backup, line, cause) in cases {
        let text = backup.join("\n");
        let refused = store.restore(&mut text.as_bytes()).await;
        let Err(Error::Invalid(message)) = &refused else {
            panic!("{refused:?}");
        };
        assert!(
            message.starts_with(&format!("backup line {line}: ")) && message.contains(cause),
            "{message}"
        );
        assert!(!message.contains("code:"), "{message}");
        assert!(store.documents().await.unwrap().is_empty());
    }
}

/// Suggestions are listed best first (score, then id) whatever the filter,
/// and a page of them is the same slice of that listing, with the number
/// the filter selects in all.
#[tokio::test]
async fn suggestions_are_listed_best_first_and_paged() {
    on_both(suggestions_are_listed_best_first_and_paged_on).await;
}

async fn suggestions_are_listed_best_first_and_paged_on(store: Store) {
    seed(&store).await;
    // Scores repeat, so that ties are ordered by id.
    let found: Vec<Suggestion> = (0..12)
        .map(|i| {
            let commitment_id = format!("d-00{}", 1 + i % 3);
            let passage = format!("Passage {i} reports progress.");
            Suggestion {
                id: Suggestion::id_for(&commitment_id, "later", &passage),
                commitment_id,
                document_id: "later".into(),
                passage,
                score: f64::from(i % 4) / 4.0,
                status: Decision::Pending,
                found_at: "2024-01-01T00:00:00Z".into(),
                decided_by: None,
                decided_at: None,
            }
        })
        .collect();
    assert_eq!(store.add_suggestions(&found).await.unwrap(), 12);
    for s in &found[..4] {
        store
            .decide_suggestion(&s.id, Decision::Accepted, "ana")
            .await
            .unwrap();
    }
    let best_first = |mut list: Vec<Suggestion>| {
        list.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        list.iter().map(|s| s.id.clone()).collect::<Vec<_>>()
    };
    let ids = |list: &[Suggestion]| list.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    let filters = [
        (None, None, 12),
        (Some("d-002"), None, 4),
        (None, Some(Decision::Pending), 8),
        (Some("d-001"), Some(Decision::Accepted), 2),
        (Some("d-009"), None, 0),
    ];
    for (commitment, status, n) in filters {
        let filter = SuggestionFilter { commitment, status };
        let all = listed(&store, commitment, status).await;
        assert_eq!(all.len(), n, "{filter:?}");
        assert!(all
            .iter()
            .all(|s| commitment.is_none_or(|c| s.commitment_id == c)
                && status.is_none_or(|d| s.status == d)));
        assert_eq!(ids(&all), best_first(all.clone()), "{filter:?}");
        for (offset, limit) in [(0, 5), (1, 2), (3, 100), (20, 5)] {
            let page = store.suggestion_page(filter, offset, limit).await.unwrap();
            assert_eq!(page.total, n as u64, "{filter:?}");
            let slice: Vec<_> = all
                .iter()
                .skip(offset as usize)
                .take(limit as usize)
                .cloned()
                .collect();
            assert_eq!(page.items, slice, "{filter:?} from {offset}, {limit}");
        }
    }
}

/// The suggestions of `commitment` and `status`, read as a listing does.
async fn listed(
    store: &Store,
    commitment: Option<&str>,
    status: Option<Decision>,
) -> Vec<Suggestion> {
    let filter = SuggestionFilter { commitment, status };
    store.suggestions(filter).try_collect().await.unwrap()
}
