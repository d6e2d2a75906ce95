//! Links across summits: a later commitment continues, expands or repeats
//! an earlier summit's commitment.

use crate::align::{align, round, AlignOptions};
use crate::text::{Corpus, Spread, Term};
use crate::{summit_series, Item, Pair};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, BTreeSet};

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
    /// A link from or to a general statement (see [`Corpus::is_general`])
    /// is kept only when at least this similar.
    pub general: f64,
    /// The versions of a later commitment aligned with it at least this
    /// closely follow up what it follows up …
    pub version_alignment: f64,
    /// … when at least this similar to the earlier commitment themselves.
    pub version: f64,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions {
            threshold: 0.25,
            mutual: 0.5,
            general: 0.45,
            version_alignment: 0.55,
            version: 0.15,
        }
    }
}

/// Links each commitment to the commitments of earlier summits of the same
/// series (NALS 2023 -> NALS 2021) that it continues: in each earlier
/// document, its best match if similar enough; see [`link_aligned`].
pub fn link(items: &[Item], corpus: &Corpus, options: &LinkOptions) -> Vec<Pair> {
    let aligned = align(items, corpus, &AlignOptions::default());
    link_aligned(items, corpus, options, &aligned)
}

/// [`link`] given the `same_commitment` pairs of `items` ([`align`]'s
/// output), which tell the versions of one commitment apart from different
/// commitments: a later commitment does not link to two commitments of one
/// earlier summit that its alignment tells apart, and the versions of a
/// later commitment follow up the same earlier commitments.
pub fn link_aligned(
    items: &[Item],
    corpus: &Corpus,
    options: &LinkOptions,
    aligned: &[Pair],
) -> Vec<Pair> {
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
        let mut postings: FxHashMap<Term, Vec<usize>> = FxHashMap::default();
        for members in years.values() {
            // Each item's keys, found once: to look up earlier items, then
            // to index the item for later years.
            let keys: Vec<Vec<Term>> = members
                .par_iter()
                .map(|&i| corpus.keys(i, max_df, 40))
                .collect();
            // The items of a year are linked on every core (each reads
            // only earlier years), their pairs kept in the items' order.
            let linked: Vec<Vec<Pair>> = members
                .par_iter()
                .zip(&keys)
                .map_init(Spread::default, |spread, (&later, later_keys)| {
                    // Compared with many earlier items: set out by term once.
                    corpus.spread(spread, later);
                    let mut seen: FxHashMap<usize, f64> = FxHashMap::default();
                    for key in later_keys {
                        for &earlier in postings.get(key).map(Vec::as_slice).unwrap_or(&[]) {
                            seen.entry(earlier)
                                .or_insert_with(|| corpus.similarity_to_spread(spread, earlier));
                        }
                    }
                    // Best per earlier document.
                    let mut best: FxHashMap<&str, (usize, f64)> = FxHashMap::default();
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
                    pairs
                })
                .collect();
            out.extend(linked.into_iter().flatten());
            for (&i, item_keys) in members.iter().zip(keys) {
                for key in item_keys {
                    postings.entry(key).or_default().push(i);
                }
            }
        }
    }
    let links = mutual(items, out, options.mutual);
    let index: FxHashMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.id.as_str(), i))
        .collect();
    let pairs = |list: &[Pair]| -> Vec<(usize, usize)> {
        list.iter()
            .filter_map(|p| Some((*index.get(p.a.as_str())?, *index.get(p.b.as_str())?)))
            .collect()
    };
    let aligned_at: FxHashMap<(usize, usize), f64> = aligned
        .iter()
        .filter_map(|p| {
            Some((
                (*index.get(p.a.as_str())?, *index.get(p.b.as_str())?),
                p.score,
            ))
        })
        .flat_map(|((i, j), score)| [((i, j), score), ((j, i), score)])
        .collect();
    let aligned: FxHashSet<(usize, usize)> = aligned_at.keys().copied().collect();
    let links = pairs(&links);
    let links = one_commitment_per_summit(items, corpus, links, &aligned);
    let links = shared_by_versions(corpus, links, &aligned_at, options);
    let mut out: Vec<Pair> = links
        .into_iter()
        .filter(|&(later, earlier)| {
            !(corpus.is_general(later) || corpus.is_general(earlier))
                || corpus.similarity(later, earlier) >= options.general
        })
        .map(|(later, earlier)| {
            let score = corpus.similarity(later, earlier);
            Pair {
                a: items[later].id.clone(),
                b: items[earlier].id.clone(),
                score: round(score),
                kind: Some(kind(&items[later].text, &items[earlier].text, score)),
            }
        })
        .collect();
    out.sort_by(|p, q| p.a.cmp(&q.a).then(p.b.cmp(&q.b)));
    out
}

/// A later commitment continues one earlier commitment, however many
/// versions of it the earlier summit published. Of its links into one
/// earlier summit, the most similar one decides which commitment that is:
/// a link to a commitment that is not aligned with it is dropped when the
/// earlier summit's alignment gives that commitment another version in the
/// most similar one's document (so the two are different commitments).
fn one_commitment_per_summit(
    items: &[Item],
    corpus: &Corpus,
    links: Vec<(usize, usize)>,
    aligned: &FxHashSet<(usize, usize)>,
) -> Vec<(usize, usize)> {
    let summit = |i: usize| items[i].summit.as_deref().unwrap_or("");
    // (later, earlier summit) -> its most similar commitment there.
    let mut best: FxHashMap<(usize, &str), (usize, f64)> = FxHashMap::default();
    for &(later, earlier) in &links {
        let score = corpus.similarity(later, earlier);
        let entry = best
            .entry((later, summit(earlier)))
            .or_insert((earlier, score));
        if score > entry.1 || (score == entry.1 && earlier < entry.0) {
            *entry = (earlier, score);
        }
    }
    // Commitment -> the documents of its aligned versions.
    let mut versions_in: FxHashSet<(usize, &str)> = FxHashSet::default();
    for &(x, y) in aligned {
        versions_in.insert((x, items[y].document_id.as_str()));
    }
    links
        .into_iter()
        .filter(|&(later, earlier)| {
            let top = best[&(later, summit(earlier))].0;
            top == earlier
                || aligned.contains(&(top, earlier))
                || !versions_in.contains(&(earlier, items[top].document_id.as_str()))
        })
        .collect()
}

/// The versions of one commitment follow up the same earlier commitments:
/// when a later commitment follows up an earlier one, so does each version
/// aligned with it at least `version_alignment` closely, if at least
/// `version` similar to the earlier commitment itself (the Canadian bullet
/// follows up the 2021 meeting the US bullet of the same commitment
/// follows up, in other words).
fn shared_by_versions(
    corpus: &Corpus,
    links: Vec<(usize, usize)>,
    aligned_at: &FxHashMap<(usize, usize), f64>,
    options: &LinkOptions,
) -> Vec<(usize, usize)> {
    let mut versions: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for (&(x, y), &score) in aligned_at {
        if score >= options.version_alignment {
            versions.entry(x).or_default().push(y);
        }
    }
    let mut out: BTreeSet<(usize, usize)> = links.iter().copied().collect();
    for &(later, earlier) in &links {
        for &version in versions.get(&later).map(Vec::as_slice).unwrap_or(&[]) {
            if corpus.similarity(version, earlier) >= options.version {
                out.insert((version, earlier));
            }
        }
    }
    out.into_iter().collect()
}

/// Keeps a link when it is strong, or when the later commitment is also the
/// earlier one's best match in the later document.
fn mutual(items: &[Item], links: Vec<Pair>, strong: f64) -> Vec<Pair> {
    let document: FxHashMap<&str, &str> = items
        .iter()
        .map(|i| (i.id.as_str(), i.document_id.as_str()))
        .collect();
    let mut best: FxHashMap<(&str, &str), f64> = FxHashMap::default();
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
