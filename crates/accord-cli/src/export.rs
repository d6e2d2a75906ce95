//! `accord export`: the whole ledger as JSON (`accord-export/1`) or CSV.

use crate::ExportFormat;
use accord_model::spreadsheet_text;
use accord_store::Store;
use anyhow::Context as _;
use futures_util::TryStreamExt as _;
use std::io::Write;
use std::path::Path;

/// The whole ledger as `accord-export/1` text (what `accord export`
/// writes).
pub async fn ledger_json(store: &Store) -> anyhow::Result<String> {
    let mut text = Vec::new();
    store.write_export(&mut text).await?;
    Ok(String::from_utf8(text)?)
}

/// Runs `accord export`.
pub async fn run(store: &Store, format: ExportFormat, output: Option<&Path>) -> anyhow::Result<()> {
    let mut out: Box<dyn Write> = match output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match format {
        ExportFormat::Json => {
            store.write_export(&mut out).await?;
        }
        ExportFormat::Csv => write_csv(store, &mut out).await?,
    }
    out.flush()?;
    Ok(())
}

/// One row per commitment, with its document's metadata, written a
/// document at a time; text that a spreadsheet would run as a formula is
/// marked as text ([`spreadsheet_text`]).
async fn write_csv(store: &Store, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record([
        "id",
        "document_id",
        "source_file",
        "summit",
        "issuer",
        "date",
        "section",
        "text",
        "actors",
        "strength",
        "theme",
        "targets",
        "deadline",
        "initiatives",
        "confidence",
        "span_start",
        "span_end",
    ])?;
    let mut documents = std::pin::pin!(store.commitments_by_document());
    while let Some((d, commitments)) = documents.try_next().await? {
        for c in &commitments {
            let targets: Vec<&str> = c.targets.iter().map(|t| t.phrase.as_str()).collect();
            // Text from the documents (and their file names) could start
            // like a spreadsheet formula.
            let text = |value: &str| spreadsheet_text(value).into_owned();
            csv.write_record([
                text(&c.id),
                text(&c.document_id),
                text(&d.source_file),
                text(d.summit.as_deref().unwrap_or_default()),
                text(d.issuer.as_deref().unwrap_or_default()),
                text(d.date.as_deref().unwrap_or_default()),
                text(c.section.as_deref().unwrap_or_default()),
                text(&c.text),
                text(&c.actors.join(" ")),
                c.strength.as_str().to_string(),
                c.theme.as_str().to_string(),
                text(&targets.join("; ")),
                text(c.deadline.as_deref().unwrap_or_default()),
                text(&c.initiatives.join("; ")),
                format!("{:.2}", c.confidence),
                c.span.start.to_string(),
                c.span.end.to_string(),
            ])?;
        }
    }
    csv.flush()?;
    Ok(())
}
