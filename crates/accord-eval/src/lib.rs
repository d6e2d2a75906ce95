//! Scores a ledger export against a gold file (the `accord-gold/1` format):
//! precision, recall and F1 for commitments and for the two pair lists,
//! with the missed and spurious items.
//!
//! The matching is the same as the reference scorer's: an extracted
//! commitment matches the gold commitment of the same source file whose
//! words it overlaps most, if it lies mostly inside that gold quote (or
//! covers most of it). Precision counts extracted commitments matching any
//! gold commitment; recall counts required gold commitments matched. Pairs
//! are mapped through that matching and scored as distinct gold-id pairs.
#![deny(missing_docs)]

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

/// Errors of evaluation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The gold or export file is not valid JSON of the expected shape
    /// (the parse error is its source, not repeated in its message).
    #[error("{what} is malformed")]
    Malformed {
        /// "gold file" or "export".
        what: &'static str,
        /// The parse error.
        source: serde_json::Error,
    },
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A gold file.
#[derive(Debug, Clone, Deserialize)]
pub struct Gold {
    /// Gold commitments.
    pub commitments: Vec<GoldCommitment>,
    /// Gold pairs of the same commitment.
    #[serde(default)]
    pub same_commitment: Vec<GoldPair>,
    /// Gold follow-up pairs.
    #[serde(default)]
    pub follows_up: Vec<GoldFollow>,
}

/// One gold commitment.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldCommitment {
    /// Gold id.
    pub id: String,
    /// Source file name.
    pub doc: String,
    /// The commitment's words.
    pub quote: String,
    /// False for borderline items.
    #[serde(default = "yes")]
    pub required: bool,
}

/// A gold `same_commitment` pair.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldPair {
    /// Gold id.
    pub a: String,
    /// Gold id.
    pub b: String,
    /// False for borderline pairs.
    #[serde(default = "yes")]
    pub required: bool,
}

/// A gold `follows_up` pair.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldFollow {
    /// Gold id of the later commitment.
    pub later: String,
    /// Gold id of the earlier commitment.
    pub earlier: String,
    /// False for borderline pairs.
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

/// The parts of an export that scoring reads.
#[derive(Debug, Clone, Deserialize)]
pub struct Export {
    /// Documents.
    pub documents: Vec<ExportDocument>,
    /// Commitments.
    pub commitments: Vec<ExportCommitment>,
    /// Pairs of the same commitment.
    #[serde(default)]
    pub same_commitment: Vec<ExportPair>,
    /// Follow-up pairs.
    #[serde(default)]
    pub follows_up: Vec<ExportFollow>,
}

/// An exported document.
#[derive(Debug, Clone, Deserialize)]
pub struct ExportDocument {
    /// Document id.
    pub id: String,
    /// File name.
    pub source_file: String,
}

/// An exported commitment.
#[derive(Debug, Clone, Deserialize)]
pub struct ExportCommitment {
    /// Commitment id.
    pub id: String,
    /// Document id.
    pub document_id: String,
    /// Text.
    pub text: String,
}

/// An exported `same_commitment` pair.
#[derive(Debug, Clone, Deserialize)]
pub struct ExportPair {
    /// Commitment id.
    pub a: String,
    /// Commitment id.
    pub b: String,
}

/// An exported `follows_up` pair.
#[derive(Debug, Clone, Deserialize)]
pub struct ExportFollow {
    /// Later commitment id.
    pub later: String,
    /// Earlier commitment id.
    pub earlier: String,
}

/// Precision, recall and F1 of one list.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
    /// Number of predicted items.
    pub predicted: usize,
    /// Number of required gold items.
    pub gold: usize,
}

impl Prf {
    fn new(tp_precision: usize, n_predicted: usize, tp_recall: usize, n_gold: usize) -> Prf {
        let p = if n_predicted > 0 {
            tp_precision as f64 / n_predicted as f64
        } else {
            0.0
        };
        let r = if n_gold > 0 {
            tp_recall as f64 / n_gold as f64
        } else {
            0.0
        };
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        Prf {
            precision: round3(p),
            recall: round3(r),
            f1: round3(f),
            predicted: n_predicted,
            gold: n_gold,
        }
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The scores and the items behind them.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Gold documents present in the export.
    pub documents: usize,
    /// Commitment scores.
    pub commitments: Prf,
    /// `same_commitment` scores.
    pub same_commitment: Prf,
    /// `follows_up` scores.
    pub follows_up: Prf,
    /// Required gold commitments no extracted commitment matched: `id: quote`.
    pub missed: Vec<String>,
    /// Extracted commitments that match no gold commitment: `id: text`.
    pub spurious: Vec<String>,
}

static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new("[a-z0-9]+").expect("valid regex"));

fn words(text: &str) -> HashMap<String, usize> {
    let lower = text.to_lowercase();
    let mut out = HashMap::new();
    for m in WORD.find_iter(&lower) {
        *out.entry(m.as_str().to_string()).or_insert(0) += 1;
    }
    out
}

fn overlap(a: &HashMap<String, usize>, b: &HashMap<String, usize>) -> usize {
    a.iter()
        .map(|(w, n)| (*n).min(*b.get(w).unwrap_or(&0)))
        .sum()
}

/// Parses and scores.
pub fn score_json(gold: &str, export: &str) -> Result<Report> {
    let gold: Gold = serde_json::from_str(gold).map_err(|source| Error::Malformed {
        what: "gold file",
        source,
    })?;
    let export: Export = serde_json::from_str(export).map_err(|source| Error::Malformed {
        what: "export",
        source,
    })?;
    Ok(score(&gold, &export))
}

/// Scores an export against gold.
pub fn score(gold: &Gold, export: &Export) -> Report {
    let files: HashMap<&str, &str> = export
        .documents
        .iter()
        .map(|d| {
            (
                d.id.as_str(),
                d.source_file.rsplit('/').next().unwrap_or(&d.source_file),
            )
        })
        .collect();
    let present: BTreeSet<&str> = files.values().copied().collect();
    let gold_c: Vec<&GoldCommitment> = gold
        .commitments
        .iter()
        .filter(|g| present.contains(g.doc.as_str()))
        .collect();
    let gold_words: Vec<(HashMap<String, usize>, usize)> = gold_c
        .iter()
        .map(|g| {
            let w = words(&g.quote);
            let n = w.values().sum::<usize>().max(1);
            (w, n)
        })
        .collect();
    let mut by_file: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, g) in gold_c.iter().enumerate() {
        by_file.entry(g.doc.as_str()).or_default().push(i);
    }
    let mut mapping: HashMap<&str, Option<&str>> = HashMap::new();
    for c in &export.commitments {
        let e = words(&c.text);
        let ne = e.values().sum::<usize>().max(1);
        let mut best: (Option<&str>, f64) = (None, 0.0);
        let file = files.get(c.document_id.as_str()).copied().unwrap_or("");
        for &gi in by_file.get(file).map(Vec::as_slice).unwrap_or(&[]) {
            let (gw, ng) = &gold_words[gi];
            let ov = overlap(&e, gw);
            let inside = ov as f64 / ne as f64;
            let covers = ov as f64 / *ng as f64;
            if (inside >= 0.7 && covers >= 0.3) || (covers >= 0.8 && inside >= 0.5) {
                let dice = 2.0 * ov as f64 / (ne + ng) as f64;
                if dice > best.1 {
                    best = (Some(gold_c[gi].id.as_str()), dice);
                }
            }
        }
        mapping.insert(c.id.as_str(), best.0);
    }
    let matched: BTreeSet<&str> = mapping.values().flatten().copied().collect();
    let required: Vec<&&GoldCommitment> = gold_c.iter().filter(|g| g.required).collect();
    let commitments = Prf::new(
        mapping.values().filter(|v| v.is_some()).count(),
        export.commitments.len(),
        required
            .iter()
            .filter(|g| matched.contains(g.id.as_str()))
            .count(),
        required.len(),
    );
    let gold_ids: BTreeSet<&str> = gold_c.iter().map(|g| g.id.as_str()).collect();
    let same: Vec<(&str, &str, bool)> = gold
        .same_commitment
        .iter()
        .map(|p| (p.a.as_str(), p.b.as_str(), p.required))
        .collect();
    let predicted_same: Vec<(&str, &str)> = export
        .same_commitment
        .iter()
        .map(|p| (p.a.as_str(), p.b.as_str()))
        .collect();
    let follows: Vec<(&str, &str, bool)> = gold
        .follows_up
        .iter()
        .map(|p| (p.later.as_str(), p.earlier.as_str(), p.required))
        .collect();
    let predicted_follows: Vec<(&str, &str)> = export
        .follows_up
        .iter()
        .map(|p| (p.later.as_str(), p.earlier.as_str()))
        .collect();
    let text_of: HashMap<&str, &str> = export
        .commitments
        .iter()
        .map(|c| (c.id.as_str(), c.text.as_str()))
        .collect();
    let mut spurious: Vec<String> = export
        .commitments
        .iter()
        .filter(|c| mapping.get(c.id.as_str()).is_some_and(|m| m.is_none()))
        .map(|c| format!("{}: {}", c.id, text_of.get(c.id.as_str()).unwrap_or(&"")))
        .collect();
    spurious.sort();
    Report {
        documents: present
            .iter()
            .filter(|f| gold.commitments.iter().any(|g| g.doc == **f))
            .count(),
        commitments,
        same_commitment: score_pairs(&predicted_same, &same, &mapping, &gold_ids, true),
        follows_up: score_pairs(&predicted_follows, &follows, &mapping, &gold_ids, false),
        missed: required
            .iter()
            .filter(|g| !matched.contains(g.id.as_str()))
            .map(|g| format!("{}: {}", g.id, g.quote))
            .collect(),
        spurious,
    }
}

fn score_pairs(
    predicted: &[(&str, &str)],
    gold: &[(&str, &str, bool)],
    mapping: &HashMap<&str, Option<&str>>,
    gold_ids: &BTreeSet<&str>,
    symmetric: bool,
) -> Prf {
    let key = |a: &str, b: &str| -> (String, String) {
        if symmetric && b < a {
            (b.to_string(), a.to_string())
        } else {
            (a.to_string(), b.to_string())
        }
    };
    let mut gold_any = BTreeSet::new();
    let mut gold_required = BTreeSet::new();
    for (a, b, required) in gold {
        if !gold_ids.contains(a) || !gold_ids.contains(b) {
            continue;
        }
        gold_any.insert(key(a, b));
        if *required {
            gold_required.insert(key(a, b));
        }
    }
    let mut seen = BTreeSet::new();
    for (a, b) in predicted {
        match (
            mapping.get(a).copied().flatten(),
            mapping.get(b).copied().flatten(),
        ) {
            (Some(ga), Some(gb)) if ga != gb => {
                seen.insert(key(ga, gb));
            }
            _ => {
                seen.insert((format!("unmatched {a}"), b.to_string()));
            }
        }
    }
    let tp = seen.iter().filter(|k| gold_any.contains(*k)).count();
    let hit = gold_required.iter().filter(|k| seen.contains(*k)).count();
    Prf::new(tp, seen.len(), hit, gold_required.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_a_small_example_by_hand() {
        let gold = r#"{"commitments": [
            {"id": "g1", "doc": "a.txt", "quote": "We will build a bridge across the river by 2030.", "required": true},
            {"id": "g2", "doc": "a.txt", "quote": "We commit to plant ten thousand trees in the valley.", "required": true},
            {"id": "g3", "doc": "a.txt", "quote": "We seek to deepen our ties.", "required": false}],
          "same_commitment": [], "follows_up": []}"#;
        let export = r#"{"documents": [{"id": "d", "source_file": "dir/a.txt"}],
          "commitments": [
            {"id": "c1", "document_id": "d", "text": "We will build a bridge across the river by 2030."},
            {"id": "c2", "document_id": "d", "text": "Our economies are strong and growing every year."},
            {"id": "c3", "document_id": "d", "text": "We seek to deepen our ties."}]}"#;
        let r = score_json(gold, export).unwrap();
        // 2 of 3 extracted match gold (g1, optional g3); 1 of 2 required found.
        assert_eq!(
            (r.commitments.precision, r.commitments.recall),
            (0.667, 0.5)
        );
        assert_eq!(r.missed.len(), 1);
        assert!(r.missed[0].starts_with("g2"));
        assert_eq!(r.spurious.len(), 1);
    }
}
