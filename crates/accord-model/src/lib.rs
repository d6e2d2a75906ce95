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
/// faster on ASCII text. Cleaning and extraction count words of every line
/// and sentence.
pub fn word_count(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    // The ASCII characters `char::is_whitespace` holds.
    let space = |b: u8| matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
    // A word starts at a non-space byte that opens the text or follows a
    // space.
    let bytes = text.as_bytes();
    let opens = usize::from(bytes.first().is_some_and(|&b| !space(b)));
    opens
        + bytes
            .windows(2)
            .filter(|w| space(w[0]) && !space(w[1]))
            .count()
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
