//! Data-driven tests: every `test_data/extract/NAME.txt` is cleaned text
//! (a first line `% summit: …, date: …` may set the context) and
//! `NAME.expected` beside it lists what extraction finds, one commitment
//! per block. Refresh with `UPDATE_EXPECT=1 cargo test -p accord-extract`.

use accord_extract::{extract, Context};
use std::fmt::Write;
use std::path::Path;

fn render(text: &str, context: &Context) -> String {
    let extraction = extract(text, context);
    let mut out = String::new();
    for c in &extraction.commitments {
        writeln!(out, "* {}", c.text).unwrap();
        writeln!(
            out,
            "  strength={} confidence={:.2} theme={} actors={}",
            c.strength,
            c.confidence,
            c.theme,
            c.actors.join(",")
        )
        .unwrap();
        if let Some(section) = &c.section {
            writeln!(out, "  section={section}").unwrap();
        }
        if let Some(deadline) = &c.deadline {
            writeln!(out, "  deadline={deadline}").unwrap();
        }
        for t in &c.targets {
            writeln!(
                out,
                "  target: {} {} {} baseline={:?} year={:?} \"{}\"",
                t.direction, t.value, t.unit, t.baseline_year, t.target_year, t.phrase
            )
            .unwrap();
        }
        if !c.initiatives.is_empty() {
            writeln!(out, "  initiatives: {}", c.initiatives.join("; ")).unwrap();
        }
        // The span must cover the text it claims, in the input.
        assert!(
            c.start < c.end && c.end <= text.len(),
            "bad span for {}",
            c.text
        );
    }
    out
}

fn context_of(text: &str) -> (Context, &str) {
    let Some(rest) = text.strip_prefix("% ") else {
        return (Context::default(), text);
    };
    let (line, body) = rest.split_once('\n').unwrap_or((rest, ""));
    let mut context = Context::default();
    for field in line.split(',') {
        match field.split_once(':').map(|(k, v)| (k.trim(), v.trim())) {
            Some(("summit", v)) => context.summit = Some(v.to_string()),
            Some(("date", v)) => {
                context.date = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").ok()
            }
            _ => {}
        }
    }
    (context, body)
}

#[test]
fn extraction_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/extract");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for input in names {
        let text = std::fs::read_to_string(&input).unwrap();
        let (context, body) = context_of(&text);
        // Sources are noted on lines starting with "%%"; they are not text.
        let body: String = body
            .lines()
            .filter(|l| !l.starts_with("%%"))
            .map(|l| format!("{l}\n"))
            .collect();
        let actual = render(&body, &context);
        expect_test::expect_file![input.with_extension("expected")].assert_eq(&actual);
    }
}

#[test]
fn extraction_never_panics_on_messy_text() {
    let long_line = "We will ".repeat(20_000);
    let bullets = "- Launch a forum.\n".repeat(5_000);
    let inputs = [
        "",
        "\n\n\n",
        "•",
        "- ",
        "1.",
        "**",
        "****:**",
        "# ",
        "[a](",
        "\\",
        "U.S.",
        "We will.",
        "\u{0}\u{1}\u{2}",
        "é\u{301}\u{200b}",
        &long_line,
        &bullets,
        "(NADD) (NAPAPI) ( ) ()",
        "by 2030 by 2031 by 2099 in half $ % percent",
        "a) b) (c) 1) 2)",
    ];
    for input in inputs {
        let result = extract(input, &Context::default());
        for c in &result.commitments {
            assert!(c.start <= c.end && c.end <= input.len());
        }
    }
}

/// Lines of one thing repeated, on which a step once read the rest of the
/// line or the document again at each repetition (minutes for a few
/// hundred kilobytes): every one is read in about the time of its size.
#[test]
fn repeated_shapes_are_read_in_linear_time() {
    let acronym = |i: usize| {
        let letter = |k: usize| char::from(b'A' + (k % 26) as u8);
        format!("{}{}{}Q", letter(i), letter(i / 26), letter(i / 676))
    };
    let inputs: [(&str, String); 5] = [
        (
            "a sentence of 50,000 targets",
            format!("We will cut emissions by {}by 2030.", "50% ".repeat(50_000)),
        ),
        (
            "300,000 brackets without a link",
            format!("We will act {}by 2030.", "[a".repeat(300_000)),
        ),
        (
            "300,000 links without a closing parenthesis",
            format!("We will act {}by 2030.", "[a](".repeat(300_000)),
        ),
        (
            "300,000 tags without an end",
            format!("We will act {} by 2030.", "<a".repeat(300_000)),
        ),
        (
            "10,000 acronyms defined",
            (0..10_000)
                .map(|i| {
                    format!(
                        "We will launch the Alpha Beta {i} Task Force ({}) by 2030.\n\n",
                        acronym(i)
                    )
                })
                .collect(),
        ),
    ];
    for (shape, input) in inputs {
        let started = std::time::Instant::now();
        let result = extract(&input, &Context::default());
        assert!(!result.commitments.is_empty(), "{shape}");
        assert!(
            started.elapsed().as_secs() < 10,
            "{shape}: {:?}",
            started.elapsed()
        );
    }
}
