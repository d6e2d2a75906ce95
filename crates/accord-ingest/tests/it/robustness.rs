//! Property tests: whatever bytes come in, preparing and extracting never
//! panics, never hangs, and every span points inside the original text.

use accord_ingest::{prepare, Options, Overrides};
use proptest::prelude::*;

/// Pieces that statements and web pages are made of, to build inputs that
/// reach deep into the cleaning and extraction rules.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("We will launch a trilateral fund by 2030. ".to_string()),
        Just("• Reducing methane by at least 15% from 2020 levels by 2030.\n".to_string()),
        Just("- **Bold lead-in:** text with a [link](http://x.y) and \\# escapes\n".to_string()),
        Just("1. Numbered item. Second sentence. Third one.\n".to_string()),
        Just("# Heading\n\n".to_string()),
        Just("North American Drug Dialogue (NADD) ".to_string()),
        Just("<div class=\"cookie-banner\"><p>We use cookies</p></div>".to_string()),
        Just("<ul><li>Item <b>bold</b></li><li>".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("</div></p></li></ul>".to_string()),
        Just("\n\n".to_string()),
        Just("U.S. Dr. No. 5 2.5 Jan. 5 Joseph R. Biden ".to_string()),
        "[\\PC\\n]{0,40}",
        "[•\\-*+0-9. \\n:()]{0,20}",
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..30).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn text_and_markdown_never_break(text in document(), markdown in any::<bool>()) {
        let name = if markdown { "a.md" } else { "a.txt" };
        check(name, text.as_bytes());
    }

    #[test]
    fn html_never_breaks(text in document()) {
        check("a.html", format!("<html><body>{text}</body></html>").as_bytes());
    }

    #[test]
    fn arbitrary_bytes_never_break(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check("a.txt", &bytes);
    }
}

fn check(name: &str, bytes: &[u8]) {
    let Ok(prepared) = prepare(name, bytes, &Overrides::default(), &Options::default()) else {
        return;
    };
    let extraction =
        accord_extract::extract(&prepared.cleaned.text, &accord_extract::Context::default());
    let meta = &prepared.meta;
    for value in [
        &meta.title,
        &meta.date,
        &meta.issuer,
        &meta.summit,
        &meta.language,
    ]
    .into_iter()
    .flatten()
    {
        assert!(
            !value.contains(char::is_control),
            "control character in {value:?}"
        );
    }
    for c in &extraction.commitments {
        assert!(
            !c.text.contains(char::is_control),
            "control character in {:?}",
            c.text
        );
        assert!(
            c.start < c.end && c.end <= prepared.cleaned.text.len(),
            "span outside the cleaned text"
        );
        let span = prepared.cleaned.span(c.start, c.end);
        assert!(
            span.start <= span.end && span.end <= prepared.original.len(),
            "span outside the original"
        );
    }
}

/// A terminal's escapes in a page's title, a heading or a statement reach
/// neither the metadata nor the commitments (they would run when printed).
#[test]
fn terminal_escapes_reach_no_title_and_no_commitment() {
    let statement = "<p>We will build 100 schools by 2030 across the region.</p>".repeat(5);
    let page = format!(
        "<html><head><title>Joint\u{1b}]0;pwned\u{7} Statement</title></head><body><main>\
         <h1>Joint\u{1b}[2J Statement</h1>{statement}<p>We will act\u{1b}[31m now on clinics by 2028.</p></main></body></html>"
    );
    let prepared = prepare(
        "a.html",
        page.as_bytes(),
        &Overrides::default(),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(
        prepared.meta.title.as_deref(),
        Some("Joint ]0;pwned Statement")
    );
    check("a.html", page.as_bytes());
    let text = format!(
        "Joint\u{1b}[2J Statement on schools\n\n{}\n",
        "We will build 100 schools by 2030 across the region. ".repeat(5)
    );
    let prepared = prepare(
        "b.txt",
        text.as_bytes(),
        &Overrides::default(),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(
        prepared.meta.title.as_deref(),
        Some("Joint [2J Statement on schools")
    );
    check("b.txt", text.as_bytes());
}

/// Metadata made of one thing repeated, on which reading the sentence of
/// each summit mention read the whole title again (72 s for a 250 KB
/// front matter summit, 32 s for a page whose title names a summit 20,000
/// times): each is read in about the time of its size, and what is kept
/// of a title or a declared summit is of a title's or a name's length (a
/// source address of 200 KB is none).
#[test]
fn repeated_summit_names_in_metadata_are_read_in_linear_time() {
    let body = "We will build 100 schools by 2030 across the region.\n";
    let inputs: [(&str, String); 3] = [
        (
            "summit.md",
            format!(
                "---\ntitle: x\nsummit: {}\n---\n\n{body}",
                "NALS ".repeat(50_000)
            ),
        ),
        (
            "title.md",
            format!(
                "---\ntitle: {}\nurl: https://example.org/{}\n---\n\n{body}",
                "G7 Summit ".repeat(30_000),
                "a/".repeat(100_000)
            ),
        ),
        (
            "title.html",
            format!(
                "<html><head><title>{}</title></head><body><p>{body}</p></body></html>",
                "Summit NALS ".repeat(20_000)
            ),
        ),
    ];
    for (name, input) in inputs {
        let started = std::time::Instant::now();
        let prepared = prepare(
            name,
            input.as_bytes(),
            &Overrides::default(),
            &Options::default(),
        )
        .unwrap();
        assert!(
            started.elapsed().as_secs() < 10,
            "{name}: {:?}",
            started.elapsed()
        );
        let meta = &prepared.meta;
        let chars = |v: &Option<String>| v.as_deref().map_or(0, |v| v.chars().count());
        assert!(
            chars(&meta.title) <= accord_ingest::meta::MAX_TITLE_CHARS + 1,
            "{name}: {:?}",
            meta.title
        );
        assert!(
            chars(&meta.summit) <= accord_ingest::meta::MAX_SUMMIT_CHARS + 1,
            "{name}: {:?}",
            meta.summit
        );
        assert!(meta.title.as_deref().is_some_and(|t| t.ends_with('…')) || name == "summit.md");
        assert_eq!(meta.source_url, None, "{name}: no address is that long");
    }
}
