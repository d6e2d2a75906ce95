//! Value types shared by every stage of the Accord pipeline.
//!
//! Nothing here does IO. A [`Document`] is what ingest produces from one
//! file; a [`Commitment`] is what extraction finds in it.
#![deny(missing_docs)]

use serde::{Deserialize, Serialize};
use std::fmt;

mod taxonomy;
pub use taxonomy::{Strength, Theme};

/// Number of white-space-separated words: `text.split_whitespace().count()`,
/// faster. Cleaning and extraction count words of every line and sentence.
pub fn word_count(text: &str) -> usize {
    // Runs of ASCII are counted a chunk at a time, the characters between
    // them one at a time.
    let bytes = text.as_bytes();
    let (mut n, mut after_space, mut i) = (0, true, 0);
    while i < bytes.len() {
        let end = first_non_ascii(&bytes[i..]).map_or(bytes.len(), |p| i + p);
        if end > i {
            n += ascii_word_starts(&bytes[i..end], after_space);
            after_space = is_ascii_space(bytes[end - 1]);
        }
        let Some(c) = text[end..].chars().next() else {
            break;
        };
        let space = c.is_whitespace();
        n += usize::from(after_space && !space);
        after_space = space;
        i = end + c.len_utf8();
    }
    n
}

/// Whether `text` has at least `n` white-space-separated words:
/// `word_count(text) >= n`, reading no further than the piece of 64 bytes
/// that holds the `n`-th word's first character (a sentence's first
/// words, where [`word_count`] reads it all). Runs of ASCII are counted a
/// piece at a time as [`word_count`] counts them, the characters between
/// them one at a time.
pub fn has_words(text: &str, n: usize) -> bool {
    if n == 0 {
        return true;
    }
    let bytes = text.as_bytes();
    let (mut count, mut after_space, mut i) = (0, true, 0);
    while i < bytes.len() {
        let piece = &bytes[i..bytes.len().min(i + 64)];
        let ascii = first_non_ascii(piece).unwrap_or(piece.len());
        if ascii > 0 {
            count += ascii_word_starts(&piece[..ascii], after_space);
            after_space = is_ascii_space(piece[ascii - 1]);
            i += ascii;
        }
        if ascii < piece.len() {
            let c = text[i..].chars().next().expect("a character boundary");
            let space = c.is_whitespace();
            count += usize::from(after_space && !space);
            after_space = space;
            i += c.len_utf8();
        }
        if count >= n {
            return true;
        }
    }
    false
}

/// Where the first byte beyond ASCII of `bytes` is:
/// `bytes.iter().position(|b| !b.is_ascii())`, faster. Runs of ASCII are
/// stepped over several bytes at a time.
pub fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut start = 0;
    for chunk in bytes.chunks(32) {
        if !chunk.is_ascii() {
            return chunk.iter().position(|b| !b.is_ascii()).map(|i| start + i);
        }
        start += chunk.len();
    }
    None
}

/// Where the first character of `text` beyond ASCII that is not one of
/// `marks` starts: the first of [`chars_beyond_ascii`] not among them.
pub fn first_non_ascii_beyond(text: &str, marks: &[char]) -> Option<usize> {
    chars_beyond_ascii(text)
        .find(|(_, c)| !marks.contains(c))
        .map(|(at, _)| at)
}

/// The characters of `text` beyond ASCII, with where each starts:
/// `text.char_indices().filter(|(_, c)| !c.is_ascii())`, faster. Runs of
/// ASCII are stepped over as by [`first_non_ascii`]; only the characters
/// beyond ASCII are decoded.
pub fn chars_beyond_ascii(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        let at = start + first_non_ascii(&text.as_bytes()[start..])?;
        let c = text[at..].chars().next().expect("a character starts here");
        start = at + c.len_utf8();
        Some((at, c))
    })
}

/// The lines of `text`, each with its line feed if it has one:
/// `text.split_inclusive('\n')`, faster (line feeds are looked for with
/// `memchr`). Cleaning and segmentation read every line of every document.
pub fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        let (line, after) = rest.split_at(end);
        rest = after;
        Some(line)
    })
}

/// The characters a spreadsheet reads, at the start of a CSV cell, as the
/// start of a formula (`=1+1`, `@SUM(…)`, `+cmd|…`), and a tab or carriage
/// return that may hide one.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as a CSV cell for a spreadsheet: text that a spreadsheet would
/// run as a formula gets a leading apostrophe, which makes it plain text
/// (so does text whose apostrophes come before such a start, so that
/// [`spreadsheet_cell`] reads every text back as written). Ingested
/// statements and what users write are untrusted: a statement
/// "=HYPERLINK(…)" must not become a link, or worse, on an analyst's
/// machine.
pub fn spreadsheet_text(text: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(text) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// A cell written by [`spreadsheet_text`], read back: the apostrophe it
/// put before a formula taken off.
pub fn spreadsheet_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if looks_like_formula(cell) => rest,
        _ => cell,
    }
}

/// Whether `text`, its leading apostrophes aside, starts as a formula.
fn looks_like_formula(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// The paragraphs of `text`: `text.split("\n\n")`, faster (the blank
/// lines are looked for with `memchr`'s substring search). Reading the
/// date and title of a document splits its whole text so.
pub fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    let mut breaks = memchr::memmem::find_iter(text.as_bytes(), b"\n\n");
    let mut from = Some(0);
    std::iter::from_fn(move || {
        let start = from?;
        match breaks.next() {
            // Each search starts after the break before, as `split`'s does.
            Some(at) => {
                from = Some(at + 2);
                Some(&text[start..at])
            }
            None => {
                from = None;
                Some(&text[start..])
            }
        }
    })
}

/// The ASCII characters `char::is_whitespace` holds.
fn is_ascii_space(b: u8) -> bool {
    b == b' ' || (b'\t'..=b'\r').contains(&b)
}

/// Words that start in a run of ASCII bytes: at a non-space byte that
/// opens the run after a space (`after_space`) or follows a space in it.
fn ascii_word_starts(run: &[u8], after_space: bool) -> usize {
    let Some(&first) = run.first() else {
        return 0;
    };
    let mut n = usize::from(after_space && !is_ascii_space(first));
    // Without branches, and in chunks whose count fits a byte: the loop
    // runs on vector registers.
    for (this, next) in run.chunks(255).zip(run[1..].chunks(255)) {
        let starts = this
            .iter()
            .zip(next)
            .map(|(&a, &b)| u8::from(is_ascii_space(a) & !is_ascii_space(b)))
            .fold(0u8, u8::wrapping_add);
        n += usize::from(starts);
    }
    n
}

/// A half-open byte range `[start, end)` into a document's original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// The kind of input a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text.
    Text,
    /// Markdown, possibly with YAML front matter.
    Markdown,
    /// An HTML page.
    Html,
}

impl Format {
    /// The lowercase name used in the store and in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }

    /// Parses [`Format::as_str`] back.
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "text" => Some(Format::Text),
            "markdown" => Some(Format::Markdown),
            "html" => Some(Format::Html),
            _ => None,
        }
    }
}

/// The kind of statement a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// A joint statement or declaration in prose.
    JointStatement,
    /// A fact sheet of deliverables, usually bullets.
    FactSheet,
    /// A roadmap or action plan.
    Roadmap,
    /// A readout, press release or anything else.
    Other,
}

impl DocKind {
    /// The snake_case name used in the store and in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::JointStatement => "joint_statement",
            DocKind::FactSheet => "fact_sheet",
            DocKind::Roadmap => "roadmap",
            DocKind::Other => "other",
        }
    }

    /// Parses [`DocKind::as_str`] back (also accepts spaces for underscores).
    pub fn parse(name: &str) -> Option<DocKind> {
        match name
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_")
            .as_str()
        {
            "joint_statement" | "statement" | "declaration" => Some(DocKind::JointStatement),
            "fact_sheet" | "factsheet" => Some(DocKind::FactSheet),
            "roadmap" | "action_plan" => Some(DocKind::Roadmap),
            "other" => Some(DocKind::Other),
            _ => None,
        }
    }
}

impl fmt::Display for DocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is known about a document besides its text. Every field may be
/// unknown; ingest fills what it can infer and what the user overrides.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Metadata {
    /// The document's title.
    pub title: Option<String>,
    /// Publication date, ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Issuing government as an ISO 3166 alpha-2 code (`US`, `CA`, `MX`), or
    /// a body such as `EU`.
    pub issuer: Option<String>,
    /// Canonical summit name with edition year, e.g. `NALS 2023`.
    pub summit: Option<String>,
    /// ISO 639-1 language code.
    pub language: Option<String>,
    /// The kind of document.
    pub kind: Option<DocKind>,
    /// Where the page was published, when known.
    pub source_url: Option<String>,
}

/// One ingested document: its original text, the cleaned text that later
/// stages read, and its metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: derived from the content hash.
    pub id: String,
    /// File name the document was ingested from (`-` for stdin).
    pub source_file: String,
    /// Full path as given on the command line.
    pub source_path: String,
    /// Hex content hash of the raw bytes.
    pub content_hash: String,
    /// Input format.
    pub format: Format,
    /// Metadata, inferred and overridden.
    pub meta: Metadata,
    /// The decoded original text; spans point into it.
    pub original: String,
    /// The cleaned text, one block per line group (see `accord-ingest`).
    pub text: String,
}

/// An actor of a commitment: a member code (`US`, `CA`, `MX`, …).
pub type Actor = String;

/// A quantified target inside a commitment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// Numeric value (e.g. 15 for "15%", 686000000 for "$686 million").
    pub value: f64,
    /// Unit: `percent`, `USD`, `CAD`, `tonnes`, … or the counted noun.
    pub unit: String,
    /// `reduce`, `increase`, `reach` or `other`.
    pub direction: String,
    /// Baseline year ("from 2020 levels").
    pub baseline_year: Option<i32>,
    /// Target year ("by 2030").
    pub target_year: Option<i32>,
    /// The words the target was read from.
    pub phrase: String,
}

/// A commitment found in a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Commitment {
    /// Stable id: document id plus ordinal.
    pub id: String,
    /// The document it comes from.
    pub document_id: String,
    /// Position among the document's commitments.
    pub ordinal: u32,
    /// The commitment's words as they stand in the cleaned text.
    pub text: String,
    /// Where it stands in the original text.
    pub span: Span,
    /// Heading of the section it sits under.
    pub section: Option<String>,
    /// Who commits: member codes; empty when unknown.
    pub actors: Vec<Actor>,
    /// How firm the commitment is.
    pub strength: Strength,
    /// What it is about.
    pub theme: Theme,
    /// Quantified targets.
    pub targets: Vec<Target>,
    /// Date by which it is due, ISO (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub deadline: Option<String>,
    /// Named programmes, bodies and agreements it mentions.
    pub initiatives: Vec<String>,
    /// How sure the extractor is that this is a commitment, in [0, 1].
    pub confidence: f64,
}

#[cfg(test)]
mod tests {
    #[test]
    fn spreadsheet_text_makes_formulas_plain_and_reads_back() {
        for text in [
            "=1+1",
            "+cmd|' /C calc'!A0",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\r=x",
        ] {
            let cell = super::spreadsheet_text(text);
            assert_eq!(cell, format!("'{text}"));
            assert_eq!(super::spreadsheet_cell(&cell), text);
        }
        for text in ["We will act.", "'quoted'", "", "2030", "'", "a=b"] {
            assert_eq!(super::spreadsheet_text(text), text);
            assert_eq!(super::spreadsheet_cell(text), text);
        }
        // Apostrophes before a formula's start: marked too, read back as
        // written.
        for text in ["'=x'", "''-1"] {
            let cell = super::spreadsheet_text(text);
            assert_eq!(cell, format!("'{text}"));
            assert_eq!(super::spreadsheet_cell(&cell), text);
        }
    }

    use super::{
        chars_beyond_ascii, first_non_ascii, first_non_ascii_beyond, has_words, lines_inclusive,
        paragraphs, word_count,
    };
    use proptest::prelude::*;

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        let texts = [
            "",
            " ",
            "a",
            " a  b\tc\n",
            "\u{b}\u{c}x\r\ny",
            "word\u{a0}word",
            "“Quoted” — dash\u{2003}em space\u{3000}ideographic",
            "déjà vu\u{85}next\u{2028}line",
            "\u{a0}\u{a0}",
            "é",
        ];
        for text in texts {
            assert_eq!(
                word_count(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
        // Runs longer than a chunk of the ASCII count.
        let long = "ab ".repeat(300) + "é " + &"c".repeat(600) + " d";
        assert_eq!(word_count(&long), long.split_whitespace().count());
    }

    proptest! {
        #[test]
        fn lines_are_split_as_split_inclusive_splits_them(
            text in "([a-z]{1,3}|\n|\r|\n\n| |é|“){0,60}"
        ) {
            let lines: Vec<&str> = lines_inclusive(&text).collect();
            let expected: Vec<&str> = text.split_inclusive('\n').collect();
            prop_assert_eq!(lines, expected);
        }

        #[test]
        fn paragraphs_are_split_as_split_splits_them(
            text in "([a-z]{1,3}|\n|\r|\n\n|\n\n\n| |é|“){0,60}"
        ) {
            let got: Vec<&str> = paragraphs(&text).collect();
            let expected: Vec<&str> = text.split("\n\n").collect();
            prop_assert_eq!(got, expected);
        }

        #[test]
        fn words_are_told_as_split_whitespace_counts_them(
            text in "([a-z]{1,3}|[ \t\n\u{b}\u{c}\r]|\u{a0}|\u{2003}|\u{3000}|\u{85}|é|“|—){0,160}",
            n in 0usize..60,
        ) {
            prop_assert_eq!(has_words(&text, n), text.split_whitespace().count() >= n);
        }

        #[test]
        fn any_text_counts_as_split_whitespace_counts_it(
            text in "([a-z]{1,3}|[ \t\n\u{b}\u{c}\r]|\u{a0}|\u{2003}|\u{3000}|\u{85}|é|“|—){0,400}"
        ) {
            prop_assert_eq!(word_count(&text), text.split_whitespace().count());
        }

        #[test]
        fn the_first_character_beyond_ascii_and_the_marks_is_where_a_scan_finds_it(
            text in "([a-z ]{0,40}|é|“|—){0,40}"
        ) {
            let marks = ['“', '—'];
            let scanned = text
                .char_indices()
                .find(|(_, c)| !c.is_ascii() && !marks.contains(c))
                .map(|(i, _)| i);
            prop_assert_eq!(first_non_ascii_beyond(&text, &marks), scanned);
        }

        #[test]
        fn the_characters_beyond_ascii_are_those_a_scan_finds(
            text in "([a-z ]{0,40}|é|“|—|𝔸){0,40}"
        ) {
            let scanned: Vec<(usize, char)> =
                text.char_indices().filter(|(_, c)| !c.is_ascii()).collect();
            prop_assert_eq!(chars_beyond_ascii(&text).collect::<Vec<_>>(), scanned);
        }

        #[test]
        fn the_first_byte_beyond_ascii_is_where_a_scan_finds_it(
            text in "([a-z ]{0,40}|é|“){0,40}"
        ) {
            let bytes = text.as_bytes();
            for start in 0..bytes.len() {
                prop_assert_eq!(
                    first_non_ascii(&bytes[start..]),
                    bytes[start..].iter().position(|b| !b.is_ascii())
                );
            }
        }
    }
}
