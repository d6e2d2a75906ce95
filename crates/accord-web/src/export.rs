//! Exports: the whole ledger as `accord-export/1` JSON, and commitments
//! (a search's hits, or the ledger) as CSV.

use crate::error::{with_content_type, Error, Result};
use crate::state::Ledger;
use crate::views::CommitmentOut;
use axum::http::header;
use axum::response::Response;
use serde_json::Value;

/// The ledger in the shape of `accord export --format json`.
pub fn ledger_json(ledger: &Ledger) -> Value {
    accord_store::export::ledger_json(
        &ledger.documents,
        &ledger.commitments,
        &ledger.same,
        &ledger.follows,
    )
}

/// Commitments as CSV, one row each (with a relevance score column when
/// `scores` is given), served as a download named `file_name` (a constant
/// name of plain characters).
pub fn csv_response(
    items: &[CommitmentOut],
    scores: Option<&[f32]>,
    file_name: &'static str,
) -> Result<Response> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let csv_error = |e: csv::Error| Error::Internal(format!("cannot write CSV: {e}"));
    let mut header_row = vec![
        "id",
        "document_id",
        "summit",
        "issuer",
        "date",
        "section",
        "actors",
        "strength",
        "theme",
        "targets",
        "deadline",
        "initiatives",
        "text",
    ];
    if scores.is_some() {
        header_row.push("score");
    }
    writer.write_record(&header_row).map_err(csv_error)?;
    for (i, c) in items.iter().enumerate() {
        let targets: Vec<&str> = c.targets.iter().map(|t| t.phrase.as_str()).collect();
        let mut row = vec![
            neutralise(&c.id),
            neutralise(&c.document_id),
            neutralise(c.summit.as_deref().unwrap_or("")),
            neutralise(c.issuer.as_deref().unwrap_or("")),
            neutralise(c.date.as_deref().unwrap_or("")),
            neutralise(c.section.as_deref().unwrap_or("")),
            neutralise(&c.actors.join(" ")),
            c.strength.clone(),
            c.theme.clone(),
            neutralise(&targets.join("; ")),
            neutralise(c.deadline.as_deref().unwrap_or("")),
            neutralise(&c.initiatives.join("; ")),
            neutralise(&c.text),
        ];
        if let Some(scores) = scores {
            row.push(format!("{:.3}", scores.get(i).copied().unwrap_or(0.0)));
        }
        writer.write_record(&row).map_err(csv_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::Internal(format!("cannot write CSV: {e}")))?;
    let mut response = with_content_type(bytes, "text/csv; charset=utf-8");
    if let Ok(value) =
        header::HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
    {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Ingested text that a spreadsheet would read as a formula (`=`, `+`,
/// `-`, `@` first) gets a leading apostrophe.
fn neutralise(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}
