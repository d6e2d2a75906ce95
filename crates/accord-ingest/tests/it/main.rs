//! Data-driven tests of the whole ingest stage: every file under
//! `test_data/clean/` is prepared as ingest would, and `NAME.expected`
//! beside it holds the cleaned text and the metadata. Refresh with
//! `UPDATE_EXPECT=1 cargo test -p accord-ingest --test it`.

mod robustness;

use accord_ingest::{prepare, Options, Overrides};
use std::path::Path;

#[test]
fn cleaning_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/clean");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e != "expected"))
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty());
    for input in inputs {
        let name = input.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&input).unwrap();
        let prepared = prepare(&name, &bytes, &Overrides::default(), &Options::default()).unwrap();
        // Every kept line maps back to the same words in the original.
        let mut offset = 0;
        for line in prepared.cleaned.text.split_inclusive('\n') {
            let word = line
                .trim()
                .trim_start_matches(['#', '-', ' '])
                .split_whitespace()
                .next();
            if let Some(word) = word.filter(|w| w.chars().all(|c| c.is_alphanumeric())) {
                let at = offset + line.find(word).unwrap();
                let original = prepared.cleaned.to_original(at);
                assert!(
                    prepared.original[original..].starts_with(word),
                    "{name}: {word:?} maps to {:?}",
                    &prepared.original[original..original + 20]
                );
            }
            offset += line.len();
        }
        let m = &prepared.meta;
        let actual = format!(
            "format: {}\ntitle: {:?}\ndate: {:?}\nissuer: {:?}\nsummit: {:?}\nlanguage: {:?}\nkind: {:?}\n---\n{}",
            prepared.format.as_str(),
            m.title,
            m.date,
            m.issuer,
            m.summit,
            m.language,
            m.kind,
            prepared.cleaned.text
        );
        expect_test::expect_file![dir.join(format!("{name}.expected"))].assert_eq(&actual);
    }
}

#[test]
fn repeated_bytes_hash_the_same_and_other_bytes_differ() {
    assert_eq!(
        accord_ingest::content_hash(b"abc"),
        accord_ingest::content_hash(b"abc")
    );
    assert_ne!(
        accord_ingest::content_hash(b"abc"),
        accord_ingest::content_hash(b"abd")
    );
}
