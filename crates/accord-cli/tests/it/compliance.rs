//! The team server end to end: the same ledger on SQLite and PostgreSQL,
//! assessments with conflicts, the spreadsheet, the scorecard, evidence
//! suggestions, users, and a backup moved from one backend to the other.

use super::{accord, accord_with_stdin, corpus, export, stderr, stdout};
use accord_store::scratch::Scratch;
use accord_store::Backend;
use futures_util::TryStreamExt as _;
use std::path::Path;

fn ok(db: &Path, args: &[&str]) -> String {
    let out = accord(db, args);
    assert!(
        out.status.success(),
        "accord {args:?} failed: {}",
        stderr(&out)
    );
    stdout(&out)
}

#[tokio::test]
async fn postgres_holds_the_same_ledger_as_sqlite_and_a_backup_moves_it() {
    let pg = Scratch::new(Backend::Postgres).await.unwrap();
    let lite = Scratch::new(Backend::Sqlite).await.unwrap();
    let pg_db = Path::new(&pg.location);
    let lite_db = Path::new(&lite.location);
    let corpus = corpus();
    let corpus = corpus.to_str().unwrap();
    for db in [pg_db, lite_db] {
        ok(db, &["ingest", corpus, "--quiet"]);
    }
    assert_eq!(
        export(pg_db),
        export(lite_db),
        "ingest, extraction and matching give the same ledger on both backends"
    );
    assert_eq!(ok(pg_db, &["stats"]), ok(lite_db, &["stats"]));

    // Evidence suggestions were made by ingest (2023 passages for 2021
    // commitments).
    let pending = ok(pg_db, &["evidence", "list"]);
    let first = pending.split_whitespace().next().unwrap().to_string();
    ok(pg_db, &["evidence", "reject", &first, "--as", "ana"]);
    ok(pg_db, &["evidence", "discover"]);
    assert!(
        ok(pg_db, &["evidence", "list", "--status", "rejected"]).contains(&first),
        "a rejected suggestion stays rejected after discovering again"
    );

    // Users and assessments.
    let add = accord_with_stdin(
        pg_db,
        &["user", "add", "ana", "--role", "analyst", "--as", "root"],
        Some(b"correct horse battery\n"),
    );
    assert!(add.status.success(), "{}", stderr(&add));
    let json = export(pg_db);
    let commitment = json["commitments"][0]["id"].as_str().unwrap().to_string();
    ok(
        pg_db,
        &[
            "assess",
            "set",
            &commitment,
            "--member",
            "CA",
            "--score",
            "0",
            "--rationale",
            "Consultations under way",
            "--evidence-url",
            "https://example.org/ca",
            "--base-revision",
            "0",
            "--as",
            "ana",
        ],
    );
    let stale = accord(
        pg_db,
        &[
            "assess",
            "set",
            &commitment,
            "--member",
            "CA",
            "--score",
            "-1",
            "--base-revision",
            "0",
            "--as",
            "ben",
        ],
    );
    assert!(!stale.status.success());
    assert!(stderr(&stale).contains("conflict"), "{}", stderr(&stale));
    ok(
        pg_db,
        &[
            "assess",
            "set",
            &commitment,
            "--member",
            "US",
            "--score",
            "1",
            "--as",
            "ben",
        ],
    );
    let history = ok(pg_db, &["assess", "history", &commitment]);
    assert!(
        history.contains("Consultations under way") && history.contains("by ben"),
        "{history}"
    );

    // The spreadsheet: export, fill in one blank row, import.
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("sheet.csv");
    let sheet_s = sheet.to_str().unwrap();
    ok(
        pg_db,
        &[
            "assess",
            "export",
            "--summit",
            "NALS 2021",
            "--blank",
            "-o",
            sheet_s,
        ],
    );
    let text = std::fs::read_to_string(&sheet).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let blank = lines
        .iter()
        .position(|l| !l.starts_with(&commitment) && l.contains(",0,,,"))
        .expect("a blank row");
    lines[blank] = lines[blank].replacen(",0,,,", ",0,-1,broken,", 1);
    std::fs::write(&sheet, lines.join("\n") + "\n").unwrap();
    let imported = ok(pg_db, &["assess", "import", sheet_s, "--as", "cy"]);
    assert!(imported.contains("1 new revisions"), "{imported}");

    let card = ok(pg_db, &["scorecard", "--format", "csv"]);
    assert!(card.contains("overall,all,3,1,1,1,0.0000,50.00"), "{card}");
    let md = ok(pg_db, &["scorecard", "--summit", "NALS 2021"]);
    assert!(md.contains("# Compliance scorecard: NALS 2021"), "{md}");
    let audit = ok(pg_db, &["audit"]);
    for action in ["assessment.create", "suggestion.rejected", "user.add"] {
        assert!(audit.contains(action), "{action} missing from {audit}");
    }

    // Backup from PostgreSQL, restore into a new SQLite file: the same
    // ledger, the same backup.
    let backup = dir.path().join("ledger.jsonl");
    ok(pg_db, &["backup", "-o", backup.to_str().unwrap()]);
    let restored = dir.path().join("restored.db");
    ok(&restored, &["restore", backup.to_str().unwrap()]);
    assert_eq!(export(&restored), export(pg_db));
    let again = dir.path().join("again.jsonl");
    ok(&restored, &["backup", "-o", again.to_str().unwrap()]);
    assert_eq!(
        std::fs::read_to_string(&backup).unwrap(),
        std::fs::read_to_string(&again).unwrap()
    );
    assert_eq!(ok(&restored, &["scorecard", "--format", "csv"]), card);
    let refused = accord(&restored, &["restore", backup.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("not empty"),
        "{}",
        stderr(&refused)
    );
    pg.finish().await;
    lite.finish().await;
}

/// A scratch SQLite ledger (kept while it is held) into which the bundled
/// corpus was ingested with `flag`, and a store over it.
async fn bundled_corpus_ingested(flag: &str) -> (Scratch, accord_store::Store) {
    let lite = Scratch::new(Backend::Sqlite).await.unwrap();
    let corpus = corpus();
    ok(
        Path::new(&lite.location),
        &["ingest", corpus.to_str().unwrap(), flag],
    );
    let store = accord_store::Store::connect(&lite.location).await.unwrap();
    (lite, store)
}

/// Evidence discovery holding the commitments sought a few at a time
/// (weighed in parts with the statistics of all of them), reading the
/// documents a few at a time and storing suggestions two at a time, finds
/// the suggestions that ingest's discovery, all at once, stored: every
/// one, and no other.
#[tokio::test]
async fn evidence_discovered_in_parts_is_what_was_discovered_at_once() {
    let (_lite, store) = bundled_corpus_ingested("--quiet").await;
    let stored = store
        .suggestions(Default::default())
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    assert!(stored.len() >= 3, "{} suggestions", stored.len());
    let sought = store.dated_summit_commitments("", 100_000).await.unwrap();
    assert!(sought.len() > 3 * 25, "{} commitments sought", sought.len());
    // A length of one becomes the number of parts, and each part counts
    // the same documents searched.
    let progress = indicatif::ProgressBar::hidden();
    progress.set_length(1);
    let sizes = accord_cli::compliance::Sizes {
        part: 25,
        batch: 3,
        stored: 2,
    };
    let found = accord_cli::compliance::discover_in_parts(
        &store,
        None,
        Default::default(),
        sizes,
        &progress,
    )
    .await
    .unwrap();
    let parts = progress.length().unwrap();
    let options = accord_assess::evidence::Options::default();
    let weighed = sought
        .iter()
        .filter(|c| accord_assess::evidence::is_sought(&c.text, &options))
        .count();
    assert_eq!(parts as usize, weighed.div_ceil(25), "parts counted");
    assert!(progress.position() > 0 && progress.position().is_multiple_of(parts));
    assert_eq!(found.found as usize, stored.len(), "as many found");
    assert_eq!(found.added, 0, "none that was not stored");
    assert_eq!(
        store
            .suggestions(Default::default())
            .try_collect::<Vec<_>>()
            .await
            .unwrap(),
        stored
    );
}

/// Evidence discovery in parts, storing two suggestions at a time, into a
/// ledger ingested without evidence, given the passages an ingest keeps
/// (which a discovery in parts leaves for the ledger's texts), stores the
/// suggestions an ingest's discovery stored at once: every one, and no
/// other.
#[tokio::test]
async fn evidence_stored_a_few_at_a_time_is_what_was_stored_at_once() {
    let (_at_once, at_once) = bundled_corpus_ingested("--quiet").await;
    let (_in_parts, in_parts) = bundled_corpus_ingested("--no-evidence").await;
    let options = accord_assess::evidence::Options::default();
    let mut set = accord_cli::compliance::DocumentSet::new();
    let mut kept = accord_cli::compliance::KeptPassages::new(usize::MAX);
    for summary in in_parts.documents().await.unwrap() {
        set.insert(&summary.id);
        let document = in_parts.document(&summary.id).await.unwrap().unwrap();
        let units = accord_extract::segment::segment(&document.text).units;
        let passages = accord_assess::evidence::passage_texts(units, &options);
        assert!(kept.keep(&summary.id, passages));
    }
    let sizes = accord_cli::compliance::Sizes {
        part: 25,
        batch: 3,
        stored: 2,
    };
    let progress = indicatif::ProgressBar::hidden();
    let found =
        accord_cli::compliance::discover_in_parts(&in_parts, Some(&set), kept, sizes, &progress)
            .await
            .unwrap();
    let expected = suggestions_found_whenever(&at_once).await;
    assert!(expected.len() >= 3, "{} suggestions", expected.len());
    assert_eq!(found.found as usize, expected.len(), "as many found");
    assert_eq!(found.added as usize, expected.len(), "as many stored");
    assert_eq!(suggestions_found_whenever(&in_parts).await, expected);
}

/// The suggestions of a ledger, best first, without the time each was
/// found.
async fn suggestions_found_whenever(
    store: &accord_store::Store,
) -> Vec<accord_store::assess::Suggestion> {
    let mut all = store
        .suggestions(Default::default())
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    all.iter_mut().for_each(|s| s.found_at.clear());
    all
}

/// Evidence discovery that takes the passages of some documents from those
/// an ingest kept (the rest read back and segmented, as when the budget
/// runs out) finds what reading every document finds: the same
/// suggestions, in the same order.
#[tokio::test]
async fn evidence_from_kept_passages_is_what_reading_the_documents_finds() {
    let (_read, read_store) = bundled_corpus_ingested("--no-evidence").await;
    let (_kept, kept_store) = bundled_corpus_ingested("--no-evidence").await;
    let documents = kept_store.documents().await.unwrap();
    let mut set = accord_cli::compliance::DocumentSet::new();
    documents.iter().for_each(|d| set.insert(&d.id));
    let options = accord_assess::evidence::Options::default();
    let mut kept = accord_cli::compliance::KeptPassages::new(usize::MAX);
    let mut n_kept = 0;
    for (i, summary) in documents.iter().enumerate() {
        let document = kept_store.document(&summary.id).await.unwrap().unwrap();
        let units = accord_extract::segment::segment(&document.text).units;
        let passages = accord_assess::evidence::passage_texts(units, &options);
        if i % 2 == 0 && kept.keep(&summary.id, passages) {
            n_kept += 1;
        }
    }
    assert!(n_kept > 0 && n_kept < documents.len(), "{n_kept} kept");
    assert_eq!(kept.len(), n_kept);
    let progress = indicatif::ProgressBar::hidden();
    let from_kept = accord_cli::compliance::discover(&kept_store, Some(&set), kept, &progress)
        .await
        .unwrap();
    let from_read =
        accord_cli::compliance::discover(&read_store, Some(&set), Default::default(), &progress)
            .await
            .unwrap();
    assert!(from_read >= 3, "{from_read} suggestions");
    assert_eq!(from_kept, from_read);
    assert_eq!(
        suggestions_found_whenever(&kept_store).await,
        suggestions_found_whenever(&read_store).await
    );
}

/// A bar of the documents an ingest wrote ends full, though those dated on
/// or before the earliest commitment sought are never read (none can
/// report on it).
#[tokio::test]
async fn the_evidence_bar_counts_every_document_of_the_ingest() {
    let (_lite, store) = bundled_corpus_ingested("--no-evidence").await;
    let documents = store.documents().await.unwrap();
    let mut set = accord_cli::compliance::DocumentSet::new();
    documents.iter().for_each(|d| set.insert(&d.id));
    let earliest = store
        .dated_summit_commitments("", 100_000)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.date)
        .min()
        .expect("commitments sought");
    let later = store
        .document_dates(&earliest, None, 100_000)
        .await
        .unwrap();
    assert!(
        later.len() < documents.len(),
        "some document is not after the earliest commitment sought"
    );
    let progress = indicatif::ProgressBar::hidden();
    progress.set_length(set.len() as u64);
    let added = accord_cli::compliance::discover(&store, Some(&set), Default::default(), &progress)
        .await
        .unwrap();
    assert!(added >= 3, "{added} suggestions");
    assert_eq!(progress.position(), set.len() as u64);
}

/// An ingest told not to look for evidence stores none, says so, and
/// `accord evidence discover` then finds what an ingest that looked would
/// have stored.
#[tokio::test]
async fn evidence_left_for_later_is_the_evidence_an_ingest_finds() {
    let looked = Scratch::new(Backend::Sqlite).await.unwrap();
    let later = Scratch::new(Backend::Sqlite).await.unwrap();
    let corpus = corpus();
    let corpus = corpus.to_str().unwrap();
    ok(Path::new(&looked.location), &["ingest", corpus, "--quiet"]);
    let out = ok(
        Path::new(&later.location),
        &["ingest", corpus, "--no-evidence"],
    );
    assert!(out.contains("evidence: not looked for"), "{out}");
    let suggestions = |location: String| async move {
        suggestions_found_whenever(&accord_store::Store::connect(&location).await.unwrap()).await
    };
    let found = suggestions(looked.location.clone()).await;
    assert!(found.len() >= 3, "{} suggestions", found.len());
    assert!(suggestions(later.location.clone()).await.is_empty());
    ok(Path::new(&later.location), &["evidence", "discover"]);
    assert_eq!(suggestions(later.location.clone()).await, found);
}

/// The documents an ingest wrote, held as fingerprints: every id put in is
/// found, and ids not put in are not (none of ten thousand).
#[test]
fn a_document_set_holds_what_was_put_in_and_nothing_else() {
    let id = |i: u64| format!("{:016x}", i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let mut set = accord_cli::compliance::DocumentSet::new();
    assert!(set.is_empty());
    for i in 0..10_000 {
        set.insert(&id(i));
    }
    assert_eq!(set.len(), 10_000);
    assert!((0..10_000).all(|i| set.contains(&id(i))));
    assert!((10_000..20_000).all(|i| !set.contains(&id(i))));
}
