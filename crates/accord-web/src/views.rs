//! What the pages and the API show, computed from a [`Ledger`]: summits,
//! commitments with their links, search results, side-by-side comparison
//! of a summit's versions, lineage across summits, and the dashboard's
//! counts. The JSON API serialises these types as they are; the HTML pages
//! render them through templates.

use crate::error::{Error, Result};
use crate::state::{year_of, Ledger};
use accord_model::{Commitment, Theme};
use accord_search::{Dimension, Query};
use accord_store::DocumentRow;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use utoipa::{IntoParams, ToSchema};

/// A document, without its texts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentOut {
    /// Document id.
    pub id: String,
    /// File name it was ingested from.
    pub source_file: String,
    /// Title.
    pub title: Option<String>,
    /// Date, ISO.
    pub date: Option<String>,
    /// Issuing government (`US`, `CA`, `MX`, …).
    pub issuer: Option<String>,
    /// Summit (`NALS 2023`).
    pub summit: Option<String>,
    /// Language (ISO 639-1).
    pub language: Option<String>,
    /// Kind: joint_statement, fact_sheet, roadmap, other.
    pub kind: Option<String>,
    /// Input format: text, markdown, html.
    pub format: String,
    /// Where it was published, when known.
    pub source_url: Option<String>,
    /// Commitments extracted from it.
    pub n_commitments: usize,
}

impl DocumentOut {
    fn new(d: &DocumentRow, n_commitments: usize) -> DocumentOut {
        DocumentOut {
            id: d.id.clone(),
            source_file: d.source_file.clone(),
            title: d.title.clone(),
            date: d.date.clone(),
            issuer: d.issuer.clone(),
            summit: d.summit.clone(),
            language: d.language.clone(),
            kind: d.kind.clone(),
            format: d.format.clone(),
            source_url: d.source_url.clone(),
            n_commitments,
        }
    }

    /// A title to show: the title, else the file name.
    pub fn label(&self) -> String {
        self.title
            .clone()
            .unwrap_or_else(|| self.source_file.clone())
    }
}

/// A quantified target.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TargetOut {
    /// Value (15 for "15%").
    pub value: f64,
    /// Unit: percent, USD, tonnes, …
    pub unit: String,
    /// reduce, increase, reach, other.
    pub direction: String,
    /// Baseline year.
    pub baseline_year: Option<i32>,
    /// Target year.
    pub target_year: Option<i32>,
    /// The words it was read from.
    pub phrase: String,
}

/// A commitment with its document's summit and issuer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommitmentOut {
    /// Commitment id (`DOCUMENT_ID-NNN`).
    pub id: String,
    /// Its document.
    pub document_id: String,
    /// Its document's summit.
    pub summit: Option<String>,
    /// Its document's issuer.
    pub issuer: Option<String>,
    /// Its document's date.
    pub date: Option<String>,
    /// The words.
    pub text: String,
    /// Byte range into the document's original text: start.
    pub span_start: usize,
    /// Byte range into the document's original text: end.
    pub span_end: usize,
    /// Section heading.
    pub section: Option<String>,
    /// Who commits (member codes).
    pub actors: Vec<String>,
    /// firm, soft or reaffirmation.
    pub strength: String,
    /// Theme.
    pub theme: String,
    /// Quantified targets.
    pub targets: Vec<TargetOut>,
    /// Deadline, ISO (`2030`, `2030-06`, `2030-06-30`).
    pub deadline: Option<String>,
    /// Named initiatives.
    pub initiatives: Vec<String>,
    /// Extraction confidence in [0, 1].
    pub confidence: f64,
}

impl CommitmentOut {
    /// The view of `c` in `ledger`.
    pub fn new(ledger: &Ledger, c: &Commitment) -> CommitmentOut {
        let document = ledger.document_of(c);
        CommitmentOut {
            id: c.id.clone(),
            document_id: c.document_id.clone(),
            summit: document.and_then(|d| d.summit.clone()),
            issuer: document.and_then(|d| d.issuer.clone()),
            date: document.and_then(|d| d.date.clone()),
            text: c.text.clone(),
            span_start: c.span.start,
            span_end: c.span.end,
            section: c.section.clone(),
            actors: c.actors.clone(),
            strength: c.strength.as_str().to_string(),
            theme: c.theme.as_str().to_string(),
            targets: c
                .targets
                .iter()
                .map(|t| TargetOut {
                    value: t.value,
                    unit: t.unit.clone(),
                    direction: t.direction.clone(),
                    baseline_year: t.baseline_year,
                    target_year: t.target_year,
                    phrase: t.phrase.clone(),
                })
                .collect(),
            deadline: c.deadline.clone(),
            initiatives: c.initiatives.clone(),
            confidence: c.confidence,
        }
    }
}

/// A name with a count.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Count {
    /// The name.
    pub key: String,
    /// How many.
    pub count: usize,
}

/// A summit with its documents.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SummitOut {
    /// Summit name; absent for documents of no known summit.
    pub summit: Option<String>,
    /// Its year.
    pub year: Option<i32>,
    /// Issuing governments of its documents.
    pub issuers: Vec<String>,
    /// Documents in all.
    pub n_documents: usize,
    /// Its documents (the first 50 for a large group).
    pub documents: Vec<DocumentOut>,
    /// Commitments in all.
    pub n_commitments: usize,
    /// Commitments per theme, most first.
    pub themes: Vec<Count>,
}

/// Documents listed per summit at most.
const DOCUMENTS_PER_SUMMIT: usize = 50;

/// Every summit, latest first; documents of no summit come last.
pub fn summits(ledger: &Ledger) -> Vec<SummitOut> {
    let mut groups: BTreeMap<Option<&str>, Vec<&DocumentRow>> = BTreeMap::new();
    for d in &ledger.documents {
        groups.entry(d.summit.as_deref()).or_default().push(d);
    }
    let mut out: Vec<SummitOut> = groups
        .into_iter()
        .map(|(summit, documents)| {
            let mut issuers: Vec<String> =
                documents.iter().filter_map(|d| d.issuer.clone()).collect();
            issuers.sort();
            issuers.dedup();
            let mut per_theme = [0usize; Theme::ALL.len()];
            for d in &documents {
                for c in ledger.commitments_of_unordered(&d.id) {
                    if let Some(i) = Theme::ALL.iter().position(|t| *t == c.theme) {
                        per_theme[i] += 1;
                    }
                }
            }
            let mut themes: Vec<Count> = Theme::ALL
                .iter()
                .zip(per_theme)
                .filter(|(_, n)| *n > 0)
                .map(|(t, n)| Count {
                    key: t.as_str().to_string(),
                    count: n,
                })
                .collect();
            themes.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
            SummitOut {
                year: summit.and_then(summit_year),
                n_documents: documents.len(),
                n_commitments: themes.iter().map(|t| t.count).sum(),
                documents: documents
                    .iter()
                    .take(DOCUMENTS_PER_SUMMIT)
                    .map(|d| DocumentOut::new(d, ledger.n_commitments_of(&d.id)))
                    .collect(),
                summit: summit.map(str::to_string),
                issuers,
                themes,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.summit
            .is_none()
            .cmp(&b.summit.is_none())
            .then(b.year.cmp(&a.year))
            .then(a.summit.cmp(&b.summit))
    });
    out
}

/// The year in a summit's name (`NALS 2023` -> 2023).
pub fn summit_year(summit: &str) -> Option<i32> {
    summit
        .split_whitespace()
        .filter_map(|w| w.get(..4).and_then(|y| y.parse::<i32>().ok()))
        .find(|y| (1900..2200).contains(y))
}

/// A document with its commitments.
pub fn document(ledger: &Ledger, id: &str) -> Result<(DocumentOut, Vec<CommitmentOut>)> {
    let d = ledger
        .document(id)
        .ok_or_else(|| Error::NotFound(format!("no document {id}")))?;
    let commitments: Vec<CommitmentOut> = ledger
        .commitments_of(id)
        .into_iter()
        .map(|c| CommitmentOut::new(ledger, c))
        .collect();
    Ok((DocumentOut::new(d, commitments.len()), commitments))
}

/// Every document.
pub fn documents(ledger: &Ledger) -> Vec<DocumentOut> {
    ledger
        .documents
        .iter()
        .map(|d| DocumentOut::new(d, ledger.n_commitments_of(&d.id)))
        .collect()
}

/// Filters and page of the commitment list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommitmentFilter {
    /// Summit, exact but case-insensitive (`NALS 2023`).
    pub summit: Option<String>,
    /// Issuer code (`US`).
    pub issuer: Option<String>,
    /// Theme (`climate_environment`).
    pub theme: Option<String>,
    /// Strength (`firm`, `soft`, `reaffirmation`).
    pub strength: Option<String>,
    /// Actor code: commitments this member makes.
    pub actor: Option<String>,
    /// Only commitments with (true) or without (false) a quantified target.
    pub has_target: Option<bool>,
    /// Case-insensitive substring of the text.
    pub contains: Option<String>,
    /// Only this document.
    pub document_id: Option<String>,
    /// Commitments to skip (default 0).
    pub offset: Option<usize>,
    /// Commitments to return (default 50, at most 1000).
    pub limit: Option<usize>,
}

/// A page of commitments.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommitmentPage {
    /// Matching commitments in all.
    pub total: usize,
    /// Skipped.
    pub offset: usize,
    /// Page size.
    pub limit: usize,
    /// This page.
    pub items: Vec<CommitmentOut>,
}

/// Commitments matching `filter`, one page.
pub fn commitments(ledger: &Ledger, filter: &CommitmentFilter) -> Result<CommitmentPage> {
    let theme = match filter.theme.as_deref() {
        Some(t) => {
            Some(Theme::parse(t).ok_or_else(|| Error::BadRequest(format!("unknown theme {t:?}")))?)
        }
        None => None,
    };
    let strength = match filter.strength.as_deref() {
        Some(s) => Some(
            accord_model::Strength::parse(s)
                .ok_or_else(|| Error::BadRequest(format!("unknown strength {s:?}")))?,
        ),
        None => None,
    };
    let contains = filter.contains.as_deref().map(str::to_lowercase);
    let offset = filter.offset.unwrap_or(0);
    let limit = filter.limit.unwrap_or(50).clamp(1, 1000);
    let mut total = 0;
    let mut items = Vec::new();
    for c in &ledger.commitments {
        let d = ledger.document_of(c);
        let same = |wanted: &Option<String>, value: Option<&String>| match wanted {
            None => true,
            Some(w) => value.is_some_and(|v| v.eq_ignore_ascii_case(w)),
        };
        let keep = same(&filter.summit, d.and_then(|d| d.summit.as_ref()))
            && same(&filter.issuer, d.and_then(|d| d.issuer.as_ref()))
            && theme.is_none_or(|t| c.theme == t)
            && strength.is_none_or(|s| c.strength == s)
            && filter
                .actor
                .as_ref()
                .is_none_or(|a| c.actors.iter().any(|x| x.eq_ignore_ascii_case(a)))
            && filter.has_target.is_none_or(|h| h != c.targets.is_empty())
            && contains
                .as_ref()
                .is_none_or(|t| c.text.to_lowercase().contains(t))
            && filter
                .document_id
                .as_ref()
                .is_none_or(|id| &c.document_id == id);
        if keep {
            if total >= offset && items.len() < limit {
                items.push(CommitmentOut::new(ledger, c));
            }
            total += 1;
        }
    }
    Ok(CommitmentPage {
        total,
        offset,
        limit,
        items,
    })
}

/// A commitment linked to another, with the link's score.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Linked {
    /// The other commitment.
    pub commitment: CommitmentOut,
    /// Similarity in [0, 1].
    pub score: f64,
    /// For lineage: continues, expands or repeats.
    pub kind: Option<String>,
}

/// A commitment with everything known about it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommitmentDetail {
    /// The commitment.
    pub commitment: CommitmentOut,
    /// Its document.
    pub document: DocumentOut,
    /// The same commitment in the other governments' versions.
    pub same: Vec<Linked>,
    /// Earlier summits' commitments it follows up.
    pub earlier: Vec<Linked>,
    /// Later summits' commitments that follow it up.
    pub later: Vec<Linked>,
}

/// One commitment with its links.
pub fn commitment(ledger: &Ledger, id: &str) -> Result<CommitmentDetail> {
    let c = ledger
        .commitment(id)
        .ok_or_else(|| Error::NotFound(format!("no commitment {id}")))?;
    let d = ledger
        .document_of(c)
        .ok_or_else(|| Error::Internal(format!("commitment {id} has no document")))?;
    let linked = |other: &str, score: f64, kind: Option<String>| {
        ledger.commitment(other).map(|o| Linked {
            commitment: CommitmentOut::new(ledger, o),
            score,
            kind,
        })
    };
    Ok(CommitmentDetail {
        commitment: CommitmentOut::new(ledger, c),
        document: DocumentOut::new(d, ledger.n_commitments_of(&d.id)),
        same: ledger
            .same_as(id)
            .into_iter()
            .filter_map(|(o, s)| linked(o, s, None))
            .collect(),
        earlier: ledger
            .earlier_of(id)
            .into_iter()
            .filter_map(|p| linked(&p.b, p.score, p.kind.clone()))
            .collect(),
        later: ledger
            .later_of(id)
            .into_iter()
            .filter_map(|p| linked(&p.a, p.score, p.kind.clone()))
            .collect(),
    })
}

/// The query string of a search.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words (all required; `"a phrase"`, `-word`, `a OR b` work).
    pub q: Option<String>,
    /// Summit filter.
    pub summit: Option<String>,
    /// Issuer filter.
    pub issuer: Option<String>,
    /// Theme filter.
    pub theme: Option<String>,
    /// Strength filter.
    pub strength: Option<String>,
    /// Actor filter.
    pub actor: Option<String>,
    /// `yes` or `no`.
    pub has_target: Option<String>,
    /// Deadline year filter.
    pub deadline_year: Option<String>,
    /// Hits to skip (default 0).
    pub offset: Option<usize>,
    /// Hits to return (default 20, at most 1000).
    pub limit: Option<usize>,
}

impl SearchParams {
    /// The facet filters set, by dimension.
    pub fn filters(&self) -> Vec<(Dimension, String)> {
        let mut out = Vec::new();
        for dimension in Dimension::ALL {
            if let Some(value) = self.get(dimension).filter(|v| !v.is_empty()) {
                out.push((dimension, value.to_string()));
            }
        }
        out
    }

    /// The value of one dimension's filter.
    pub fn get(&self, dimension: Dimension) -> Option<&str> {
        match dimension {
            Dimension::Summit => self.summit.as_deref(),
            Dimension::Issuer => self.issuer.as_deref(),
            Dimension::Theme => self.theme.as_deref(),
            Dimension::Strength => self.strength.as_deref(),
            Dimension::Actor => self.actor.as_deref(),
            Dimension::HasTarget => self.has_target.as_deref(),
            Dimension::DeadlineYear => self.deadline_year.as_deref(),
        }
    }

    /// Sets (or clears) one dimension's filter.
    pub fn set(&mut self, dimension: Dimension, value: Option<String>) {
        let slot = match dimension {
            Dimension::Summit => &mut self.summit,
            Dimension::Issuer => &mut self.issuer,
            Dimension::Theme => &mut self.theme,
            Dimension::Strength => &mut self.strength,
            Dimension::Actor => &mut self.actor,
            Dimension::HasTarget => &mut self.has_target,
            Dimension::DeadlineYear => &mut self.deadline_year,
        };
        *slot = value;
    }

    /// The query string of these parameters (without `?`).
    pub fn query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(q) = self.q.as_deref().filter(|q| !q.is_empty()) {
            pairs.push(("q", q.to_string()));
        }
        for (dimension, value) in self.filters() {
            pairs.push((dimension.as_str(), value));
        }
        if let Some(offset) = self.offset.filter(|o| *o > 0) {
            pairs.push(("offset", offset.to_string()));
        }
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// A piece of a hit's text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PieceOut {
    /// The words.
    pub text: String,
    /// Whether they matched.
    pub highlighted: bool,
}

/// A search hit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHit {
    /// Relevance (higher is better).
    pub score: f32,
    /// The commitment.
    pub commitment: CommitmentOut,
    /// Its text cut into highlighted and plain pieces.
    pub pieces: Vec<PieceOut>,
}

/// A facet value with its count.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetOut {
    /// summit, issuer, theme, strength, actor, has_target, deadline_year.
    pub dimension: String,
    /// The value.
    pub value: String,
    /// Matching commitments with it.
    pub count: u64,
    /// Whether the search filters on it.
    pub selected: bool,
}

/// What a search found.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchOut {
    /// The words searched.
    pub q: String,
    /// Matching commitments in all.
    pub total: usize,
    /// Hits skipped.
    pub offset: usize,
    /// Page size.
    pub limit: usize,
    /// This page of hits, best first.
    pub hits: Vec<SearchHit>,
    /// Counts per facet value over all matching commitments.
    pub facets: Vec<FacetOut>,
}

/// Runs a search.
pub fn search(ledger: &Ledger, params: &SearchParams, default_limit: usize) -> Result<SearchOut> {
    let q = params.q.clone().unwrap_or_default();
    let offset = params.offset.unwrap_or(0);
    let limit = params.limit.unwrap_or(default_limit).clamp(1, 10_000);
    let filters = params.filters();
    let results = ledger.search.search(&Query {
        text: q.clone(),
        filters: filters.clone(),
        offset,
        limit,
    })?;
    let hits = results
        .hits
        .into_iter()
        .filter_map(|hit| {
            let c = ledger.commitment(&hit.id)?;
            Some(SearchHit {
                score: hit.score,
                commitment: CommitmentOut::new(ledger, c),
                pieces: hit
                    .pieces
                    .into_iter()
                    .map(|p| PieceOut {
                        text: p.text,
                        highlighted: p.highlighted,
                    })
                    .collect(),
            })
        })
        .collect();
    let facets = results
        .facets
        .into_iter()
        .map(|f| FacetOut {
            selected: filters
                .iter()
                .any(|(d, v)| *d == f.dimension && *v == f.value),
            dimension: f.dimension.as_str().to_string(),
            value: f.value,
            count: f.count,
        })
        .collect();
    Ok(SearchOut {
        q,
        total: results.total,
        offset,
        limit,
        hits,
        facets,
    })
}

/// A piece of a word-level difference.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DiffPiece {
    /// The words.
    pub text: String,
    /// `equal`, `insert` (only in this version) or `delete` (only in the
    /// row's first version).
    pub change: String,
}

/// One version's commitment in a comparison row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompareCell {
    /// The commitment.
    pub commitment: CommitmentOut,
    /// Its words against the row's first version's.
    pub diff: Vec<DiffPiece>,
}

/// Commitments of the versions that are the same commitment, one cell
/// per version (in the order of the compared documents).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompareRow {
    /// One cell per document; empty where the version has no match.
    pub cells: Vec<Option<CompareCell>>,
}

/// Commitments only one version has.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OnlyIn {
    /// The document.
    pub document: DocumentOut,
    /// Its commitments that match none of the other versions.
    pub commitments: Vec<CommitmentOut>,
}

/// Two or three versions of one summit side by side.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompareOut {
    /// The summit.
    pub summit: String,
    /// The versions compared, in column order.
    pub documents: Vec<DocumentOut>,
    /// Every document of the summit (to pick others).
    pub candidates: Vec<DocumentOut>,
    /// Aligned rows.
    pub rows: Vec<CompareRow>,
    /// What only one version has, per version.
    pub only_in: Vec<OnlyIn>,
}

/// The query string of a comparison.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareParams {
    /// The summit (`NALS 2023`).
    pub summit: Option<String>,
    /// Two or three document ids, comma-separated; by default up to three
    /// documents of the summit, one per issuer.
    pub documents: Option<String>,
}

/// Compares versions of one summit.
pub fn compare(ledger: &Ledger, params: &CompareParams) -> Result<CompareOut> {
    let wanted: Vec<&str> = params
        .documents
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let summit = match (&params.summit, wanted.first()) {
        (Some(s), _) if !s.is_empty() => s.clone(),
        (_, Some(first)) => ledger
            .document(first)
            .and_then(|d| d.summit.clone())
            .ok_or_else(|| Error::NotFound(format!("no document {first} of a known summit")))?,
        _ => {
            return Err(Error::BadRequest(
                "say which summit to compare: ?summit=NALS%202023".into(),
            ))
        }
    };
    let of_summit: Vec<&DocumentRow> = ledger
        .documents
        .iter()
        .filter(|d| d.summit.as_deref() == Some(summit.as_str()))
        .collect();
    if of_summit.is_empty() {
        return Err(Error::NotFound(format!(
            "no documents of summit {summit:?}"
        )));
    }
    let chosen: Vec<&DocumentRow> = if wanted.is_empty() {
        let mut seen_issuers = HashSet::new();
        let mut chosen: Vec<&DocumentRow> = of_summit
            .iter()
            .filter(|d| seen_issuers.insert(d.issuer.clone()))
            .copied()
            .take(3)
            .collect();
        for d in &of_summit {
            if chosen.len() >= 2 {
                break;
            }
            if !chosen.iter().any(|c| c.id == d.id) {
                chosen.push(d);
            }
        }
        chosen
    } else {
        if !(2..=3).contains(&wanted.len()) {
            return Err(Error::BadRequest(
                "compare two or three documents: ?documents=ID,ID[,ID]".into(),
            ));
        }
        let mut chosen = Vec::new();
        for id in &wanted {
            let d = of_summit
                .iter()
                .find(|d| d.id == *id)
                .ok_or_else(|| Error::NotFound(format!("no document {id} of summit {summit}")))?;
            if chosen.iter().any(|c: &&DocumentRow| c.id == d.id) {
                return Err(Error::BadRequest(format!("document {id} is named twice")));
            }
            chosen.push(*d);
        }
        chosen
    };
    let columns: Vec<Vec<&Commitment>> = chosen
        .iter()
        .map(|d| ledger.commitments_of(&d.id))
        .collect();
    let column_of: HashMap<&str, usize> = chosen
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let mut placed: HashSet<&str> = HashSet::new();
    let mut rows: Vec<Vec<Option<&Commitment>>> = Vec::new();
    for (k, column) in columns.iter().enumerate() {
        for c in column {
            if placed.contains(c.id.as_str()) {
                continue;
            }
            placed.insert(&c.id);
            let mut row: Vec<Option<&Commitment>> = vec![None; chosen.len()];
            row[k] = Some(c);
            // Pull in, for each other version, its best unplaced match of
            // any commitment already in the row.
            for _ in 1..chosen.len() {
                let mut best: Option<(usize, &Commitment, f64)> = None;
                for member in row.iter().flatten() {
                    for (other, score) in ledger.same_as(&member.id) {
                        let Some(o) = ledger.commitment(other) else {
                            continue;
                        };
                        let Some(&j) = column_of.get(o.document_id.as_str()) else {
                            continue;
                        };
                        if row[j].is_some() || placed.contains(o.id.as_str()) {
                            continue;
                        }
                        if best.is_none_or(|(_, _, s)| score > s) {
                            best = Some((j, o, score));
                        }
                    }
                }
                let Some((j, o, _)) = best else { break };
                placed.insert(&o.id);
                row[j] = Some(o);
            }
            rows.push(row);
        }
    }
    let mut only: Vec<Vec<CommitmentOut>> = vec![Vec::new(); chosen.len()];
    let mut aligned = Vec::new();
    for row in rows {
        let members: Vec<(usize, &Commitment)> = row
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.map(|c| (i, c)))
            .collect();
        if let [(i, c)] = members.as_slice() {
            only[*i].push(CommitmentOut::new(ledger, c));
            continue;
        }
        let reference = members[0].1.text.as_str();
        aligned.push(CompareRow {
            cells: row
                .iter()
                .map(|c| {
                    c.map(|c| CompareCell {
                        commitment: CommitmentOut::new(ledger, c),
                        diff: word_diff(reference, &c.text),
                    })
                })
                .collect(),
        });
    }
    let out = |d: &DocumentRow| DocumentOut::new(d, ledger.n_commitments_of(&d.id));
    Ok(CompareOut {
        summit,
        documents: chosen.iter().map(|d| out(d)).collect(),
        candidates: of_summit.iter().map(|d| out(d)).collect(),
        only_in: chosen
            .iter()
            .zip(only)
            .map(|(d, commitments)| OnlyIn {
                document: out(d),
                commitments,
            })
            .collect(),
        rows: aligned,
    })
}

/// The words of `text` against `reference`: equal, inserted (only in
/// `text`) and deleted (only in `reference`), merged into runs.
///
/// Versions worded too differently for a word-level difference to help
/// (under half their words in common) come back whole, as `equal`.
pub fn word_diff(reference: &str, text: &str) -> Vec<DiffPiece> {
    let diff = similar::TextDiff::from_words(reference, text);
    if diff.ratio() < 0.5 {
        return vec![DiffPiece {
            text: text.to_string(),
            change: "equal".into(),
        }];
    }
    let mut out: Vec<DiffPiece> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            similar::ChangeTag::Equal => "equal",
            similar::ChangeTag::Insert => "insert",
            similar::ChangeTag::Delete => "delete",
        };
        match out.last_mut() {
            Some(last) if last.change == kind => last.text.push_str(change.value()),
            _ => out.push(DiffPiece {
                text: change.value().to_string(),
                change: kind.to_string(),
            }),
        }
    }
    out
}

/// The query string of a lineage.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LineageParams {
    /// A named initiative (`North American Drug Dialogue (NADD)`).
    pub initiative: Option<String>,
    /// A theme: its commitments that take part in links across summits.
    pub theme: Option<String>,
    /// A commitment: the chain of links it belongs to.
    pub commitment: Option<String>,
}

/// A commitment in a lineage.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineageNode {
    /// The commitment.
    pub commitment: CommitmentOut,
    /// Whether it repeats an earlier commitment.
    pub repeated: bool,
}

/// The commitments of one summit in a lineage.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineageColumn {
    /// The summit.
    pub summit: String,
    /// Its year.
    pub year: Option<i32>,
    /// Its commitments in the lineage.
    pub nodes: Vec<LineageNode>,
}

/// A follow-up link in a lineage.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineageLink {
    /// The later commitment.
    pub later: String,
    /// The earlier commitment.
    pub earlier: String,
    /// Similarity.
    pub score: f64,
    /// continues, expands or repeats.
    pub kind: Option<String>,
}

/// An initiative, theme or chain across summits, earlier to later.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineageOut {
    /// What the lineage is of.
    pub subject: String,
    /// Summits, earlier first.
    pub columns: Vec<LineageColumn>,
    /// Links among its commitments.
    pub links: Vec<LineageLink>,
    /// Commitments left out to keep the picture readable.
    pub n_left_out: usize,
}

/// The names an initiative goes by, lowercase: its whole name, and for
/// "North American Drug Dialogue (NADD)" also its long form and acronym.
fn initiative_names(name: &str) -> Vec<String> {
    let name = name.trim().to_lowercase();
    let mut names = vec![name.clone()];
    if let Some((long, acronym)) = name.strip_suffix(')').and_then(|n| n.rsplit_once(" (")) {
        names.push(long.to_string());
        names.push(acronym.to_string());
    }
    names
}

/// The commitments naming the initiative `asked` by its whole name, its
/// long form or its acronym, also where the ledger writes it another of
/// these ways ("NADD" finds "North American Drug Dialogue (NADD)" and
/// "North American Drug Dialogue").
fn naming_initiative<'l>(ledger: &'l Ledger, asked: &str) -> Vec<&'l Commitment> {
    let mut names: HashSet<String> = initiative_names(asked).into_iter().collect();
    for c in &ledger.commitments {
        for initiative in &c.initiatives {
            let its = initiative_names(initiative);
            if its.iter().any(|n| names.contains(n)) {
                names.extend(its);
            }
        }
    }
    ledger
        .commitments
        .iter()
        .filter(|c| {
            c.initiatives
                .iter()
                .any(|i| initiative_names(i).iter().any(|n| names.contains(n)))
        })
        .collect()
}

/// Commitments in a lineage at most.
const LINEAGE_MAX: usize = 200;

/// The lineage asked for.
pub fn lineage(ledger: &Ledger, params: &LineageParams) -> Result<LineageOut> {
    let (subject, mut members): (String, Vec<&Commitment>) =
        if let Some(name) = params.initiative.as_deref().filter(|s| !s.is_empty()) {
            (name.to_string(), naming_initiative(ledger, name))
        } else if let Some(theme) = params.theme.as_deref().filter(|s| !s.is_empty()) {
            let theme = Theme::parse(theme)
                .ok_or_else(|| Error::BadRequest(format!("unknown theme {theme:?}")))?;
            let linked: HashSet<&str> = ledger
                .follows
                .iter()
                .flat_map(|p| [p.a.as_str(), p.b.as_str()])
                .collect();
            let members = ledger
                .commitments
                .iter()
                .filter(|c| c.theme == theme && linked.contains(c.id.as_str()))
                .collect();
            (format!("theme {}", theme.as_str()), members)
        } else if let Some(id) = params.commitment.as_deref().filter(|s| !s.is_empty()) {
            let start = ledger
                .commitment(id)
                .ok_or_else(|| Error::NotFound(format!("no commitment {id}")))?;
            let mut seen: HashSet<&str> = HashSet::from([start.id.as_str()]);
            let mut queue = vec![start.id.as_str()];
            while let Some(at) = queue.pop() {
                if seen.len() >= LINEAGE_MAX {
                    break;
                }
                for p in ledger.earlier_of(at).into_iter().chain(ledger.later_of(at)) {
                    for next in [p.a.as_str(), p.b.as_str()] {
                        if seen.insert(next) {
                            queue.push(next);
                        }
                    }
                }
            }
            let members = ledger
                .commitments
                .iter()
                .filter(|c| seen.contains(c.id.as_str()))
                .collect();
            (format!("commitment {id}"), members)
        } else {
            return Err(Error::BadRequest(
                "say what to follow: ?initiative=NAME, ?theme=THEME or ?commitment=ID".into(),
            ));
        };
    members.retain(|c| ledger.document_of(c).is_some_and(|d| d.summit.is_some()));
    let n_left_out = members.len().saturating_sub(LINEAGE_MAX);
    members.truncate(LINEAGE_MAX);
    let ids: HashSet<&str> = members.iter().map(|c| c.id.as_str()).collect();
    let links: Vec<LineageLink> = ledger
        .follows
        .iter()
        .filter(|p| ids.contains(p.a.as_str()) && ids.contains(p.b.as_str()))
        .map(|p| LineageLink {
            later: p.a.clone(),
            earlier: p.b.clone(),
            score: p.score,
            kind: p.kind.clone(),
        })
        .collect();
    let repeated: HashSet<&str> = ledger
        .follows
        .iter()
        .filter(|p| p.kind.as_deref() == Some("repeats"))
        .map(|p| p.a.as_str())
        .collect();
    let mut by_summit: BTreeMap<String, Vec<LineageNode>> = BTreeMap::new();
    for c in members {
        let summit = ledger
            .document_of(c)
            .and_then(|d| d.summit.clone())
            .unwrap_or_default();
        by_summit.entry(summit).or_default().push(LineageNode {
            repeated: repeated.contains(c.id.as_str()),
            commitment: CommitmentOut::new(ledger, c),
        });
    }
    let mut columns: Vec<LineageColumn> = by_summit
        .into_iter()
        .map(|(summit, nodes)| LineageColumn {
            year: summit_year(&summit),
            summit,
            nodes,
        })
        .collect();
    columns.sort_by(|a, b| a.year.cmp(&b.year).then(a.summit.cmp(&b.summit)));
    Ok(LineageOut {
        subject,
        columns,
        links,
        n_left_out,
    })
}

/// The dashboard's counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DashboardOut {
    /// Commitments per theme.
    pub themes: Vec<Count>,
    /// Commitments per issuer.
    pub issuers: Vec<Count>,
    /// Quantified targets per target year.
    pub target_years: Vec<Count>,
    /// Commitments with a deadline, per deadline year.
    pub deadline_years: Vec<Count>,
}

/// Counts for the dashboard.
pub fn dashboard(ledger: &Ledger) -> DashboardOut {
    let mut themes: HashMap<String, usize> = HashMap::new();
    let mut issuers: HashMap<String, usize> = HashMap::new();
    let mut target_years: HashMap<String, usize> = HashMap::new();
    let mut deadline_years: HashMap<String, usize> = HashMap::new();
    for d in &ledger.documents {
        let n = ledger.n_commitments_of(&d.id);
        if n > 0 {
            let issuer = d.issuer.clone().unwrap_or_else(|| "unknown".into());
            *issuers.entry(issuer).or_default() += n;
        }
    }
    let mut per_theme = [0usize; Theme::ALL.len()];
    for c in &ledger.commitments {
        if let Some(i) = Theme::ALL.iter().position(|t| *t == c.theme) {
            per_theme[i] += 1;
        }
        for t in &c.targets {
            if let Some(y) = t.target_year {
                *target_years.entry(y.to_string()).or_default() += 1;
            }
        }
        if let Some(y) = c.deadline.as_deref().and_then(year_of) {
            *deadline_years.entry(y.to_string()).or_default() += 1;
        }
    }
    for (t, n) in Theme::ALL.iter().zip(per_theme) {
        if n > 0 {
            themes.insert(t.as_str().to_string(), n);
        }
    }
    let by_count = |m: HashMap<String, usize>| {
        let mut v: Vec<Count> = m
            .into_iter()
            .map(|(key, count)| Count { key, count })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
        v
    };
    let by_key = |m: HashMap<String, usize>| {
        let mut v: Vec<Count> = m
            .into_iter()
            .map(|(key, count)| Count { key, count })
            .collect();
        v.sort_by(|a, b| a.key.cmp(&b.key));
        v
    };
    DashboardOut {
        themes: by_count(themes),
        issuers: by_count(issuers),
        target_years: by_key(target_years),
        deadline_years: by_key(deadline_years),
    }
}

/// Commitments with a deadline, split at `today` (ISO date): the next ones
/// due (soonest first) and the overdue ones (latest first), `n` of each.
pub fn deadlines(
    ledger: &Ledger,
    today: &str,
    n: usize,
) -> (Vec<CommitmentOut>, Vec<CommitmentOut>) {
    let mut upcoming: Vec<(String, &Commitment)> = Vec::new();
    let mut overdue: Vec<(String, &Commitment)> = Vec::new();
    for c in &ledger.commitments {
        let Some(deadline) = c.deadline.as_deref() else {
            continue;
        };
        let due = due_date(deadline);
        if due.as_str() >= today {
            upcoming.push((due, c));
        } else {
            overdue.push((due, c));
        }
    }
    upcoming.sort_by(|a, b| a.0.cmp(&b.0));
    overdue.sort_by(|a, b| b.0.cmp(&a.0));
    let out = |v: Vec<(String, &Commitment)>| {
        v.into_iter()
            .take(n)
            .map(|(_, c)| CommitmentOut::new(ledger, c))
            .collect()
    };
    (out(upcoming), out(overdue))
}

/// The last day a deadline allows: `2030` -> `2030-12-31`, `2030-06` ->
/// `2030-06-31` (compares correctly as text).
fn due_date(deadline: &str) -> String {
    match deadline.len() {
        4 => format!("{deadline}-12-31"),
        7 => format!("{deadline}-31"),
        _ => deadline.to_string(),
    }
}

/// Percent-encodes a query-string value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push_str("%20"),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_words_only_in_one_version() {
        let diff = word_diff("we will reduce methane", "we will cut methane now");
        let inserted: String = diff
            .iter()
            .filter(|p| p.change == "insert")
            .map(|p| p.text.as_str())
            .collect();
        let deleted: String = diff
            .iter()
            .filter(|p| p.change == "delete")
            .map(|p| p.text.as_str())
            .collect();
        assert!(
            inserted.contains("cut") && inserted.contains("now"),
            "{diff:?}"
        );
        assert_eq!(deleted.trim(), "reduce");
    }

    #[test]
    fn versions_worded_apart_are_not_diffed_word_by_word() {
        let diff = word_diff(
            "we will reduce methane",
            "Mexico and Canada agree on trade rules",
        );
        assert_eq!(diff.len(), 1);
        assert_eq!(diff[0].change, "equal");
        assert_eq!(diff[0].text, "Mexico and Canada agree on trade rules");
    }

    #[test]
    fn deadlines_compare_as_last_day() {
        assert_eq!(due_date("2026"), "2026-12-31");
        assert!(due_date("2026").as_str() >= "2026-11-25");
        assert!(due_date("2026-10").as_str() < "2026-11-25");
    }

    #[test]
    fn encoding_keeps_values_in_one_parameter() {
        assert_eq!(encode("NALS 2023"), "NALS%202023");
        assert_eq!(encode("a&b=c/d"), "a%26b%3Dc%2Fd");
    }

    #[test]
    fn summit_years() {
        assert_eq!(summit_year("NALS 2023"), Some(2023));
        assert_eq!(summit_year("G20 2023/24"), Some(2023));
        assert_eq!(summit_year("G7"), None);
    }
}
