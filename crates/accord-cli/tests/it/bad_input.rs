//! Bad input gets a one-line error naming the file and the cause, a
//! non-zero exit, and loses nothing already stored; the batch goes on.

use crate::{accord, corpus, export, stderr, stdout};
use std::path::Path;

fn ingest_ok(db: &Path) -> usize {
    assert!(accord(db, &["ingest", corpus().to_str().unwrap()])
        .status
        .success());
    export(db)["commitments"].as_array().unwrap().len()
}

#[test]
fn each_bad_file_is_named_with_its_cause_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let n_before = ingest_ok(&db);
    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    std::fs::write(bad.join("empty.txt"), b"").unwrap();
    std::fs::write(bad.join("blank.txt"), b"  \n\n\t\n").unwrap();
    std::fs::write(
        bad.join("binary.txt"),
        [0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    )
    .unwrap();
    std::fs::write(
        bad.join("broken.html.gz"),
        b"\x1f\x8b\x08\x00not really gzip",
    )
    .unwrap();
    let huge = std::fs::File::create(bad.join("huge.txt")).unwrap();
    huge.set_len(200 * 1024 * 1024).unwrap();
    std::fs::write(
        bad.join("scripts.html"),
        "<html><body><script>var a = 1;</script><script>alert(1)</script></body></html>",
    )
    .unwrap();
    // Elements nested 100,000 deep: the parser would take a minute.
    std::fs::write(
        bad.join("deep.html"),
        format!("{}<p>We will act by 2030.</p>", "<div>".repeat(100_000)),
    )
    .unwrap();
    // 80 MB of text compressed to about 80 KB: its size is known only by
    // decompressing it.
    let mut bomb = flate2::write::GzEncoder::new(
        std::fs::File::create(bad.join("bomb.md.gz")).unwrap(),
        flate2::Compression::best(),
    );
    for _ in 0..80 {
        std::io::Write::write_all(&mut bomb, &[b'a'; 1 << 20]).unwrap();
    }
    bomb.finish().unwrap();
    // Good files in the same batch: Windows-1252 and UTF-16 with a BOM.
    std::fs::write(
        bad.join("cp1252.txt"),
        b"We will protect caf\xe9 workers\x92 rights by 2030.\n",
    )
    .unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "We commit to open a trilateral office in 2025.\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    std::fs::write(bad.join("utf16.txt"), utf16).unwrap();

    let missing = dir.path().join("missing.txt");
    // A device named on the command line is read as a stream: this one
    // has no end, and its size is zero.
    let out = accord(
        &db,
        &[
            "ingest",
            bad.to_str().unwrap(),
            missing.to_str().unwrap(),
            "/dev/zero",
        ],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    let expect = [
        ("empty.txt", "empty"),
        ("blank.txt", "empty"),
        ("binary.txt", "binary"),
        ("broken.html.gz", "gzip"),
        ("huge.txt", "is 209715200 bytes, over the limit of 67108864"),
        (
            "bomb.md.gz",
            "decompressed, the file holds more than 67108864 bytes",
        ),
        (
            "/dev/zero",
            "the stream (not a regular file) holds more than 67108864 bytes",
        ),
        ("scripts.html", "no readable text"),
        ("deep.html", "nest more than 512 deep"),
        ("missing.txt", "no such file"),
    ];
    for (file, cause) in expect {
        let line = err
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("no error line for {file} in:\n{err}"));
        assert!(
            line.starts_with("error: ") && line.contains(cause),
            "{file}: {line}"
        );
    }
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error: ")).count(),
        expect.len(),
        "{err}"
    );
    assert!(stdout(&out).contains("2 added"), "{}", stdout(&out));

    let ledger = export(&db);
    let texts: Vec<&str> = ledger["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert!(
        texts.contains(&"We will protect café workers’ rights by 2030."),
        "{texts:?}"
    );
    assert!(
        texts.contains(&"We commit to open a trilateral office in 2025."),
        "{texts:?}"
    );
    assert_eq!(texts.len(), n_before + 2, "nothing stored before is lost");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("not.db");
    std::fs::write(
        &db,
        "this is a text file, not SQLite, and it is long enough to have a header",
    )
    .unwrap();
    let out = accord(&db, &["ingest", corpus().to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("not.db") && err.contains("not an Accord database"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        std::fs::read_to_string(&db)
            .unwrap()
            .starts_with("this is a text file"),
        "the file is left as it was"
    );
}

/// A file's name is printed with its control characters escaped: a line
/// feed in it does not forge a line of the report, a terminal's escape is
/// not run.
#[test]
fn names_with_control_characters_are_printed_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(
        folder.join("evil\nerror: forged.md: injected"),
        "We will build 100 schools by 2030.\n",
    )
    .unwrap();
    std::fs::write(folder.join("\u{1b}]0;title\u{7}empty.md"), "").unwrap();
    let out = accord(&db, &["ingest", folder.to_str().unwrap()]);
    let (printed, errors) = (stdout(&out), stderr(&out));
    assert!(
        printed.contains("added     evil\\nerror: forged.md: injected  ["),
        "{printed}"
    );
    assert!(
        !printed.lines().any(|l| l.starts_with("error")),
        "{printed}"
    );
    let line = errors
        .lines()
        .find(|l| l.contains("empty.md"))
        .unwrap_or_else(|| panic!("{errors}"));
    assert!(
        line.starts_with("error: ")
            && line.contains("\\u{1b}]0;title\\u{7}empty.md: the file is empty"),
        "{line}"
    );
    assert!(!printed.contains('\u{1b}') && !errors.contains('\u{1b}'));
    // The reports that print the stored name escape it the same way.
    std::fs::remove_file(folder.join("\u{1b}]0;title\u{7}empty.md")).unwrap();
    std::fs::write(
        folder.join("\u{1b}[2Jwipe.md"),
        "We will plant 300 trees by 2031.\n",
    )
    .unwrap();
    assert!(accord(&db, &["ingest", folder.to_str().unwrap()])
        .status
        .success());
    let ledger = export(&db);
    let document = ledger["documents"].as_array().unwrap()[0]["id"].clone();
    let commitment = ledger["commitments"].as_array().unwrap()[0]["id"].clone();
    for args in [
        vec!["show", document.as_str().unwrap()],
        vec!["show", commitment.as_str().unwrap()],
        vec!["stats"],
    ] {
        let out = accord(&db, &args);
        let printed = stdout(&out);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(
            printed.contains("evil\\nerror: forged.md") || printed.contains("\\u{1b}[2Jwipe.md"),
            "{args:?}: {printed}"
        );
        assert!(
            !printed.contains('\u{1b}') && !printed.lines().any(|l| l.starts_with("error")),
            "{args:?}: {printed}"
        );
    }
}

/// Statements that start like spreadsheet formulas are exported as text:
/// opened in a spreadsheet, the ledger's CSV runs nothing. The JSON keeps
/// them as written.
#[test]
fn formulas_in_statements_are_exported_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let file = dir.path().join("=statement.md");
    std::fs::write(
        &file,
        "# Joint Statement\n\n=HYPERLINK(\"https://example.org\",\"x\") We will build 100 schools by 2030.\n\n\
         - @SUM(1+1) The leaders will fund clinics by 2028.\n\n+cmd We commit to plant trees.\n",
    )
    .unwrap();
    assert!(accord(&db, &["ingest", file.to_str().unwrap()])
        .status
        .success());
    let out = accord(&db, &["export", "--format", "csv"]);
    assert!(out.status.success());
    let csv = stdout(&out);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let texts: Vec<&str> = rows.iter().map(|r| &r[7]).collect();
    assert_eq!(
        texts,
        [
            "'=HYPERLINK(\"https://example.org\",\"x\") We will build 100 schools by 2030.",
            "'@SUM(1+1) The leaders will fund clinics by 2028.",
            "'+cmd We commit to plant trees.",
        ]
    );
    assert!(rows.iter().all(|r| &r[2] == "'=statement.md"), "{csv}");
    let cells = rows.iter().flat_map(|r| r.iter());
    assert!(
        cells.clone().all(|c| !c.starts_with(['=', '+', '-', '@'])),
        "{csv}"
    );
    let ledger = export(&db);
    assert!(ledger["commitments"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("=HYPERLINK"));
}

#[test]
fn hostile_html_keeps_no_script() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        "<html><head><title>Joint Statement</title><script>steal()</script></head><body><nav><a href=/>Home</a></nav>\
         <main><h1>Joint Statement</h1><p>We will <script>document.write('x')</script>launch a trilateral task force on wildfires in 2025.</p>\
         <p><a href=\"javascript:alert(1)\">Click</a></p></main></body></html>",
    )
    .unwrap();
    let out = accord(&db, &["ingest", page.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ledger = export(&db);
    let all = ledger.to_string();
    let texts: Vec<&str> = ledger["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        vec!["We will launch a trilateral task force on wildfires in 2025."]
    );
    assert!(
        !texts
            .iter()
            .any(|t| t.contains("document.write") || t.contains("steal")),
        "{all}"
    );
}

#[test]
fn override_flags_that_cannot_be_right_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    for (flag, value) in [
        ("--date", "soon"),
        ("--issuer", "Canada!"),
        ("--kind", "poem"),
    ] {
        let out = accord(&db, &["ingest", flag, value, corpus().to_str().unwrap()]);
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(
            err.starts_with("error: ") && err.contains(flag) && err.contains(value),
            "{err}"
        );
    }
    assert!(!db.exists() || export(&db)["documents"].as_array().unwrap().is_empty());
}

/// What other commands are given badly is named with its cause, once:
/// a gold file that is endless, not text or not JSON, a summit left empty.
#[test]
fn other_commands_name_bad_arguments_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let binary = dir.path().join("gold.bin");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x81]).unwrap();
    let not_json = dir.path().join("gold.txt");
    std::fs::write(&not_json, "commitments: none\n").unwrap();
    let cases: [(Vec<&str>, String); 4] = [
        (
            vec!["eval", "--gold", "/dev/zero"],
            "/dev/zero: more than 67108864 bytes, not a gold file".into(),
        ),
        (
            vec!["eval", "--gold", binary.to_str().unwrap()],
            format!("{}: not UTF-8 text", binary.display()),
        ),
        (
            vec!["eval", "--gold", not_json.to_str().unwrap()],
            format!(
                "cannot score against {}: gold file is malformed: expected value at line 1 column 1\n",
                not_json.display()
            ),
        ),
        (
            vec!["compare", ""],
            "say which summit to compare: accord compare \"NALS 2023\"".into(),
        ),
    ];
    for (args, message) in cases {
        let out = accord(&db, &args);
        assert!(!out.status.success(), "{args:?}");
        let errors = stderr(&out);
        assert!(errors.contains(&message), "{args:?}: {errors}");
        assert!(!errors.contains("?summit="), "{errors}");
    }
}
