//! The `accord-export/1` JSON shape of a ledger, built from stored rows.
//! One place, used by the CLI's `export` and the web API's export.

use crate::{DocumentRow, Pair};
use accord_model::Commitment;
use serde_json::{json, Value};

/// The whole ledger as `accord-export/1` (see README: the contract of
/// PRODUCT.md with more fields).
pub fn ledger_json(
    documents: &[DocumentRow],
    commitments: &[Commitment],
    same: &[Pair],
    follows: &[Pair],
) -> Value {
    json!({
        "format": "accord-export/1",
        "documents": documents.iter().map(|d| json!({
            "id": d.id,
            "source_file": d.source_file,
            "title": d.title,
            "issuer": d.issuer,
            "summit": d.summit,
            "date": d.date,
            "language": d.language,
            "kind": d.kind,
            "format": d.format,
            "source_url": d.source_url,
            "content_hash": d.content_hash,
        })).collect::<Vec<_>>(),
        "commitments": commitments.iter().map(|c| json!({
            "id": c.id,
            "document_id": c.document_id,
            "text": c.text,
            "span": {"start": c.span.start, "end": c.span.end},
            "section": c.section,
            "actors": c.actors,
            "strength": c.strength,
            "theme": c.theme,
            "targets": c.targets,
            "deadline": c.deadline,
            "initiatives": c.initiatives,
            "confidence": c.confidence,
        })).collect::<Vec<_>>(),
        "same_commitment": same.iter().map(|p| json!({"a": p.a, "b": p.b, "score": p.score})).collect::<Vec<_>>(),
        "follows_up": follows.iter().map(|p| json!({"later": p.a, "earlier": p.b, "score": p.score, "kind": p.kind})).collect::<Vec<_>>(),
    })
}
