//! `accord list`, `show`, `stats` and the printing of `eval`.

use crate::ingest::printable;
use accord_model::{Strength, Theme};
use accord_store::{Filter, Store};
use std::collections::BTreeMap;
use std::process::ExitCode;

/// Arguments of `accord list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only this summit, e.g. "NALS 2023".
    #[arg(long)]
    summit: Option<String>,
    /// Only this issuing government, e.g. CA.
    #[arg(long)]
    issuer: Option<String>,
    /// Only this theme (health, climate_environment, energy, …).
    #[arg(long, value_parser = parse_theme)]
    theme: Option<Theme>,
    /// Only this strength: firm, soft, reaffirmation.
    #[arg(long, value_parser = parse_strength)]
    strength: Option<Strength>,
    /// Only commitments with a quantified target.
    #[arg(long, conflicts_with = "no_target")]
    has_target: bool,
    /// Only commitments without a quantified target.
    #[arg(long)]
    no_target: bool,
    /// Only commitments whose text contains this (case-insensitive).
    #[arg(long, value_name = "TEXT")]
    contains: Option<String>,
    /// Print at most this many.
    #[arg(long, default_value_t = 200)]
    limit: usize,
    /// Print JSON lines instead of a table.
    #[arg(long)]
    json: bool,
}

fn parse_theme(s: &str) -> Result<Theme, String> {
    Theme::parse(s).ok_or_else(|| {
        format!(
            "unknown theme; one of: {}",
            Theme::ALL.map(|t| t.as_str()).join(", ")
        )
    })
}

fn parse_strength(s: &str) -> Result<Strength, String> {
    Strength::parse(s).ok_or_else(|| "unknown strength; one of: firm, soft, reaffirmation".into())
}

/// Runs `accord list`.
pub async fn list(store: &Store, args: &ListArgs) -> anyhow::Result<()> {
    let filter = Filter {
        summit: args.summit.clone(),
        issuer: args.issuer.clone(),
        theme: args.theme,
        strength: args.strength,
        has_target: if args.has_target {
            Some(true)
        } else if args.no_target {
            Some(false)
        } else {
            None
        },
        text: args.contains.clone(),
        document_id: None,
    };
    let commitments = store.commitments(&filter).await?;
    let documents: BTreeMap<String, accord_store::DocumentRow> = store
        .documents()
        .await?
        .into_iter()
        .map(|d| (d.id.clone(), d))
        .collect();
    for c in commitments.iter().take(args.limit) {
        if args.json {
            println!("{}", serde_json::to_string(c)?);
            continue;
        }
        let d = documents.get(&c.document_id);
        println!(
            "{}  {:<3} {:<10} {:<13} {:<24} {}",
            c.id,
            d.and_then(|d| d.issuer.as_deref()).unwrap_or("?"),
            d.and_then(|d| d.summit.as_deref()).unwrap_or("?"),
            c.strength.as_str(),
            c.theme.as_str(),
            truncate(&c.text, 100)
        );
    }
    if commitments.len() > args.limit {
        eprintln!(
            "({} more; raise --limit to see them)",
            commitments.len() - args.limit
        );
    } else if commitments.is_empty() {
        eprintln!("no commitment matches");
    }
    Ok(())
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{cut}…")
}

/// Runs `accord show`.
pub async fn show(store: &Store, id: &str) -> anyhow::Result<ExitCode> {
    if let Some(c) = store.commitment(id).await? {
        let d = store.document(&c.document_id).await?;
        println!("Commitment {}", c.id);
        println!("  text:        {}", c.text);
        if let Some(d) = &d {
            println!("  document:    {} ({})", printable(&d.source_file), d.id);
            println!(
                "  summit:      {} · issuer {} · {}",
                d.meta.summit.as_deref().unwrap_or("?"),
                d.meta.issuer.as_deref().unwrap_or("?"),
                d.meta.date.as_deref().unwrap_or("?")
            );
        }
        println!("  section:     {}", c.section.as_deref().unwrap_or("-"));
        println!(
            "  actors:      {}",
            if c.actors.is_empty() {
                "-".into()
            } else {
                c.actors.join(", ")
            }
        );
        println!("  strength:    {}", c.strength);
        println!("  theme:       {}", c.theme);
        println!("  deadline:    {}", c.deadline.as_deref().unwrap_or("-"));
        println!("  confidence:  {:.2}", c.confidence);
        println!("  span:        {}..{}", c.span.start, c.span.end);
        for t in &c.targets {
            let years = match (t.baseline_year, t.target_year) {
                (Some(b), Some(y)) => format!(" (from {b}, by {y})"),
                (None, Some(y)) => format!(" (by {y})"),
                (Some(b), None) => format!(" (from {b})"),
                (None, None) => String::new(),
            };
            println!(
                "  target:      {} {} {}{years} — \"{}\"",
                t.direction, t.value, t.unit, t.phrase
            );
        }
        for i in &c.initiatives {
            println!("  initiative:  {i}");
        }
        if let Some(d) = d {
            if let Some(original) = d.original.get(c.span.start..c.span.end) {
                println!(
                    "  as written:  {}",
                    original.split_whitespace().collect::<Vec<_>>().join(" ")
                );
            }
        }
        let (same, follows) = store.pairs_of(&c.id).await?;
        for p in &same {
            let other = if p.a == c.id { &p.b } else { &p.a };
            print_related(store, "same as", other, p.score, None).await?;
        }
        for p in &follows {
            if p.a == c.id {
                print_related(store, "follows up", &p.b, p.score, p.kind.as_deref()).await?;
            } else {
                print_related(store, "followed by", &p.a, p.score, p.kind.as_deref()).await?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(d) = store.document(id).await? {
        let n = store
            .commitments(&Filter {
                document_id: Some(d.id.clone()),
                ..Filter::default()
            })
            .await?
            .len();
        println!("Document {}", d.id);
        println!(
            "  file:      {} ({})",
            printable(&d.source_file),
            printable(&d.source_path)
        );
        println!("  title:     {}", d.meta.title.as_deref().unwrap_or("-"));
        println!("  date:      {}", d.meta.date.as_deref().unwrap_or("-"));
        println!("  issuer:    {}", d.meta.issuer.as_deref().unwrap_or("-"));
        println!("  summit:    {}", d.meta.summit.as_deref().unwrap_or("-"));
        println!("  language:  {}", d.meta.language.as_deref().unwrap_or("-"));
        println!(
            "  kind:      {}",
            d.meta.kind.map(|k| k.to_string()).unwrap_or("-".into())
        );
        println!("  format:    {}", d.format.as_str());
        println!("  commitments: {n} (accord list … or accord export)");
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("error: no commitment or document has the id {id}");
    Ok(ExitCode::FAILURE)
}

async fn print_related(
    store: &Store,
    label: &str,
    id: &str,
    score: f64,
    kind: Option<&str>,
) -> anyhow::Result<()> {
    let Some(other) = store.commitment(id).await? else {
        return Ok(());
    };
    let doc = store.document(&other.document_id).await?;
    let whose = doc
        .map(|d| {
            format!(
                "{} {}",
                d.meta.issuer.unwrap_or("?".into()),
                d.meta.summit.unwrap_or("?".into())
            )
        })
        .unwrap_or_default();
    let kind = kind.map(|k| format!(", {k}")).unwrap_or_default();
    println!(
        "  {label:<12} {id} [{whose}] ({score:.2}{kind}): {}",
        truncate(&other.text, 90)
    );
    Ok(())
}

/// Runs `accord stats`: per summit and issuer, documents, commitments by
/// theme and strength, and targets with their deadlines.
pub async fn stats(store: &Store) -> anyhow::Result<()> {
    let documents = store.documents().await?;
    let commitments = store.commitments(&Filter::default()).await?;
    if documents.is_empty() {
        println!("The ledger is empty: `accord ingest PATH…` adds statements.");
        return Ok(());
    }
    let mut groups: BTreeMap<(String, String), Vec<&accord_store::DocumentRow>> = BTreeMap::new();
    for d in &documents {
        groups
            .entry((
                d.summit.clone().unwrap_or("(summit unknown)".into()),
                d.issuer.clone().unwrap_or("?".into()),
            ))
            .or_default()
            .push(d);
    }
    println!(
        "Ledger: {} documents, {} commitments",
        documents.len(),
        commitments.len()
    );
    let mut last_summit = String::new();
    for ((summit, issuer), docs) in &groups {
        if *summit != last_summit {
            println!("\n{summit}");
            last_summit = summit.clone();
        }
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        let mine: Vec<&accord_model::Commitment> = commitments
            .iter()
            .filter(|c| ids.contains(&c.document_id.as_str()))
            .collect();
        println!(
            "  {issuer}: {} document(s), {} commitments",
            docs.len(),
            mine.len()
        );
        for d in docs {
            let n = mine.iter().filter(|c| c.document_id == d.id).count();
            println!(
                "      {} — {} [{}] {n}",
                printable(&d.source_file),
                d.title.as_deref().unwrap_or("(untitled)"),
                d.kind.as_deref().unwrap_or("?")
            );
        }
        let mut by_theme: BTreeMap<&str, usize> = BTreeMap::new();
        let mut by_strength: BTreeMap<&str, usize> = BTreeMap::new();
        for c in &mine {
            *by_theme.entry(c.theme.as_str()).or_default() += 1;
            *by_strength.entry(c.strength.as_str()).or_default() += 1;
        }
        let mut themes: Vec<(&str, usize)> = by_theme.into_iter().collect();
        themes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        println!(
            "    themes:    {}",
            themes
                .iter()
                .map(|(t, n)| format!("{t} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        println!(
            "    strength:  {}",
            by_strength
                .iter()
                .map(|(s, n)| format!("{s} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for c in &mine {
            for t in &c.targets {
                println!(
                    "    target:    {} {} {}{}{}  ({})",
                    t.direction,
                    t.value,
                    t.unit,
                    t.baseline_year
                        .map(|y| format!(" from {y}"))
                        .unwrap_or_default(),
                    t.target_year
                        .map(|y| format!(" by {y}"))
                        .unwrap_or_default(),
                    c.id
                );
            }
        }
        let dated: Vec<String> = mine
            .iter()
            .filter_map(|c| c.deadline.as_ref().map(|d| format!("{d} ({})", c.id)))
            .collect();
        if !dated.is_empty() {
            println!("    deadlines: {}", dated.join(", "));
        }
    }
    Ok(())
}

/// Prints an evaluation report.
pub fn eval(
    report: &accord_eval::Report,
    missed: bool,
    spurious: bool,
    json: bool,
) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(report)?);
        return Ok(());
    }
    println!("gold documents in the ledger: {}", report.documents);
    for (name, prf) in [
        ("commitments", &report.commitments),
        ("same_commitment", &report.same_commitment),
        ("follows_up", &report.follows_up),
    ] {
        println!(
            "{name:16} P={:.3} R={:.3} F1={:.3} (predicted {}, required gold {})",
            prf.precision, prf.recall, prf.f1, prf.predicted, prf.gold
        );
    }
    if missed && !report.missed.is_empty() {
        println!("missed:");
        for m in &report.missed {
            println!("  {}", truncate(m, 140));
        }
    }
    if spurious && !report.spurious.is_empty() {
        println!("spurious:");
        for s in &report.spurious {
            println!("  {}", truncate(s, 140));
        }
    }
    Ok(())
}
