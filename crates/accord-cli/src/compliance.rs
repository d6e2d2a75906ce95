//! Compliance on the command line: `assess`, `scorecard`, `evidence`,
//! `user`, `token`, `audit`, `backup` and `restore`.
//!
//! Whoever runs the CLI on the ledger's database is its administrator; the
//! name written into assessments and the audit log is `--as`, else
//! `ACCORD_USER`, else the login name.

use accord_assess::{evidence, report, scorecard::Scorecard, sheet};
use accord_match::{Gathering, Statistics};
use accord_store::assess::{
    Decision, Evidence, NewAssessment, Status, Suggestion, SuggestionFilter,
};
use accord_store::users::Role;
use accord_store::{Filter, Store};
use anyhow::{bail, Context as _};
use clap::{Args, Subcommand, ValueEnum};
use futures_util::TryStreamExt as _;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Who is acting: `--as`, `ACCORD_USER`, or the login name.
#[derive(Debug, Clone, Args)]
pub struct Actor {
    /// The name recorded as author and in the audit log.
    #[arg(long = "as", id = "actor", env = "ACCORD_USER", value_name = "NAME")]
    pub name: Option<String>,
}

impl Actor {
    fn name(&self) -> String {
        self.name
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "cli".into())
    }
}

/// `accord assess …`
#[derive(Debug, Subcommand)]
pub enum Assess {
    /// Record an assessment of a commitment for a member (a new revision;
    /// the history is kept).
    Set(SetArgs),
    /// Every revision of a commitment's assessments.
    History {
        /// The commitment.
        commitment: String,
        /// Only this member.
        #[arg(long)]
        member: Option<String>,
    },
    /// Write the assessments spreadsheet (CSV), to fill in and import.
    Export {
        /// Only this summit.
        #[arg(long)]
        summit: Option<String>,
        /// Also a blank row for each member a commitment names that nobody
        /// has assessed yet.
        #[arg(long)]
        blank: bool,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Read an assessments spreadsheet back: rows that changed become new
    /// revisions; rows exported before someone else's change are refused.
    Import {
        /// The CSV file (`-` for standard input).
        file: PathBuf,
        #[command(flatten)]
        actor: Actor,
    },
}

/// Arguments of `accord assess set`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The commitment.
    commitment: String,
    /// The member assessed (government code: US, CA, MX …).
    #[arg(long)]
    member: String,
    /// -1 no compliance, 0 partial, 1 full compliance.
    #[arg(long, allow_hyphen_values = true)]
    score: Option<i64>,
    /// not_started, in_progress, achieved, stalled, broken or unknown.
    #[arg(long)]
    status: Option<String>,
    /// Why.
    #[arg(long, default_value = "")]
    rationale: String,
    /// Evidence: a source address.
    #[arg(long = "evidence-url")]
    url: Option<String>,
    /// Evidence: an ingested document's id.
    #[arg(long = "evidence-document")]
    document: Option<String>,
    /// Evidence: its date.
    #[arg(long = "evidence-date")]
    date: Option<String>,
    /// Evidence: the quoted passage.
    #[arg(long = "evidence-passage")]
    passage: Option<String>,
    /// The revision you are changing (from `assess history`); the change is
    /// refused if someone changed it since. Without it, the current one.
    #[arg(long)]
    base_revision: Option<i64>,
    #[command(flatten)]
    actor: Actor,
}

/// Formats of `accord scorecard`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CardFormat {
    /// Markdown report (tables, matrix, overdue list).
    Markdown,
    /// One row per member, theme and summit.
    Csv,
    /// The whole scorecard.
    Json,
}

/// Arguments of `accord scorecard`.
#[derive(Debug, Args)]
pub struct CardArgs {
    /// Only this summit.
    #[arg(long)]
    summit: Option<String>,
    /// Only this theme.
    #[arg(long)]
    theme: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CardFormat::Markdown)]
    format: CardFormat,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// `accord evidence …`
#[derive(Debug, Subcommand)]
pub enum EvidenceCmd {
    /// Look for evidence in every document (ingest does it for the
    /// documents it adds).
    Discover,
    /// List suggestions.
    List {
        /// Only for this commitment.
        #[arg(long)]
        commitment: Option<String>,
        /// pending (default), accepted or rejected.
        #[arg(long, default_value = "pending")]
        status: String,
    },
    /// Accept a suggestion as evidence.
    Accept {
        /// Suggestion id.
        id: String,
        #[command(flatten)]
        actor: Actor,
    },
    /// Reject a suggestion: it is not suggested again.
    Reject {
        /// Suggestion id.
        id: String,
        #[command(flatten)]
        actor: Actor,
    },
}

/// `accord user …`
#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Add a user; the password is read from standard input (one line) or
    /// `ACCORD_PASSWORD`.
    Add {
        /// Login name.
        name: String,
        /// reader, analyst or admin.
        #[arg(long, default_value = "reader")]
        role: String,
        #[command(flatten)]
        actor: Actor,
    },
    /// List users.
    List,
    /// Change a user's role.
    Role {
        /// Login name.
        name: String,
        /// reader, analyst or admin.
        role: String,
        #[command(flatten)]
        actor: Actor,
    },
    /// Set a user's password (standard input or `ACCORD_PASSWORD`).
    Password {
        /// Login name.
        name: String,
        #[command(flatten)]
        actor: Actor,
    },
    /// Remove a user (what they wrote stays).
    Remove {
        /// Login name.
        name: String,
        #[command(flatten)]
        actor: Actor,
    },
}

/// `accord token …`
#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Make an API token for a user; it is printed once.
    Create {
        /// Whose token.
        user: String,
        /// What it is for.
        #[arg(long, default_value = "api")]
        label: String,
        #[command(flatten)]
        actor: Actor,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by its id (from `token list`).
    Revoke {
        /// Token id.
        id: String,
        #[command(flatten)]
        actor: Actor,
    },
}

/// Runs `accord assess`.
pub async fn assess(store: &Store, command: Assess) -> anyhow::Result<ExitCode> {
    match command {
        Assess::Set(a) => {
            let status = match &a.status {
                Some(s) => Status::parse(s).with_context(|| {
                    format!(
                        "status {s:?} is not one of: {}",
                        Status::ALL.map(Status::as_str).join(", ")
                    )
                })?,
                None => match a.score {
                    Some(1) => Status::Achieved,
                    Some(_) => Status::InProgress,
                    None => bail!("give --score or --status (or both)"),
                },
            };
            let evidence = Evidence {
                url: a.url,
                document_id: a.document,
                date: a.date,
                passage: a.passage,
            };
            let new = NewAssessment {
                commitment_id: a.commitment,
                member: a.member,
                score: a.score,
                status,
                rationale: a.rationale,
                evidence: vec![evidence],
                base_revision: a.base_revision,
            };
            let saved = store.assess(&new, &a.actor.name()).await?;
            println!(
                "{} for {}: revision {}, score {}, {} (by {})",
                saved.commitment_id,
                saved.member,
                saved.revision,
                report::score_label(saved.score),
                saved.status.label(),
                saved.author
            );
        }
        Assess::History { commitment, member } => {
            let history = store
                .assessment_history(&commitment, member.as_deref())
                .await?;
            if history.is_empty() {
                println!("{commitment}: not assessed yet");
            }
            for a in history {
                println!(
                    "{} rev {:>2}  {:>2}  {:<12} {}  by {}: {}",
                    a.member,
                    a.revision,
                    report::score_label(a.score),
                    a.status.label(),
                    a.created_at,
                    a.author,
                    a.rationale
                );
                for e in &a.evidence {
                    let source = e.url.as_deref().or(e.document_id.as_deref()).unwrap_or("");
                    println!(
                        "        evidence: {source} {} {}",
                        e.date.as_deref().unwrap_or(""),
                        e.passage
                            .as_deref()
                            .map(|p| format!("“{p}”"))
                            .unwrap_or_default()
                    );
                }
            }
        }
        Assess::Export {
            summit,
            blank,
            output,
        } => {
            let rows = sheet::rows(store, summit.as_deref(), blank).await?;
            match &output {
                Some(path) => {
                    let file = std::fs::File::create(path)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    sheet::write(&rows, file)?;
                    eprintln!("{} rows written to {}", rows.len(), path.display());
                }
                None => sheet::write(&rows, std::io::stdout().lock())?,
            }
        }
        Assess::Import { file, actor } => {
            let sheet = if file.as_os_str() == "-" {
                sheet::read(std::io::stdin().lock())
            } else {
                let f = std::fs::File::open(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                sheet::read(f)
            }
            .with_context(|| format!("{}", file.display()))?;
            let done = sheet::import(store, &sheet.rows, &actor.name()).await?;
            // Rows that could not be read and rows the ledger refused, in
            // the file's order.
            let mut refused: Vec<&(usize, String)> =
                sheet.refused.iter().chain(&done.refused).collect();
            refused.sort_by_key(|(line, _)| *line);
            for (line, message) in &refused {
                eprintln!("error: {}: line {line}: {message}", file.display());
            }
            println!(
                "{} rows: {} new revisions, {} unchanged, {} refused",
                sheet.rows.len() + sheet.refused.len(),
                done.written,
                done.unchanged,
                refused.len()
            );
            if !refused.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Builds the scorecard of the ledger's commitments (of one summit or
/// theme).
pub async fn build_scorecard(
    store: &Store,
    summit: Option<&str>,
    theme: Option<&str>,
    today: &str,
) -> anyhow::Result<Scorecard> {
    let theme = match theme {
        Some(t) => {
            Some(accord_model::Theme::parse(t).with_context(|| format!("{t:?} is not a theme"))?)
        }
        None => None,
    };
    let commitments = store
        .commitments(&Filter {
            summit: summit.map(str::to_string),
            theme,
            ..Filter::default()
        })
        .await?;
    let summits: HashMap<String, String> = store
        .documents()
        .await?
        .into_iter()
        .filter_map(|d| Some((d.id, d.summit?)))
        .collect();
    let assessments = store
        .current_assessments(&accord_store::assess::AssessmentFilter {
            summit: summit.map(str::to_string),
            ..Default::default()
        })
        .await?;
    let refs: Vec<&accord_model::Commitment> = commitments.iter().collect();
    Ok(Scorecard::build(&refs, &summits, &assessments, today))
}

/// Runs `accord scorecard`.
pub async fn scorecard(store: &Store, args: &CardArgs) -> anyhow::Result<ExitCode> {
    let today = chrono::Local::now().date_naive().to_string();
    let card =
        build_scorecard(store, args.summit.as_deref(), args.theme.as_deref(), &today).await?;
    let title = match (&args.summit, &args.theme) {
        (Some(s), Some(t)) => format!("Compliance scorecard: {s}, {t}"),
        (Some(s), None) => format!("Compliance scorecard: {s}"),
        (None, Some(t)) => format!("Compliance scorecard: {t}"),
        (None, None) => "Compliance scorecard".to_string(),
    };
    let text = match args.format {
        CardFormat::Markdown => report::markdown(&card, &title),
        CardFormat::Csv => report::csv(&card),
        CardFormat::Json => serde_json::to_string_pretty(&card)? + "\n",
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Documents to search for evidence, held as 64-bit fingerprints of their
/// ids: a few bytes each whatever the id, so that the documents of an
/// ingest of millions of files are held in little room. Two ids sharing a
/// fingerprint (under one chance in 10^7 for a million documents) only
/// mean one more document searched, which finds what searching every
/// document (`accord evidence discover`) would find in it.
#[derive(Debug, Clone, Default)]
pub struct DocumentSet {
    fingerprints: HashSet<u64>,
}

impl DocumentSet {
    /// No document.
    pub fn new() -> DocumentSet {
        DocumentSet::default()
    }

    /// Adds a document.
    pub fn insert(&mut self, id: &str) {
        self.fingerprints.insert(fingerprint(id));
    }

    /// Whether the document was added (or, rarely, one that shares its
    /// fingerprint).
    pub fn contains(&self, id: &str) -> bool {
        self.fingerprints.contains(&fingerprint(id))
    }

    /// How many documents were added (those sharing a fingerprint count
    /// once).
    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    /// Whether no document was added.
    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }
}

/// The passages of documents an ingest wrote, kept from their extraction
/// ([`crate::pipeline::Processed::passages`]) so that its search for
/// evidence neither reads those documents back nor segments them again
/// (they are the passages [`evidence::passages`] would find in them).
/// The passages are kept as they were made (without the room their texts
/// had to spare) and handed to the search as they are, not joined into
/// one text to be split again. At most `budget` bytes are kept (the
/// memory the texts and their vectors take): the documents offered beyond
/// are read when searched, so memory stays bounded however large the
/// ingest.
#[derive(Debug, Default)]
pub struct KeptPassages {
    /// Document id -> its passages.
    by_document: HashMap<String, Vec<String>>,
    bytes: usize,
    budget: usize,
}

impl KeptPassages {
    /// Keeps nothing yet, and at most `budget` bytes.
    pub fn new(budget: usize) -> KeptPassages {
        KeptPassages {
            budget,
            ..KeptPassages::default()
        }
    }

    /// Keeps the passages of document `id`, if they fit; says whether they
    /// were kept.
    pub fn keep(&mut self, id: &str, mut passages: Vec<String>) -> bool {
        // What they take once kept: a passage's text has room for the
        // markup its segmentation left out (a link's address), and a kept
        // one keeps its length only.
        let bytes = KEPT_DOCUMENT_COST
            + id.len()
            + passages.len() * std::mem::size_of::<String>()
            + passages.iter().map(String::len).sum::<usize>();
        if self.bytes + bytes > self.budget || self.by_document.contains_key(id) {
            return false;
        }
        passages.iter_mut().for_each(String::shrink_to_fit);
        passages.shrink_to_fit();
        self.bytes += bytes;
        self.by_document.insert(id.to_string(), passages);
        true
    }

    /// How many documents' passages are kept.
    pub fn len(&self) -> usize {
        self.by_document.len()
    }

    /// Whether none are kept.
    pub fn is_empty(&self) -> bool {
        self.by_document.is_empty()
    }

    /// Takes the passages of document `id` out, if they were kept.
    fn take(&mut self, id: &str) -> Option<Vec<String>> {
        self.by_document.remove(id)
    }
}

/// What a kept document costs besides its id and passages: its entry.
const KEPT_DOCUMENT_COST: usize = 64;

/// Bytes of passages an ingest keeps for its search of evidence: the
/// White House corpus (38 MB) keeps all of its passages (31 MB of text,
/// 35 MB with the vectors and the text of each), and reads none of its
/// documents back (one core: 4.6 % fewer instructions, peak 87 ->
/// about 118 MB); a larger ingest reads the documents beyond.
pub const KEPT_PASSAGES_BUDGET: usize = 48 * 1024 * 1024;

/// A document id's fingerprint: SipHash with fixed keys, the same in every
/// run.
fn fingerprint(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// Looks for evidence of the ledger's dated commitments of known summits in
/// the given documents (all when `None`), taking the passages of those
/// `kept` from it rather than from their stored text; stores new
/// suggestions and returns how many. `progress` counts the documents
/// searched.
pub async fn discover(
    store: &Store,
    documents: Option<&DocumentSet>,
    kept: KeptPassages,
    progress: &ProgressBar,
) -> anyhow::Result<u64> {
    Ok(
        discover_in_parts(store, documents, kept, Sizes::default(), progress)
            .await?
            .added,
    )
}

/// How much a discovery ([`discover_in_parts`]) holds at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    /// Commitments sought weighed at a time.
    pub part: usize,
    /// Documents read and searched at a time.
    pub batch: usize,
    /// Suggestions spelled out and stored at a time (in one transaction).
    pub stored: usize,
}

impl Default for Sizes {
    fn default() -> Sizes {
        Sizes {
            part: SOUGHT_PART,
            batch: DISCOVERY_BATCH,
            stored: SUGGESTIONS_STORED,
        }
    }
}

/// What a discovery found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Discovered {
    /// Suggestions found.
    pub found: u64,
    /// Of them, those the ledger did not hold yet.
    pub added: u64,
}

/// [`discover`], holding at most `sizes.part` of the commitments sought at
/// a time (and a page of rows), searching `sizes.batch` documents at a
/// time and storing their suggestions `sizes.stored` at a time.
/// When more commitments are sought, they are weighed in parts with the
/// statistics of all of them (two more reads of their rows), and each part
/// searches the documents in turn: memory stays bounded however large the
/// ledger, and the suggestions are the same. `progress` counts the
/// documents searched (once per part: when it has a length, the length is
/// multiplied by the number of parts). The `kept` passages serve a search
/// in one part; in several they are dropped before the first (every part
/// reads the documents from the ledger, the last as well: holding 48 MB of
/// passages through all the others would spare only its reading), and
/// when nothing is sought.
pub async fn discover_in_parts(
    store: &Store,
    documents: Option<&DocumentSet>,
    kept: KeptPassages,
    sizes: Sizes,
    progress: &ProgressBar,
) -> anyhow::Result<Discovered> {
    let Sizes {
        part,
        batch,
        stored,
    } = sizes;
    let options = evidence::Options::default();
    let mut earliest: Option<String> = None;
    let mut after = String::new();
    let mut builder = evidence::DiscovererBuilder::new(options.clone());
    let mut kept = Some(kept);
    let mut more = fill(store, &mut builder, &mut after, &mut earliest, part).await?;
    let mut stats = None;
    if more {
        // Too many to weigh with their own statistics: the first part is
        // read again once those of all of them are gathered.
        kept = None;
        drop(builder);
        crate::return_free_memory();
        let all = statistics(store, &options, &mut earliest).await?;
        if let Some(length) = progress.length() {
            progress.set_length(length * all.len().div_ceil(part.max(1)) as u64);
        }
        after.clear();
        builder = evidence::DiscovererBuilder::part_of(Arc::clone(&all), options.clone());
        more = fill(store, &mut builder, &mut after, &mut earliest, part).await?;
        stats = Some(all);
    }
    let Some(earliest) = earliest else {
        // Nothing sought: every document is searched at once.
        progress.inc(documents.map_or(0, DocumentSet::len) as u64);
        return Ok(Discovered { found: 0, added: 0 });
    };
    let found_at = accord_store::now_rfc3339();
    let mut total = Discovered { found: 0, added: 0 };
    loop {
        // The pages read are freed: give them back before the weights are
        // made, and the texts they were made from after.
        crate::return_free_memory();
        let discoverer = builder.build();
        crate::return_free_memory();
        // A search in one part takes the kept passages, freeing them as it
        // goes.
        let mut last_kept = kept.take();
        let found = search(
            store,
            &discoverer,
            &earliest,
            Searched {
                documents,
                kept: last_kept.as_mut(),
                batch_size: batch,
                stored,
            },
            &options,
            &found_at,
            progress,
        )
        .await?;
        total.found += found.found;
        total.added += found.added;
        let Some(stats) = stats.as_ref().filter(|_| more) else {
            break;
        };
        drop(discoverer);
        builder = evidence::DiscovererBuilder::part_of(Arc::clone(stats), options.clone());
        // The earliest date is known already.
        more = fill(store, &mut builder, &mut after, &mut None, part).await?;
    }
    Ok(total)
}

/// Adds the commitments sought after `after` to `builder`, a page at a
/// time, until it holds `part` of them or the rows end (then returns
/// false); keeps the earliest date seen.
async fn fill(
    store: &Store,
    builder: &mut evidence::DiscovererBuilder,
    after: &mut String,
    earliest: &mut Option<String>,
    part: usize,
) -> anyhow::Result<bool> {
    let page_size = part.clamp(1, SOUGHT_PAGE);
    loop {
        let page = store.dated_summit_commitments(after, page_size).await?;
        let full = page.len() == page_size;
        if let Some(last) = page.last() {
            after.clone_from(&last.id);
        }
        for c in page {
            if earliest.as_ref().is_none_or(|e| c.date < *e) {
                *earliest = Some(c.date.clone());
            }
            builder.add(evidence::Sought {
                id: c.id,
                document_id: c.document_id,
                date: c.date,
                summit: Some(c.summit),
                text: c.text,
                initiatives: c.initiatives,
            });
        }
        if !full {
            return Ok(false);
        }
        if builder.len() >= part {
            return Ok(true);
        }
    }
}

/// The statistics of all the commitments sought, from two reads of their
/// rows (their words and acronyms, then their terms); keeps the earliest
/// date seen.
async fn statistics(
    store: &Store,
    options: &evidence::Options,
    earliest: &mut Option<String>,
) -> anyhow::Result<Arc<Statistics>> {
    let mut gathering = Gathering::new();
    each_sought(store, |c| {
        if earliest.as_ref().is_none_or(|e| c.date < *e) {
            *earliest = Some(c.date.clone());
        }
        if evidence::is_sought(&c.text, options) {
            gathering.see(&c.text);
        }
    })
    .await?;
    let mut counting = gathering.counting();
    each_sought(store, |c| {
        if evidence::is_sought(&c.text, options) {
            counting.count(&c.text);
        }
    })
    .await?;
    Ok(Arc::new(counting.finish()))
}

/// Calls `f` with every commitment sought, a page of rows at a time.
async fn each_sought(
    store: &Store,
    mut f: impl FnMut(&accord_store::DatedCommitment),
) -> anyhow::Result<()> {
    let mut after = String::new();
    loop {
        let page = store.dated_summit_commitments(&after, SOUGHT_PAGE).await?;
        page.iter().for_each(&mut f);
        match page.last() {
            Some(last) if page.len() == SOUGHT_PAGE => after.clone_from(&last.id),
            _ => return Ok(()),
        }
    }
}

/// Which documents a [`search`] reads, and how.
struct Searched<'a> {
    /// Only these, when given.
    documents: Option<&'a DocumentSet>,
    /// Passages to take rather than read and segment the stored text.
    kept: Option<&'a mut KeptPassages>,
    /// Documents read at a time.
    batch_size: usize,
    /// Suggestions stored at a time.
    stored: usize,
}

/// A document of a batch searched: its passages kept, or its text.
enum Held {
    Kept(Vec<String>),
    Text(String),
}

/// Searches the documents dated after `earliest` (of `searched.documents`
/// only, when given), a batch at a time in date and id order, for
/// evidence of the commitments of `discoverer`; stores what it finds and
/// counts the documents searched on `progress`. Documents of `documents`
/// dated before `earliest` cannot hold evidence and are never read: they
/// are counted at the end, so that a bar of `documents` ends full.
async fn search(
    store: &Store,
    discoverer: &evidence::Discoverer,
    earliest: &str,
    searched: Searched<'_>,
    options: &evidence::Options,
    found_at: &str,
    progress: &ProgressBar,
) -> anyhow::Result<Discovered> {
    let Searched {
        documents,
        mut kept,
        batch_size,
        stored,
    } = searched;
    let mut total = Discovered { found: 0, added: 0 };
    let mut after: Option<accord_store::DocumentDate> = None;
    let mut searched = 0;
    for k in 0.. {
        let page = store
            .document_dates(earliest, after.as_ref(), batch_size)
            .await?;
        let Some(last) = page.last() else { break };
        after = Some(last.clone());
        let batch: Vec<accord_store::DocumentDate> = page
            .into_iter()
            .filter(|d| documents.is_none_or(|set| set.contains(&d.id)))
            .collect();
        if batch.is_empty() {
            continue;
        }
        let mut held: Vec<Option<Held>> = batch
            .iter()
            .map(|d| Some(Held::Kept(kept.as_mut()?.take(&d.id)?)))
            .collect();
        let unread: Vec<&str> = batch
            .iter()
            .zip(&held)
            .filter(|(_, h)| h.is_none())
            .map(|(d, _)| d.id.as_str())
            .collect();
        if !unread.is_empty() {
            // Texts come back in the batch's order, without documents
            // removed meanwhile.
            let mut texts = store.document_texts(&unread).await?.into_iter().peekable();
            for (d, h) in batch.iter().zip(held.iter_mut()) {
                if h.is_none() && texts.peek().is_some_and(|(id, _)| *id == d.id) {
                    *h = texts.next().map(|(_, text)| Held::Text(text));
                }
            }
        }
        // Segmented on every core; the passages keep the batch's order.
        let per_document: Vec<Vec<evidence::Passage>> = batch
            .par_iter()
            .zip(held.into_par_iter())
            .map(|(d, h)| {
                let source = Arc::new(evidence::Source {
                    document_id: d.id.clone(),
                    date: d.date.clone(),
                    summit: d.summit.clone(),
                });
                match h {
                    Some(Held::Kept(texts)) => evidence::of_source(&source, texts),
                    Some(Held::Text(text)) => evidence::passages(&source, &text, options),
                    None => Vec::new(),
                }
            })
            .collect();
        let passages: Vec<evidence::Passage> = per_document.into_iter().flatten().collect();
        // Spelled out and stored a few thousand at a time: a batch of a
        // large ledger can find a hundred thousand suggestions and more.
        let found = discoverer.find_scored(&passages);
        total.found += found.len() as u64;
        for chunk in found.chunks(stored.max(1)) {
            let suggestions: Vec<Suggestion> = chunk
                .iter()
                .map(|f| discoverer.suggestion(f, &passages, found_at))
                .collect();
            total.added += store.add_suggestions(&suggestions).await?;
        }
        progress.inc(batch.len() as u64);
        searched += batch.len();
        if k % TRIM_EVERY == TRIM_EVERY - 1 {
            crate::return_free_memory();
        }
    }
    if let Some(set) = documents {
        progress.inc(set.len().saturating_sub(searched) as u64);
    }
    Ok(total)
}

/// Commitments sought held at a time: beyond, they are weighed in parts
/// (about 110 MB of weights and texts for 100,000 of them).
const SOUGHT_PART: usize = 100_000;

/// Documents searched for evidence at a time.
const DISCOVERY_BATCH: usize = 500;

/// Suggestions spelled out and stored at a time (in one transaction).
const SUGGESTIONS_STORED: usize = 5_000;

/// Batches of documents searched between two returns of free memory to
/// the system (each walks the allocator's heaps, so not after every one).
const TRIM_EVERY: usize = 5;

/// Commitments read at a time when gathering those evidence is sought for.
const SOUGHT_PAGE: usize = 10_000;

/// Runs `accord evidence`.
pub async fn evidence_cmd(store: &Store, command: EvidenceCmd) -> anyhow::Result<ExitCode> {
    match command {
        EvidenceCmd::Discover => {
            let started = std::time::Instant::now();
            let progress = ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] looking for evidence: {human_pos} documents searched",
                )
                .expect("valid template"),
            );
            progress.enable_steady_tick(std::time::Duration::from_millis(120));
            let n = discover(store, None, KeptPassages::default(), &progress).await;
            progress.finish_and_clear();
            let n = n?;
            println!(
                "{n} new evidence suggestions ({:.2} s); `accord evidence list` shows them",
                started.elapsed().as_secs_f64()
            );
        }
        EvidenceCmd::List { commitment, status } => {
            let status = Decision::parse(&status)
                .with_context(|| format!("{status:?}: use pending, accepted or rejected"))?;
            let filter = SuggestionFilter {
                commitment: commitment.as_deref(),
                status: Some(status),
            };
            // Printed as they are read: a large ledger holds millions.
            let mut list = std::pin::pin!(store.suggestions(filter));
            let mut out = std::io::BufWriter::new(std::io::stdout());
            let mut listed = 0_u64;
            while let Some(s) = list.try_next().await? {
                writeln!(
                    out,
                    "{}  {:.2}  {} ← document {}\n    “{}”",
                    s.id, s.score, s.commitment_id, s.document_id, s.passage
                )?;
                listed += 1;
            }
            if listed == 0 {
                writeln!(out, "no {} suggestions", status.as_str())?;
            }
            out.flush()?;
        }
        EvidenceCmd::Accept { id, actor } => {
            let s = store
                .decide_suggestion(&id, Decision::Accepted, &actor.name())
                .await?;
            println!("accepted {} as evidence for {}", s.id, s.commitment_id);
        }
        EvidenceCmd::Reject { id, actor } => {
            let s = store
                .decide_suggestion(&id, Decision::Rejected, &actor.name())
                .await?;
            println!(
                "rejected {} for {}; it will not be suggested again",
                s.id, s.commitment_id
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn role(name: &str) -> anyhow::Result<Role> {
    Role::parse(name).with_context(|| format!("role {name:?}: use reader, analyst or admin"))
}

/// The new password: `ACCORD_PASSWORD`, else the first line of standard
/// input.
fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("ACCORD_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Runs `accord user`.
pub async fn user(store: &Store, command: UserCmd) -> anyhow::Result<ExitCode> {
    match command {
        UserCmd::Add {
            name,
            role: r,
            actor,
        } => {
            let r = role(&r)?;
            let password = read_password()?;
            let u = store.add_user(&name, r, &password, &actor.name()).await?;
            println!("added {} ({})", u.name, u.role.as_str());
        }
        UserCmd::List => {
            for u in store.users().await? {
                println!(
                    "{:<24} {:<8} since {}",
                    u.name,
                    u.role.as_str(),
                    u.created_at
                );
            }
        }
        UserCmd::Role {
            name,
            role: r,
            actor,
        } => {
            store.set_role(&name, role(&r)?, &actor.name()).await?;
            println!("{name} is now {r}");
        }
        UserCmd::Password { name, actor } => {
            let password = read_password()?;
            store.set_password(&name, &password, &actor.name()).await?;
            println!("password of {name} changed; their sessions ended");
        }
        UserCmd::Remove { name, actor } => {
            store.remove_user(&name, &actor.name()).await?;
            println!("removed {name}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `accord token`.
pub async fn token(store: &Store, command: TokenCmd) -> anyhow::Result<ExitCode> {
    match command {
        TokenCmd::Create { user, label, actor } => {
            let secret = store.create_token(&user, &label, &actor.name()).await?;
            eprintln!("API token for {user} ({label}); it is shown only now:");
            println!("{secret}");
        }
        TokenCmd::List => {
            for t in store.tokens().await? {
                println!("{}  {:<24} {:<16} {}", t.id, t.user, t.label, t.created_at);
            }
        }
        TokenCmd::Revoke { id, actor } => {
            store.revoke_token(&id, &actor.name()).await?;
            println!("revoked {id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `accord audit`.
pub async fn audit(store: &Store, subject: Option<&str>, limit: i64) -> anyhow::Result<ExitCode> {
    for e in store.audit_log(subject, limit).await? {
        println!(
            "{:>6}  {}  {:<12} {:<20} {}  {}",
            e.seq, e.at, e.actor, e.action, e.subject, e.detail
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `accord backup`.
pub async fn backup(store: &Store, output: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let counts = match output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            let counts = store.backup(&mut out).await?;
            out.flush()?;
            counts
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            store.backup(&mut out).await?
        }
    };
    eprintln!("backed up: {}", summary(&counts));
    Ok(ExitCode::SUCCESS)
}

/// Runs `accord restore`.
pub async fn restore(store: &Store, input: &std::path::Path) -> anyhow::Result<ExitCode> {
    let file =
        std::fs::File::open(input).with_context(|| format!("cannot read {}", input.display()))?;
    let counts = store
        .restore(&mut std::io::BufReader::new(file))
        .await
        .with_context(|| format!("cannot restore {}", input.display()))?;
    println!("restored: {}", summary(&counts));
    Ok(ExitCode::SUCCESS)
}

fn summary(counts: &accord_store::backup::Counts) -> String {
    counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(t, n)| format!("{n} {t}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passages(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    /// Kept passages come back as they were given, once; none, a
    /// document without passages, comes back as none.
    #[test]
    fn kept_passages_come_back_as_given_once() {
        let mut kept = KeptPassages::new(1 << 20);
        let given = passages(&["We launched the fund.", "", "It has met\ntwice since."]);
        assert!(kept.keep("a", given.clone()));
        assert!(kept.keep("b", Vec::new()));
        assert!(!kept.keep("a", given.clone()), "a document is kept once");
        assert_eq!(kept.len(), 2);
        assert_eq!(kept.take("a"), Some(given));
        assert_eq!(kept.take("a"), None);
        assert_eq!(kept.take("b"), Some(Vec::new()));
        assert_eq!(kept.take("c"), None);
        assert!(kept.is_empty());
    }

    /// Past the budget, documents are refused (they are read when
    /// searched). A document costs the room its texts and their vector
    /// take, and a text is kept without the room it had to spare.
    #[test]
    fn kept_passages_stay_within_the_budget() {
        let text = "x".repeat(1000);
        let cost = KEPT_DOCUMENT_COST + 1 + std::mem::size_of::<String>() + 1000;
        let mut kept = KeptPassages::new(3 * cost);
        for id in ["a", "b", "c"] {
            assert!(kept.keep(id, vec![text.clone()]), "{id}");
        }
        assert!(!kept.keep("d", vec![text.clone()]));
        assert_eq!(kept.bytes, 3 * cost);
        let mut spare = String::with_capacity(4000);
        spare.push_str(&text);
        let mut passages = Vec::with_capacity(8);
        passages.push(spare);
        let mut snug = KeptPassages::new(cost);
        assert!(snug.keep("e", passages));
        assert_eq!(snug.bytes, cost);
        let back = snug.take("e").expect("kept");
        assert_eq!((back.capacity(), back[0].capacity()), (1, 1000));
    }
}
