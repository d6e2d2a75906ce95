//! Alignment of the versions of one summit: which commitments of its
//! documents are the same commitment.

use crate::text::{Corpus, Term};
use crate::{Item, Pair};
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
    let mut out = Vec::new();
    let index: HashMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.id.as_str(), i))
        .collect();
    for documents in by_summit.values() {
        let first_new = out.len();
        let docs: Vec<&Vec<usize>> = documents.values().collect();
        // Candidates through shared distinctive terms within the summit.
        let summit_items: Vec<usize> = docs.iter().flat_map(|d| d.iter().copied()).collect();
        let candidates = candidates(&summit_items, corpus, items);
        for (x, doc_a) in docs.iter().enumerate() {
            for doc_b in docs.iter().skip(x + 1) {
                out.extend(align_documents(
                    doc_a,
                    doc_b,
                    &candidates,
                    corpus,
                    items,
                    options,
                ));
            }
        }
        let closure = close_triangles(&out[first_new..], &index, corpus, items, options.triangle);
        out.extend(closure);
    }
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

/// For each item, the items sharing a distinctive term with it.
fn candidates(members: &[usize], corpus: &Corpus, items: &[Item]) -> HashMap<usize, Vec<usize>> {
    let max_df = (corpus.len() / 10).max(20);
    let mut postings: HashMap<Term, Vec<usize>> = HashMap::new();
    for &i in members {
        for key in corpus.keys(i, max_df, 40) {
            postings.entry(key).or_default().push(i);
        }
    }
    let mut out: HashMap<usize, Vec<usize>> = HashMap::new();
    for list in postings.values() {
        if list.len() > 200 {
            continue;
        }
        for &i in list {
            for &j in list {
                if items[i].document_id != items[j].document_id {
                    out.entry(i).or_default().push(j);
                }
            }
        }
    }
    for list in out.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    out
}

fn align_documents(
    a: &[usize],
    b: &[usize],
    candidates: &HashMap<usize, Vec<usize>>,
    corpus: &Corpus,
    items: &[Item],
    options: &AlignOptions,
) -> Vec<Pair> {
    let mut scores: HashMap<(usize, usize), f64> = HashMap::new();
    for &i in a {
        for &j in candidates.get(&i).map(Vec::as_slice).unwrap_or(&[]) {
            if b.contains(&j) {
                scores.insert((i, j), corpus.similarity(i, j));
            }
        }
    }
    let best_of = |i: usize, pick_first: bool| -> Option<(usize, f64)> {
        scores
            .iter()
            .filter(|((x, y), _)| if pick_first { *x == i } else { *y == i })
            .map(|((x, y), s)| (if pick_first { *y } else { *x }, *s))
            .max_by(|p, q| p.1.total_cmp(&q.1).then(q.0.cmp(&p.0)))
    };
    let best_in_b: HashMap<usize, (usize, f64)> = a
        .iter()
        .filter_map(|&i| best_of(i, true).map(|m| (i, m)))
        .collect();
    let best_in_a: HashMap<usize, (usize, f64)> = b
        .iter()
        .filter_map(|&j| best_of(j, false).map(|m| (j, m)))
        .collect();
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
    for (bundles, others, others_best, bundle_is_b) in
        [(b, a, &best_in_b, true), (a, b, &best_in_a, false)]
    {
        for &x in bundles.iter().filter(|&&x| corpus.is_bundle(x)) {
            let held: Vec<(usize, f64)> = others
                .iter()
                .filter(|&&y| {
                    !corpus.is_bundle(y) && candidates.get(&y).is_some_and(|c| c.contains(&x))
                })
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
