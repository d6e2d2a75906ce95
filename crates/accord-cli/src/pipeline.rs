//! One file through the pipeline: prepare (decode, clean, metadata), then
//! extract, giving the document and commitments to store.

use accord_ingest::{Options, Overrides};
use accord_model::{Commitment, Document};

/// A document with its commitments, ready to store.
pub struct Processed {
    /// The document.
    pub document: Document,
    /// Its commitments.
    pub commitments: Vec<Commitment>,
}

/// Runs ingest and extraction over one file's bytes.
pub fn process(
    name: &str,
    path: &str,
    bytes: &[u8],
    overrides: &Overrides,
    options: &Options,
) -> accord_ingest::Result<Processed> {
    let prepared = accord_ingest::prepare(name, bytes, overrides, options)?;
    let id = prepared.content_hash[..16].to_string();
    let context = accord_extract::Context {
        summit: prepared.meta.summit.clone(),
        date: prepared.meta.date.as_deref().and_then(|d| {
            chrono::NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok()
        }),
    };
    let extraction = accord_extract::extract(&prepared.cleaned.text, &context);
    let commitments = extraction
        .commitments
        .into_iter()
        .enumerate()
        .map(|(i, found)| Commitment {
            id: format!("{id}-{:03}", i + 1),
            document_id: id.clone(),
            ordinal: i as u32 + 1,
            span: prepared.cleaned.span(found.start, found.end),
            text: found.text,
            section: found.section,
            actors: found.actors,
            strength: found.strength,
            theme: found.theme,
            targets: found.targets,
            deadline: found.deadline,
            initiatives: found.initiatives,
            confidence: found.confidence,
        })
        .collect();
    let document = Document {
        id,
        source_file: name.to_string(),
        source_path: path.to_string(),
        content_hash: prepared.content_hash,
        format: prepared.format,
        meta: prepared.meta,
        original: prepared.original,
        text: prepared.cleaned.text,
    };
    Ok(Processed {
        document,
        commitments,
    })
}
