//! Text as matching sees it: stemmed content words weighted by TF-IDF,
//! acronyms and numbers.

use crate::Item;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;
use std::sync::{Arc, LazyLock};

/// Words that say nothing about what a commitment is about: function
/// words and the vocabulary every summit statement shares.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "across",
    "after",
    "again",
    "against",
    "all",
    "along",
    "also",
    "among",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "being",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "do",
    "does",
    "during",
    "each",
    "either",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "his",
    "how",
    "i",
    "if",
    "in",
    "including",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "more",
    "most",
    "must",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "per",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "within",
    "would",
    "you",
    "your",
    "us",
    "well",
    "via",
    "like",
    "new",
    "first",
    "next",
    "last",
    "one",
    "two",
    "three",
    "year",
    "years",
    "leaders",
    "leader",
    "countries",
    "country",
    "nations",
    "governments",
    "government",
    "together",
    "trilateral",
    "bilateral",
    "commit",
    "commits",
    "committed",
    "committing",
    "commitment",
    "commitments",
    "pledge",
    "pledged",
    "pledging",
    "continue",
    "continuing",
    "work",
    "working",
    "efforts",
    "effort",
    "support",
    "supporting",
    "promote",
    "promoting",
    "advance",
    "advancing",
    "strengthen",
    "strengthening",
    "enhance",
    "including",
    "ensure",
    "president",
    "prime",
    "minister",
    "canada",
    "mexico",
    "united",
    "states",
    "u",
    "s",
    "america",
    "american",
    "north",
    "region",
    "regional",
    "partners",
    "partnership",
    "cooperation",
    "collaboration",
    "collaborate",
    "collaborating",
    "our",
    "best",
    "practices",
    "share",
    "sharing",
    "information",
];

/// A term of a [`Corpus`]: an index into its vocabulary. Terms are
/// numbered in the order of their spelling, so a vector sorted by term is
/// sorted by spelling and every sum over it runs in one fixed order.
pub type Term = u32;

/// The vectors of a set of items, weighed with vocabulary [`Statistics`]
/// (their own, or those of a larger set they belong to).
#[derive(Debug, Clone)]
pub struct Corpus {
    /// What the items are weighed with.
    stats: Arc<Statistics>,
    /// Per item: (term, weight) sorted by term, unit length.
    vectors: Vec<Vec<(Term, f64)>>,
    /// Per item: acronyms and numbers, lowercase.
    markers: Vec<Vec<String>>,
    /// Per item: the unit vectors of its parts (clauses and list
    /// members, each term weighed by its rarity), for sentences that
    /// bundle several commitments.
    parts: Vec<Vec<Vec<(Term, f64)>>>,
    /// Per item: true for a general statement (see [`Corpus::is_general`]).
    general: Vec<bool>,
}

/// The vocabulary statistics of a set of items: their words and acronym
/// definitions, their terms numbered in the order of spelling, and how
/// many items carry each. Gathered in two passes over the items' texts
/// ([`Gathering`], then [`Counting`]), so that a large set need not be
/// held at once: [`Corpus::weigh`] then weighs any part of it.
#[derive(Debug)]
pub struct Statistics {
    /// Term spelling -> term.
    terms: FxHashMap<String, Term>,
    /// Per term: its spelling (terms are numbered in its order).
    spellings: Vec<Box<str>>,
    /// Per term: number of items containing it.
    df: Vec<u32>,
    /// Per term: its inverse document frequency ([`idf`] of `n` and its
    /// `df`), worked out once rather than at each text weighed.
    idf: Vec<f64>,
    /// Number of items.
    n: usize,
    /// Every word of the items, lowercase, with what a probe needs of it
    /// (one look-up per word instead of stemming it).
    words: FxHashMap<Box<str>, Word>,
    /// The words long enough to be a joined compound, to tell most pairs
    /// of a probe's words that join into none without a look-up.
    long_words: LongWords,
    /// Acronyms defined among the items, to expand them.
    acronyms: FxHashMap<String, String>,
    /// The same acronyms, with their long forms as a probe expands them
    /// (worked out once, not at each probe that has the acronym).
    expansions: FxHashMap<String, Expansion>,
}

/// The long form of an acronym, as [`Corpus::probe`] adds it.
#[derive(Debug)]
struct Expansion {
    /// The long form lowercased (`str::to_lowercase`): a text that spells
    /// it out is not given its terms again.
    lower: String,
    /// Its terms ([`terms`]): the term of each stem the items have, or
    /// the stem they do not.
    terms: Vec<Result<Term, Box<str>>>,
}

impl Statistics {
    /// Number of items counted.
    pub fn len(&self) -> usize {
        self.n
    }

    /// True when no item was counted.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }
}

/// The first pass of [`Statistics`]: the words and acronym definitions
/// of every item's text.
#[derive(Debug, Default)]
pub struct Gathering {
    vocabulary: FxHashSet<String>,
    acronyms: FxHashMap<String, String>,
}

impl Gathering {
    /// Nothing seen yet.
    pub fn new() -> Gathering {
        Gathering::default()
    }

    /// Takes the words and acronym definitions of an item's text.
    pub fn see(&mut self, text: &str) {
        // Each word copied only when new.
        let ascii_lower = text.to_ascii_lowercase();
        for word in lowercase_words(&ascii_lower) {
            if !self.vocabulary.contains(word.as_ref()) {
                self.vocabulary.insert(word.into_owned());
            }
        }
        define_acronyms(text, &mut self.acronyms);
    }

    /// The second pass, over the same texts in the same order.
    pub fn counting(self) -> Counting {
        Counting {
            vocabulary: self.vocabulary,
            acronyms: self.acronyms,
            seen: FxHashMap::default(),
            df: Vec::new(),
            last: Vec::new(),
            n: 0,
        }
    }
}

/// The second pass of [`Statistics`]: the terms of every item's text.
#[derive(Debug)]
pub struct Counting {
    vocabulary: FxHashSet<String>,
    acronyms: FxHashMap<String, String>,
    /// Term spelling -> term numbered as first seen.
    seen: FxHashMap<String, Term>,
    /// Per term as first seen: items carrying it.
    df: Vec<u32>,
    /// Per term as first seen: the last item (numbered from 1) counted.
    last: Vec<u32>,
    n: usize,
}

impl Counting {
    /// Counts the terms of an item's text.
    pub fn count(&mut self, text: &str) {
        self.terms_of(text);
    }

    /// The terms of an item's text, numbered as first seen, counted.
    fn terms_of(&mut self, text: &str) -> Vec<Term> {
        let stemmer = Stemmer::create(Algorithm::English);
        let vocabulary = &self.vocabulary;
        let spelled = enriched_terms(&stemmer, text, |w| vocabulary.contains(w), &self.acronyms);
        self.n += 1;
        let item = self.n as u32;
        spelled
            .into_iter()
            .map(|t| {
                let term = match self.seen.get(&*t) {
                    Some(&term) => term,
                    None => {
                        let next = self.seen.len() as Term;
                        self.seen.insert(t.to_string(), next);
                        self.df.push(0);
                        self.last.push(0);
                        next
                    }
                };
                if self.last[term as usize] != item {
                    self.last[term as usize] = item;
                    self.df[term as usize] += 1;
                }
                term
            })
            .collect()
    }

    /// The statistics of the texts counted.
    pub fn finish(self) -> Statistics {
        self.finish_renumbered().0
    }

    /// The statistics, and per term as first seen its term in the order
    /// of spelling.
    fn finish_renumbered(self) -> (Statistics, Vec<Term>) {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut spellings: Vec<(String, Term)> = self.seen.into_iter().collect();
        spellings.sort_unstable();
        let mut renumber = vec![0; spellings.len()];
        let mut df = vec![0; spellings.len()];
        for (new, (_, old)) in spellings.iter().enumerate() {
            renumber[*old as usize] = new as Term;
            df[new] = self.df[*old as usize];
        }
        let terms: FxHashMap<String, Term> = spellings
            .iter()
            .enumerate()
            .map(|(k, (spelling, _))| (spelling.clone(), k as Term))
            .collect();
        let spellings: Vec<Box<str>> = spellings
            .into_iter()
            .map(|(spelling, _)| spelling.into_boxed_str())
            .collect();
        let acronyms = self.acronyms;
        let words: FxHashMap<Box<str>, Word> = self
            .vocabulary
            .into_iter()
            .map(|word| {
                let info = Word {
                    term: terms.get(&*stem(&stemmer, &word)).copied(),
                    content: is_content_word(&word),
                    acronym: acronyms.contains_key(&word),
                };
                (word.into_boxed_str(), info)
            })
            .collect();
        let idf = df.iter().map(|&d| idf(self.n, d as usize)).collect();
        let long_words = LongWords::new(words.keys().map(AsRef::as_ref));
        let expansions = acronyms
            .iter()
            .map(|(acronym, long)| {
                let expansion = Expansion {
                    lower: long.to_lowercase(),
                    terms: (self::terms(&stemmer, long).into_iter())
                        .map(|stem| terms.get(&*stem).copied().ok_or_else(|| Box::from(&*stem)))
                        .collect(),
                };
                (acronym.clone(), expansion)
            })
            .collect();
        let stats = Statistics {
            terms,
            spellings,
            df,
            idf,
            n: self.n,
            words,
            long_words,
            acronyms,
            expansions,
        };
        (stats, renumber)
    }
}

/// A word of a corpus's items, as [`Corpus::probe`] sees it.
#[derive(Debug, Clone, Copy)]
struct Word {
    /// The term of its stem, when the corpus has it.
    term: Option<Term>,
    /// Whether it is a content word ([`is_content_word`]).
    content: bool,
    /// Whether it is an acronym defined among the items.
    acronym: bool,
}

/// A text outside the corpus (a passage of another document), weighed with
/// the corpus's statistics so it can be compared with its items.
#[derive(Debug, Clone)]
pub struct Probe<'t> {
    /// (term, weight) of the terms the corpus knows, sorted by term; the
    /// others count in the length only.
    vector: Vec<(Term, f64)>,
    /// The text, for its markers.
    text: &'t str,
    /// Its markers, found when an item with markers is compared with it.
    markers: OnceCell<Vec<String>>,
}

impl Corpus {
    /// Builds the statistics and vectors of `items`, and the parts of
    /// those that bundle several commitments.
    pub fn new(items: &[Item]) -> Corpus {
        Corpus::build(items, true)
    }

    /// [`Corpus::new`] for probing only ([`Corpus::probe`]): no item is
    /// split into parts, so none is a bundle.
    pub fn for_probes(items: &[Item]) -> Corpus {
        Corpus::build(items, false)
    }

    /// The items of a larger set whose [`Statistics`] are given, weighed
    /// with them for probing only (as [`Corpus::for_probes`] would weigh
    /// them among the whole set). Every item must have been counted in
    /// the statistics.
    pub fn weigh(stats: Arc<Statistics>, items: &[Item]) -> Corpus {
        let stemmer = Stemmer::create(Algorithm::English);
        let item_terms = items
            .iter()
            .map(|i| {
                enriched_terms(
                    &stemmer,
                    &i.text,
                    |w| stats.words.contains_key(w),
                    &stats.acronyms,
                )
                .iter()
                .filter_map(|t| stats.terms.get(&**t).copied())
                .collect()
            })
            .collect();
        Corpus::from_terms(stats, items, item_terms, false)
    }

    fn build(items: &[Item], with_parts: bool) -> Corpus {
        let mut gathering = Gathering::new();
        items.iter().for_each(|i| gathering.see(&i.text));
        let mut counting = gathering.counting();
        let mut item_terms: Vec<Vec<Term>> =
            items.iter().map(|i| counting.terms_of(&i.text)).collect();
        let (stats, renumber) = counting.finish_renumbered();
        for t in item_terms.iter_mut().flatten() {
            *t = renumber[*t as usize];
        }
        Corpus::from_terms(Arc::new(stats), items, item_terms, with_parts)
    }

    /// The corpus of `items`, whose terms are given (in any order).
    fn from_terms(
        stats: Arc<Statistics>,
        items: &[Item],
        mut item_terms: Vec<Vec<Term>>,
        with_parts: bool,
    ) -> Corpus {
        let stemmer = Stemmer::create(Algorithm::English);
        let (n, df) = (stats.n, &stats.df);
        let vectors = item_terms
            .iter_mut()
            .map(|t| {
                t.sort_unstable();
                // Each run is one term and its frequency.
                let v: Vec<(Term, f64)> = t
                    .chunk_by(|a, b| a == b)
                    .map(|run| (run[0], tf(run.len()) * stats.idf[run[0] as usize]))
                    .collect();
                unit(v)
            })
            .collect();
        drop(item_terms);
        let markers: Vec<Vec<String>> = items
            .iter()
            .map(|i| markers(&i.text, &i.initiatives))
            .collect();
        let parts = items
            .iter()
            .map(|i| {
                if !with_parts {
                    return Vec::new();
                }
                parts(&stemmer, &i.text)
                    .into_iter()
                    .map(|part| {
                        // In the order of spelling; a term no item has
                        // (none, but for case mappings that depend on
                        // context) weighs as if one had it.
                        let weighed: Vec<(Option<Term>, f64)> = part
                            .iter()
                            .map(|t| {
                                let term = stats.terms.get(&**t).copied();
                                let df = term.map_or(1, |t| df[t as usize] as usize).max(1);
                                (term, idf(n, df))
                            })
                            .collect();
                        let norm = length(weighed.iter().map(|(_, w)| *w));
                        weighed
                            .into_iter()
                            .filter_map(|(term, w)| Some((term?, w / norm)))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let general = items
            .iter()
            .zip(&markers)
            .map(|(item, markers)| crate::general::is_general(item, markers))
            .collect();
        Corpus {
            stats,
            vectors,
            markers,
            parts,
            general,
        }
    }

    /// The statistics the items are weighed with.
    pub fn statistics(&self) -> &Statistics {
        &self.stats
    }

    /// Number of items carrying `term`.
    fn df(&self, term: Term) -> usize {
        self.stats.df[term as usize] as usize
    }

    /// `text` as the corpus would see it, with the corpus's document
    /// frequencies (a term no item has weighs the most): the terms
    /// an item's text would give, each word of the items looked up once
    /// rather than stemmed.
    pub fn probe<'t>(&self, text: &'t str) -> Probe<'t> {
        let stemmer = Stemmer::create(Algorithm::English);
        let ascii_lower = text.to_ascii_lowercase();
        let raw = lowercase_words(&ascii_lower);
        // Room for a term per word, and a few more from compounds and
        // acronyms, at once.
        let mut known: Vec<Term> = Vec::with_capacity(raw.len() + 8);
        let mut unknown: Vec<Stem> = Vec::new();
        let mut add = |word: &str, info: Option<&Word>| match info.and_then(|w| w.term) {
            Some(term) => known.push(term),
            None => self.place(stem(&stemmer, word), &mut known, &mut unknown),
        };
        // Each word looked up once; the acronyms among them kept for later.
        let mut acronyms: Vec<&str> = Vec::new();
        for word in &raw {
            let info = self.stats.words.get(word.as_ref());
            if info.map_or_else(|| is_content_word(word), |i| i.content) {
                add(word, info);
            }
            if info.is_some_and(|i| i.acronym) {
                acronyms.push(word);
            }
        }
        // Split compounds whose joined form is a word of the items.
        for_each_joined(&raw, Some(&self.stats.long_words), |joined| {
            if let Some(info) = self.stats.words.get(joined) {
                add(joined, Some(info));
            }
        });
        // Acronyms whose long form is not spelled out.
        let mut lower: Option<Cow<str>> = None;
        for word in acronyms {
            if let Some(long) = self.stats.expansions.get(word) {
                let lower = lower.get_or_insert_with(|| lowercased(text, &ascii_lower));
                if !lower.contains(long.lower.as_str()) {
                    for term in &long.terms {
                        match term {
                            Ok(term) => known.push(*term),
                            Err(stem) => unknown.push(Stem::from(&**stem)),
                        }
                    }
                }
            }
        }
        known.sort_unstable();
        unknown.sort_unstable();
        // Weighed in the order of spelling, known and unknown terms
        // merged, as the corpus numbers its terms, so that the length sums
        // in the same order as an item's would.
        // At most a run per term: room for all of them at once.
        let mut known_runs: Vec<(Term, usize)> = Vec::with_capacity(known.len());
        known_runs.extend(known.chunk_by(|a, b| a == b).map(|run| (run[0], run.len())));
        let mut unknown_runs: Vec<(&Stem, usize)> = Vec::with_capacity(unknown.len());
        unknown_runs.extend(
            unknown
                .chunk_by(|a, b| a == b)
                .map(|run| (&run[0], run.len())),
        );
        let unknown_idf = idf(self.stats.n, 0);
        let mut weighed: Vec<(Option<Term>, f64)> =
            Vec::with_capacity(known_runs.len() + unknown_runs.len());
        let (mut k, mut u) = (0, 0);
        while k < known_runs.len() || u < unknown_runs.len() {
            let known_first = u == unknown_runs.len()
                || (k < known_runs.len()
                    && *self.stats.spellings[known_runs[k].0 as usize] < **unknown_runs[u].0);
            if known_first {
                let (term, count) = known_runs[k];
                weighed.push((Some(term), tf(count) * self.stats.idf[term as usize]));
                k += 1;
            } else {
                weighed.push((None, tf(unknown_runs[u].1) * unknown_idf));
                u += 1;
            }
        }
        let norm = length(weighed.iter().map(|(_, w)| *w));
        let vector = weighed
            .into_iter()
            .filter_map(|(term, w)| Some((term?, w / norm)))
            .collect();
        Probe {
            vector,
            text,
            markers: OnceCell::new(),
        }
    }

    /// Puts a stem among the `known` terms, or among the `unknown` ones
    /// when the corpus does not have it.
    fn place(&self, stem: Stem, known: &mut Vec<Term>, unknown: &mut Vec<Stem>) {
        match self.stats.terms.get(&*stem) {
            Some(&term) => known.push(term),
            None => unknown.push(stem),
        }
    }

    /// The distinctive terms of a probe that the corpus knows: carried by
    /// at least one and at most `max_df` items, heaviest first, at most `k`.
    pub fn probe_keys(&self, probe: &Probe, max_df: usize, k: usize) -> Vec<Term> {
        self.heaviest(&probe.vector, max_df, k)
    }

    /// Similarity of item `i` and a probe, as [`Corpus::similarity`].
    pub fn probe_similarity(&self, i: usize, probe: &Probe) -> f64 {
        let cosine = dot(&self.vectors[i], &probe.vector);
        let shared = if self.markers[i].is_empty() {
            0
        } else {
            let theirs = probe.markers.get_or_init(|| markers(probe.text, &[]));
            self.markers[i]
                .iter()
                .filter(|m| theirs.contains(m))
                .count()
        };
        (cosine + 0.12 * shared.min(2) as f64).min(1.0)
    }

    /// The distinctive terms of item `i` (for candidate generation): those
    /// carried by at most `max_df` items, heaviest first, at most `k`.
    pub fn keys(&self, i: usize, max_df: usize, k: usize) -> Vec<Term> {
        self.heaviest(&self.vectors[i], max_df, k)
    }

    /// The `k` heaviest terms of `vector` carried by 1 to `max_df` items.
    fn heaviest(&self, vector: &[(Term, f64)], max_df: usize, k: usize) -> Vec<Term> {
        // Room for every term at once (a filtered collect grows by steps).
        let mut terms: Vec<(Term, f64)> = Vec::with_capacity(vector.len());
        terms.extend(
            vector
                .iter()
                .filter(|(t, _)| (1..=max_df).contains(&self.df(*t)))
                .copied(),
        );
        terms.sort_by(|a, b| b.1.total_cmp(&a.1));
        terms.truncate(k);
        terms.into_iter().map(|(t, _)| t).collect()
    }

    /// Similarity of items `i` and `j` in [0, 1]: TF-IDF cosine plus a
    /// bonus for shared acronyms and numbers.
    pub fn similarity(&self, i: usize, j: usize) -> f64 {
        let cosine = dot(&self.vectors[i], &self.vectors[j]);
        self.with_markers(cosine, i, j)
    }

    /// Similarity of the item `spread` holds (see [`Corpus::spread`]) and
    /// item `j`: [`Corpus::similarity`] of the two, to the last bit.
    pub fn similarity_to_spread(&self, spread: &Spread, j: usize) -> f64 {
        let i = spread.item.expect("an item spread");
        let cosine = spread_dot(&spread.weights, &self.vectors[j]);
        self.with_markers(cosine, i, j)
    }

    /// The cosine of items `i` and `j` with the bonus for the acronyms and
    /// numbers they share.
    fn with_markers(&self, cosine: f64, i: usize, j: usize) -> f64 {
        let shared = self.markers[i]
            .iter()
            .filter(|m| self.markers[j].contains(m))
            .count();
        (cosine + 0.12 * shared.min(2) as f64).min(1.0)
    }

    /// Sets item `i`'s weights out in `spread` by term, for
    /// [`Corpus::similarity_to_spread`] with many items (the item set out
    /// before, of this corpus or another, is cleared first).
    pub fn spread(&self, spread: &mut Spread, i: usize) {
        let n_terms = self.stats.spellings.len();
        if spread.weights.len() < n_terms {
            spread.weights.resize(n_terms, 0.0);
        }
        for term in spread.terms.drain(..) {
            spread.weights[term as usize] = 0.0;
        }
        for &(term, weight) in &self.vectors[i] {
            spread.weights[term as usize] = weight;
            spread.terms.push(term);
        }
        spread.item = Some(i);
    }

    /// For an item that bundles several commitments (a long sentence of
    /// four or more clauses or list members), the best cosine of one of its
    /// parts with `j`.
    pub fn bundle_similarity(&self, i: usize, j: usize) -> f64 {
        if self.parts[i].len() < MIN_BUNDLE_PARTS {
            return 0.0;
        }
        let mut best: f64 = 0.0;
        for part in &self.parts[i] {
            best = best.max(dot(part, &self.vectors[j]));
        }
        best
    }
}

impl Corpus {
    /// True when item `i` is a general statement of intent or values: it
    /// names no initiative, acronym or number and no concrete deliverable
    /// (a plan, a working group, a fund, a meeting…). Two general
    /// statements on one topic share words without being one commitment,
    /// so alignment and linking ask more of them.
    pub fn is_general(&self, i: usize) -> bool {
        self.general[i]
    }

    /// True when item `i` bundles several commitments in one text.
    pub fn is_bundle(&self, i: usize) -> bool {
        self.parts[i].len() >= MIN_BUNDLE_PARTS
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.vectors.len()
    }

    /// True when there are no items.
    pub fn is_empty(&self) -> bool {
        self.vectors.is_empty()
    }
}

/// The Euclidean length of weights summed in the order given (at least a
/// tiny positive number).
fn length(weights: impl Iterator<Item = f64>) -> f64 {
    weights.map(|w| w * w).sum::<f64>().sqrt().max(1e-9)
}

/// `v` scaled to unit length.
fn unit(mut v: Vec<(Term, f64)>) -> Vec<(Term, f64)> {
    let norm = length(v.iter().map(|(_, w)| *w));
    v.iter_mut().for_each(|(_, w)| *w /= norm);
    v
}

/// Fewest parts that make an item a bundle.
const MIN_BUNDLE_PARTS: usize = 4;

/// The term sets of the parts of a text, split at semicolons, commas,
/// "such as", "and" and "including", when the text is long enough to
/// bundle several commitments; parts with fewer than two terms are dropped.
fn parts(stemmer: &Stemmer, text: &str) -> Vec<Vec<Stem>> {
    if text.split_whitespace().count() < 40 {
        return Vec::new();
    }
    let lower = text.to_lowercase();
    let mut pieces = vec![lower.as_str()];
    for separator in [";", ",", " such as ", " and ", " including "] {
        pieces = pieces
            .into_iter()
            .flat_map(|p| p.split(separator))
            .collect();
    }
    pieces
        .into_iter()
        .map(|p| {
            let mut t = terms(stemmer, p);
            t.sort();
            t.dedup();
            t
        })
        .filter(|t| t.len() >= 2)
        .collect()
}

/// The weight of a term said `count` times: 1 + ln `count` (ln 1 being 0,
/// no logarithm is worked out for the terms said once).
fn tf(count: usize) -> f64 {
    if count == 1 {
        1.0
    } else {
        1.0 + (count as f64).ln()
    }
}

fn idf(n: usize, df: usize) -> f64 {
    ((1.0 + n as f64) / (1.0 + df as f64)).ln() + 1.0
}

fn dot(a: &[(Term, f64)], b: &[(Term, f64)]) -> f64 {
    // Without a branch on which side is ahead: the side is as often one as
    // the other, and a mispredicted branch costs more than adding zero (a
    // third less time over random sorted vectors of 8 to 37 terms; matching
    // on the White House corpus, 0.32 -> 0.29 s). The products are added in
    // the same order; adding +0.0 changes no sum (a sum of products of
    // weights, none negative, is never -0.0).
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        let (ta, wa) = a[i];
        let (tb, wb) = b[j];
        sum += if ta == tb { wa * wb } else { 0.0 };
        i += usize::from(ta <= tb);
        j += usize::from(tb <= ta);
    }
    sum
}

/// One item's vector set out by term: its weight at each of its terms,
/// zero at every other term of the corpus ([`Corpus::spread`]). Comparing
/// it with another item costs a step per term of the other, where the
/// merge of [`dot`] steps through both: linking compares each commitment
/// with the many earlier ones that share a key with it.
#[derive(Debug, Default)]
pub struct Spread {
    /// Per term: the item's weight, zero where it has none.
    weights: Vec<f64>,
    /// The terms set, to be cleared when another item is set out.
    terms: Vec<Term>,
    /// The item set out.
    item: Option<usize>,
}

/// [`dot`] of a vector set out by term (`weights`) and `b`: the products
/// of the terms they share, added in the order of `b`'s terms (the order
/// of [`dot`]), and +0.0 for the others, which changes no sum (weights
/// are never negative, nor infinite).
fn spread_dot(weights: &[f64], b: &[(Term, f64)]) -> f64 {
    b.iter().fold(0.0, |sum, &(term, weight)| {
        sum + weights[term as usize] * weight
    })
}

fn is_year(word: &str) -> bool {
    word.len() == 4 && word.parse::<u32>().is_ok_and(|y| (1900..2200).contains(&y))
}

/// Lowercase words of a text, one by one: the rule [`lowercase_words`]
/// follows.
#[cfg(test)]
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Adds the acronyms `text` defines to `out` (a definition met before
/// stays).
fn define_acronyms(text: &str, out: &mut FxHashMap<String, String>) {
    let mut from = 0;
    while let Some(open) = text[from..].find('(').map(|i| from + i) {
        let Some(close) = text[open..].find(')').map(|i| open + i) else {
            break;
        };
        from = close;
        let acronym = &text[open + 1..close];
        let letters: Vec<char> = acronym.chars().filter(|c| c.is_ascii_uppercase()).collect();
        if letters.len() < 2 || acronym.len() > 12 || acronym.chars().any(|c| c.is_whitespace()) {
            continue;
        }
        // The capitalised words before the parenthesis that spell it.
        let before: Vec<&str> = text[..open].split_whitespace().collect();
        let long: Vec<&str> = before
            .iter()
            .rev()
            .take(letters.len() + 4)
            .rev()
            .copied()
            .skip_while(|w| !w.starts_with(letters[0]))
            .collect();
        if long.len() >= 2 {
            out.entry(acronym.to_lowercase())
                .or_insert_with(|| long.join(" "));
        }
    }
}

/// Terms of a text with the long forms of its acronyms added, and the
/// joined forms of split compounds ("cyber security" -> "cybersecurity")
/// when the joined word occurs among the items.
fn enriched_terms(
    stemmer: &Stemmer,
    text: &str,
    is_word: impl Fn(&str) -> bool,
    acronyms: &FxHashMap<String, String>,
) -> Vec<Stem> {
    let ascii_lower = text.to_ascii_lowercase();
    let raw = lowercase_words(&ascii_lower);
    let mut out: Vec<Stem> = raw
        .iter()
        .filter(|w| is_content_word(w))
        .map(|w| stem(stemmer, w))
        .collect();
    for_each_joined(&raw, None, |joined| {
        if is_word(joined) {
            out.push(stem(stemmer, joined));
        }
    });
    let mut lower: Option<Cow<str>> = None;
    for word in &raw {
        if let Some(long) = acronyms.get(word.as_ref()) {
            // Only when the long form is not already spelled out.
            let lower = lower.get_or_insert_with(|| lowercased(text, &ascii_lower));
            if !lower.contains(&long.to_lowercase()) {
                out.extend(terms(stemmer, long));
            }
        }
    }
    out
}

/// The lowercase words of a text, from the text lowercased as ASCII
/// (`ascii_lower`, which keeps every other character where it is): the
/// same words as splitting the text and lowercasing each, since ASCII
/// lowercasing keeps whether a character is alphanumeric. Its ASCII words
/// are borrowed; only a word with other characters is lowercased again.
///
/// The text is read 64 bytes at a time: the letters and digits of a piece
/// are the bits of a number ([`ascii_alphanumeric_bits`]), with those of
/// its alphanumeric characters beyond ASCII added, and its words start and
/// end where a bit differs from the one before.
fn lowercase_words(ascii_lower: &str) -> Vec<Cow<'_, str>> {
    let bytes = ascii_lower.as_bytes();
    // About one word in six bytes: room for all of them at once.
    let mut out = Vec::with_capacity(bytes.len() / 6 + 1);
    // The start of the word being read, if any, and whether it is ASCII
    // so far.
    let mut word: Option<usize> = None;
    let mut ascii = true;
    let mut i = 0;
    while i < bytes.len() {
        // Pieces end between characters.
        let mut end = bytes.len().min(i + 64);
        while !ascii_lower.is_char_boundary(end) {
            end -= 1;
        }
        let piece = &bytes[i..end];
        let (mut alphanumeric, mut leads) = ascii_alphanumeric_bits(piece);
        // The bytes of alphanumeric characters beyond ASCII.
        let mut wide = 0;
        while leads != 0 {
            let k = leads.trailing_zeros() as usize;
            let c = ascii_lower[i + k..]
                .chars()
                .next()
                .expect("a character boundary");
            if is_wide_alphanumeric(c) {
                wide |= bits(k, k + c.len_utf8());
            }
            leads &= leads - 1;
        }
        alphanumeric |= wide;
        // Bit k: byte k differs from the byte before it (inside a word or
        // not).
        let before = alphanumeric << 1 | u64::from(word.is_some());
        let mut edges = (alphanumeric ^ before) & bits(0, piece.len());
        // Edges alternate: the end of the word being read, if any, then
        // the start and the end of each word.
        while edges != 0 {
            let start = match word.take() {
                Some(start) => start,
                None => {
                    let start = i + edges.trailing_zeros() as usize;
                    edges &= edges - 1;
                    ascii = true;
                    if edges == 0 {
                        word = Some(start);
                        break;
                    }
                    start
                }
            };
            let k = edges.trailing_zeros() as usize;
            edges &= edges - 1;
            if wide != 0 {
                ascii &= wide & bits(start.saturating_sub(i), k) == 0;
            }
            out.push(lowercase_word(&ascii_lower[start..i + k], ascii));
        }
        if let Some(start) = word.filter(|_| wide != 0) {
            ascii &= wide & bits(start.saturating_sub(i), piece.len()) == 0;
        }
        i = end;
    }
    if let Some(start) = word {
        out.push(lowercase_word(&ascii_lower[start..], ascii));
    }
    out
}

/// The bits `from..to` (at most 64) set.
fn bits(from: usize, to: usize) -> u64 {
    match to - from {
        0 => 0,
        n => u64::MAX >> (64 - n) << from,
    }
}

/// The ASCII letters and digits of `piece` (at most 64 bytes) as bits, bit
/// k set when byte k is one; and, as bits too, the bytes that begin a
/// character beyond ASCII.
///
/// Eight bytes at a time, as one number: each byte (its top bit cleared)
/// is compared with the ends of a range by adding to it (no byte below
/// 128 carries into the next), and the top bits of the bytes are gathered
/// by a multiplication.
fn ascii_alphanumeric_bits(piece: &[u8]) -> (u64, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOPS: u64 = 0x80 * ONES;
    // The top bit of each byte set when the byte (below 128) is in
    // `lo..=hi`.
    let within = |x: u64, lo: u8, hi: u8| {
        x.wrapping_add(u64::from(0x80 - lo) * ONES) & !x.wrapping_add(u64::from(0x7F - hi) * ONES)
    };
    // Bit 7 of byte j moves to bit 56 + j: the top byte holds one bit per
    // byte, in order.
    let gather = |tops: u64| (tops >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
    let mut alphanumeric = 0;
    let mut leads = 0;
    let mut add = |k: usize, x: u64| {
        let low = x & !TOPS;
        let letter = within(low | (0x20 * ONES), b'a', b'z');
        let digit = within(low, b'0', b'9');
        alphanumeric |= gather((letter | digit) & !x & TOPS) << (8 * k);
        // A byte of 11xxxxxx begins a character of two bytes or more.
        leads |= gather(x & (x << 1) & TOPS) << (8 * k);
    };
    let eights = piece.chunks_exact(8);
    let rest = eights.remainder();
    let k = eights.len();
    for (k, eight) in eights.enumerate() {
        add(
            k,
            u64::from_le_bytes(eight.try_into().expect("eight bytes")),
        );
    }
    if !rest.is_empty() {
        // Padded with spaces.
        let mut padded = [b' '; 8];
        padded[..rest.len()].copy_from_slice(rest);
        add(k, u64::from_le_bytes(padded));
    }
    (alphanumeric, leads)
}

/// `text` lowercased (`str::to_lowercase`), given `ascii_lower`, `text`
/// with its ASCII letters lowercased: that same string, borrowed, when
/// every character of `text` beyond ASCII is its own lowercase (curly
/// quotes, dashes and accented small letters, which most texts beyond
/// ASCII have only), lowercased again otherwise.
fn lowercased<'a>(text: &str, ascii_lower: &'a str) -> Cow<'a, str> {
    let own_lowercase = |c: char| {
        let mut lower = c.to_lowercase();
        lower.next() == Some(c) && lower.next().is_none()
    };
    if accord_model::chars_beyond_ascii(text).all(|(_, c)| own_lowercase(c)) {
        Cow::Borrowed(ascii_lower)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

/// [`char::is_alphanumeric`] for a character beyond ASCII, told without
/// the Unicode tables for the General Punctuation block (dashes, curly
/// quotes, the ellipsis, spaces of every width), which statements are full
/// of and which holds no letter or digit.
fn is_wide_alphanumeric(c: char) -> bool {
    !GENERAL_PUNCTUATION.contains(&c) && c.is_alphanumeric()
}

/// The General Punctuation block of Unicode.
const GENERAL_PUNCTUATION: std::ops::RangeInclusive<char> = '\u{2000}'..='\u{206F}';

/// A word of [`lowercase_words`]: borrowed when all ASCII (lowercased
/// already), lowercased otherwise.
fn lowercase_word(word: &str, ascii: bool) -> Cow<'_, str> {
    if ascii {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

/// Calls `f` with each pair of neighbouring words joined ("cyber" and
/// "security": "cybersecurity"), when together they have 8 letters or
/// more: the split compounds worth looking up. Given the `long_words` of
/// a vocabulary, only with the pairs that may join into one of them.
fn for_each_joined(words: &[Cow<str>], long_words: Option<&LongWords>, mut f: impl FnMut(&str)) {
    // Room for most pairs of words at once.
    let mut joined = String::with_capacity(64);
    for pair in words.windows(2) {
        if pair[0].len() + pair[1].len() < 8
            || long_words.is_some_and(|long| !long.may_hold(&pair[0], &pair[1]))
        {
            continue;
        }
        joined.clear();
        joined.push_str(&pair[0]);
        joined.push_str(&pair[1]);
        f(&joined);
    }
}

/// The words of 8 bytes or more of a vocabulary (every joined form
/// [`for_each_joined`] gives is that long), as bits set in a table at a
/// hash of each word's length and first and last two bytes. A word whose
/// bit is clear is none of them: most pairs of neighbouring words are
/// told so without being joined and looked up. (2^20 bits, 128 KB: a
/// vocabulary of 26,000 long words sets at most one bit in forty. Over
/// the White House corpus, the look-ups of evidence discovery fell from
/// 8.3 to 5.1 million.)
#[derive(Debug)]
struct LongWords {
    bits: Vec<u64>,
}

impl LongWords {
    /// Bits of the table, as a power of two.
    const BITS: u32 = 20;

    fn new<'a>(words: impl Iterator<Item = &'a str>) -> LongWords {
        let mut bits = vec![0u64; 1 << (Self::BITS - 6)];
        for word in words.filter(|w| w.len() >= 8) {
            let at = Self::slot(word.as_bytes(), b"");
            bits[at >> 6] |= 1 << (at & 63);
        }
        LongWords { bits }
    }

    /// Whether `a` followed by `b` (8 bytes or more) may be one of the
    /// words.
    fn may_hold(&self, a: &str, b: &str) -> bool {
        let at = Self::slot(a.as_bytes(), b.as_bytes());
        self.bits[at >> 6] & (1 << (at & 63)) != 0
    }

    /// The bit of the word `a` followed by `b`, of 8 bytes or more.
    #[inline]
    fn slot(a: &[u8], b: &[u8]) -> usize {
        let len = a.len() + b.len();
        // The first two bytes and the last two of the two together.
        let (first, second) = match (a, b) {
            ([x, y, ..], _) | ([x], [y, ..]) | ([], [x, y, ..]) => (*x, *y),
            _ => unreachable!("8 bytes or more"),
        };
        let (last_but_one, last) = match (a, b) {
            (_, [.., x, y]) | ([.., x], [y]) | ([.., x, y], []) => (*x, *y),
            _ => unreachable!("8 bytes or more"),
        };
        let byte = u64::from;
        let key = (len as u64) << 32
            | byte(first) << 24
            | byte(second) << 16
            | byte(last_but_one) << 8
            | byte(last);
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - Self::BITS)) as usize
    }
}

/// True for a lowercase word that says what a text is about: not a
/// stopword, not a year, not a single letter.
fn is_content_word(w: &str) -> bool {
    !STOP.contains(w) && !is_year(w) && (w.len() > 1 || w.chars().all(|c| c.is_ascii_digit()))
}

/// Stemmed content words of a text.
fn terms(stemmer: &Stemmer, text: &str) -> Vec<Stem> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .filter(|w| is_content_word(w))
        .map(|w| stem(stemmer, &w))
        .collect()
}

/// [`STOPWORDS`] for look-up.
static STOP: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| STOPWORDS.iter().copied().collect());

thread_local! {
    /// Stems of the words seen so far on this thread: a text's words are
    /// mostly words seen before, and a look-up costs less than stemming.
    static STEMS: RefCell<FxHashMap<String, Stem>> = RefCell::new(FxHashMap::default());
}

/// Words remembered by [`STEMS`] before it starts again.
const STEMS_KEPT: usize = 200_000;

/// A stem, shared by the texts of a thread that have the word: handing
/// one out costs a count, not a string.
type Stem = Rc<str>;

/// The stem of a lowercase word (the same as `stemmer.stem`, remembered).
fn stem(stemmer: &Stemmer, word: &str) -> Stem {
    STEMS.with(|stems| {
        let mut stems = stems.borrow_mut();
        if let Some(stem) = stems.get(word) {
            return Rc::clone(stem);
        }
        if stems.len() >= STEMS_KEPT {
            stems.clear();
        }
        let stem: Stem = Rc::from(stemmer.stem(word).as_ref());
        stems.insert(word.to_string(), Rc::clone(&stem));
        stem
    })
}

/// Acronyms ("NAPAPI", from the text or its initiatives) and quantities
/// ("15%", "30 percent" -> "30%") that identify a commitment.
pub(crate) fn markers(text: &str, initiatives: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |m: String| {
        if !out.contains(&m) {
            out.push(m);
        }
    };
    let sources = std::iter::once(text).chain(initiatives.iter().map(String::as_str));
    for source in sources {
        // An acronym has three capitals or more, and seven in ten of its
        // bytes are: two of them side by side (without, at most three in
        // five bytes are).
        for_each_word_with_two_capitals(source, |word, capitals| {
            if capitals >= 3
                && capitals * 10 >= word.len() * 7
                && !matches!(word, "NALS" | "USA" | "U.S")
            {
                push(word.to_lowercase());
            }
        });
    }
    // A quantity is a number before "%" or "percent": a text with neither
    // has none.
    if !text.contains('%') && !text.contains("percent") {
        return out;
    }
    let mut words = text.split_whitespace().peekable();
    while let Some(w) = words.next() {
        if !w.bytes().any(|b| b.is_ascii_digit() || b == b'.') {
            continue;
        }
        let digits: String = w
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        if digits.is_empty() || digits.len() == 4 {
            continue;
        }
        let next = words.peek().copied().unwrap_or("");
        if w.ends_with('%') || next.starts_with("percent") {
            push(format!("{}%", digits.trim_end_matches('.')));
        }
    }
    out
}

/// Whether `c` belongs to a word as [`markers`] reads words: words are
/// what lies between characters that are neither alphanumeric nor a
/// hyphen.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

/// Calls `f`, in order, with each word of `text` (see [`is_word_char`])
/// that holds two ASCII capitals side by side, and the number of its ASCII
/// capitals. The text is read two bytes at a step until such a pair; only
/// the words around a pair are read whole.
fn for_each_word_with_two_capitals(text: &str, mut f: impl FnMut(&str, usize)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if !bytes[i + 1].is_ascii_uppercase() {
            // Neither this pair nor the next has two capitals.
            i += 2;
            continue;
        }
        if !bytes[i].is_ascii_uppercase() {
            i += 1;
            continue;
        }
        let start = text[..i]
            .char_indices()
            .rev()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(0, |(at, c)| at + c.len_utf8());
        let end = text[i..]
            .char_indices()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(text.len(), |(at, _)| i + at);
        let word = &text[start..end];
        f(word, word.bytes().filter(u8::is_ascii_uppercase).count());
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, text: &str) -> Item {
        Item {
            id: id.into(),
            document_id: id.into(),
            summit: None,
            text: text.into(),
            initiatives: vec![],
        }
    }

    /// The words `for_each_word_with_two_capitals` gives are those of
    /// splitting at characters neither alphanumeric nor a hyphen that have
    /// two ASCII capitals side by side, with their capitals.
    #[test]
    fn words_with_two_capitals_are_those_splitting_gives() {
        proptest::proptest!(|(text in "[A-Za-z0-9 .,%’é\\-ΣБ\u{2014}\u{a0}]{0,40}|[A-Z -é.]{0,40}")| {
            let mut words = Vec::new();
            for_each_word_with_two_capitals(&text, |word, capitals| {
                words.push((word.to_string(), capitals))
            });
            let split: Vec<(String, usize)> = text
                .split(|c: char| !is_word_char(c))
                .filter(|w| w.as_bytes().windows(2).any(|p| p.iter().all(u8::is_ascii_uppercase)))
                .map(|w| (w.to_string(), w.bytes().filter(u8::is_ascii_uppercase).count()))
                .collect();
            proptest::prop_assert_eq!(words, split);
        });
    }

    #[test]
    fn no_character_of_the_general_punctuation_block_is_alphanumeric() {
        let block: Vec<char> = GENERAL_PUNCTUATION.collect();
        assert_eq!(block.len(), 0x70);
        for c in block {
            assert!(!c.is_alphanumeric(), "{c:?}");
        }
        // Next to the block, the tables are asked.
        assert!(is_wide_alphanumeric('\u{2071}'));
        assert!(is_wide_alphanumeric('é'));
    }

    #[test]
    fn words_of_the_ascii_lowercased_text_are_the_words_lowercased_one_by_one() {
        let texts = [
            "The G7 will LAUNCH the Clean Energy Fund.",
            "México and Canada’s “North American” partnership — 30 percent",
            "ΟΔΟΣ ΣΟΦΙΑΣ and İstanbul ǅemal: ﬁnance Straße",
            "ÉTATS-UNIS, Canada et Mexique s’engagent à réduire les émissions",
            "",
            "   ",
            "a1b2 C3D4 ½ ² Ⅻ",
        ];
        for text in texts {
            let expected: Vec<String> = words(text).collect();
            let got = scanned_words(text);
            assert_eq!(got, expected, "{text:?}");
        }
    }

    /// [`lowercase_words`] of a text, lowercased as ASCII first.
    fn scanned_words(text: &str) -> Vec<String> {
        let lower = text.to_ascii_lowercase();
        lowercase_words(&lower)
            .into_iter()
            .map(Cow::into_owned)
            .collect()
    }

    #[test]
    fn ascii_letters_and_digits_and_wide_characters_are_the_bits_set() {
        // Every byte at every place of a full piece, and at the end of a
        // piece of every length, among letters and among others.
        for len in 1..=64 {
            let places = if len == 64 { 0..len } else { len - 1..len };
            for at in places {
                for b in 0..=255u8 {
                    for fill in [b'a', b'.'] {
                        let mut piece = vec![fill; len];
                        piece[at] = b;
                        let set = |f: fn(&u8) -> bool| {
                            (piece.iter().enumerate())
                                .fold(0u64, |bits, (k, b)| bits | u64::from(f(b)) << k)
                        };
                        let expected = (set(u8::is_ascii_alphanumeric), set(|&b| b >= 0xC0));
                        assert_eq!(ascii_alphanumeric_bits(&piece), expected, "{piece:?}");
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_has_the_words_lowercased_one_by_one(
            text in "([a-zA-Z0-9]{1,3}|[ ,.;’“—-]|\u{a0}|é|É|Σ|İ|ǅ|ﬁ|½|²|Ⅻ|ΟΔΟΣ){0,200}"
        ) {
            let expected: Vec<String> = words(&text).collect();
            let got = scanned_words(&text);
            proptest::prop_assert_eq!(got, expected);
        }

        /// Texts mostly of ASCII, long enough to cross pieces of 64 bytes
        /// with words: every ASCII mark, and now and then a character
        /// beyond ASCII (a word character or not).
        #[test]
        fn mostly_ascii_texts_have_the_words_lowercased_one_by_one(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    8 => "[a-zA-Z0-9]{1,12}",
                    4 => "[ -/:-@\\[-`{-~\t\n]{1,3}",
                    1 => "é|’|Σ",
                ],
                0..120,
            )
        ) {
            let text = pieces.concat();
            let expected: Vec<String> = words(&text).collect();
            let got = scanned_words(&text);
            proptest::prop_assert_eq!(got, expected);
        }

        /// A text lowercased from its ASCII lowercasing is the text
        /// lowercased: the final sigma, the dotted capital I and the
        /// other capitals beyond ASCII included.
        #[test]
        fn texts_are_lowercased_as_to_lowercase_does(
            text in "([a-zA-Z0-9]{1,3}|[ ,.;’“—-]|\u{a0}|é|É|Σ|ΟΔΟΣ|İ|ǅ|ﬁ|ß|ẞ|Ω|\u{212A}){0,40}"
        ) {
            let ascii_lower = text.to_ascii_lowercase();
            let got = lowercased(&text, &ascii_lower).into_owned();
            proptest::prop_assert_eq!(got, text.to_lowercase());
        }

        /// Every word of 8 bytes or more is held, split anywhere into two
        /// words; a word never added is mostly not.
        #[test]
        fn long_words_hold_every_split_of_theirs(
            words in proptest::collection::vec("[a-zé0-9]{1,14}", 1..40),
        ) {
            let long = LongWords::new(words.iter().map(String::as_str));
            for word in words.iter().filter(|w| w.len() >= 8) {
                for (at, _) in word.char_indices().skip(1) {
                    let (a, b) = word.split_at(at);
                    proptest::prop_assert!(long.may_hold(a, b), "{a} {b}");
                }
            }
            let others = (0..200)
                .filter(|k| long.may_hold("zzzzqqqq", &format!("{k}x")))
                .count();
            proptest::prop_assert!(others < 20, "{others} of 200 unknown words held");
        }

        /// The dot product adds the same products in the same order as a
        /// merge that steps the side behind: the same bits.
        #[test]
        fn dot_products_are_the_merged_sums(
            a in proptest::collection::btree_map(0u32..60, 0.0f64..3.0, 0..30),
            b in proptest::collection::btree_map(0u32..60, 0.0f64..3.0, 0..30),
        ) {
            let a: Vec<(Term, f64)> = a.into_iter().collect();
            let b: Vec<(Term, f64)> = b.into_iter().collect();
            let (mut i, mut j, mut merged) = (0, 0, 0.0f64);
            while i < a.len() && j < b.len() {
                match a[i].0.cmp(&b[j].0) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        merged += a[i].1 * b[j].1;
                        i += 1;
                        j += 1;
                    }
                }
            }
            proptest::prop_assert_eq!(dot(&a, &b).to_bits(), merged.to_bits());
            proptest::prop_assert_eq!(dot(&b, &a).to_bits(), merged.to_bits());
        }

        /// An item set out by term is as similar to every item, to the
        /// last bit, as the merge of their vectors makes it, whichever
        /// item was set out in the same `Spread` before.
        #[test]
        fn spread_similarities_are_the_merged_ones(
            texts in proptest::collection::vec(
                "((plan|fund|NAPAPI|cyber|security|30%|health|trade|border|energy|water|the|of) ){1,12}",
                2..8,
            ),
        ) {
            let items: Vec<Item> = texts
                .iter()
                .enumerate()
                .map(|(k, text)| item(&k.to_string(), text))
                .collect();
            let corpus = Corpus::new(&items);
            let mut spread = Spread::default();
            for i in (0..items.len()).rev().chain(0..items.len()) {
                corpus.spread(&mut spread, i);
                for j in 0..items.len() {
                    proptest::prop_assert_eq!(
                        corpus.similarity_to_spread(&spread, j).to_bits(),
                        corpus.similarity(i, j).to_bits(),
                        "{} {}", i, j
                    );
                }
            }
        }
    }

    #[test]
    fn similar_wordings_score_higher_than_unrelated_ones() {
        let items = [
            item("a", "Revising the North American Plan for Animal and Pandemic Influenza (NAPAPI) to strengthen coordination."),
            item("b", "Review and update our North American Animal and Pandemic Influenza Plan (NAPAPI)."),
            item("c", "Convening a roundtable on cyber security policy."),
        ];
        let corpus = Corpus::new(&items);
        assert!(corpus.similarity(0, 1) > 0.5, "{}", corpus.similarity(0, 1));
        assert!(corpus.similarity(0, 2) < 0.1, "{}", corpus.similarity(0, 2));
        assert_eq!(markers(&items[0].text, &[]), vec!["napapi"]);
        assert_eq!(
            markers("conserve 30 percent by 2030 and cut 15% of it", &[]),
            vec!["30%", "15%"]
        );
    }

    /// A probe is weighed as an item's text is: its stemmed terms (with
    /// joined compounds and expanded acronyms), sorted by spelling, each
    /// weighed by the corpus's document frequency, those the corpus does
    /// not have counting in the length only.
    #[test]
    fn a_probe_weighs_its_terms_as_an_item_text_would() {
        let items = [
            item("a", "Launch the North American Drug Dialogue (NADD) on cybersecurity and supply chains."),
            item("b", "Strengthen cybersecurity cooperation through the NADD and a new working group."),
            item("c", "Convening a roundtable on clean energy, électricité and grids in 2024."),
        ];
        let corpus = Corpus::new(&items);
        let texts = [
            "The NADD met twice; cyber security zebras and quokkas launched supply chains.",
            "Zebras, aardvarks and yaks: the roundtable on clean energy grids was convened.",
            "Électricité et énergie propre: the working group convened since 2023.",
            "The North American Drug Dialogue (NADD) has launched its work.",
            "",
        ];
        let stemmer = Stemmer::create(Algorithm::English);
        let vocabulary: FxHashSet<String> = items.iter().flat_map(|i| words(&i.text)).collect();
        let mut acronyms = FxHashMap::default();
        items
            .iter()
            .for_each(|i| define_acronyms(&i.text, &mut acronyms));
        let stats = corpus.statistics();
        for text in texts {
            let mut spelled = enriched_terms(&stemmer, text, |w| vocabulary.contains(w), &acronyms);
            spelled.sort_unstable();
            let weighed: Vec<(Option<Term>, f64)> = spelled
                .chunk_by(|a, b| a == b)
                .map(|run| {
                    let term = stats.terms.get(&*run[0]).copied();
                    let df = term.map_or(0, |t| corpus.df(t));
                    (term, (1.0 + (run.len() as f64).ln()) * idf(stats.n, df))
                })
                .collect();
            let norm = length(weighed.iter().map(|(_, w)| *w));
            let expected: Vec<(Term, f64)> = weighed
                .into_iter()
                .filter_map(|(term, w)| Some((term?, w / norm)))
                .collect();
            assert_eq!(corpus.probe(text).vector, expected, "{text}");
        }
        // Its own text is as similar to an item as the item to itself.
        for (i, item) in items.iter().enumerate() {
            let probe = corpus.probe(&item.text);
            assert_eq!(corpus.probe_similarity(i, &probe), corpus.similarity(i, i));
        }
    }

    /// Statistics gathered in two passes and a part of the items weighed
    /// with them give what the whole set weighed at once gives.
    #[test]
    fn a_part_weighed_with_the_statistics_of_the_whole_is_weighed_as_among_the_whole() {
        let items = [
            item(
                "a",
                "Launch the North American Drug Dialogue (NADD) on cybersecurity.",
            ),
            item(
                "b",
                "Strengthen cyber security cooperation through the NADD and a working group.",
            ),
            item(
                "c",
                "Convene a roundtable on clean energy, électricité and grids in 2024.",
            ),
            item(
                "d",
                "Reduce methane emissions by 30 percent by 2030 with a new working group.",
            ),
            item(
                "e",
                "Expand the Clean Energy Grid (CEG) and the NADD to cut emissions.",
            ),
        ];
        let whole = Corpus::for_probes(&items);
        let mut gathering = Gathering::new();
        items.iter().for_each(|i| gathering.see(&i.text));
        let mut counting = gathering.counting();
        items.iter().for_each(|i| counting.count(&i.text));
        let stats = Arc::new(counting.finish());
        assert_eq!(stats.len(), items.len());
        let probe = "The NADD has met on cyber security and clean energy grids since 2023.";
        for range in [0..2, 2..5, 1..4, 4..5] {
            let part = Corpus::weigh(Arc::clone(&stats), &items[range.clone()]);
            assert_eq!(part.len(), range.len());
            assert_eq!(part.probe(probe).vector, whole.probe(probe).vector);
            for (k, i) in range.enumerate() {
                assert_eq!(part.vectors[k], whole.vectors[i], "item {i}");
                assert_eq!(part.markers[k], whole.markers[i], "item {i}");
                assert_eq!(part.general[k], whole.general[i], "item {i}");
            }
        }
    }
}
