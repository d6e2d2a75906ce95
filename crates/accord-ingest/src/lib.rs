//! Ingest: turns the bytes of one file into a [`Prepared`] document, with
//! its original text decoded, site furniture removed, and metadata inferred.
//!
//! The stages, each in its own module:
//! - [`decode`]: bytes to text (UTF-8, UTF-16 with BOM, Windows-1252, gzip),
//!   refusing empty, binary and oversized input;
//! - [`frontmatter`]: YAML front matter of Markdown files;
//! - [`clean`]: plain text and Markdown to [`Cleaned`] text;
//! - [`html`]: HTML pages to [`Cleaned`] text;
//! - [`meta`]: metadata inference from front matter, the page and the text;
//! - [`manifest`]: per-folder overrides.
#![deny(missing_docs)]

use accord_model::{DocKind, Format, Metadata};
use std::collections::BTreeMap;

pub mod clean;
pub mod decode;
pub mod frontmatter;
pub mod html;
pub mod manifest;
pub mod meta;

pub use clean::Cleaned;

/// Input whose size is known only by reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsized {
    /// The text of a gzip-compressed file.
    Decompressed,
    /// Standard input, a pipe or a device: not a regular file.
    Stream,
}

impl std::fmt::Display for Unsized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Unsized::Decompressed => "decompressed, the file",
            Unsized::Stream => "the stream (not a regular file)",
        })
    }
}

/// Why a file could not be ingested.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file has no bytes, or nothing but white space.
    #[error("the file is empty")]
    Empty,
    /// The file looks like binary data, not text.
    #[error("the file is binary, not text ({0})")]
    Binary(String),
    /// The file is larger than the limit.
    #[error("the file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Size of the file.
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// The file's contents, decompressed or read from a stream, went on
    /// past the limit: their size is not known, only that it is larger.
    #[error("{what} holds more than {limit} bytes, the limit")]
    TooLong {
        /// What went on: the decompressed text, or a stream.
        what: Unsized,
        /// The limit in force.
        limit: u64,
    },
    /// The file is gzip-compressed and its stream is broken.
    #[error("the gzip stream is broken: {0}")]
    Gzip(String),
    /// The HTML has a shape its parser would take minutes over.
    #[error("the HTML cannot be read: {0}")]
    Html(html::Refusal),
    /// After cleaning nothing readable is left.
    #[error("no readable text is left after cleaning")]
    NoText,
    /// A manifest file could not be read.
    #[error("manifest {path}: {message}")]
    Manifest {
        /// The manifest's path.
        path: String,
        /// What is wrong with it.
        message: String,
    },
}

// Not `#[from]`, which would make the refusal the error's source too, and
// its reason be printed twice by callers that print the chain.
impl From<html::Refusal> for Error {
    fn from(refusal: html::Refusal) -> Error {
        Error::Html(refusal)
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Largest file accepted by default: 64 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Values the user sets for a file, which win over inferred ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Issuing government, e.g. `CA`.
    pub issuer: Option<String>,
    /// Summit, e.g. `NALS 2023`.
    pub summit: Option<String>,
    /// Date, ISO `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Language code.
    pub language: Option<String>,
    /// Kind of document (`joint_statement`, `fact_sheet`, `roadmap`, `other`).
    pub kind: Option<String>,
}

impl Overrides {
    /// Fields set in `self` win; the others come from `fallback`.
    pub fn or(&self, fallback: &Overrides) -> Overrides {
        Overrides {
            issuer: self.issuer.clone().or_else(|| fallback.issuer.clone()),
            summit: self.summit.clone().or_else(|| fallback.summit.clone()),
            date: self.date.clone().or_else(|| fallback.date.clone()),
            title: self.title.clone().or_else(|| fallback.title.clone()),
            language: self.language.clone().or_else(|| fallback.language.clone()),
            kind: self.kind.clone().or_else(|| fallback.kind.clone()),
        }
    }

    /// The fields set, by name.
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("issuer", &self.issuer),
            ("summit", &self.summit),
            ("date", &self.date),
            ("title", &self.title),
            ("language", &self.language),
            ("kind", &self.kind),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value.as_deref()?)))
    }

    /// Writes the set fields over `meta`.
    pub fn apply(&self, meta: &mut Metadata) {
        if let Some(v) = &self.issuer {
            meta.issuer = Some(v.trim().to_ascii_uppercase());
        }
        if let Some(v) = &self.summit {
            meta.summit = Some(meta::canonical_summit(v).unwrap_or_else(|| v.trim().to_string()));
        }
        if let Some(v) = &self.date {
            meta.date = Some(meta::parse_date(v).unwrap_or_else(|| v.trim().to_string()));
        }
        if let Some(v) = &self.title {
            meta.title = Some(v.trim().to_string());
        }
        if let Some(v) = &self.language {
            meta.language = Some(v.trim().to_ascii_lowercase());
        }
        if let Some(v) = &self.kind {
            meta.kind = DocKind::parse(v).or(Some(DocKind::Other));
        }
    }
}

/// A document ready to be segmented and stored.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Hex BLAKE3 hash of the raw bytes.
    pub content_hash: String,
    /// The detected format.
    pub format: Format,
    /// The decoded original text; offsets in [`Cleaned`] point into it.
    pub original: String,
    /// The cleaned text and its offset map.
    pub cleaned: Cleaned,
    /// Inferred metadata with the overrides applied.
    pub meta: Metadata,
}

/// Options of one ingest.
#[derive(Debug, Clone)]
pub struct Options {
    /// Largest accepted file in bytes.
    pub max_bytes: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// Hex BLAKE3 hash of `bytes`.
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// Prepares one file: decode, detect format, clean, infer metadata, apply
/// overrides. `name` is the file name (used for format detection and
/// metadata); `bytes` its contents.
pub fn prepare(
    name: &str,
    bytes: &[u8],
    overrides: &Overrides,
    options: &Options,
) -> Result<Prepared> {
    prepare_hashed(name, bytes, content_hash(bytes), overrides, options)
}

/// [`prepare`], the [`content_hash`] of `bytes` known already.
pub fn prepare_hashed(
    name: &str,
    bytes: &[u8],
    content_hash: String,
    overrides: &Overrides,
    options: &Options,
) -> Result<Prepared> {
    let original = decode::decode(name, bytes, options.max_bytes)?;
    let format = detect_format(name, &original);
    let (cleaned, front_matter, page) = match format {
        Format::Html => {
            let page = html::clean_html(&original)?;
            (page.cleaned.clone(), BTreeMap::new(), Some(page))
        }
        Format::Markdown | Format::Text => {
            let (front_matter, body_start) = frontmatter::split(&original);
            (clean::clean_text(&original, body_start), front_matter, None)
        }
    };
    if cleaned.text.trim().is_empty() {
        return Err(Error::NoText);
    }
    let mut meta = meta::infer(&meta::MetaInput {
        file_name: name,
        front_matter: &front_matter,
        text: &cleaned.text,
        page: page.as_ref().map(|p| &p.info),
    });
    overrides.apply(&mut meta);
    without_controls(&mut meta);
    Ok(Prepared {
        content_hash,
        format,
        original,
        cleaned,
        meta,
    })
}

/// Takes control characters out of the metadata read from a document (a
/// title from a page's `<title>` or the text's first line may hold a
/// terminal's escape): each becomes a space, and the spaces around it one.
fn without_controls(meta: &mut Metadata) {
    let fields = [
        &mut meta.title,
        &mut meta.date,
        &mut meta.issuer,
        &mut meta.summit,
        &mut meta.language,
        &mut meta.source_url,
    ];
    for value in fields.into_iter().flatten() {
        if value.contains(char::is_control) {
            *value = value
                .split(char::is_control)
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
        }
    }
}

/// Guesses the format from the file name, then from the content.
pub fn detect_format(name: &str, text: &str) -> Format {
    let lower = name.to_ascii_lowercase();
    let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
    if lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".xhtml") {
        return Format::Html;
    }
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        return Format::Markdown;
    }
    let head: String = text
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || (head.starts_with('<') && head.contains("<body"))
    {
        return Format::Html;
    }
    if text.starts_with("---\n") || text.starts_with("---\r\n") {
        return Format::Markdown;
    }
    Format::Text
}
