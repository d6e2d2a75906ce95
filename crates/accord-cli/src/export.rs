//! `accord export`: the whole ledger as JSON (`accord-export/1`) or CSV.

use crate::ExportFormat;
use accord_store::{Filter, Store};
use anyhow::Context as _;
use serde_json::Value;
use std::io::Write;
use std::path::Path;

/// The whole ledger in the `accord-export/1` shape.
pub async fn ledger_json(store: &Store) -> anyhow::Result<Value> {
    let documents = store.documents().await?;
    let commitments = store.commitments(&Filter::default()).await?;
    let same = store.same_commitment().await?;
    let follows = store.follows_up().await?;
    Ok(accord_store::export::ledger_json(
        &documents,
        &commitments,
        &same,
        &follows,
    ))
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
            serde_json::to_writer_pretty(&mut out, &ledger_json(store).await?)?;
            writeln!(out)?;
        }
        ExportFormat::Csv => write_csv(store, &mut out).await?,
    }
    out.flush()?;
    Ok(())
}

/// One row per commitment, with its document's metadata.
async fn write_csv(store: &Store, out: &mut dyn Write) -> anyhow::Result<()> {
    let documents = store.documents().await?;
    let commitments = store.commitments(&Filter::default()).await?;
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
    let by_id: std::collections::HashMap<&str, &accord_store::DocumentRow> =
        documents.iter().map(|d| (d.id.as_str(), d)).collect();
    for c in &commitments {
        let d = by_id.get(c.document_id.as_str()).copied();
        let field = |f: fn(&accord_store::DocumentRow) -> Option<&String>| {
            d.and_then(f).cloned().unwrap_or_default()
        };
        let targets: Vec<String> = c.targets.iter().map(|t| t.phrase.clone()).collect();
        csv.write_record([
            c.id.clone(),
            c.document_id.clone(),
            d.map(|d| d.source_file.clone()).unwrap_or_default(),
            field(|d| d.summit.as_ref()),
            field(|d| d.issuer.as_ref()),
            field(|d| d.date.as_ref()),
            c.section.clone().unwrap_or_default(),
            c.text.clone(),
            c.actors.join(" "),
            c.strength.to_string(),
            c.theme.to_string(),
            targets.join("; "),
            c.deadline.clone().unwrap_or_default(),
            c.initiatives.join("; "),
            format!("{:.2}", c.confidence),
            c.span.start.to_string(),
            c.span.end.to_string(),
        ])?;
    }
    csv.flush()?;
    Ok(())
}
