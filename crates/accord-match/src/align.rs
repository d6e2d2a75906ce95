//! Alignment of the versions of one summit: which commitments of its
//! documents are the same commitment.

use crate::text::{Corpus, Term};
use crate::{Item, Pair};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Thresholds of alignment, chosen on the bundled corpus (see
/// ARCHITECTURE.md) and kept general.
#[derive(Debug, Clone, Copy)]
pub struct AlignOptions {
    /// A pair at least this similar is the same commitment.
    pub strong: f64,
    /// A pair at least this similar is the same commitment when each is
    /// the other's best match in its document.
    pub best: f64,
    /// [`AlignOptions::best`] for a pair with a general statement (see
    /// [`Corpus::is_general`]).
    pub general: f64,
    /// A pair at least this similar is the same commitment when one is the
    /// other's best match (the other may bundle it with more).
    pub one_way: f64,
    /// A pair closing a triangle of aligned versions is aligned when at
    /// least this similar.
    pub triangle: f64,
    /// A match counts as a best match when it is at least this share of
    /// the best one's score.
    pub near: f64,
    /// A commitment is one of those a bundle sentence of the other version
    /// holds when one of the bundle's parts is at least this similar to it
    /// and no other commitment of that version is closer.
    pub part: f64,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            strong: 0.5,
            best: 0.2,
            general: 0.25,
            one_way: 0.35,
            near: 0.85,
            triangle: 0.2,
            part: 0.45,
        }
    }
}

/// Pairs of commitments of different documents of the same summit that are
/// the same commitment, with their similarity. One-to-many pairs appear
/// when one version bundles several commitments into one sentence.
pub fn align(items: &[Item], corpus: &Corpus, options: &AlignOptions) -> Vec<Pair> {
    // Items by summit, then by document.
    let mut by_summit: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(summit) = item.summit.as_deref() {
            by_summit
                .entry(summit)
                .or_default()
                .entry(item.document_id.as_str())
                .or_default()
                .push(i);
        }
    }
    let index: HashMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.id.as_str(), i))
        .collect();
    // Summits are aligned on every core, their pairs kept in summit order.
    let summits: Vec<&BTreeMap<&str, Vec<usize>>> = by_summit.values().collect();
    summits
        .par_iter()
        .map(|documents| align_summit(documents, &index, corpus, items, options))
        .collect::<Vec<Vec<Pair>>>()
        .concat()
}

/// The pairs of one summit's documents.
fn align_summit(
    documents: &BTreeMap<&str, Vec<usize>>,
    index: &HashMap<&str, usize>,
    corpus: &Corpus,
    items: &[Item],
    options: &AlignOptions,
) -> Vec<Pair> {
    let mut out = Vec::new();
    let docs: Vec<&[usize]> = documents.values().map(Vec::as_slice).collect();
    // Candidates through shared distinctive terms within the summit.
    let candidates = Candidates::of(&docs, corpus);
    for (x, doc_a) in docs.iter().enumerate() {
        for (y, doc_b) in docs.iter().enumerate().skip(x + 1) {
            out.extend(align_documents(
                (x, doc_a),
                (y, doc_b),
                &candidates,
                corpus,
                items,
                options,
            ));
        }
    }
    let closure = close_triangles(&out, index, corpus, items, options.triangle);
    out.extend(closure);
    out
}

/// The same commitment is one commitment in every version: when `a` is
/// aligned with `b` and with `c` (of a third document), `b` and `c` are
/// aligned too if at least `threshold` similar.
fn close_triangles<'a>(
    pairs: &'a [Pair],
    index: &HashMap<&str, usize>,
    corpus: &Corpus,
    items: &[Item],
    threshold: f64,
) -> Vec<Pair> {
    let mut neighbours: HashMap<&str, Vec<&str>> = HashMap::new();
    for p in pairs {
        neighbours
            .entry(p.a.as_str())
            .or_default()
            .push(p.b.as_str());
        neighbours
            .entry(p.b.as_str())
            .or_default()
            .push(p.a.as_str());
    }
    // Pairs as (smaller id, larger id): known ones, and those added here.
    let key = |x: &'a str, y: &'a str| if x <= y { (x, y) } else { (y, x) };
    let mut seen: HashSet<(&str, &str)> = pairs
        .iter()
        .map(|p| key(p.a.as_str(), p.b.as_str()))
        .collect();
    let mut out: Vec<Pair> = Vec::new();
    for list in neighbours.values() {
        for (k, &x) in list.iter().enumerate() {
            for &y in &list[k + 1..] {
                let (Some(&i), Some(&j)) = (index.get(x), index.get(y)) else {
                    continue;
                };
                if items[i].document_id == items[j].document_id || !seen.insert(key(x, y)) {
                    continue;
                }
                let score = corpus
                    .similarity(i, j)
                    .max(corpus.bundle_similarity(i, j))
                    .max(corpus.bundle_similarity(j, i));
                if score >= threshold {
                    out.push(Pair {
                        a: x.to_string(),
                        b: y.to_string(),
                        score: round(score),
                        kind: None,
                    });
                }
            }
        }
    }
    out
}

/// For each item of a summit, the items of the summit's other documents
/// that share a distinctive term with it, by document: a document's
/// versions of the item are found without going through the others'.
/// Documents are numbered in the summit's order.
struct Candidates {
    /// Per item: its candidates as (document, item), in order.
    of: FxHashMap<usize, Vec<(usize, usize)>>,
}

impl Candidates {
    /// The candidates of the items of `docs`.
    fn of(docs: &[&[usize]], corpus: &Corpus) -> Candidates {
        let max_df = (corpus.len() / 10).max(20);
        let mut postings: FxHashMap<Term, Vec<(usize, usize)>> = FxHashMap::default();
        for (d, members) in docs.iter().enumerate() {
            for &i in members.iter() {
                for key in corpus.keys(i, max_df, 40) {
                    postings.entry(key).or_default().push((d, i));
                }
            }
        }
        let mut of: FxHashMap<usize, Vec<(usize, usize)>> = FxHashMap::default();
        for list in postings.values() {
            if list.len() > 200 {
                continue;
            }
            for &(d, i) in list {
                for &(e, j) in list {
                    if d != e {
                        of.entry(i).or_default().push((e, j));
                    }
                }
            }
        }
        for list in of.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        Candidates { of }
    }

    /// The candidates of item `i` in document `doc`, in order.
    fn in_document(&self, i: usize, doc: usize) -> impl Iterator<Item = usize> + '_ {
        let list = self.of.get(&i).map_or(&[][..], Vec::as_slice);
        let start = list.partition_point(|&(d, _)| d < doc);
        list[start..]
            .iter()
            .take_while(move |&&(d, _)| d == doc)
            .map(|&(_, j)| j)
    }

    /// True when item `j` of document `doc` is a candidate of item `i`.
    fn contains(&self, i: usize, doc: usize, j: usize) -> bool {
        self.of
            .get(&i)
            .is_some_and(|list| list.binary_search(&(doc, j)).is_ok())
    }
}

/// The pairs of two versions of a summit's statement, each given as its
/// document's number among the summit's and its items.
fn align_documents(
    (doc_a, a): (usize, &[usize]),
    (doc_b, b): (usize, &[usize]),
    candidates: &Candidates,
    corpus: &Corpus,
    items: &[Item],
    options: &AlignOptions,
) -> Vec<Pair> {
    let mut scores: FxHashMap<(usize, usize), f64> = FxHashMap::default();
    for &i in a {
        for j in candidates.in_document(i, doc_b) {
            scores.insert((i, j), corpus.similarity(i, j));
        }
    }
    // Each item's best match in the other version: the highest score, the
    // lowest number among equal scores.
    let mut best_in_b: FxHashMap<usize, (usize, f64)> = FxHashMap::default();
    let mut best_in_a: FxHashMap<usize, (usize, f64)> = FxHashMap::default();
    for (&(i, j), &s) in &scores {
        keep_best(&mut best_in_b, i, (j, s));
        keep_best(&mut best_in_a, j, (i, s));
    }
    let mut out: Vec<Pair> = scores
        .iter()
        .filter(|((i, j), s)| {
            let a_picks_b = best_in_b
                .get(i)
                .is_some_and(|m| m.0 == *j || **s >= options.near * m.1);
            let b_picks_a = best_in_a
                .get(j)
                .is_some_and(|m| m.0 == *i || **s >= options.near * m.1);
            let best = if corpus.is_general(*i) || corpus.is_general(*j) {
                options.general
            } else {
                options.best
            };
            **s >= options.strong
                || (**s >= best && a_picks_b && b_picks_a)
                || (**s >= options.one_way && (a_picks_b || b_picks_a))
        })
        .map(|((i, j), s)| Pair {
            a: items[*i].id.clone(),
            b: items[*j].id.clone(),
            score: round(*s),
            kind: None,
        })
        .collect();
    // One-to-many: a bundle sentence holds each commitment one of its parts
    // matches better than anything else in the bundle's version, once at
    // least two commitments of the other version are found in it.
    for (bundles, bundles_doc, others, others_best, bundle_is_b) in [
        (b, doc_b, a, &best_in_b, true),
        (a, doc_a, b, &best_in_a, false),
    ] {
        for &x in bundles.iter().filter(|&&x| corpus.is_bundle(x)) {
            let held: Vec<(usize, f64)> = others
                .iter()
                .filter(|&&y| !corpus.is_bundle(y) && candidates.contains(y, bundles_doc, x))
                .map(|&y| (y, corpus.bundle_similarity(x, y)))
                .filter(|&(y, part)| {
                    part >= options.part
                        && !others_best
                            .get(&y)
                            .is_some_and(|&(best, s)| best != x && s > part)
                })
                .collect();
            if held.len() < 2 {
                continue;
            }
            for (y, part) in held {
                let (first, second) = if bundle_is_b { (y, x) } else { (x, y) };
                let pair = Pair {
                    a: items[first].id.clone(),
                    b: items[second].id.clone(),
                    score: round(part),
                    kind: None,
                };
                if !out.iter().any(|p| p.a == pair.a && p.b == pair.b) {
                    out.push(pair);
                }
            }
        }
    }
    let mut out = prefer_specific(out, a, b, corpus, items, options.strong);
    out.sort_by(|p, q| p.a.cmp(&q.a).then(p.b.cmp(&q.b)));
    out
}

/// Makes `match_` the best match of `item` when it scores higher than the
/// one kept, or the same with a lower number.
fn keep_best(best: &mut FxHashMap<usize, (usize, f64)>, item: usize, match_: (usize, f64)) {
    best.entry(item)
        .and_modify(|kept| {
            if match_
                .1
                .total_cmp(&kept.1)
                .then(kept.0.cmp(&match_.0))
                .is_gt()
            {
                *kept = match_;
            }
        })
        .or_insert(match_);
}

/// A general statement is not the version of a commitment that a specific
/// statement of the same document also matches ("We stand firm in our
/// commitment to racial justice" beside "working toward a trilateral plan
/// for racial equity"): such a pair is dropped unless at least `strong`.
fn prefer_specific(
    pairs: Vec<Pair>,
    a: &[usize],
    b: &[usize],
    corpus: &Corpus,
    items: &[Item],
    strong: f64,
) -> Vec<Pair> {
    let index: HashMap<&str, usize> = a
        .iter()
        .chain(b)
        .map(|&k| (items[k].id.as_str(), k))
        .collect();
    // Each commitment's partners, by index.
    let mut partners: HashMap<usize, Vec<usize>> = HashMap::new();
    for p in &pairs {
        let (x, y) = (index[p.a.as_str()], index[p.b.as_str()]);
        partners.entry(x).or_default().push(y);
        partners.entry(y).or_default().push(x);
    }
    // True when `general` is general and `other` has a specific partner
    // besides it.
    let outdone = |general: usize, other: usize| {
        corpus.is_general(general)
            && partners[&other]
                .iter()
                .any(|&z| z != general && !corpus.is_general(z))
    };
    pairs
        .into_iter()
        .filter(|p| {
            let (x, y) = (index[p.a.as_str()], index[p.b.as_str()]);
            p.score >= strong || !(outdone(x, y) || outdone(y, x))
        })
        .collect()
}

pub(crate) fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_by_document_are_the_items_of_other_documents_sharing_a_key() {
        let texts = [
            (
                "a",
                "We will launch a clean hydrogen partnership with industry.",
            ),
            (
                "a",
                "We will expand the critical minerals mapping initiative.",
            ),
            ("a", "Leaders will meet again next year."),
            ("b", "The partners will launch a hydrogen partnership."),
            ("b", "We commit to mapping critical minerals together."),
            (
                "c",
                "A clean hydrogen partnership will be launched with industry.",
            ),
            ("c", "Critical minerals mapping will expand."),
            ("c", "Leaders will meet again in Ottawa next year."),
        ];
        let items: Vec<Item> = texts
            .iter()
            .enumerate()
            .map(|(k, (doc, text))| Item {
                id: format!("{doc}-{k}"),
                document_id: doc.to_string(),
                summit: Some("NALS 2023".into()),
                text: text.to_string(),
                initiatives: Vec::new(),
            })
            .collect();
        let corpus = Corpus::new(&items);
        let docs: Vec<Vec<usize>> = ["a", "b", "c"]
            .iter()
            .map(|d| {
                (0..items.len())
                    .filter(|&i| items[i].document_id == *d)
                    .collect()
            })
            .collect();
        let slices: Vec<&[usize]> = docs.iter().map(Vec::as_slice).collect();
        let candidates = Candidates::of(&slices, &corpus);
        let max_df = (corpus.len() / 10).max(20);
        let keys: Vec<Vec<Term>> = (0..items.len())
            .map(|i| corpus.keys(i, max_df, 40))
            .collect();
        let mut found = 0;
        for (d, members) in docs.iter().enumerate() {
            for &i in members {
                for (e, others) in docs.iter().enumerate() {
                    let expected: Vec<usize> = others
                        .iter()
                        .copied()
                        .filter(|&j| d != e && keys[i].iter().any(|k| keys[j].contains(k)))
                        .collect();
                    let got: Vec<usize> = candidates.in_document(i, e).collect();
                    assert_eq!(got, expected, "item {i} in document {e}");
                    for &j in others {
                        assert_eq!(candidates.contains(i, e, j), expected.contains(&j));
                    }
                    found += got.len();
                }
            }
        }
        assert!(found > 0, "the texts share distinctive terms");
    }
}
