//! Full-text search over commitments, with facets. The only crate that
//! imports tantivy.
//!
//! A [`SearchIndex`] is built in RAM from [`Entry`]s (one per commitment)
//! and is never the source of truth: the web server builds it from the
//! ledger at start and builds it again whenever the ledger changes, so the
//! index can always be rebuilt from the database.
//!
//! [`SearchIndex::search`] ranks by relevance (BM25 over English-stemmed
//! words of the commitment's text, its section heading and its named
//! initiatives), returns each hit's text cut into highlighted and plain
//! [`Piece`]s, and counts the matching commitments per [`Dimension`] value
//! (summit, issuer, theme, strength, actor, has target, deadline year).
#![deny(missing_docs)]

use serde::Serialize;
use std::borrow::Cow;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, QueryParser, TermQuery};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST,
};
use tantivy::tokenizer::{SimpleTokenizer, TokenStream, Tokenizer};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

/// The fast field holding an entry's position in [`SearchIndex::build`]'s
/// input.
const ORDINAL: &str = "ordinal";

/// Errors of the search index.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// tantivy failed to build or read the index.
    #[error("search index error: {0}")]
    Index(#[from] tantivy::TantivyError),
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One commitment as the index sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// Commitment id.
    pub id: String,
    /// The commitment's words.
    pub text: String,
    /// Heading of its section.
    pub section: Option<String>,
    /// Named initiatives it mentions.
    pub initiatives: Vec<String>,
    /// Its document's summit.
    pub summit: Option<String>,
    /// Its document's issuer.
    pub issuer: Option<String>,
    /// Theme (`climate_environment`, …).
    pub theme: String,
    /// Strength (`firm`, `soft`, `reaffirmation`).
    pub strength: String,
    /// Actors (member codes).
    pub actors: Vec<String>,
    /// Whether it has a quantified target.
    pub has_target: bool,
    /// Year of its deadline.
    pub deadline_year: Option<i32>,
}

/// A facet dimension: something commitments can be filtered and counted
/// by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// The document's summit.
    Summit,
    /// The document's issuer.
    Issuer,
    /// The commitment's theme.
    Theme,
    /// The commitment's strength.
    Strength,
    /// One of its actors.
    Actor,
    /// `yes` or `no`: has a quantified target.
    HasTarget,
    /// Year of its deadline.
    DeadlineYear,
}

impl Dimension {
    /// Every dimension, in display order.
    pub const ALL: [Dimension; 7] = [
        Dimension::Summit,
        Dimension::Issuer,
        Dimension::Theme,
        Dimension::Strength,
        Dimension::Actor,
        Dimension::HasTarget,
        Dimension::DeadlineYear,
    ];

    /// The snake_case name used in URLs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Summit => "summit",
            Dimension::Issuer => "issuer",
            Dimension::Theme => "theme",
            Dimension::Strength => "strength",
            Dimension::Actor => "actor",
            Dimension::HasTarget => "has_target",
            Dimension::DeadlineYear => "deadline_year",
        }
    }

    /// Parses [`Dimension::as_str`] back.
    pub fn parse(name: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.as_str() == name)
    }

    fn root(self) -> Facet {
        Facet::from_path([self.as_str()])
    }

    fn facet(self, value: &str) -> Facet {
        Facet::from_path([self.as_str(), value])
    }
}

/// A search: words, facet filters, and the page of hits wanted.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The words, in tantivy's query language (`methane AND "black carbon"`,
    /// `-coal`); all words are required by default. Empty matches every
    /// commitment. Malformed syntax never fails: what can be read is used.
    /// Groups nested more than [`MAX_QUERY_NESTING`] deep are read as
    /// plain words.
    pub text: String,
    /// Filters: a commitment must match one value of each dimension named.
    pub filters: Vec<(Dimension, String)>,
    /// Hits to skip.
    pub offset: usize,
    /// Hits to return at most.
    pub limit: usize,
}

impl Default for Query {
    fn default() -> Query {
        Query {
            text: String::new(),
            filters: Vec::new(),
            offset: 0,
            limit: 20,
        }
    }
}

/// A piece of a hit's text: matched words are highlighted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    /// The words.
    pub text: String,
    /// Whether they matched the query.
    pub highlighted: bool,
}

/// One matching commitment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Commitment id.
    pub id: String,
    /// Relevance score (higher is better).
    pub score: f32,
    /// The commitment's text with the matched words highlighted.
    pub pieces: Vec<Piece>,
}

/// How many matching commitments have one value of a dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// The dimension.
    pub dimension: Dimension,
    /// The value.
    pub value: String,
    /// Matching commitments with it.
    pub count: u64,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Results {
    /// Matching commitments in all.
    pub total: usize,
    /// The page of hits asked for, best first.
    pub hits: Vec<Hit>,
    /// Counts per dimension value over all matching commitments, by
    /// dimension, then by count (highest first), then by value.
    pub facets: Vec<FacetCount>,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    ordinal: Field,
    text: Field,
    section: Field,
    initiatives: Field,
    facet: Field,
}

/// A full-text index of commitments, held in RAM.
///
/// The ids and texts are kept beside the index (not in tantivy's document
/// store): a hit is read from a fast field and never decompressed.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    ids: Vec<String>,
    texts: Vec<String>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("len", &self.ids.len())
            .finish()
    }
}

impl SearchIndex {
    /// Builds an index of `entries` in RAM.
    pub fn build<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Result<SearchIndex> {
        let mut schema = Schema::builder();
        let words = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Fields {
            ordinal: schema.add_u64_field(ORDINAL, FAST),
            text: schema.add_text_field("text", words.clone()),
            section: schema.add_text_field("section", words.clone()),
            initiatives: schema.add_text_field("initiatives", words),
            facet: schema.add_facet_field("facet", FacetOptions::default()),
        };
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 64_000_000)?;
        let mut ids = Vec::new();
        let mut texts = Vec::new();
        for entry in entries {
            let mut doc = TantivyDocument::default();
            doc.add_u64(fields.ordinal, ids.len() as u64);
            doc.add_text(fields.text, &entry.text);
            if let Some(section) = &entry.section {
                doc.add_text(fields.section, section);
            }
            for initiative in &entry.initiatives {
                doc.add_text(fields.initiatives, initiative);
            }
            for (dimension, value) in facet_values(entry) {
                doc.add_facet(fields.facet, dimension.facet(&value));
            }
            writer.add_document(doc)?;
            ids.push(entry.id.clone());
            texts.push(entry.text.clone());
        }
        writer.commit()?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            ids,
            texts,
        })
    }

    /// How many commitments the index holds.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the index holds no commitment.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Runs a search.
    pub fn search(&self, query: &Query) -> Result<Results> {
        let searcher = self.reader.searcher();
        let words = query.text.trim();
        let text_query: Option<Box<dyn tantivy::query::Query>> = if words.is_empty() {
            None
        } else {
            let mut parser = QueryParser::for_index(
                &self.index,
                vec![
                    self.fields.text,
                    self.fields.section,
                    self.fields.initiatives,
                ],
            );
            parser.set_conjunction_by_default();
            parser.set_field_boost(self.fields.text, 2.0);
            let (parsed, _errors) = parser.parse_query_lenient(&within_nesting(words));
            Some(parsed)
        };
        let mut clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> = Vec::new();
        if let Some(q) = &text_query {
            clauses.push((Occur::Must, q.box_clone()));
        }
        let mut dimensions: Vec<Dimension> = query.filters.iter().map(|(d, _)| *d).collect();
        dimensions.sort();
        dimensions.dedup();
        for dimension in dimensions {
            let any_of: Vec<(Occur, Box<dyn tantivy::query::Query>)> = query
                .filters
                .iter()
                .filter(|(d, _)| *d == dimension)
                .map(|(_, value)| {
                    let term = Term::from_facet(self.fields.facet, &dimension.facet(value));
                    let q: Box<dyn tantivy::query::Query> =
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                    (Occur::Should, q)
                })
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any_of))));
        }
        let combined: Box<dyn tantivy::query::Query> = if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            if text_query.is_none() {
                clauses.push((Occur::Must, Box::new(AllQuery)));
            }
            Box::new(BooleanQuery::new(clauses))
        };
        let mut facets = FacetCollector::for_field("facet");
        for dimension in Dimension::ALL {
            facets.add_facet(dimension.root());
        }
        let limit = query.limit.clamp(1, 1_000);
        let top = TopDocs::with_limit(limit).and_offset(query.offset);
        let (top, total, facet_counts) = searcher.search(&*combined, &(top, Count, facets))?;

        let highlighter = text_query
            .as_ref()
            .map(|q| Highlighter::new(&**q, self.fields.text));
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let ordinals = searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .u64(ORDINAL)?;
            let Some(ordinal) = ordinals.first(address.doc_id) else {
                continue;
            };
            let (Some(id), Some(text)) = (
                self.ids.get(ordinal as usize),
                self.texts.get(ordinal as usize),
            ) else {
                continue;
            };
            let pieces = match &highlighter {
                Some(highlighter) => pieces(text, highlighter.matches(text)),
                None => pieces(text, Vec::new()),
            };
            hits.push(Hit {
                id: id.clone(),
                score,
                pieces,
            });
        }

        let mut counts = Vec::new();
        for dimension in Dimension::ALL {
            let mut of_dimension: Vec<FacetCount> = facet_counts
                .get(&dimension.root().to_string())
                .filter_map(|(facet, count)| {
                    let value = facet.to_path().get(1)?.to_string();
                    Some(FacetCount {
                        dimension,
                        value,
                        count,
                    })
                })
                .collect();
            of_dimension.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
            counts.extend(of_dimension);
        }
        Ok(Results {
            total,
            hits,
            facets: counts,
        })
    }
}

/// Finds the words of a text that match a query's terms, the way the
/// `en_stem` analyzer indexed them (simple tokens of at most 40 bytes,
/// lowercased, English Snowball stems).
struct Highlighter {
    stems: Vec<String>,
    stemmer: rust_stemmers::Stemmer,
}

impl Highlighter {
    fn new(query: &dyn tantivy::query::Query, field: Field) -> Highlighter {
        let mut stems: Vec<String> = Vec::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                if let Some(text) = term.value().as_str() {
                    stems.push(text.to_string());
                }
            }
        });
        stems.sort();
        stems.dedup();
        Highlighter {
            stems,
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English),
        }
    }

    /// Byte ranges of the matching words of `text`, in order.
    fn matches(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        if self.stems.is_empty() {
            return out;
        }
        let mut tokenizer = SimpleTokenizer::default();
        let mut tokens = tokenizer.token_stream(text);
        while tokens.advance() {
            let token = tokens.token();
            if token.text.len() > 40 {
                continue;
            }
            let lower = token.text.to_lowercase();
            // Stemming keeps a word's first letter: only words that start
            // like a term are stemmed (the costly part).
            let Some(first) = lower.chars().next() else {
                continue;
            };
            if !self.stems.iter().any(|s| s.starts_with(first)) {
                continue;
            }
            let stem = self.stemmer.stem(&lower);
            if self.stems.iter().any(|s| *s == stem) {
                out.push(token.offset_from..token.offset_to);
            }
        }
        out
    }
}

/// The facet values of an entry.
fn facet_values(entry: &Entry) -> Vec<(Dimension, String)> {
    let mut values = Vec::new();
    if let Some(summit) = entry.summit.as_deref().filter(|s| !s.is_empty()) {
        values.push((Dimension::Summit, summit.to_string()));
    }
    if let Some(issuer) = entry.issuer.as_deref().filter(|s| !s.is_empty()) {
        values.push((Dimension::Issuer, issuer.to_string()));
    }
    values.push((Dimension::Theme, entry.theme.clone()));
    values.push((Dimension::Strength, entry.strength.clone()));
    let mut actors = entry.actors.clone();
    actors.sort();
    actors.dedup();
    for actor in actors.into_iter().filter(|a| !a.is_empty()) {
        values.push((Dimension::Actor, actor));
    }
    values.push((
        Dimension::HasTarget,
        if entry.has_target { "yes" } else { "no" }.to_string(),
    ));
    if let Some(year) = entry.deadline_year {
        values.push((Dimension::DeadlineYear, year.to_string()));
    }
    values
}

/// Cuts `text` into plain and highlighted pieces at the byte ranges given
/// (sorted, non-overlapping; ranges off char boundaries are ignored).
fn pieces(text: &str, ranges: impl IntoIterator<Item = std::ops::Range<usize>>) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut at = 0;
    for range in ranges {
        if range.start < at
            || range.end > text.len()
            || range.start >= range.end
            || !text.is_char_boundary(range.start)
            || !text.is_char_boundary(range.end)
        {
            continue;
        }
        if range.start > at {
            out.push(Piece {
                text: text[at..range.start].to_string(),
                highlighted: false,
            });
        }
        out.push(Piece {
            text: text[range.clone()].to_string(),
            highlighted: true,
        });
        at = range.end;
    }
    if at < text.len() || out.is_empty() {
        out.push(Piece {
            text: text[at..].to_string(),
            highlighted: false,
        });
    }
    out
}

#[cfg(test)]
mod tests;

/// Parentheses and `NOT`s nested deeper than this make a query plain
/// words. The query parser descends one call per level: a query of 5,000
/// `(` overflowed the stack and took the server down.
pub const MAX_QUERY_NESTING: usize = 32;

/// `words`, or, when its groups nest deeper than [`MAX_QUERY_NESTING`]
/// (parentheses, and `NOT`s in a row), its words without parentheses and
/// `NOT`s.
fn within_nesting(words: &str) -> Cow<'_, str> {
    let (mut depth, mut nots, mut deepest) = (0usize, 0usize, 0usize);
    for token in words.split_whitespace() {
        if token == "NOT" {
            nots += 1;
            deepest = deepest.max(depth + nots);
            continue;
        }
        for b in token.bytes() {
            match b {
                b'(' => {
                    depth += 1;
                    deepest = deepest.max(depth + nots);
                }
                b')' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        nots = 0;
    }
    if deepest <= MAX_QUERY_NESTING {
        return Cow::Borrowed(words);
    }
    let plain = words.replace(['(', ')'], " ");
    let plain: Vec<&str> = plain.split_whitespace().filter(|w| *w != "NOT").collect();
    Cow::Owned(plain.join(" "))
}
