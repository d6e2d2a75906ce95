//! Links across summits: a later commitment continues, expands or repeats
//! an earlier summit's commitment.

use crate::align::round;
use crate::text::Corpus;
use crate::{summit_series, Item, Pair};
use std::collections::{BTreeMap, HashMap};

/// How a later commitment relates to an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// Carries on the same work.
    Continues,
    /// Goes further: new targets, wider scope.
    Expands,
    /// Says it again: "restart", "resume", "again", or nearly the same words;
    /// a sign of no visible progress.
    Repeats,
}

impl LinkKind {
    /// The lowercase name used in the store and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Continues => "continues",
            LinkKind::Expands => "expands",
            LinkKind::Repeats => "repeats",
        }
    }

    /// Parses [`LinkKind::as_str`] back.
    pub fn parse(name: &str) -> Option<LinkKind> {
        [LinkKind::Continues, LinkKind::Expands, LinkKind::Repeats]
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

/// Thresholds of linking.
#[derive(Debug, Clone, Copy)]
pub struct LinkOptions {
    /// The best earlier match in a document is linked when at least this
    /// similar.
    pub threshold: f64,
    /// A link at least this similar is kept even when the later
    /// commitment is not the earlier one's best match in its document.
    pub mutual: f64,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions {
            threshold: 0.25,
            mutual: 0.5,
        }
    }
}

/// Links each commitment to the commitments of earlier summits of the same
/// series (NALS 2023 -> NALS 2021) that it continues: in each earlier
/// document, its best match if similar enough.
pub fn link(items: &[Item], corpus: &Corpus, options: &LinkOptions) -> Vec<Pair> {
    // Series -> year -> item indices.
    let mut series: BTreeMap<String, BTreeMap<i32, Vec<usize>>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        let Some(summit) = item.summit.as_deref() else {
            continue;
        };
        let (name, year) = summit_series(summit);
        if let Some(year) = year {
            series
                .entry(name)
                .or_default()
                .entry(year)
                .or_default()
                .push(i);
        }
    }
    let max_df = (corpus.len() / 10).max(20);
    let mut out = Vec::new();
    for years in series.values() {
        // Inverted index of earlier items, built as the years go by.
        let mut postings: HashMap<&str, Vec<usize>> = HashMap::new();
        for members in years.values() {
            for &later in members {
                let mut seen: HashMap<usize, f64> = HashMap::new();
                for key in corpus.keys(later, max_df, 40) {
                    for &earlier in postings.get(key).map(Vec::as_slice).unwrap_or(&[]) {
                        seen.entry(earlier)
                            .or_insert_with(|| corpus.similarity(later, earlier));
                    }
                }
                // Best per earlier document.
                let mut best: HashMap<&str, (usize, f64)> = HashMap::new();
                for (earlier, score) in seen {
                    let doc = items[earlier].document_id.as_str();
                    if best
                        .get(doc)
                        .is_none_or(|b| score > b.1 || (score == b.1 && earlier < b.0))
                    {
                        best.insert(doc, (earlier, score));
                    }
                }
                let mut pairs: Vec<Pair> = best
                    .into_values()
                    .filter(|(_, score)| *score >= options.threshold)
                    .map(|(earlier, score)| Pair {
                        a: items[later].id.clone(),
                        b: items[earlier].id.clone(),
                        score: round(score),
                        kind: Some(kind(&items[later].text, &items[earlier].text, score)),
                    })
                    .collect();
                pairs.sort_by(|p, q| p.b.cmp(&q.b));
                out.extend(pairs);
            }
            for &i in members {
                for key in corpus.keys(i, max_df, 40) {
                    postings.entry(key).or_default().push(i);
                }
            }
        }
    }
    mutual(items, out, options.mutual)
}

/// Keeps a link when it is strong, or when the later commitment is also the
/// earlier one's best match in the later document.
fn mutual(items: &[Item], links: Vec<Pair>, strong: f64) -> Vec<Pair> {
    let document: HashMap<&str, &str> = items
        .iter()
        .map(|i| (i.id.as_str(), i.document_id.as_str()))
        .collect();
    let mut best: HashMap<(&str, &str), f64> = HashMap::new();
    for p in &links {
        let key = (
            p.b.as_str(),
            document.get(p.a.as_str()).copied().unwrap_or(""),
        );
        let entry = best.entry(key).or_insert(p.score);
        *entry = entry.max(p.score);
    }
    links
        .iter()
        .filter(|p| {
            p.score >= strong
                || best
                    .get(&(
                        p.b.as_str(),
                        document.get(p.a.as_str()).copied().unwrap_or(""),
                    ))
                    .is_some_and(|b| p.score >= *b)
        })
        .cloned()
        .collect()
}

/// The kind of a link, from the later wording.
pub fn kind(later: &str, earlier: &str, score: f64) -> LinkKind {
    let lower = later.to_lowercase();
    let again = [
        "restart",
        "resum",
        "again",
        "relaunch",
        "reconven",
        "re-establish",
        "reestablish",
        "revitaliz",
    ];
    if again.iter().any(|w| lower.contains(w)) || score >= 0.8 {
        return LinkKind::Repeats;
    }
    let has_number = |t: &str| {
        t.split_whitespace()
            .any(|w| w.contains('%') || w.starts_with('$'))
    };
    let expand = [
        "expand",
        "new ",
        "increas",
        "scale up",
        "additional",
        "further",
        "launch",
    ];
    if (has_number(later) && !has_number(earlier)) || expand.iter().any(|w| lower.contains(w)) {
        return LinkKind::Expands;
    }
    LinkKind::Continues
}
