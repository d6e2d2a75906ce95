//! Per-stage throughput and memory of ingest, over a large corpus.
//!
//!     cargo bench -p accord-cli --bench stages
//!
//! Runs the stages of `accord ingest` one after the other over every file
//! of `ACCORD_BENCH_CORPUS` (default `../shared/corpus/whitehouse` beside
//! the repository), calling the same code the CLI runs (the `accord_cli`
//! library: `pipeline`, `matching`, `compliance::discover`):
//!
//! - read: every file's bytes (the physical floor);
//! - prepare: decode, clean and metadata (`accord_ingest::prepare`);
//! - extract: commitments of the cleaned text (`accord_extract::extract`);
//! - store: into a fresh SQLite ledger, in the CLI's batches (one
//!   transaction for many files, `pipeline::store_batch`), with the
//!   content-hash look-ups the CLI makes, then the ledger-wide initiative
//!   renaming pass;
//! - match: `matching::rematch` (load, align, link, store the pairs);
//! - evidence: passages of the documents against earlier commitments,
//!   those the store stage kept from extraction (up to
//!   `compliance::KEPT_PASSAGES_BUDGET` bytes, as the CLI keeps them) and
//!   the rest read back from the ledger and segmented.
//!
//! For each: seconds, MB/s of input bytes, and memory (`VmRSS` now and the
//! peak `VmHWM` so far). The bench keeps every stage's output for the next
//! one (all files at once, unlike the CLI, which holds a few batches),
//! so its memory is an upper bound; `bench/scale.sh` measures the CLI's.
//! Each stage alone: prepare and extract on one thread (the CLI prepares
//! and extracts a batch of files on every core while it stores the batch
//! before); evidence discovery on every core, as the CLI runs it
//! (`taskset -c 0` for one core).
//!
//! `ACCORD_BENCH_LIMIT=N` takes only the first N files (a quick run).

use accord_cli::{compliance, matching, pipeline};
use accord_ingest::{Options, Overrides, Prepared};
use accord_store::{Store, Written};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    // As the binary does.
    accord_cli::bound_heap_growth();
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
    // Never inlined: `bench/instructions.sh` has callgrind count each
    // stage's instructions apart, by a dump after every call.
    #[inline(never)]
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
    let mut processed: Vec<pipeline::Processed> = Vec::with_capacity(prepared.len());
    for (path, p) in prepared {
        processed.push(pipeline::extract(
            &file_name(&path),
            &path.display().to_string(),
            p,
        ));
    }
    let n_commitments: usize = processed.iter().map(|p| p.commitments.len()).sum();
    report.stage(
        "extract",
        started.elapsed().as_secs_f64(),
        &format!("{n_commitments} commitments"),
    );

    // (d) Storing into a fresh ledger, in the CLI's batches, with the
    // content-hash look-up it makes before processing a file.
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("ledger.db"))
        .await
        .expect("ledger opens");
    let started = Instant::now();
    let mut added = 0;
    let mut changed = compliance::DocumentSet::new();
    let mut kept = compliance::KeptPassages::new(compliance::KEPT_PASSAGES_BUDGET);
    let mut processed = processed.into_iter().peekable();
    while processed.peek().is_some() {
        let mut batch = Vec::new();
        let mut bytes = 0;
        while let Some(next) = processed.peek() {
            let size = next.document.original.len() as u64;
            if batch.len() == pipeline::BATCH_FILES
                || (!batch.is_empty() && bytes + size > pipeline::BATCH_BYTES)
            {
                break;
            }
            bytes += size;
            batch.push(processed.next().expect("peeked"));
        }
        let keys: Vec<(&str, &str)> = batch
            .iter()
            .map(|f| {
                (
                    f.document.content_hash.as_str(),
                    f.document.source_path.as_str(),
                )
            })
            .collect();
        let stored = store.stored_for_files(&keys).await.expect("hash look-up");
        let mut stored = stored.into_iter();
        batch.retain(|_| !stored.next().expect("one per file").same_content);
        let written = pipeline::store_batch(&store, &mut batch)
            .await
            .expect("batch written");
        for (file, written) in batch.iter_mut().zip(written) {
            if written.expect("document written") != Written::Unchanged {
                added += 1;
                changed.insert(&file.document.id);
                // As the CLI: a document without a date is never searched.
                if file.document.meta.date.is_some() {
                    kept.keep(&file.document.id, std::mem::take(&mut file.passages));
                }
            }
        }
    }
    let write_s = started.elapsed().as_secs_f64();
    let renamed_started = Instant::now();
    let renamed = pipeline::canonicalize_ledger(&store)
        .await
        .expect("ledger-wide renaming");
    let rename_s = renamed_started.elapsed().as_secs_f64();
    report.stage(
        "store",
        write_s + rename_s,
        &format!(
            "{added} documents written in {write_s:.2} s; ledger-wide renaming {rename_s:.2} s ({} summits renamed in)", renamed.len()
        ),
    );

    // (e) Matching, as `accord match` and the end of each ingest do it.
    let started = Instant::now();
    let m = matching::rematch(&store).await.expect("matching");
    let note = format!(
        "{} commitments of known summits in {} series: {} same-commitment pairs, {} follow-up links",
        m.items, m.series, m.same, m.follows
    );
    report.stage("match", started.elapsed().as_secs_f64(), &note);

    // (f) Evidence discovery over the documents just ingested, with the
    // passages kept from their extraction.
    let n_kept = kept.len();
    let started = Instant::now();
    let found = compliance::discover(
        &store,
        Some(&changed),
        kept,
        &indicatif::ProgressBar::hidden(),
    )
    .await
    .expect("evidence discovery");
    let note = format!(
        "{found} suggestions for earlier commitments; passages of {n_kept} of the {added} documents kept from extraction"
    );
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
    accord_cli::walk(root)
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
