//! The store against real databases, each test on both backends (an SQLite
//! file and a scratch database on the PostgreSQL server): writing,
//! replacing, filtering, pairs, initiative names, assessments, users,
//! suggestions, backup and restore.

mod compliance;

use accord_model::{Commitment, Document, Format, Metadata, Span, Strength, Target, Theme};
use accord_store::scratch::Scratch;
use accord_store::{
    Backend, DatedCommitment, Filter, NewDocument, Pair, Store, SummitCommitment, Written,
};
use std::future::Future;

/// Runs `check` on a fresh ledger of each backend.
async fn on_both<F, Fut>(check: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let scratch = Scratch::new(backend)
            .await
            .unwrap_or_else(|e| panic!("{backend:?}: {e}"));
        check(scratch.store.clone()).await;
        scratch.finish().await;
    }
}

pub(crate) fn document(id: &str, path: &str, summit: &str) -> Document {
    Document {
        id: id.into(),
        source_file: format!("{id}.txt"),
        source_path: path.into(),
        content_hash: format!("hash-{id}"),
        format: Format::Text,
        meta: Metadata {
            summit: Some(summit.into()),
            issuer: Some("CA".into()),
            ..Metadata::default()
        },
        original: "We will act.".into(),
        text: "We will act.\n".into(),
    }
}

pub(crate) fn commitment(
    document: &str,
    ordinal: u32,
    text: &str,
    theme: Theme,
    targets: Vec<Target>,
) -> Commitment {
    Commitment {
        id: format!("{document}-{ordinal:03}"),
        document_id: document.into(),
        ordinal,
        text: text.into(),
        span: Span::new(0, text.len()),
        section: None,
        actors: vec!["CA".into()],
        strength: Strength::Firm,
        theme,
        targets,
        deadline: None,
        initiatives: vec![],
        confidence: 0.9,
    }
}

fn target() -> Target {
    Target {
        value: 15.0,
        unit: "percent".into(),
        direction: "reduce".into(),
        baseline_year: Some(2020),
        target_year: Some(2030),
        phrase: "15% by 2030".into(),
    }
}

#[tokio::test]
async fn writes_replaces_and_filters() {
    on_both(writes_replaces_and_filters_on).await;
}

async fn writes_replaces_and_filters_on(store: Store) {
    let a = document("a", "/x/a.txt", "NALS 2023");
    let methane = commitment(
        "a",
        1,
        "We will cut methane by 15% by 2030.",
        Theme::ClimateEnvironment,
        vec![target()],
    );
    let health = commitment(
        "a",
        2,
        "We will review the pandemic plan.",
        Theme::Health,
        vec![],
    );
    assert_eq!(
        store
            .write_document(&a, &[methane.clone(), health.clone()], &[])
            .await
            .unwrap(),
        Written::Added
    );
    assert_eq!(
        store
            .write_document(&a, std::slice::from_ref(&methane), &[])
            .await
            .unwrap(),
        Written::Unchanged
    );

    let all = store.commitments(&Filter::default()).await.unwrap();
    assert_eq!(
        all,
        vec![methane.clone(), health.clone()],
        "commitments round-trip with every attribute"
    );
    let with_target = store
        .commitments(&Filter {
            has_target: Some(true),
            ..Filter::default()
        })
        .await
        .unwrap();
    assert_eq!(with_target, vec![methane.clone()]);
    let by_theme = store
        .commitments(&Filter {
            theme: Some(Theme::Health),
            ..Filter::default()
        })
        .await
        .unwrap();
    assert_eq!(by_theme, vec![health.clone()]);
    let by_text = store
        .commitments(&Filter {
            text: Some("METHANE".into()),
            summit: Some("nals 2023".into()),
            ..Filter::default()
        })
        .await
        .unwrap();
    assert_eq!(by_text.len(), 1);
    assert!(store
        .commitments(&Filter {
            issuer: Some("US".into()),
            ..Filter::default()
        })
        .await
        .unwrap()
        .is_empty());

    // Same path, other content: the old version and its commitments go.
    let mut a2 = document("a2", "/x/a.txt", "NALS 2023");
    a2.content_hash = "hash-a2".into();
    let only = commitment("a2", 1, "We will build a bridge.", Theme::Other, vec![]);
    assert_eq!(
        store
            .write_document(&a2, std::slice::from_ref(&only), &[])
            .await
            .unwrap(),
        Written::Replaced
    );
    assert_eq!(
        store.commitments(&Filter::default()).await.unwrap(),
        vec![only]
    );
    assert_eq!(store.documents().await.unwrap().len(), 1);
    assert!(store.document("a").await.unwrap().is_none());
}

#[tokio::test]
async fn a_failed_write_leaves_nothing_behind() {
    on_both(a_failed_write_leaves_nothing_behind_on).await;
}

async fn a_failed_write_leaves_nothing_behind_on(store: Store) {
    let a = document("a", "/x/a.txt", "NALS 2023");
    // Two commitments with one id violate the primary key mid-transaction.
    let c = commitment("a", 1, "We will act.", Theme::Other, vec![]);
    assert!(store
        .write_document(&a, &[c.clone(), c.clone()], &[])
        .await
        .is_err());
    assert!(store.documents().await.unwrap().is_empty());
    assert!(store
        .commitments(&Filter::default())
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_document_failing_in_a_batch_leaves_nothing_and_the_rest_is_written() {
    on_both(a_document_failing_in_a_batch_leaves_nothing_and_the_rest_is_written_on).await;
}

async fn a_document_failing_in_a_batch_leaves_nothing_and_the_rest_is_written_on(store: Store) {
    let before = store.fingerprint().await.unwrap();
    let a = document("a", "/x/a.txt", "NALS 2023");
    let b = document("b", "/x/b.txt", "NALS 2023");
    let c = document("c", "/x/c.txt", "NALS 2023");
    let ca = commitment("a", 1, "We will act.", Theme::Other, vec![]);
    let cb = commitment("b", 1, "We will build.", Theme::Other, vec![]);
    let cc = commitment("c", 1, "We will review.", Theme::Other, vec![]);
    let mut batch = store.document_batch().await.unwrap();
    assert_eq!(
        batch
            .write_document(
                &a,
                std::slice::from_ref(&ca),
                &[("name:x".into(), "X".into())]
            )
            .await
            .unwrap(),
        Written::Added
    );
    // Names written earlier in the batch are seen by the next documents.
    let names = batch.initiative_names(&["name:x".into()]).await.unwrap();
    assert_eq!(names.get("name:x").map(String::as_str), Some("X"));
    // Two commitments with one id fail in the middle of the document,
    // after the document row and its initiative name were written.
    assert!(batch
        .write_document(
            &b,
            &[cb.clone(), cb.clone()],
            &[("name:y".into(), "Y".into())]
        )
        .await
        .is_err());
    // The same content again changes nothing.
    assert_eq!(
        batch.write_document(&a, &[], &[]).await.unwrap(),
        Written::Unchanged
    );
    assert_eq!(
        batch
            .write_document(&c, std::slice::from_ref(&cc), &[])
            .await
            .unwrap(),
        Written::Added
    );
    assert_eq!(batch.written(), 2);
    // Nothing shows before the commit.
    assert!(store.documents().await.unwrap().is_empty());
    batch.commit().await.unwrap();

    let ids = document_ids(&store).await;
    assert_eq!(ids, ["a", "c"]);
    assert_eq!(
        store.commitments(&Filter::default()).await.unwrap(),
        vec![ca, cc]
    );
    let names = store
        .initiative_names(&["name:x".into(), "name:y".into()])
        .await
        .unwrap();
    assert_eq!(names.len(), 1, "nothing of the failed document: {names:?}");
    assert_ne!(store.fingerprint().await.unwrap(), before);

    // A batch dropped without its commit writes nothing; one that wrote
    // nothing leaves the ledger's version as it was.
    let at = store.fingerprint().await.unwrap();
    let mut dropped = store.document_batch().await.unwrap();
    dropped
        .write_document(&document("d", "/x/d.txt", "NALS 2023"), &[], &[])
        .await
        .unwrap();
    drop(dropped);
    let mut unchanged = store.document_batch().await.unwrap();
    unchanged
        .write_document(&document("a", "/x/a.txt", "NALS 2023"), &[], &[])
        .await
        .unwrap();
    unchanged.commit().await.unwrap();
    assert_eq!(store.documents().await.unwrap().len(), 2);
    assert_eq!(store.fingerprint().await.unwrap(), at);
}

#[tokio::test]
async fn a_batch_all_or_nothing_writes_nothing_once_a_document_fails() {
    on_both(a_batch_all_or_nothing_writes_nothing_once_a_document_fails_on).await;
}

async fn a_batch_all_or_nothing_writes_nothing_once_a_document_fails_on(store: Store) {
    let a = document("a", "/x/a.txt", "NALS 2023");
    let b = document("b", "/x/b.txt", "NALS 2023");
    let ca = commitment("a", 1, "We will act.", Theme::Other, vec![]);
    let cb = commitment("b", 1, "We will build.", Theme::Other, vec![]);
    let mut batch = store.document_batch_all_or_nothing().await.unwrap();
    batch
        .write_document(&a, std::slice::from_ref(&ca), &[])
        .await
        .unwrap();
    assert!(!batch.spoiled());
    assert!(batch
        .write_document(&b, &[cb.clone(), cb.clone()], &[])
        .await
        .is_err());
    assert!(batch.spoiled());
    assert!(batch.commit().await.is_err(), "a spoiled batch is refused");
    assert!(store.documents().await.unwrap().is_empty());

    // Found stored already: spoiled too (its path's other content may have
    // gone), and nothing is written.
    store
        .write_document(&a, std::slice::from_ref(&ca), &[])
        .await
        .unwrap();
    let mut batch = store.document_batch_all_or_nothing().await.unwrap();
    batch.write_document(&b, &[cb], &[]).await.unwrap();
    assert_eq!(
        batch.write_document(&a, &[], &[]).await.unwrap(),
        Written::Unchanged
    );
    assert!(batch.spoiled());
    batch.rollback().await.unwrap();
    let ids = document_ids(&store).await;
    assert_eq!(ids, ["a"]);
}

/// Documents written together ([`accord_store::DocumentBatch::write_documents`])
/// leave the ledger as writing them one by one does: a path's other
/// content replaced, a path given twice replaced in turn, and each
/// initiative key named by the first name unless a later one adds the
/// acronym.
#[tokio::test]
async fn documents_written_together_are_stored_as_written_one_by_one() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        for twice in [false, true] {
            let mut states = Vec::new();
            for together in [false, true] {
                let scratch = Scratch::new(backend)
                    .await
                    .unwrap_or_else(|e| panic!("{backend:?}: {e}"));
                states.push(write_scenario(&scratch.store, together, twice).await);
                scratch.finish().await;
            }
            assert_eq!(states[0], states[1], "{backend:?}");
            let (written, ids, names) = &states[1];
            let mut expected = vec![
                Written::Replaced,
                Written::Added,
                Written::Added,
                Written::Added,
            ];
            let mut expected_ids = vec!["p2", "q", "r", "t"];
            if twice {
                expected.extend([Written::Added, Written::Replaced]);
                expected_ids.insert(3, "s2");
            }
            assert_eq!(written, &expected, "{backend:?}");
            assert_eq!(ids, &expected_ids, "{backend:?}");
            let expected = [
                ("k1", "Plain (P)"),
                ("k2", "Two (T)"),
                ("k3", "Three"),
                ("k4", "Four (F)"),
                ("k5", "Five A"),
            ];
            let expected: Vec<(String, String)> = expected
                .iter()
                .map(|(k, n)| (k.to_string(), n.to_string()))
                .collect();
            assert_eq!(names, &expected, "{backend:?}");
        }
    }
}

/// Writes a batch over a stored document, together or one by one, with a
/// path given `twice` or not; returns what writing the batch did, the documents stored, and the
/// initiative names, sorted.
type ScenarioState = (Vec<Written>, Vec<String>, Vec<(String, String)>);

async fn write_scenario(store: &Store, together: bool, twice: bool) -> ScenarioState {
    let pair = |k: &str, n: &str| (k.to_string(), n.to_string());
    let p1 = document("p1", "/x/p.txt", "NALS 2023");
    store
        .write_document(
            &p1,
            &[commitment("p1", 1, "We will act.", Theme::Other, vec![])],
            &[pair("k1", "Plain"), pair("k3", "Three")],
        )
        .await
        .unwrap();
    let mut r = document("r", "-", "NALS 2023");
    r.source_file = "-".into();
    let mut batch_documents = vec![
        document("p2", "/x/p.txt", "NALS 2023"),
        document("q", "/x/q.txt", "NALS 2023"),
        r,
        document("t", "/x/t.txt", "NALS 2023"),
    ];
    let mut names = vec![
        vec![pair("k1", "Plain (P)"), pair("k2", "Two")],
        vec![pair("k2", "Two (T)"), pair("k4", "Four (F)")],
        vec![
            pair("k4", "Four"),
            pair("k5", "Five A"),
            pair("k3", "Three"),
        ],
        vec![pair("k5", "Five B")],
    ];
    if twice {
        batch_documents.push(document("s1", "/x/s.txt", "NALS 2023"));
        batch_documents.push(document("s2", "/x/s.txt", "NALS 2023"));
        names.extend([vec![pair("k5", "Five C")], vec![]]);
    }
    let commitments: Vec<Vec<Commitment>> = batch_documents
        .iter()
        .map(|d| vec![commitment(&d.id, 1, "We will build.", Theme::Other, vec![])])
        .collect();
    let mut batch = store.document_batch_all_or_nothing().await.unwrap();
    let written = if together {
        let documents: Vec<NewDocument> = batch_documents
            .iter()
            .zip(&commitments)
            .zip(&names)
            .map(|((document, commitments), names)| NewDocument {
                document,
                commitments,
                initiative_names: names,
            })
            .collect();
        batch.write_documents(&documents).await.unwrap()
    } else {
        let mut written = Vec::new();
        for ((document, commitments), names) in batch_documents.iter().zip(&commitments).zip(&names)
        {
            written.push(
                batch
                    .write_document(document, commitments, names)
                    .await
                    .unwrap(),
            );
        }
        written
    };
    batch.commit().await.unwrap();
    let mut ids = document_ids(store).await;
    ids.sort();
    let stored: Vec<String> = store
        .commitments(&Filter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.document_id)
        .collect();
    let mut stored_sorted = stored.clone();
    stored_sorted.sort();
    assert_eq!(
        stored_sorted, ids,
        "one commitment for each stored document"
    );
    let keys: Vec<String> = ["k1", "k2", "k3", "k4", "k5"].map(String::from).to_vec();
    let mut names: Vec<(String, String)> = store
        .initiative_names(&keys)
        .await
        .unwrap()
        .into_iter()
        .collect();
    names.sort();
    (written, ids, names)
}

/// Documents written together, one of them stored already: none of them
/// is written, and a batch with savepoints goes on.
#[tokio::test]
async fn documents_written_together_are_written_all_or_none() {
    on_both(documents_written_together_are_written_all_or_none_on).await;
}

async fn documents_written_together_are_written_all_or_none_on(store: Store) {
    let a = document("a", "/x/a.txt", "NALS 2023");
    let b = document("b", "/x/b.txt", "NALS 2023");
    let c = document("c", "/x/c.txt", "NALS 2023");
    store.write_document(&a, &[], &[]).await.unwrap();
    let new = |d| NewDocument {
        document: d,
        commitments: &[],
        initiative_names: &[],
    };
    let mut batch = store.document_batch().await.unwrap();
    let failed = batch.write_documents(&[new(&b), new(&a)]).await;
    assert!(
        matches!(failed, Err(accord_store::Error::Conflict(_))),
        "{failed:?}"
    );
    assert!(!batch.spoiled(), "with savepoints, the batch goes on");
    assert_eq!(
        batch.write_documents(&[new(&c)]).await.unwrap(),
        [Written::Added]
    );
    batch.commit().await.unwrap();
    assert_eq!(document_ids(&store).await, ["a", "c"]);

    let mut batch = store.document_batch_all_or_nothing().await.unwrap();
    assert!(batch.write_documents(&[new(&b), new(&c)]).await.is_err());
    assert!(batch.spoiled());
    batch.rollback().await.unwrap();
    assert_eq!(document_ids(&store).await, ["a", "c"]);
}

/// Dated documents read a page at a time, whatever the page size, are
/// every document dated after the date given, once each, in date and id
/// order, though many share a date.
#[tokio::test]
async fn dated_documents_come_in_pages_each_once_in_order() {
    on_both(dated_documents_come_in_pages_each_once_in_order_on).await;
}

async fn dated_documents_come_in_pages_each_once_in_order_on(store: Store) {
    let dates = [
        ("a", Some("2023-01-10")),
        ("b", Some("2023-01-10")),
        ("c", Some("2022-05-01")),
        ("d", None),
        ("e", Some("2023-01-10")),
        ("f", Some("2024-03-02")),
        ("g", Some("2021-12-31")),
        ("h", Some("2024-03-02")),
    ];
    for (id, date) in dates {
        let mut d = document(id, &format!("/x/{id}.txt"), "NALS 2023");
        d.meta.date = date.map(String::from);
        store.write_document(&d, &[], &[]).await.unwrap();
    }
    let since = "2021-12-31";
    let expected = ["c", "a", "b", "e", "f", "h"];
    for page in 1..=7 {
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let dates = store
                .document_dates(since, after.as_ref(), page)
                .await
                .unwrap();
            assert!(dates.len() <= page);
            let Some(last) = dates.last().cloned() else {
                break;
            };
            seen.extend(dates.into_iter().map(|d| d.id));
            after = Some(last);
        }
        assert_eq!(seen, expected, "pages of {page}");
    }
}

#[tokio::test]
async fn what_is_stored_for_many_files_is_looked_up_at_once() {
    on_both(what_is_stored_for_many_files_is_looked_up_at_once_on).await;
}

async fn what_is_stored_for_many_files_is_looked_up_at_once_on(store: Store) {
    let mut stdin = document("s", "-", "G7 2023");
    stdin.content_hash = "hash-s".into();
    for d in [
        document("a", "/x/a.txt", "NALS 2023"),
        document("b", "/x/b.txt", "NALS 2021"),
        stdin,
    ] {
        store.write_document(&d, &[], &[]).await.unwrap();
    }
    let files = [
        ("hash-a", "/elsewhere/a.txt"), // the same bytes from another path
        ("hash-new", "/x/b.txt"),       // other bytes from a stored path
        ("hash-other", "-"),            // standard input replaces nothing
        ("hash-none", "/x/none.txt"),   // nothing stored
        ("hash-b", "/x/b.txt"),         // the same bytes from the same path
    ];
    let stored = store.stored_for_files(&files).await.unwrap();
    let one_by_one = {
        let mut out = Vec::new();
        for (hash, path) in files {
            out.push(store.stored_for(hash, path).await.unwrap());
        }
        out
    };
    assert_eq!(stored, one_by_one);
    let same: Vec<bool> = stored.iter().map(|s| s.same_content).collect();
    assert_eq!(same, [true, false, false, false, true]);
    assert_eq!(stored[1].replaced_summits, ["NALS 2021"]);
    assert!(stored[2].replaced_summits.is_empty());
}

#[tokio::test]
async fn pairs_and_initiative_names() {
    on_both(pairs_and_initiative_names_on).await;
}

async fn pairs_and_initiative_names_on(store: Store) {
    store
        .write_document(
            &document("a", "/a", "NALS 2021"),
            &[commitment(
                "a",
                1,
                "Restart the group.",
                Theme::Other,
                vec![],
            )],
            &[("name:x".into(), "X".into())],
        )
        .await
        .unwrap();
    store
        .write_document(
            &document("b", "/b", "NALS 2023"),
            &[commitment(
                "b",
                1,
                "Restarting the group.",
                Theme::Other,
                vec![],
            )],
            &[
                ("name:x".into(), "X (XX)".into()),
                ("acronym:XX".into(), "X (XX)".into()),
            ],
        )
        .await
        .unwrap();
    let names = store
        .initiative_names(&["name:x".into(), "acronym:XX".into(), "name:y".into()])
        .await
        .unwrap();
    assert_eq!(
        names.get("name:x").map(String::as_str),
        Some("X (XX)"),
        "a name with its acronym replaces a plain one"
    );
    assert_eq!(names.len(), 2);

    let link = Pair {
        a: "b-001".into(),
        b: "a-001".into(),
        score: 0.9,
        kind: Some("repeats".into()),
    };
    store
        .replace_pairs(&[], std::slice::from_ref(&link))
        .await
        .unwrap();
    assert_eq!(store.follows_up().await.unwrap(), vec![link.clone()]);
    let (same, follows) = store.pairs_of("a-001").await.unwrap();
    assert!(same.is_empty());
    assert_eq!(follows, vec![link]);
    // Replacing a document drops its pairs with it.
    let mut b2 = document("b2", "/b", "NALS 2023");
    b2.content_hash = "hash-b2".into();
    store.write_document(&b2, &[], &[]).await.unwrap();
    assert!(store.follows_up().await.unwrap().is_empty());
}

/// The export written as the ledger is read, a row at a time, is byte for
/// byte the export built whole in memory and printed by `serde_json`, on
/// an empty ledger and on one with every kind of row (empty arrays and
/// full ones, text with line ends and quotes, documents without a summit
/// and documents whose summit, issuer and file name are the same); its
/// commitments come document by document in the order of summit, issuer,
/// file and id, each document's in order.
#[tokio::test]
async fn the_export_written_row_by_row_is_the_export_built_at_once() {
    on_both(the_export_written_row_by_row_is_the_export_built_at_once_on).await;
}

async fn the_export_written_row_by_row_is_the_export_built_at_once_on(store: Store) {
    assert_export_is_built_at_once(&store, 0).await;
    let mut no_summit = document("n", "/a/n.txt", "");
    no_summit.meta.summit = None;
    let mut twin_a = document("t2", "/a/same.txt", "NALS 2023");
    twin_a.source_file = "same.txt".into();
    let mut twin_b = document("t1", "/b/same.txt", "NALS 2023");
    twin_b.source_file = "same.txt".into();
    let written = [
        (document("z", "/z.txt", "NALS 2021"), vec![3, 1, 2]),
        (twin_a, vec![2, 1]),
        (no_summit, vec![1]),
        (twin_b, vec![1, 2]),
        (document("e", "/e.txt", "G7 2024"), vec![]),
    ];
    for (d, ordinals) in &written {
        let commitments: Vec<Commitment> = ordinals
            .iter()
            .map(|&n| {
                let text = format!("We will \"act\" {n}\nand report on {}.", d.id);
                commitment(&d.id, n, &text, Theme::Other, vec![target()])
            })
            .collect();
        store.write_document(d, &commitments, &[]).await.unwrap();
    }
    let link = Pair {
        a: "z-001".into(),
        b: "n-001".into(),
        score: 0.5,
        kind: Some("continues".into()),
    };
    store.replace_pairs(&[], &[link]).await.unwrap();
    let listed = assert_export_is_built_at_once(&store, 8).await;
    let order: Vec<&str> = listed.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        order,
        ["n-001", "z-001", "z-002", "z-003", "t1-001", "t1-002", "t2-001", "t2-002"],
        "no summit first; then by summit, file, id, ordinal"
    );
    // More documents than are read at once, in an order of their own.
    let more = accord_store::DOCUMENTS_AT_ONCE + 1;
    for i in 0..more {
        let d = document(
            &format!("m{}", (i * 7) % more),
            &format!("/m/{i}.txt"),
            "G7 2025",
        );
        let commitments = [commitment(&d.id, 1, "We will meet.", Theme::Other, vec![])];
        store
            .write_document(&d, &commitments[..i % 2], &[])
            .await
            .unwrap();
    }
    assert_export_is_built_at_once(&store, 8 + more / 2).await;
}

/// Checks that [`Store::write_export`] and `write_ledger` (pretty and
/// compact) write what printing [`accord_store::export::ledger_json`] of
/// the ledger's rows writes, with `commitments` of them listed in the
/// order of `Store::commitments`; returns them in that order.
async fn assert_export_is_built_at_once(store: &Store, commitments: usize) -> Vec<Commitment> {
    use futures_util::TryStreamExt as _;
    let listed: Vec<Commitment> = store
        .commitments_by_document()
        .map_ok(|(_, commitments)| commitments)
        .try_concat()
        .await
        .unwrap();
    assert_eq!(listed.len(), commitments);
    assert_eq!(
        store.commitments(&Filter::default()).await.unwrap(),
        listed,
        "the order of Store::commitments"
    );
    let (documents, same, follows) = (
        store.documents().await.unwrap(),
        store.same_commitment().await.unwrap(),
        store.follows_up().await.unwrap(),
    );
    let whole = accord_store::export::ledger_json(&documents, &listed, &same, &follows);
    let mut expected = serde_json::to_string_pretty(&whole).unwrap();
    expected.push('\n');
    let mut written = Vec::new();
    store.write_export(&mut written).await.unwrap();
    assert_eq!(String::from_utf8(written).unwrap(), expected);
    for (pretty, expected) in [(true, expected), (false, whole.to_string())] {
        let mut written = Vec::new();
        accord_store::export::write_ledger(
            &mut written,
            pretty,
            &documents,
            &listed,
            &same,
            &follows,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(written).unwrap(),
            expected,
            "pretty: {pretty}"
        );
    }
    listed
}

#[tokio::test]
async fn the_fingerprint_changes_with_every_write_and_only_then() {
    on_both(the_fingerprint_changes_with_every_write_and_only_then_on).await;
}

async fn the_fingerprint_changes_with_every_write_and_only_then_on(store: Store) {
    let empty = store.fingerprint().await.unwrap();
    let a = document("a", "/a", "NALS 2023");
    store.write_document(&a, &[], &[]).await.unwrap();
    let one = store.fingerprint().await.unwrap();
    assert_ne!(empty, one);
    store.write_document(&a, &[], &[]).await.unwrap();
    assert_eq!(
        store.fingerprint().await.unwrap(),
        one,
        "an unchanged document changes nothing"
    );
    store.replace_pairs(&[], &[]).await.unwrap();
    assert_ne!(store.fingerprint().await.unwrap(), one);

    // Pairs computed from an older ledger are not written over it.
    let stale = one;
    let link = Pair {
        a: "x".into(),
        b: "y".into(),
        score: 0.5,
        kind: None,
    };
    assert!(!store
        .replace_pairs_if(std::slice::from_ref(&link), &[], &stale)
        .await
        .unwrap());
    assert!(store.same_commitment().await.unwrap().is_empty());
    let now = store.fingerprint().await.unwrap();
    assert!(store.replace_pairs_if(&[], &[], &now).await.unwrap());
    assert_ne!(store.fingerprint().await.unwrap(), now);
}

#[tokio::test]
async fn a_missing_postgres_database_is_created_like_a_missing_sqlite_file() {
    let server = accord_store::scratch::postgres_server();
    let name = format!("accord_created_{}", std::process::id());
    let base = server.rsplit_once('/').unwrap().0;
    let url = format!("{base}/{name}");
    let store = Store::connect(&url).await.unwrap();
    assert_eq!(store.backend(), Backend::Postgres);
    assert!(store.documents().await.unwrap().is_empty());
    store.close().await;
    accord_store::scratch::drop_database(&server, &name)
        .await
        .unwrap();
}

/// The ids of the ledger's documents, in the store's order.
async fn document_ids(store: &Store) -> Vec<String> {
    store
        .documents()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect()
}

/// A new SQLite file that another connection is writing to while the
/// ledger is opened (as when two processes create it at once): turning on
/// the write-ahead log cannot wait for that lock, so the open tries again
/// until it is let go instead of failing with "database is locked".
#[tokio::test]
async fn a_new_sqlite_file_another_connection_is_writing_to_is_waited_for() {
    use sqlx::{Connection, Executor};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let mut writer = sqlx::SqliteConnection::connect(&url).await.unwrap();
    writer
        .execute("CREATE TABLE held (x INTEGER)")
        .await
        .unwrap();
    writer.execute("BEGIN IMMEDIATE").await.unwrap();
    writer.execute("INSERT INTO held VALUES (1)").await.unwrap();
    let release = async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        writer.execute("COMMIT").await.unwrap();
    };
    let (opened, ()) = tokio::join!(Store::open(&path), release);
    let store = opened.expect("the ledger opens once the other writer is done");
    assert!(store.summits().await.unwrap().is_empty());
}

/// Reads that return many rows as one page (`initiative_lists`,
/// `dated_summit_commitments`, `document_dates`, `initiative_names`) give
/// back every text exactly, whatever its characters, and an empty page
/// when nothing matches.
#[tokio::test]
async fn pages_of_rows_keep_every_character() {
    on_both(pages_of_rows_keep_every_character_on).await;
}

async fn pages_of_rows_keep_every_character_on(store: Store) {
    let awkward = [
        "Quotes \" and \\ backslashes \\\" mixed",
        "Lines\nand\ttabs\r\nand a control \u{1} character",
        "Accents é, dashes — and emoji 🙂 beyond the plane",
        "JSON-like [\"a\", {\"b\": 1}] and SQL-like ') OR 1=1 --",
    ];
    assert!(store.initiative_lists("", 10).await.unwrap().is_empty());
    assert!(store
        .dated_summit_commitments("", 10)
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .initiative_names(&["name:none".into()])
        .await
        .unwrap()
        .is_empty());
    let mut d = document("a", "/x/a.txt", awkward[2]);
    d.meta.date = Some("2023-01-10".into());
    let commitments: Vec<Commitment> = awkward
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let mut c = commitment("a", i as u32 + 1, text, Theme::Other, vec![]);
            c.initiatives = vec![text.to_string(), format!("{text} (X{i})")];
            c
        })
        .collect();
    let names: Vec<(String, String)> = awkward
        .iter()
        .map(|text| (format!("name:{text}"), text.to_string()))
        .collect();
    store
        .write_document(&d, &commitments, &names)
        .await
        .unwrap();

    for page in [1, 3, 10] {
        let (mut lists, mut after) = (Vec::new(), String::new());
        loop {
            let got = store.initiative_lists(&after, page).await.unwrap();
            let Some(last) = got.last() else { break };
            after = last.id.clone();
            lists.extend(got);
        }
        let expected: Vec<(String, Option<String>, Vec<String>)> = commitments
            .iter()
            .map(|c| {
                (
                    c.id.clone(),
                    Some(awkward[2].to_string()),
                    c.initiatives.clone(),
                )
            })
            .collect();
        let got: Vec<(String, Option<String>, Vec<String>)> = lists
            .into_iter()
            .map(|l| (l.id, l.summit, l.initiatives))
            .collect();
        assert_eq!(got, expected, "initiative lists in pages of {page}");
    }
    let sought = store.dated_summit_commitments("", 10).await.unwrap();
    let expected: Vec<DatedCommitment> = commitments
        .iter()
        .map(|c| DatedCommitment {
            id: c.id.clone(),
            document_id: "a".into(),
            date: "2023-01-10".into(),
            summit: awkward[2].into(),
            text: c.text.clone(),
            initiatives: c.initiatives.clone(),
        })
        .collect();
    assert_eq!(sought, expected);
    let dates = store.document_dates("2000-01-01", None, 10).await.unwrap();
    assert_eq!(dates.len(), 1);
    assert_eq!(dates[0].summit.as_deref(), Some(awkward[2]));
    let keys: Vec<String> = names.iter().map(|(k, _)| k.clone()).collect();
    let found = store.initiative_names(&keys).await.unwrap();
    assert_eq!(found, names.into_iter().collect());
    let of_summit = store
        .commitments_of_summits(&[awkward[2].into()])
        .await
        .unwrap();
    let expected: Vec<SummitCommitment> = commitments
        .iter()
        .map(|c| SummitCommitment {
            id: c.id.clone(),
            document_id: "a".into(),
            summit: awkward[2].into(),
            text: c.text.clone(),
            initiatives: c.initiatives.clone(),
        })
        .collect();
    assert_eq!(of_summit, expected);
}

/// The commitments of summits come in the order of the ledger's listing
/// (summit, issuer with none first, file, ordinal), whatever the order
/// they were written in.
#[tokio::test]
async fn commitments_of_summits_come_in_the_listing_order() {
    on_both(commitments_of_summits_come_in_the_listing_order_on).await;
}

async fn commitments_of_summits_come_in_the_listing_order_on(store: Store) {
    let documents = [
        ("d", "G7 2023", Some("US")),
        ("b", "NALS 2023", Some("MX")),
        ("a", "NALS 2023", None),
        ("c", "NALS 2023", Some("CA")),
        ("e", "NALS 2021", Some("CA")),
        ("f", "NALS 2023", Some("CA")),
    ];
    for (id, summit, issuer) in documents {
        let mut d = document(id, &format!("/x/{id}.txt"), summit);
        d.meta.issuer = issuer.map(String::from);
        let commitments: Vec<Commitment> = [2, 1]
            .into_iter()
            .map(|n| commitment(id, n, &format!("{id} will act {n}."), Theme::Other, vec![]))
            .collect();
        store.write_document(&d, &commitments, &[]).await.unwrap();
    }
    let summits = ["NALS 2023".to_string(), "G7 2023".to_string()];
    let got: Vec<(String, String)> = store
        .commitments_of_summits(&summits)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c.summit))
        .collect();
    let mut expected = Vec::new();
    for summit in ["G7 2023", "NALS 2023"] {
        let filter = Filter {
            summit: Some(summit.into()),
            ..Filter::default()
        };
        for c in store.commitments(&filter).await.unwrap() {
            expected.push((c.id, summit.to_string()));
        }
    }
    assert_eq!(got, expected);
    assert_eq!(got.len(), 10);
    assert_eq!(got[2].0, "a-001", "no issuer comes first");
}
