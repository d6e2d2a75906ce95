//! Per-stage throughput and memory of ingest, over a large corpus.
//!
//!     cargo bench -p accord-cli --bench stages
//!
//! Runs the stages of `accord ingest` one after the other over every file
//! of `ACCORD_BENCH_CORPUS` (default `../shared/corpus/whitehouse` beside
//! the repository), calling the library crates the way the CLI does
//! (`pipeline.rs`, `ingest.rs`, `matching.rs`, `compliance.rs::discover`):
//!
//! - read: every file's bytes (the physical floor);
//! - prepare: decode, clean and metadata (`accord_ingest::prepare`);
//! - extract: commitments of the cleaned text (`accord_extract::extract`);
//! - store: into a fresh SQLite ledger, one transaction per file, with the
//!   content-hash and initiative-name look-ups the CLI makes, then the
//!   ledger-wide initiative renaming pass;
//! - match: load, `Corpus::new`, `align`, `link`, store the pairs;
//! - evidence: passages of the documents against earlier commitments.
//!
//! For each: seconds, MB/s of input bytes, and memory (`VmRSS` now and the
//! peak `VmHWM` so far). The bench keeps every stage's output for the next
//! one (all files at once, unlike the CLI, which holds one file at a time),
//! so its memory is an upper bound; `bench/scale.sh` measures the CLI's.
//! One thread, as the CLI ingests on one thread.
//!
//! `ACCORD_BENCH_LIMIT=N` takes only the first N files (a quick run).

use accord_ingest::{Options, Overrides, Prepared};
use accord_match::{AlignOptions, Corpus, Item, LinkOptions};
use accord_model::{Commitment, Document};
use accord_store::{Filter, Pair, Store, Written};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let corpus = std::env::var_os("ACCORD_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/whitehouse")
        });
    if !corpus.is_dir() {
        eprintln!(
            "no corpus at {} (set ACCORD_BENCH_CORPUS to a folder of statements)",
            corpus.display()
        );
        std::process::exit(1);
    }
    let limit = std::env::var("ACCORD_BENCH_LIMIT")
        .ok()
        .and_then(|n| n.parse::<usize>().ok());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(&corpus, limit));
}

/// One stage's figures, printed as it ends.
struct Report {
    mb: f64,
    rows: Vec<(String, f64)>,
}

impl Report {
    fn stage(&mut self, name: &str, seconds: f64, note: &str) {
        let (rss, hwm) = memory_mb();
        println!(
            "{name:<10} {seconds:>8.2} s {:>9.1} MB/s   rss {rss:>6.0} MB  peak {hwm:>6.0} MB   {note}",
            self.mb / seconds.max(1e-9)
        );
        self.rows.push((name.to_string(), seconds));
    }
}

async fn run(corpus: &Path, limit: Option<usize>) {
    let mut paths = statement_files(corpus);
    if let Some(n) = limit {
        paths.truncate(n);
    }
    let shown = std::fs::canonicalize(corpus).unwrap_or_else(|_| corpus.to_path_buf());
    println!("corpus: {} ({} files)", shown.display(), paths.len());

    // (a) Plain read: the floor. Timed twice: as the files come (cold
    // or warm, whatever the page cache holds), then again (warm); the
    // ratios are to the warm read.
    let started = Instant::now();
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::with_capacity(paths.len());
    for path in &paths {
        files.push((path.clone(), std::fs::read(path).expect("readable file")));
    }
    let first_read_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut reread = 0;
    for path in &paths {
        reread += std::fs::read(path).expect("readable file").len();
    }
    let read_s = started.elapsed().as_secs_f64();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    assert_eq!(reread, bytes, "the corpus changed while read");
    let mb = bytes as f64 / 1e6;
    println!("input: {mb:.1} MB\n");
    println!("stage      seconds      MB/s   memory now / peak so far");
    let mut report = Report {
        mb,
        rows: Vec::new(),
    };
    report.stage(
        "read",
        read_s,
        &format!(
            "warm; first read {first_read_s:.2} s, {:.0} MB/s",
            mb / first_read_s.max(1e-9)
        ),
    );

    // (b) Prepare: decode, clean, metadata.
    let options = Options::default();
    let overrides = Overrides::default();
    let started = Instant::now();
    let mut prepared: Vec<(PathBuf, Prepared)> = Vec::with_capacity(files.len());
    let mut failed = 0;
    for (path, bytes) in files {
        match accord_ingest::prepare(&file_name(&path), &bytes, &overrides, &options) {
            Ok(p) => prepared.push((path, p)),
            Err(_) => failed += 1,
        }
    }
    report.stage(
        "prepare",
        started.elapsed().as_secs_f64(),
        &format!("{} prepared, {failed} refused", prepared.len()),
    );

    // (c) Extraction over the cleaned text.
    let started = Instant::now();
    let mut processed: Vec<(Document, Vec<Commitment>)> = Vec::with_capacity(prepared.len());
    for (path, p) in prepared {
        processed.push(extract(&path, p));
    }
    let n_commitments: usize = processed.iter().map(|(_, c)| c.len()).sum();
    report.stage(
        "extract",
        started.elapsed().as_secs_f64(),
        &format!("{n_commitments} commitments"),
    );

    // (d) Storing into a fresh ledger, one transaction per file.
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("ledger.db"))
        .await
        .expect("ledger opens");
    let started = Instant::now();
    let mut added = 0;
    let mut changed = HashSet::new();
    for (document, mut commitments) in processed {
        if store
            .document_by_hash(&document.content_hash)
            .await
            .expect("hash look-up")
            .is_some()
        {
            continue;
        }
        let names = introduced_names(&store, &mut commitments).await;
        let written = store
            .write_document(&document, &commitments, &names)
            .await
            .expect("document written");
        if written != Written::Unchanged {
            added += 1;
            changed.insert(document.id.clone());
        }
    }
    let write_s = started.elapsed().as_secs_f64();
    let renamed_started = Instant::now();
    let renamed = canonicalize_ledger(&store).await;
    let rename_s = renamed_started.elapsed().as_secs_f64();
    report.stage(
        "store",
        write_s + rename_s,
        &format!(
            "{added} documents written in {write_s:.2} s; ledger-wide renaming {rename_s:.2} s ({renamed} commitments)"
        ),
    );

    // (e) Matching, as `accord match` and the end of each ingest do it.
    let started = Instant::now();
    let note = rematch(&store).await;
    report.stage("match", started.elapsed().as_secs_f64(), &note);

    // (f) Evidence discovery over the documents just ingested.
    let started = Instant::now();
    let note = discover(&store, &changed).await;
    report.stage("evidence", started.elapsed().as_secs_f64(), &note);

    let total: f64 = report.rows[1..].iter().map(|(_, s)| s).sum();
    println!();
    println!(
        "end to end (prepare..evidence): {total:.2} s, {:.1} MB/s; {:.0}x the warm read, {:.0}x the first read",
        mb / total,
        total / read_s.max(1e-9),
        total / first_read_s.max(1e-9)
    );
    println!("share of the time:");
    for (name, seconds) in &report.rows[1..] {
        println!("  {name:<10} {:>5.1} %", 100.0 * seconds / total);
    }
    let (_, hwm) = memory_mb();
    println!("peak memory (VmHWM): {hwm:.0} MB");
    store.close().await;
}

/// The statement files of a folder, as `accord ingest` gathers them:
/// sorted, without hidden entries, read-me, licence or manifest files.
fn statement_files(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let lower = e.file_name().to_string_lossy().to_ascii_lowercase();
            lower != accord_ingest::manifest::FILE_NAME
                && !lower.starts_with("readme")
                && !lower.starts_with("license")
                && !lower.starts_with("licence")
        })
        .map(|e| e.into_path())
        .collect()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default()
}

/// Extraction of one prepared file into the document and commitments the
/// CLI stores (`pipeline::process`).
fn extract(path: &Path, prepared: Prepared) -> (Document, Vec<Commitment>) {
    let id = prepared.content_hash[..16].to_string();
    let context = accord_extract::Context {
        summit: prepared.meta.summit.clone(),
        date: prepared.meta.date.as_deref().and_then(|d| {
            chrono::NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok()
        }),
    };
    let extraction = accord_extract::extract(&prepared.cleaned.text, &context);
    let commitments = extraction
        .commitments
        .into_iter()
        .enumerate()
        .map(|(i, found)| Commitment {
            id: format!("{id}-{:03}", i + 1),
            document_id: id.clone(),
            ordinal: i as u32 + 1,
            span: prepared.cleaned.span(found.start, found.end),
            text: found.text,
            section: found.section,
            actors: found.actors,
            strength: found.strength,
            theme: found.theme,
            targets: found.targets,
            deadline: found.deadline,
            initiatives: found.initiatives,
            confidence: found.confidence,
        })
        .collect();
    let document = Document {
        id,
        source_file: file_name(path),
        source_path: path.display().to_string(),
        content_hash: prepared.content_hash,
        format: prepared.format,
        meta: prepared.meta,
        original: prepared.original,
        text: prepared.cleaned.text,
    };
    (document, commitments)
}

/// The initiative names a document introduces, after the look-up the CLI
/// makes (`pipeline::canonical_initiatives`, simplified: known keys keep
/// their name, new keys take the first name met).
async fn introduced_names(store: &Store, commitments: &mut [Commitment]) -> Vec<(String, String)> {
    let mut keys: Vec<String> = commitments
        .iter()
        .flat_map(|c| c.initiatives.iter())
        .flat_map(|name| accord_extract::attributes::initiative_keys(name))
        .collect();
    keys.sort();
    keys.dedup();
    let known = store.initiative_names(&keys).await.expect("names look-up");
    let mut introduced: Vec<(String, String)> = Vec::new();
    for c in commitments.iter_mut() {
        for name in c.initiatives.iter_mut() {
            let keys = accord_extract::attributes::initiative_keys(name);
            if let Some(canonical) = keys.iter().find_map(|k| known.get(k)) {
                *name = canonical.clone();
            }
            for key in keys {
                if !known.contains_key(&key) && !introduced.iter().any(|(k, _)| *k == key) {
                    introduced.push((key, name.clone()));
                }
            }
        }
    }
    introduced
}

/// The ledger-wide renaming pass after a batch
/// (`pipeline::canonicalize_ledger`); returns the commitments renamed.
async fn canonicalize_ledger(store: &Store) -> usize {
    let commitments = store
        .commitments(&Filter::default())
        .await
        .expect("commitments");
    let mut keys: Vec<String> = commitments
        .iter()
        .flat_map(|c| c.initiatives.iter())
        .flat_map(|name| accord_extract::attributes::initiative_keys(name))
        .collect();
    keys.sort();
    keys.dedup();
    let known = store.initiative_names(&keys).await.expect("names look-up");
    let mut updates = Vec::new();
    for c in &commitments {
        let mut renamed: Vec<String> = Vec::new();
        for name in &c.initiatives {
            let canonical = accord_extract::attributes::initiative_keys(name)
                .iter()
                .find_map(|k| known.get(k))
                .cloned()
                .unwrap_or_else(|| name.clone());
            if !renamed.contains(&canonical) {
                renamed.push(canonical);
            }
        }
        if renamed != c.initiatives {
            updates.push((c.id.clone(), renamed));
        }
    }
    store.set_initiatives(&updates).await.expect("renamed");
    updates.len()
}

/// `matching::rematch`, with its parts timed.
async fn rematch(store: &Store) -> String {
    let started = Instant::now();
    let summits: HashMap<String, Option<String>> = store
        .documents()
        .await
        .expect("documents")
        .into_iter()
        .map(|d| (d.id, d.summit))
        .collect();
    let items: Vec<Item> = store
        .commitments(&Filter::default())
        .await
        .expect("commitments")
        .into_iter()
        .filter_map(|c| {
            let summit = summits.get(&c.document_id).cloned().flatten()?;
            Some(Item {
                id: c.id,
                document_id: c.document_id,
                summit: Some(summit),
                text: c.text,
                initiatives: c.initiatives,
            })
        })
        .collect();
    let load_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let corpus = Corpus::new(&items);
    let corpus_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let same: Vec<Pair> = accord_match::align(&items, &corpus, &AlignOptions::default())
        .into_iter()
        .map(|p| Pair {
            a: p.a,
            b: p.b,
            score: p.score,
            kind: None,
        })
        .collect();
    let align_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let follows: Vec<Pair> = accord_match::link(&items, &corpus, &LinkOptions::default())
        .into_iter()
        .map(|p| Pair {
            a: p.a,
            b: p.b,
            score: p.score,
            kind: p.kind.map(|k| k.as_str().to_string()),
        })
        .collect();
    let link_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    store
        .replace_pairs(&same, &follows)
        .await
        .expect("pairs stored");
    let write_s = started.elapsed().as_secs_f64();
    format!(
        "{} items with a summit, {} same, {} follow-ups; load {load_s:.2} s, corpus {corpus_s:.2} s, align {align_s:.2} s, link {link_s:.2} s, write {write_s:.2} s",
        items.len(),
        same.len(),
        follows.len()
    )
}

/// `compliance::discover` over the `changed` documents (batches of 200
/// documents, by date), with its parts timed.
async fn discover(store: &Store, changed: &HashSet<String>) -> String {
    use accord_assess::evidence;
    const BATCH: usize = 200;
    let started = Instant::now();
    let options = evidence::Options::default();
    let rows = store.documents().await.expect("documents");
    let dated: HashMap<&str, (&str, &str)> = rows
        .iter()
        .filter_map(|d| Some((d.id.as_str(), (d.date.as_deref()?, d.summit.as_deref()?))))
        .collect();
    let summit_of: HashMap<&str, &str> = rows
        .iter()
        .filter_map(|d| Some((d.id.as_str(), d.summit.as_deref()?)))
        .collect();
    let sought: Vec<evidence::Sought> = store
        .commitments(&Filter::default())
        .await
        .expect("commitments")
        .into_iter()
        .filter_map(|c| {
            let (date, summit) = dated.get(c.document_id.as_str())?;
            Some(evidence::Sought {
                id: c.id,
                document_id: c.document_id,
                date: date.to_string(),
                summit: Some(summit.to_string()),
                text: c.text,
                initiatives: c.initiatives,
            })
        })
        .collect();
    let Some(earliest) = sought.iter().map(|s| s.date.clone()).min() else {
        return "no dated summit commitments: nothing sought".to_string();
    };
    let mut later: Vec<(&str, &str)> = rows
        .iter()
        .filter(|d| changed.contains(&d.id))
        .filter_map(|d| Some((d.id.as_str(), d.date.as_deref()?)))
        .filter(|(_, date)| *date > earliest.as_str())
        .collect();
    later.sort_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)));
    let mut load_s = started.elapsed().as_secs_f64();
    let (mut score_s, mut write_s) = (0.0, 0.0);
    let (mut n_passages, mut stored) = (0, 0);
    let found_at = accord_store::now_rfc3339();
    for batch in later.chunks(BATCH) {
        let started = Instant::now();
        let mut passages = Vec::new();
        for (id, date) in batch {
            if let Some(doc) = store.document(id).await.expect("document") {
                let summit = summit_of.get(id).copied();
                passages.extend(evidence::passages(id, date, summit, &doc.text, &options));
            }
        }
        n_passages += passages.len();
        let latest = batch.last().map(|(_, date)| *date).unwrap_or_default();
        let candidates: Vec<evidence::Sought> = sought
            .iter()
            .filter(|s| s.date.as_str() < latest)
            .cloned()
            .collect();
        load_s += started.elapsed().as_secs_f64();
        let started = Instant::now();
        let found = evidence::discover(&candidates, &passages, &found_at, &options);
        score_s += started.elapsed().as_secs_f64();
        let started = Instant::now();
        stored += store
            .add_suggestions(&found)
            .await
            .expect("suggestions stored");
        write_s += started.elapsed().as_secs_f64();
    }
    format!(
        "{} commitments sought in {n_passages} passages of {} documents, {stored} suggestions; load and segment {load_s:.2} s, score {score_s:.2} s, write {write_s:.2} s",
        sought.len(),
        later.len()
    )
}

/// Resident memory now and its peak so far, in MB (Linux; zero
/// elsewhere).
fn memory_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
