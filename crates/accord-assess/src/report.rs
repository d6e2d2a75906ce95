//! A scorecard as a printable report: Markdown (for documents and mail)
//! and CSV (for spreadsheets). The web interface renders the same
//! [`Scorecard`] as HTML.

use crate::scorecard::{Compliance, Scorecard};
use std::fmt::Write as _;

/// A score as the reports write it: `+1`, `0`, `-1`, or `–` when unscored.
pub fn score_label(score: Option<i64>) -> &'static str {
    match score {
        Some(1) => "+1",
        Some(0) => "0",
        Some(-1) => "-1",
        _ => "–",
    }
}

fn table(out: &mut String, heading: &str, rows: &[Compliance]) {
    let _ = writeln!(out, "## {heading}\n");
    let _ = writeln!(
        out,
        "| {heading} | Scored | +1 | 0 | -1 | Average | Compliance |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {:+.2} | {:.0}% |",
            cell(&r.key),
            r.scored,
            r.full,
            r.partial,
            r.none,
            r.average,
            r.percent
        );
    }
    out.push('\n');
}

/// Text fit for one Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// The scorecard as a Markdown report under `title`.
pub fn markdown(card: &Scorecard, title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {title}\n");
    let o = &card.overall;
    let _ = writeln!(
        out,
        "Overall compliance: **{:+.2}** ({:.0}%) over {} scored assessments of {} commitments.\n",
        o.average,
        o.percent,
        o.scored,
        card.lines.len()
    );
    out.push_str("Scores: +1 full compliance, 0 partial or work in progress, -1 no compliance; compliance % = (average + 1) / 2 × 100.\n\n");
    table(&mut out, "Member", &card.by_member);
    table(&mut out, "Theme", &card.by_theme);
    table(&mut out, "Summit", &card.by_summit);

    let _ = writeln!(out, "## Commitments\n");
    let _ = write!(out, "| Commitment | Summit | Deadline |");
    for m in &card.members {
        let _ = write!(out, " {} |", cell(m));
    }
    out.push_str(" Average |\n|---|---|---|");
    for _ in &card.members {
        out.push_str("---:|");
    }
    out.push_str("---:|\n");
    for line in &card.lines {
        let _ = write!(
            out,
            "| {} ({}) | {} | {} |",
            cell(&excerpt(&line.text, 90)),
            line.commitment_id,
            cell(&line.summit),
            line.deadline.as_deref().unwrap_or("")
        );
        for c in &line.cells {
            let _ = write!(out, " {} |", score_label(c.as_ref().and_then(|c| c.score)));
        }
        match line.average {
            Some(a) => {
                let _ = writeln!(out, " {a:+.2} |");
            }
            None => out.push_str(" – |\n"),
        }
    }
    out.push('\n');
    if !card.overdue.is_empty() {
        let _ = writeln!(out, "## Deadlines passed without full compliance\n");
        for o in &card.overdue {
            let _ = writeln!(
                out,
                "- {} ({}), due {}: {} {}",
                excerpt(&o.text, 120),
                o.commitment_id,
                o.deadline,
                o.member,
                match o.score {
                    Some(s) => format!("scored {}", score_label(Some(s))),
                    None => "not assessed".into(),
                }
            );
        }
        out.push('\n');
    }
    out
}

/// The scorecard as CSV: one row per group (`kind` member, theme, summit or
/// overall) with its counts, average and percentage.
pub fn csv(card: &Scorecard) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "kind", "key", "scored", "full", "partial", "none", "average", "percent",
    ]);
    let groups = card
        .by_member
        .iter()
        .map(|c| ("member", c))
        .chain(card.by_theme.iter().map(|c| ("theme", c)))
        .chain(card.by_summit.iter().map(|c| ("summit", c)))
        .chain(std::iter::once(("overall", &card.overall)));
    for (kind, c) in groups {
        let _ = w.write_record([
            kind.to_string(),
            // A summit's name comes from the documents.
            accord_model::spreadsheet_text(&c.key).into_owned(),
            c.scored.to_string(),
            c.full.to_string(),
            c.partial.to_string(),
            c.none.to_string(),
            format!("{:.4}", c.average),
            format!("{:.2}", c.percent),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
