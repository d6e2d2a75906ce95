//! Ingest, re-ingest, export, list, show, stats and eval over the bundled
//! corpus.

use crate::{accord, accord_with_stdin, corpus, export, stderr, stdout};
use std::path::PathBuf;
use std::process::Command;

#[test]
fn bundled_corpus_ingests_and_exports_in_the_contract_shape() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let out = accord(&db, &["ingest", corpus().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("5 files: 5 added, 0 replaced, 0 unchanged, 0 failed"),
        "{}",
        stdout(&out)
    );

    let ledger = export(&db);
    assert_eq!(ledger["format"], "accord-export/1");
    let documents = ledger["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 5);
    for d in documents {
        for key in [
            "id",
            "source_file",
            "title",
            "issuer",
            "summit",
            "date",
            "language",
        ] {
            assert!(d.get(key).is_some(), "document lacks {key}: {d}");
        }
    }
    let commitments = ledger["commitments"].as_array().unwrap();
    assert!(commitments.len() > 100);
    for c in commitments {
        let doc = documents
            .iter()
            .find(|d| d["id"] == c["document_id"])
            .expect("commitment's document is exported");
        assert!(!c["text"].as_str().unwrap().is_empty());
        let (start, end) = (
            c["span"]["start"].as_u64().unwrap(),
            c["span"]["end"].as_u64().unwrap(),
        );
        assert!(start < end, "empty span in {c}");
        let _ = doc;
    }
    assert!(ledger["same_commitment"].is_array() && ledger["follows_up"].is_array());
}

#[test]
fn extraction_quality_on_the_bundled_corpus_holds() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    assert!(accord(&db, &["ingest", corpus().to_str().unwrap()])
        .status
        .success());
    let gold = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/seeds.gold.json");
    let out = accord(&db, &["eval", "--gold", gold.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f1 = report["commitments"]["f1"].as_f64().unwrap();
    let precision = report["commitments"]["precision"].as_f64().unwrap();
    let recall = report["commitments"]["recall"].as_f64().unwrap();
    assert!(
        f1 >= 0.95 && precision >= 0.9 && recall >= 0.95,
        "commitments P={precision} R={recall} F1={f1}"
    );
    // Regression guards for alignment and links (the figures of this
    // version, rounded down).
    let same = report["same_commitment"]["f1"].as_f64().unwrap();
    let follows = report["follows_up"]["f1"].as_f64().unwrap();
    assert!(same >= 0.90, "same_commitment F1={same}");
    assert!(follows >= 0.85, "follows_up F1={follows}");
}

#[test]
fn reingesting_changes_nothing_and_a_changed_file_replaces_its_version() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let file = dir.path().join("statement.txt");
    std::fs::write(&file, "Joint Statement\n\nWe will build a trilateral bridge by 2030.\n\nWe commit to plant ten thousand trees.\n").unwrap();
    assert!(accord(&db, &["ingest", file.to_str().unwrap()])
        .status
        .success());
    let first = export(&db);
    let out = accord(&db, &["ingest", file.to_str().unwrap()]);
    assert!(stdout(&out).contains("1 unchanged"), "{}", stdout(&out));
    assert_eq!(export(&db)["commitments"], first["commitments"]);

    std::fs::write(
        &file,
        "Joint Statement\n\nWe will build a trilateral bridge by 2031.\n",
    )
    .unwrap();
    let out = accord(&db, &["ingest", file.to_str().unwrap()]);
    assert!(stdout(&out).contains("1 replaced"), "{}", stdout(&out));
    let ledger = export(&db);
    assert_eq!(ledger["documents"].as_array().unwrap().len(), 1);
    let texts: Vec<&str> = ledger["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, vec!["We will build a trilateral bridge by 2031."]);
}

#[test]
fn standard_input_and_flags_set_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let text = b"FACT SHEET: Deliverables\n\nThe leaders committed to:\n\n- Launching a trilateral forum on water in 2024.\n";
    let out = accord_with_stdin(
        &db,
        &[
            "ingest",
            "--issuer",
            "ca",
            "--summit",
            "G7 2024",
            "--date",
            "2024-06-14",
            "-",
        ],
        Some(text),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ledger = export(&db);
    let d = &ledger["documents"][0];
    assert_eq!(
        (
            d["issuer"].as_str(),
            d["summit"].as_str(),
            d["date"].as_str()
        ),
        (Some("CA"), Some("G7 2024"), Some("2024-06-14"))
    );
    assert_eq!(d["source_file"], "-");
    assert_eq!(
        ledger["commitments"][0]["text"],
        "Launching a trilateral forum on water in 2024."
    );
}

#[test]
fn a_folder_manifest_overrides_inferred_metadata_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let folder = dir.path().join("summit");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a.txt"), "We will meet again next year.\n").unwrap();
    std::fs::write(folder.join("b.txt"), "We commit to act on water.\n").unwrap();
    std::fs::write(
        folder.join("accord.yaml"),
        "defaults: {summit: NALS 2023, date: 2023-01-10}\nfiles:\n  a.txt: {issuer: MX}\n",
    )
    .unwrap();
    assert!(accord(
        &db,
        &[
            "ingest",
            "--issuer",
            "US",
            folder.join("b.txt").to_str().unwrap(),
            folder.join("a.txt").to_str().unwrap()
        ]
    )
    .status
    .success());
    let ledger = export(&db);
    for d in ledger["documents"].as_array().unwrap() {
        assert_eq!(d["summit"], "NALS 2023");
        assert_eq!(d["issuer"], "US", "the flag wins over the manifest");
    }
    let a = ledger["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["text"] == "We will meet again next year.")
        .unwrap();
    assert_eq!(
        a["deadline"], "2024",
        "next year is read against the manifest's date"
    );
}

#[test]
fn folders_are_walked_in_name_order_and_what_cannot_be_read_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("statements");
    for folder in ["sub", "z", ".git"] {
        std::fs::create_dir_all(root.join(folder)).unwrap();
    }
    for file in [
        "b.txt",
        "a.md",
        "README.md",
        ".hidden.txt",
        ".git/x.txt",
        "sub/c.txt",
        "z/d.txt",
    ] {
        std::fs::write(root.join(file), format!("We will act on {file}.\n")).unwrap();
    }
    std::fs::write(root.join("sub/accord.yaml"), "defaults: [unclosed\n").unwrap();
    let missing = dir.path().join("missing");
    let output = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["clean", "--format", "json"])
        .arg(&root)
        .arg(&missing)
        .output()
        .unwrap();
    assert!(!output.status.success(), "failures make the exit code");
    let cleaned: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let files: Vec<String> = cleaned["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = PathBuf::from(f["source_file"].as_str().unwrap());
            path.strip_prefix(&root).unwrap().display().to_string()
        })
        .collect();
    assert_eq!(files, ["a.md", "b.txt", "sub/c.txt", "z/d.txt"]);
    let errors = stderr(&output);
    let manifest = root.join("sub/accord.yaml").display().to_string();
    let line = errors
        .lines()
        .find(|l| l.contains(&manifest))
        .unwrap_or_else(|| panic!("{errors}"));
    assert_eq!(line.matches(&manifest).count(), 1, "named once: {line}");
    assert!(
        errors.contains(&format!("{}: no such file or folder", missing.display())),
        "{errors}"
    );
}

/// A ledger kept in the folder it is fed from is not read as a statement:
/// the second ingest of the folder finds its files unchanged, with no
/// error about the database or the files SQLite keeps beside it. Another
/// database there is still a file like any other, and refused as binary.
#[test]
fn the_ledger_in_the_folder_ingested_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("work");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a.txt"), "We will plant 300 trees by 2031.\n").unwrap();
    let db = folder.join("ledger.db");
    for _ in 0..2 {
        let out = accord(&db, &["ingest", folder.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stderr(&out), "");
    }
    let again = stdout(&accord(&db, &["ingest", folder.to_str().unwrap()]));
    assert!(
        again.contains("1 files: 0 added, 0 replaced, 1 unchanged"),
        "{again}"
    );
    // Named through another path to the same folder, it is left out too.
    let other_path = dir.path().join("work/../work/ledger.db");
    let out = accord(&other_path, &["ingest", folder.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Another ledger's database is not this one's.
    let other = dir.path().join("other.db");
    let out = accord(&other, &["ingest", folder.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("ledger.db: the file is binary"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn list_filters_show_stats_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    assert!(accord(&db, &["ingest", corpus().to_str().unwrap()])
        .status
        .success());

    let methane = stdout(&accord(&db, &["list", "--contains", "methane"]));
    assert!(methane.lines().count() >= 3, "{methane}");
    assert!(
        methane
            .lines()
            .all(|l| l.to_lowercase().contains("methane")),
        "{methane}"
    );

    let targets = stdout(&accord(&db, &["list", "--has-target", "--json"]));
    assert!(!targets.is_empty());
    for line in targets.lines() {
        let c: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(!c["targets"].as_array().unwrap().is_empty());
    }
    let out = accord(&db, &["list", "--theme", "nonsense"]);
    assert!(!out.status.success() && stderr(&out).contains("unknown theme"));

    let id = methane.split_whitespace().next().unwrap().to_string();
    let shown = stdout(&accord(&db, &["show", &id]));
    assert!(
        shown.contains(&format!("Commitment {id}")) && shown.contains("as written:"),
        "{shown}"
    );
    let out = accord(&db, &["show", "no-such-id"]);
    assert!(!out.status.success() && stderr(&out).contains("no-such-id"));

    let stats = stdout(&accord(&db, &["stats"]));
    assert!(stats.contains("Ledger: 5 documents"), "{stats}");

    let csv = stdout(&accord(&db, &["export", "--format", "csv"]));
    let rows = csv.lines().count();
    let n = export(&db)["commitments"].as_array().unwrap().len();
    assert!(csv.starts_with("id,document_id,source_file,summit,issuer,"));
    assert!(
        rows > n,
        "one header plus one row per commitment (rows may wrap): {rows} vs {n}"
    );
}

#[test]
fn one_initiative_has_one_name_across_documents_whatever_the_order() {
    // "North American Dialogue on Drugs (NADD)" (2021), "North American Drug
    // Dialogue (NADD)" (2023) and a plain "North American Drug Dialogue"
    // ingested first are one initiative.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let folder = dir.path().join("docs");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a.txt"), "The leaders will focus on actions such as the North American Drug Dialogue and nuclear safety.\n").unwrap();
    std::fs::write(
        folder.join("b.txt"),
        "We commit to continue the North American Dialogue on Drugs (NADD) with updated goals.\n",
    )
    .unwrap();
    std::fs::write(folder.join("c.txt"), "We will continue collaboration within the North American Drug Dialogue (NADD) next year.\n").unwrap();
    assert!(accord(&db, &["ingest", folder.to_str().unwrap()])
        .status
        .success());
    let ledger = export(&db);
    let names: Vec<String> = ledger["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| {
            c["initiatives"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_str().unwrap().to_string())
        })
        .filter(|n| n.contains("Drug"))
        .collect();
    assert_eq!(
        names,
        vec!["North American Dialogue on Drugs (NADD)"; 3],
        "{names:?}"
    );
}

#[test]
fn compare_shows_each_versions_own_commitments_and_lineage_flags_repeats() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    assert!(accord(&db, &["ingest", corpus().to_str().unwrap()])
        .status
        .success());

    let out = accord(&db, &["compare", "NALS 2023"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let only_us = text.split("Only in US").nth(1).expect("an only-in-US list");
    assert!(
        only_us.contains("Food Loss and Waste Reduction Action Plan"),
        "{text}"
    );
    let only_ca = text
        .split("Only in CA")
        .nth(1)
        .unwrap()
        .split("Only in")
        .next()
        .unwrap();
    assert!(only_ca.contains("social cost of greenhouse gas"), "{text}");
    assert!(only_ca.contains("child sex exploitation"), "{text}");
    assert!(
        text.contains("{+early+} 2023"),
        "word differences are marked: {text}"
    );
    assert!(!accord(&db, &["compare", "G7 1999"]).status.success());

    let out = accord(&db, &["lineage"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let repeated: Vec<&str> = text
        .split("\n  NALS")
        .filter(|block| block.contains("[REPEATED]"))
        .collect();
    assert!(
        repeated
            .iter()
            .any(|b| b.contains("Trafficking in Persons")),
        "the restarted working group is flagged: {text}"
    );
    let out = accord(
        &db,
        &[
            "lineage",
            "--initiative",
            "North American Animal and Pandemic Influenza Plan (NAPAPI)",
        ],
    );
    let text = stdout(&out);
    assert!(
        text.contains("NALS 2021") && text.contains("NALS 2023"),
        "{text}"
    );
}

/// The ledger's pairs, as exported.
fn pairs(db: &std::path::Path) -> (serde_json::Value, serde_json::Value) {
    let ledger = export(db);
    (
        ledger["same_commitment"].clone(),
        ledger["follows_up"].clone(),
    )
}

#[test]
fn pairs_do_not_depend_on_how_documents_were_batched() {
    // Matching after an ingest recomputes only the summit series the
    // ingest touched: one file at a time, in reverse order, with another
    // series in the ledger, gives the pairs of one ingest of everything.
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.txt");
    std::fs::write(
        &other,
        "The leaders will launch a trilateral working group on critical minerals by 2024.\n\
         We will expand the North American clean energy partnership with new targets.\n",
    )
    .unwrap();
    let other_flags = ["--summit", "G7 2022", "--issuer", "CA"];
    let whole = dir.path().join("whole.db");
    let bundled = corpus();
    let mut args = vec!["ingest", bundled.to_str().unwrap()];
    assert!(accord(&whole, &args).status.success());
    args = vec!["ingest", other.to_str().unwrap()];
    args.extend(other_flags);
    assert!(accord(&whole, &args).status.success());

    let stepwise = dir.path().join("stepwise.db");
    assert!(accord(&stepwise, &args).status.success());
    let mut files: Vec<_> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files.iter().rev() {
        let out = accord(&stepwise, &["ingest", file.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let (same, follows) = pairs(&whole);
    assert!(same.as_array().unwrap().len() > 50, "{same}");
    assert!(follows.as_array().unwrap().len() > 30, "{follows}");
    assert_eq!(pairs(&stepwise), (same, follows));
    // Matching everything again changes nothing.
    assert!(accord(&stepwise, &["match"]).status.success());
    assert_eq!(pairs(&stepwise), pairs(&whole));
}

#[test]
fn a_document_moved_to_another_summit_leaves_its_old_series_matched_again() {
    // A file replaced by a version of another summit takes its pairs with
    // it, and the pairs of the summit it left are those of a ledger that
    // never had it.
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("nals");
    std::fs::create_dir(&folder).unwrap();
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, folder.join(path.file_name().unwrap())).unwrap();
    }
    let moved = folder.join("002_5c7232f06782d67f.txt");
    let db = dir.path().join("a.db");
    assert!(accord(&db, &["ingest", folder.to_str().unwrap()])
        .status
        .success());
    let mut text = std::fs::read_to_string(&moved).unwrap();
    text.push_str("\nThe partners will meet again next year.\n");
    std::fs::write(&moved, &text).unwrap();
    let out = accord(
        &db,
        &["ingest", moved.to_str().unwrap(), "--summit", "G20 2021"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("replaced"), "{}", stdout(&out));

    let fresh = dir.path().join("fresh.db");
    let rest = dir.path().join("rest");
    std::fs::create_dir(&rest).unwrap();
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        if path != moved {
            std::fs::copy(&path, rest.join(path.file_name().unwrap())).unwrap();
        }
    }
    assert!(accord(&fresh, &["ingest", rest.to_str().unwrap()])
        .status
        .success());
    assert!(accord(
        &fresh,
        &["ingest", moved.to_str().unwrap(), "--summit", "G20 2021"]
    )
    .status
    .success());
    assert_eq!(pairs(&db), pairs(&fresh));
}
