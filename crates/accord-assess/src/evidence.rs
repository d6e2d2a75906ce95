//! Evidence discovery: passages of later documents that may report on an
//! earlier commitment ("Since the last summit, the trilateral working group
//! has met three times …"), suggested to an analyst, who accepts or rejects
//! each one.
//!
//! Every sentence or bullet of a document is a passage. A passage is a
//! candidate for the commitments of documents dated before it that share
//! distinctive terms with it (an inverted index over the terms of the
//! commitments' [`accord_match::Corpus`], never all pairs; two shared terms
//! when the passage has three or more); candidates are scored by the same
//! TF-IDF similarity that aligns versions (the passage weighed as a probe
//! of the commitments' corpus), with a bonus for report wording (past or
//! perfect tense: "has launched", "completed", "since").
//! A commitment keeps its best few passages per document above the
//! threshold. Not evidence: other versions of the same summit, passages
//! that restate the commitment word for word (reprints, repeats), and very
//! short texts; a passage without report wording needs a high score.

use accord_match::{Corpus, Item, Statistics, Term};
use accord_store::assess::{Decision, Suggestion};
use regex::Regex;
use rustc_hash::FxHashMap;
use std::sync::{Arc, LazyLock};

/// A commitment evidence is sought for.
#[derive(Debug, Clone)]
pub struct Sought {
    /// Commitment id.
    pub id: String,
    /// Its document.
    pub document_id: String,
    /// Its document's date (ISO); commitments without one are skipped.
    pub date: String,
    /// Its document's summit: other versions of the same summit are not
    /// evidence.
    pub summit: Option<String>,
    /// Its text.
    pub text: String,
    /// Its initiatives.
    pub initiatives: Vec<String>,
}

/// A document passages are taken from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Its id.
    pub document_id: String,
    /// Its date (ISO).
    pub date: String,
    /// Its summit, if any.
    pub summit: Option<String>,
}

/// A passage of a document that may be evidence.
#[derive(Debug, Clone)]
pub struct Passage {
    /// Its document, shared by the document's passages.
    pub source: Arc<Source>,
    /// The passage.
    pub text: String,
}

/// Thresholds of discovery.
#[derive(Debug, Clone)]
pub struct Options {
    /// Minimum score of a suggestion.
    pub threshold: f64,
    /// At most this many passages per commitment and document.
    pub per_document: usize,
    /// Passages and commitments of fewer words are skipped: short texts
    /// match anything.
    pub min_words: usize,
    /// A passage without report wording needs at least this score.
    pub without_report: f64,
    /// A passage at least this similar restates the commitment (a reprint,
    /// a repeat): it is not evidence of delivery.
    pub restated: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            threshold: 0.42,
            per_document: 2,
            min_words: 8,
            without_report: 0.6,
            restated: 0.95,
        }
    }
}

/// The passages of a document's cleaned text: its sentences and bullets.
pub fn passages(source: &Arc<Source>, text: &str, options: &Options) -> Vec<Passage> {
    let units = accord_extract::segment::segment(text).units;
    of_source(source, passage_texts(units, options))
}

/// The texts of the passages among a document's units (those of
/// `options.min_words` words or more, in order): what [`passages`] takes
/// from the units of its text, for a caller that segmented it already.
pub fn passage_texts(units: Vec<accord_extract::segment::Unit>, options: &Options) -> Vec<String> {
    units
        .into_iter()
        .map(|u| u.text)
        .filter(|text| accord_model::has_words(text, options.min_words))
        .collect()
}

/// The passages of `texts`, all from `source`.
pub fn of_source(source: &Arc<Source>, texts: Vec<String>) -> Vec<Passage> {
    texts
        .into_iter()
        .map(|text| Passage {
            source: Arc::clone(source),
            text,
        })
        .collect()
}

/// Whether a commitment of this text is sought at all (it has
/// `options.min_words` words): only those count in the statistics a
/// [`DiscovererBuilder`] is given.
pub fn is_sought(text: &str, options: &Options) -> bool {
    accord_model::has_words(text, options.min_words)
}

/// Distinctive terms per text used to find candidates.
const KEYS: usize = 8;

/// Report wording: what a later statement says about work done.
static REPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:has|have|had) (?:been |now )?\w+(?:ed|en|un|ught|ade|ent)\b|\b(?:launched|completed|established|convened|delivered|published|finali[sz]ed|achieved|implemented|signed|released|created|began|since|progress|to date|so far)\b",
    )
    .expect("valid pattern")
});

/// Suggestions of `passages` for `sought` commitments: only passages of
/// later-dated documents, best first.
pub fn discover(
    sought: &[Sought],
    passages: &[Passage],
    found_at: &str,
    options: &Options,
) -> Vec<Suggestion> {
    Discoverer::new(sought.iter().cloned(), options.clone()).find(passages, found_at)
}

/// The commitments sought, weighed and indexed once, to be matched with
/// batch after batch of passages. It keeps their weights, not their texts,
/// and each document's date and summit once.
#[derive(Debug)]
pub struct Discoverer {
    /// The commitments sought, in the order of the corpus's items.
    targets: Vec<Target>,
    /// The documents of the commitments sought.
    origins: Vec<Origin>,
    /// Document id -> its number in `origins`.
    origin_of: FxHashMap<String, u32>,
    /// Summit -> the number it has in `origins`.
    summits: FxHashMap<String, u32>,
    corpus: Corpus,
    /// Distinctive term -> the targets carrying it.
    index: FxHashMap<Term, Vec<u32>>,
    max_df: usize,
    options: Options,
}

/// A commitment sought: its id and its document.
#[derive(Debug)]
struct Target {
    id: Box<str>,
    origin: u32,
}

/// A document of commitments sought: its date, and its summit's number.
#[derive(Debug)]
struct Origin {
    date: String,
    summit: Option<u32>,
}

/// A suggestion as [`Discoverer::find_scored`] finds it: which commitment
/// sought, which passage, and the score before it is rounded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    target: usize,
    passage: usize,
    score: f64,
}

/// Where a passage's document stands among the documents of the
/// commitments sought: its number, if it is one of them, and its summit's
/// number, if one of them has the same summit.
#[derive(Debug, Clone, Copy)]
struct Placed {
    origin: Option<u32>,
    summit: Option<u32>,
}

impl Discoverer {
    /// Weighs and indexes the commitments `sought` (those with too few
    /// words are left out).
    pub fn new(sought: impl IntoIterator<Item = Sought>, options: Options) -> Discoverer {
        let mut builder = DiscovererBuilder::new(options);
        sought.into_iter().for_each(|s| builder.add(s));
        builder.build()
    }

    /// Suggestions of `passages`: only passages of later-dated documents,
    /// best first. Passages are scored on every core, in chunks whose
    /// scores are pooled before each commitment keeps its best, so the
    /// result does not depend on the chunks.
    pub fn find(&self, passages: &[Passage], found_at: &str) -> Vec<Suggestion> {
        let mut out: Vec<Suggestion> = self
            .find_scored(passages)
            .iter()
            .map(|found| self.suggestion(found, passages, found_at))
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        out
    }

    /// What [`Discoverer::find`] finds, each suggestion held as its
    /// commitment, passage and score (24 bytes) rather than spelled out
    /// (its ids, passage and time copied: some 500 bytes): a caller that
    /// stores many spells them out a few thousand at a time
    /// ([`Discoverer::suggestion`]). In the order of the commitments
    /// sought, then of the passages.
    pub fn find_scored(&self, passages: &[Passage]) -> Vec<Found> {
        use rayon::prelude::*;
        let best = passages
            .par_chunks(PASSAGES_PER_TASK)
            .enumerate()
            .map(|(k, chunk)| self.score(chunk, k * PASSAGES_PER_TASK))
            .reduce(Scores::default, |mut all, part| {
                for (key, scored) in part {
                    all.entry(key).or_default().extend(scored);
                }
                all
            });
        let mut out = Vec::new();
        for ((i, _), mut scored) in best {
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            out.extend(scored.into_iter().take(self.options.per_document).map(
                |(score, passage)| Found {
                    target: i,
                    passage,
                    score,
                },
            ));
        }
        out.sort_unstable_by_key(|found| (found.target, found.passage));
        out
    }

    /// The suggestion `found` (by [`Discoverer::find_scored`] among
    /// `passages`) stands for, found at `found_at`.
    pub fn suggestion(&self, found: &Found, passages: &[Passage], found_at: &str) -> Suggestion {
        let id = &self.targets[found.target].id;
        let passage = &passages[found.passage];
        let document_id = &passage.source.document_id;
        Suggestion {
            id: Suggestion::id_for(id, document_id, &passage.text),
            commitment_id: id.to_string(),
            document_id: document_id.clone(),
            passage: passage.text.clone(),
            score: (found.score * 1000.0).round() / 1000.0,
            status: Decision::Pending,
            found_at: found_at.to_string(),
            decided_by: None,
            decided_at: None,
        }
    }

    /// The scores of `passages` (numbered from `first`) above the
    /// threshold, per (commitment, document).
    fn score<'p>(&self, passages: &'p [Passage], first: usize) -> Scores<'p> {
        let options = &self.options;
        let mut best: Scores<'p> = Scores::default();
        // Per target, the keys of the passage it carries (each target is
        // listed once under each of its keys); reset after each passage.
        let mut shared = vec![0u8; self.targets.len()];
        let mut touched: Vec<u32> = Vec::new();
        let mut candidates: Vec<usize> = Vec::new();
        for (p, passage) in passages.iter().enumerate() {
            let probe = self.corpus.probe(&passage.text);
            let keys = self.corpus.probe_keys(&probe, self.max_df, KEYS);
            // A commitment sharing one distinctive term with a passage that
            // has several is rarely about the same thing: at least two.
            let needed = if keys.len() >= 3 { 2 } else { 1 };
            candidates.clear();
            for &i in keys.iter().filter_map(|k| self.index.get(k)).flatten() {
                let count = &mut shared[i as usize];
                if *count == 0 {
                    touched.push(i);
                }
                *count += 1;
                if *count == needed {
                    candidates.push(i as usize);
                }
            }
            for i in touched.drain(..) {
                shared[i as usize] = 0;
            }
            // Report wording is looked for once a candidate needs it.
            let mut report: Option<bool> = None;
            let source = &*passage.source;
            let mut placed: Option<Placed> = None;
            for &i in &candidates {
                let target = &self.targets[i];
                let origin = &self.origins[target.origin as usize];
                let placed = *placed.get_or_insert_with(|| self.place(source));
                if placed.origin == Some(target.origin)
                    || source.date.as_str() <= origin.date.as_str()
                    || (origin.summit.is_some() && placed.summit == origin.summit)
                {
                    continue;
                }
                let similarity = self.corpus.probe_similarity(i, &probe);
                if similarity >= options.restated {
                    continue;
                }
                let report = *report.get_or_insert_with(|| has_report_wording(&passage.text));
                if !report && similarity < options.without_report {
                    continue;
                }
                let score = (similarity + if report { 0.08 } else { 0.0 }).min(1.0);
                if score >= options.threshold {
                    best.entry((i, source.document_id.as_str()))
                        .or_default()
                        .push((score, first + p));
                }
            }
        }
        best
    }

    /// Where the document of `source` stands among the documents of the
    /// commitments sought.
    fn place(&self, source: &Source) -> Placed {
        Placed {
            origin: self.origin_of.get(&source.document_id).copied(),
            summit: (source.summit.as_ref()).and_then(|s| self.summits.get(s).copied()),
        }
    }
}

/// Gathers the commitments sought one at a time (a page of rows after
/// another): each is taken apart as it comes, its document kept once and
/// its text only until the weights are made, so the rows are never all
/// held at once.
#[derive(Debug)]
pub struct DiscovererBuilder {
    targets: Vec<Target>,
    origins: Vec<Origin>,
    origin_of: FxHashMap<String, u32>,
    summits: FxHashMap<String, u32>,
    items: Vec<Item>,
    options: Options,
    /// The statistics of a larger set the commitments are a part of.
    stats: Option<Arc<Statistics>>,
}

impl DiscovererBuilder {
    /// No commitment yet; the commitments added are weighed with their
    /// own statistics.
    pub fn new(options: Options) -> DiscovererBuilder {
        DiscovererBuilder {
            targets: Vec::new(),
            origins: Vec::new(),
            origin_of: FxHashMap::default(),
            summits: FxHashMap::default(),
            items: Vec::new(),
            options,
            stats: None,
        }
    }

    /// No commitment yet; the commitments added are a part of those
    /// sought, weighed with the statistics of all of them (gathered from
    /// the texts [`is_sought`] keeps). The discoverers of the parts find,
    /// together, what one discoverer of all of them finds.
    pub fn part_of(stats: Arc<Statistics>, options: Options) -> DiscovererBuilder {
        DiscovererBuilder {
            stats: Some(stats),
            ..DiscovererBuilder::new(options)
        }
    }

    /// Number of commitments added (and sought).
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// True when no commitment sought was added.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Adds a commitment sought (left out when it has too few words).
    pub fn add(&mut self, s: Sought) {
        if !is_sought(&s.text, &self.options) {
            return;
        }
        let origins = &mut self.origins;
        let summits = &mut self.summits;
        let origin = *self.origin_of.entry(s.document_id).or_insert_with(|| {
            let summit = s.summit.map(|summit| {
                let next = summits.len() as u32;
                *summits.entry(summit).or_insert(next)
            });
            origins.push(Origin {
                date: s.date,
                summit,
            });
            (origins.len() - 1) as u32
        });
        self.targets.push(Target {
            id: s.id.into_boxed_str(),
            origin,
        });
        self.items.push(Item {
            id: String::new(),
            document_id: String::new(),
            summit: None,
            text: s.text,
            initiatives: s.initiatives,
        });
    }

    /// Weighs and indexes the commitments added.
    pub fn build(self) -> Discoverer {
        let DiscovererBuilder {
            mut targets,
            mut origins,
            origin_of,
            summits,
            items,
            options,
            stats,
        } = self;
        let corpus = match stats {
            Some(stats) => Corpus::weigh(stats, &items),
            None => Corpus::for_probes(&items),
        };
        drop(items);
        // Terms carried by at most 1 % of the commitments sought: few,
        // telling candidates.
        let max_df = (corpus.statistics().len() / 100).max(10);
        let mut index: FxHashMap<Term, Vec<u32>> = FxHashMap::default();
        for i in 0..targets.len() {
            for key in corpus.keys(i, max_df, KEYS) {
                index.entry(key).or_default().push(i as u32);
            }
        }
        index.values_mut().for_each(|v| v.shrink_to_fit());
        targets.shrink_to_fit();
        origins.shrink_to_fit();
        Discoverer {
            targets,
            origins,
            origin_of,
            summits,
            corpus,
            index,
            max_df,
            options,
        }
    }
}

/// Scored passages (score, passage number) per (commitment, document).
type Scores<'p> = FxHashMap<(usize, &'p str), Vec<(f64, usize)>>;

/// Passages scored by one task of [`Discoverer::find`].
const PASSAGES_PER_TASK: usize = 256;

/// Whether a text has report wording ([`REPORT`]). A text that is not all
/// ASCII is matched through its [`ascii_stand_in`]: the same answer, from
/// the pattern's fast automaton (its Unicode word boundaries send text
/// that is not ASCII to a much slower engine).
fn has_report_wording(text: &str) -> bool {
    if text.is_ascii() {
        REPORT.is_match(text)
    } else {
        REPORT.is_match(&ascii_stand_in(text))
    }
}

/// `text` with each character that is not ASCII replaced by one that is
/// and that [`REPORT`] treats alike: a character that matches an ASCII
/// letter ignoring case (the Kelvin sign, the long s) by that letter,
/// another word character by `x`, anything else by `#`. The pattern has
/// neither `x` nor `#` and no other literal those characters could
/// match, and word characters stay word characters, so it matches the
/// stand-in exactly when it matches the text.
fn ascii_stand_in(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            _ if c.is_ascii() => c,
            '\u{212A}' => 'k',
            '\u{17F}' => 's',
            _ if regex_syntax::is_word_character(c) => 'x',
            _ => '#',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stand-in keeps what the pattern sees of every character that is
    /// not ASCII: word characters as the pattern's `\w` and `\b` see them,
    /// and which characters match an ASCII letter ignoring case.
    #[test]
    fn the_ascii_stand_in_treats_every_character_as_the_pattern_does() {
        let word = Regex::new(r"^\w$").expect("valid pattern");
        let letter = Regex::new(r"(?i)^[a-z]$").expect("valid pattern");
        for c in '\u{80}'..=char::MAX {
            let text = c.to_string();
            let stand_in = ascii_stand_in(&text);
            assert!(stand_in.is_ascii() && stand_in.chars().count() == 1);
            assert_eq!(
                word.is_match(&text),
                word.is_match(&stand_in),
                "word character {c:?} (U+{:04X})",
                c as u32
            );
            if letter.is_match(&text) {
                let folded = Regex::new(&format!("(?i)^{stand_in}$")).expect("valid pattern");
                assert!(folded.is_match(&text), "{c:?} stands for {stand_in}");
            } else {
                assert!(["x", "#"].contains(&stand_in.as_str()), "{c:?}");
            }
        }
    }

    #[test]
    fn report_wording_is_found_alike_in_text_that_is_not_ascii() {
        let texts = [
            "Since the summit, the group has launched its plan.",
            "Since the summit, the group has launched its plan — and more.",
            "The group “has created” a fund.",
            "The group has créated a fund.",
            "The group has createdé a fund.",
            "The group has\u{a0}launched a fund.",
            "ſince last year, progreſs was made.",
            "Café élan naïve façade.",
            "Élaboré, finalisé: l’accord a été signé.",
            "They signed\u{301} the accord.",
            "Ten \u{212A}ilometres were completed\u{200d}.",
            "日本 has 完成ed the plan since 2021",
        ];
        for text in texts {
            assert_eq!(has_report_wording(text), REPORT.is_match(text), "{text}");
        }
    }
}
