//! `accord compare` and `accord lineage`: the same views as the web pages,
//! as text. Word differences are marked `[-only in the first version-]` and
//! `{+only in this version+}`.

use accord_store::Store;
use accord_web::views::{self, CommitmentOut, CompareParams, DiffPiece, LineageParams};
use accord_web::Ledger;
use std::collections::BTreeMap;
use std::process::ExitCode;

/// Arguments of `accord lineage`.
#[derive(Debug, clap::Args)]
pub struct LineageArgs {
    /// Follow one named initiative, e.g. "North American Drug Dialogue (NADD)".
    #[arg(long, conflicts_with_all = ["theme", "commitment"])]
    initiative: Option<String>,
    /// Follow one theme (health, climate_environment, …).
    #[arg(long, conflicts_with = "commitment")]
    theme: Option<String>,
    /// Follow the chain one commitment belongs to.
    #[arg(long, value_name = "ID")]
    commitment: Option<String>,
}

/// Runs `accord compare SUMMIT [--documents A,B,C]`.
pub async fn compare(
    store: &Store,
    summit: &str,
    documents: Option<String>,
) -> anyhow::Result<ExitCode> {
    if summit.trim().is_empty() && documents.is_none() {
        eprintln!("error: say which summit to compare: accord compare \"NALS 2023\"");
        return Ok(ExitCode::FAILURE);
    }
    let ledger = Ledger::load(store).await?;
    let out = match views::compare(
        &ledger,
        &CompareParams {
            summit: Some(summit.to_string()),
            documents,
        },
    ) {
        Ok(out) => out,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    println!("{} — {} versions", out.summit, out.documents.len());
    for d in &out.documents {
        println!(
            "  {}: {} ({})",
            d.issuer.as_deref().unwrap_or("?"),
            d.label(),
            d.id
        );
    }
    println!("\n{} commitments in more than one version:", out.rows.len());
    for (n, row) in out.rows.iter().enumerate() {
        println!();
        let mut first = true;
        for (cell, document) in row.cells.iter().zip(&out.documents) {
            let Some(cell) = cell else { continue };
            let issuer = document.issuer.as_deref().unwrap_or("?");
            let text = if first {
                cell.commitment.text.clone()
            } else {
                marked(&cell.diff)
            };
            let prefix = if first {
                format!("[{}]", n + 1)
            } else {
                String::new()
            };
            println!("{prefix:>5} {issuer:<3} {}  {text}", cell.commitment.id);
            first = false;
        }
    }
    for only in &out.only_in {
        if only.commitments.is_empty() {
            continue;
        }
        println!(
            "\nOnly in {} ({}):",
            only.document.issuer.as_deref().unwrap_or("?"),
            only.commitments.len()
        );
        for c in &only.commitments {
            println!("  {}  {}", c.id, c.text);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn marked(diff: &[DiffPiece]) -> String {
    diff.iter()
        .map(|p| match p.change.as_str() {
            "insert" => format!("{{+{}+}}", p.text.trim()),
            "delete" => format!("[-{}-]", p.text.trim()),
            _ => p.text.trim().to_string(),
        })
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `accord lineage`: one initiative, theme or chain across summits;
/// with no option, every theme's links, earlier to later, with repeated
/// commitments flagged.
pub async fn lineage(store: &Store, args: &LineageArgs) -> anyhow::Result<ExitCode> {
    let ledger = Ledger::load(store).await?;
    if args.initiative.is_none() && args.theme.is_none() && args.commitment.is_none() {
        return all_themes(&ledger);
    }
    let params = LineageParams {
        initiative: args.initiative.clone(),
        theme: args.theme.clone(),
        commitment: args.commitment.clone(),
    };
    match views::lineage(&ledger, &params) {
        Ok(out) => {
            println!("Lineage of {}", out.subject);
            for column in &out.columns {
                println!("\n{}", column.summit);
                for node in &column.nodes {
                    let flag = if node.repeated { "  REPEATED" } else { "" };
                    println!(
                        "  {} {:<3} {}{flag}",
                        node.commitment.id,
                        node.commitment.issuer.as_deref().unwrap_or("?"),
                        node.commitment.text
                    );
                }
            }
            if !out.links.is_empty() {
                println!("\nLinks (later -> earlier):");
                for link in &out.links {
                    println!(
                        "  {} -> {} ({}, {:.2})",
                        link.later,
                        link.earlier,
                        link.kind.as_deref().unwrap_or("continues"),
                        link.score
                    );
                }
            }
            if out.n_left_out > 0 {
                println!("\n({} more commitments left out)", out.n_left_out);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn all_themes(ledger: &Ledger) -> anyhow::Result<ExitCode> {
    // Theme -> (later, earlier, kind) links.
    let mut by_theme: BTreeMap<&str, Vec<(CommitmentOut, CommitmentOut, String)>> = BTreeMap::new();
    for p in &ledger.follows {
        let (Some(later), Some(earlier)) = (ledger.commitment(&p.a), ledger.commitment(&p.b))
        else {
            continue;
        };
        let kind = p.kind.clone().unwrap_or_else(|| "continues".into());
        by_theme.entry(later.theme.as_str()).or_default().push((
            CommitmentOut::new(ledger, later),
            CommitmentOut::new(ledger, earlier),
            kind,
        ));
    }
    if by_theme.is_empty() {
        println!("No follow-up links yet: ingest statements of two summits of one series (e.g. NALS 2021 and NALS 2023).");
        return Ok(ExitCode::SUCCESS);
    }
    let n_repeats: usize = by_theme
        .values()
        .flatten()
        .filter(|(_, _, k)| k == "repeats")
        .count();
    println!("{} follow-up links across summits; {n_repeats} repeat an earlier commitment without visible progress (REPEATED).", by_theme.values().map(Vec::len).sum::<usize>());
    for (theme, links) in &by_theme {
        println!("\n{theme}");
        for (later, earlier, kind) in links {
            let flag = if kind == "repeats" {
                "REPEATED"
            } else {
                kind.as_str()
            };
            println!(
                "  {} {} → {} {}  [{flag}]\n      {}\n    → {}",
                earlier.summit.as_deref().unwrap_or("?"),
                earlier.issuer.as_deref().unwrap_or("?"),
                later.summit.as_deref().unwrap_or("?"),
                later.issuer.as_deref().unwrap_or("?"),
                short(&earlier.text),
                short(&later.text)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn short(text: &str) -> String {
    if text.chars().count() <= 110 {
        return text.to_string();
    }
    format!("{}…", text.chars().take(109).collect::<String>())
}
