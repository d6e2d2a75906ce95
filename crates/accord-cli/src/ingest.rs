//! `accord ingest` and `accord clean`: gather the files, run each through
//! the pipeline, store it, and report per file. A file that fails is
//! reported and skipped; the batch goes on.

use crate::compliance::{DocumentSet, KeptPassages};
use crate::pipeline::{self, Processed};
use crate::CleanFormat;
use accord_ingest::decode::read_within;
use accord_ingest::manifest::{self, Manifest};
use accord_ingest::{Options, Overrides};
use accord_store::{Store, Written};
use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `accord ingest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders to ingest; `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Issuing government for every file (ISO code: US, CA, MX, …).
    #[arg(long)]
    pub issuer: Option<String>,
    /// Summit for every file, e.g. "NALS 2023".
    #[arg(long)]
    pub summit: Option<String>,
    /// Date for every file, e.g. 2023-01-10.
    #[arg(long)]
    pub date: Option<String>,
    /// Kind for every file: joint_statement, fact_sheet, roadmap, other.
    #[arg(long)]
    pub kind: Option<String>,
    /// Language for every file (ISO 639-1).
    #[arg(long)]
    pub language: Option<String>,
    /// Largest accepted file, in MiB.
    #[arg(long, default_value_t = 64, value_name = "MIB")]
    pub max_size: u64,
    /// Print only failures and the totals.
    #[arg(long, short)]
    pub quiet: bool,
    /// Do not look for evidence in the files added (on a large archive it
    /// can take as long as the files): `accord evidence discover` looks
    /// for it later, in every document, and finds the same suggestions.
    #[arg(long)]
    pub no_evidence: bool,
    /// The SQLite file of the ledger written to, when it is one: a folder
    /// that holds it is walked without it (and its `-wal`, `-shm` and
    /// `-journal` files).
    #[arg(skip)]
    pub ledger: Option<PathBuf>,
}

impl Args {
    /// Defaults for ingesting `paths`.
    pub fn for_paths(paths: Vec<PathBuf>) -> Args {
        Args {
            paths,
            issuer: None,
            summit: None,
            date: None,
            kind: None,
            language: None,
            max_size: 64,
            quiet: false,
            no_evidence: false,
            ledger: None,
        }
    }

    /// Refuses override values that cannot be right, before any work.
    fn validate(&self) -> anyhow::Result<()> {
        if let Some(date) = &self.date {
            if accord_ingest::meta::parse_date(date).is_none() {
                anyhow::bail!("--date {date:?} is not a date; write it as 2023-01-10");
            }
        }
        if let Some(issuer) = &self.issuer {
            if !(2..=3).contains(&issuer.len()) || !issuer.chars().all(|c| c.is_ascii_alphabetic())
            {
                anyhow::bail!("--issuer {issuer:?} is not a government code; use an ISO code such as US, CA, MX or EU");
            }
        }
        if let Some(kind) = &self.kind {
            if accord_model::DocKind::parse(kind).is_none() {
                anyhow::bail!("--kind {kind:?} is not a kind; one of joint_statement, fact_sheet, roadmap, other");
            }
        }
        Ok(())
    }

    fn overrides(&self) -> Overrides {
        Overrides {
            issuer: self.issuer.clone(),
            summit: self.summit.clone(),
            date: self.date.clone(),
            title: None,
            language: self.language.clone(),
            kind: self.kind.clone(),
        }
    }
}

/// One input: a file on disk or standard input.
struct Input {
    path: PathBuf,
    /// Manifest overrides of its folder.
    overrides: Overrides,
}

/// The files named, walking folders (in file-name order), one at a time:
/// what is held does not grow with their number (a folder's manifest is
/// read once). A path that does not exist, a folder that cannot be read or
/// a manifest that cannot be read comes as a failure of its own: `(what,
/// why)`.
struct Inputs<'a> {
    paths: std::slice::Iter<'a, PathBuf>,
    walk: Option<Walk>,
    ledger: Option<LedgerFiles>,
    manifests: HashMap<PathBuf, Option<Manifest>>,
    /// What was found and not given yet: a manifest's failure comes
    /// before the first file of its folder.
    ready: VecDeque<Result<Input, (String, String)>>,
}

/// A folder's walk, hidden files and folders left out.
type Walk = walkdir::FilterEntry<walkdir::IntoIter, fn(&walkdir::DirEntry) -> bool>;

/// The files of a SQLite ledger: its folder, as the system names it, and
/// the database's file name.
struct LedgerFiles {
    folder: PathBuf,
    name: String,
}

impl LedgerFiles {
    fn of(database: &Path) -> Option<LedgerFiles> {
        let database = database.canonicalize().ok()?;
        Some(LedgerFiles {
            folder: database.parent()?.to_path_buf(),
            name: text(database.file_name()?).into_owned(),
        })
    }

    /// Whether the file `name` in `folder` is the database or one of the
    /// files SQLite keeps beside it. The folder is asked of the system
    /// only for a file of one of these names.
    fn hold(&self, folder: &Path, name: &str) -> bool {
        let ours = name
            .strip_prefix(self.name.as_str())
            .is_some_and(|rest| ["", "-wal", "-shm", "-journal"].contains(&rest));
        ours && folder.canonicalize().is_ok_and(|f| f == self.folder)
    }
}

impl<'a> Inputs<'a> {
    /// The inputs of `paths`; a walked folder leaves out the files of the
    /// SQLite ledger at `ledger`.
    fn new(paths: &'a [PathBuf], ledger: Option<&Path>) -> Self {
        Inputs {
            paths: paths.iter(),
            walk: None,
            ledger: ledger.and_then(LedgerFiles::of),
            manifests: HashMap::new(),
            ready: VecDeque::new(),
        }
    }

    /// The number of files to come (failures not counted), from a walk of
    /// their own.
    fn count(paths: &[PathBuf], ledger: Option<&Path>) -> usize {
        Inputs::new(paths, ledger).filter(Result::is_ok).count()
    }

    /// Makes ready an input with the overrides of its folder's manifest.
    fn found(&mut self, path: PathBuf, dir: &Path) {
        let name = file_name(&path);
        let manifest = self.manifests.entry(dir.to_path_buf()).or_insert_with(|| {
            match Manifest::read_in(dir) {
                Ok(m) => m,
                Err(e) => {
                    // The line names the manifest already.
                    let cause = match e {
                        accord_ingest::Error::Manifest { message, .. } => message,
                        other => other.to_string(),
                    };
                    self.ready
                        .push_back(Err((path_text(&dir.join(manifest::FILE_NAME)), cause)));
                    None
                }
            }
        });
        let overrides = manifest
            .as_ref()
            .map(|m| m.for_file(&name))
            .unwrap_or_default();
        self.ready.push_back(Ok(Input { path, overrides }));
    }
}

impl Iterator for Inputs<'_> {
    type Item = Result<Input, (String, String)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(found) = self.ready.pop_front() {
                return Some(found);
            }
            if let Some(walk) = self.walk.as_mut() {
                match walk.next() {
                    Some(Ok(e))
                        if e.file_type().is_file() && is_document_name(&text(e.file_name())) =>
                    {
                        let dir = e.path().parent().unwrap_or(Path::new(".")).to_path_buf();
                        let ledger = self.ledger.as_ref();
                        if !ledger.is_some_and(|l| l.hold(&dir, &text(e.file_name()))) {
                            self.found(e.into_path(), &dir);
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => {
                        return Some(Err((
                            e.path().map(path_text).unwrap_or_default(),
                            e.to_string(),
                        )))
                    }
                    None => self.walk = None,
                }
                continue;
            }
            let path = self.paths.next()?;
            if path.as_os_str() == "-" {
                return Some(Ok(Input {
                    path: path.clone(),
                    overrides: Overrides::default(),
                }));
            } else if path.is_dir() {
                let visible: fn(&walkdir::DirEntry) -> bool =
                    |e| e.depth() == 0 || !text(e.file_name()).starts_with('.');
                self.walk = Some(accord_cli::walk(path).into_iter().filter_entry(visible));
            } else if path.exists() {
                let dir = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
                    .to_path_buf();
                self.found(path.clone(), &dir);
            } else {
                return Some(Err((path_text(path), "no such file or folder".into())));
            }
        }
    }
}

/// Files in a folder that are not statements: the manifest, read-me and
/// licence files.
fn is_document_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower != manifest::FILE_NAME
        && !lower.starts_with("readme")
        && !lower.starts_with("license")
        && !lower.starts_with("licence")
}

/// `line` as printed: its control characters (a line feed or a terminal's
/// escape in a file's name or metadata) written as escapes (`\n`,
/// `\u{1b}`), so that one line stays one line and the terminal runs
/// nothing.
pub(crate) fn printable(line: &str) -> Cow<'_, str> {
    if !line.contains(char::is_control) {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `path` as text, as [`Path::display`] writes it (bytes that are not
/// UTF-8 replaced), without the formatting machinery: every file's path
/// is written several times.
fn path_text(path: &Path) -> String {
    text(path.as_os_str()).into_owned()
}

/// `name` as text, bytes that are not UTF-8 replaced:
/// [`OsStr::to_string_lossy`], but checked by the fast UTF-8 validation
/// first (names almost always are UTF-8).
fn text(name: &OsStr) -> Cow<'_, str> {
    name.to_str()
        .map_or_else(|| name.to_string_lossy(), Cow::Borrowed)
}

fn file_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "-".into();
    }
    path.file_name()
        .map(|n| text(n).into_owned())
        .unwrap_or_else(|| path_text(path))
}

/// Reads a file, refusing one over `max_bytes`: a regular file before
/// reading it, standard input, a pipe or a device (`/dev/zero` has no end)
/// once `max_bytes` have been read.
fn read_input(path: &Path, max_bytes: u64) -> anyhow::Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        return read_stream(std::io::stdin().lock(), max_bytes);
    }
    // The size of the file opened, not of the path looked up again.
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return read_stream(file, max_bytes);
    }
    let size = metadata.len();
    if size > max_bytes {
        anyhow::bail!(
            "{}",
            accord_ingest::Error::TooLarge {
                size,
                limit: max_bytes
            }
        );
    }
    // A file that grows while it is read is read only to the limit.
    let capacity = usize::try_from(size).unwrap_or(0);
    read_within(file, max_bytes, capacity)?.ok_or_else(|| {
        anyhow::anyhow!(
            "{}",
            accord_ingest::Error::TooLarge {
                size: max_bytes + 1,
                limit: max_bytes
            }
        )
    })
}

/// Reads a stream of unknown length, refusing it once it goes past
/// `max_bytes`.
fn read_stream(stream: impl Read, max_bytes: u64) -> anyhow::Result<Vec<u8>> {
    read_within(stream, max_bytes, 0)?.ok_or_else(|| {
        anyhow::anyhow!(
            "{}",
            accord_ingest::Error::TooLong {
                what: accord_ingest::Unsized::Stream,
                limit: max_bytes
            }
        )
    })
}

/// Totals of one ingest.
#[derive(Debug, Default)]
struct Totals {
    added: usize,
    replaced: usize,
    unchanged: usize,
    failed: usize,
    commitments: usize,
    bytes: u64,
}

/// One input on its way through a batch.
struct Item {
    /// Where it came from, as shown in messages.
    display: String,
    /// Its file name.
    name: String,
    /// Its size in bytes, once read.
    size: u64,
    step: Step,
}

/// How far an [`Item`] got.
enum Step {
    /// Read, not stored yet: to be processed.
    Read {
        bytes: Vec<u8>,
        /// Its content hash, found when it was read.
        hash: String,
        path: String,
        overrides: Overrides,
        /// Summits of the documents it replaces.
        replaced: Vec<String>,
    },
    /// Processed: to be stored.
    Processed {
        processed: Processed,
        replaced: Vec<String>,
    },
    /// The same content is stored already.
    Unchanged,
    /// Could not be read, processed or stored.
    Failed(anyhow::Error),
}

/// Runs `accord ingest`.
///
/// Files go in batches (at most [`pipeline::BATCH_FILES`] files and
/// [`pipeline::BATCH_BYTES`] bytes): a batch is read, looked up in the ledger (content hash and
/// path), processed (prepare and extract, on every core), then stored in
/// one transaction with a savepoint per file; while one batch is stored
/// the next is processed. A file's line is printed once its batch is
/// committed, so every file reported as added is stored whole whatever
/// happens next; memory holds at most three batches whatever the number
/// of files.
pub async fn run(store: &Store, args: &Args) -> anyhow::Result<ExitCode> {
    args.validate()?;
    // Counted first, for the progress bar; then walked again as the
    // batches go, so that the list of files is never held whole.
    let ledger = args.ledger.as_deref();
    let total = Inputs::count(&args.paths, ledger);
    let mut inputs = Inputs::new(&args.paths, ledger);
    let options = Options {
        max_bytes: args.max_size.saturating_mul(1024 * 1024),
    };
    let flags = args.overrides();
    let progress = ProgressBar::new(total as u64);
    progress.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} files ({per_sec}, eta {eta}) {wide_msg}")
            .expect("valid template"),
    );
    if total < 20 {
        progress.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let mut tally = Tally {
        totals: Totals::default(),
        changed: DocumentSet::new(),
        kept: KeptPassages::new(if args.no_evidence {
            0
        } else {
            crate::compliance::KEPT_PASSAGES_BUDGET
        }),
        touched: BTreeSet::new(),
        quiet: args.quiet,
        progress: &progress,
    };
    let started = std::time::Instant::now();
    let mut processing: Option<tokio::task::JoinHandle<Vec<Item>>> = None;
    let mut waiting = None;
    let mut files = 0;
    loop {
        // Read and look up the next batch, and start processing it…
        let batch = next_batch(&mut inputs, &mut waiting, |(path, cause)| {
            files += 1;
            tally.totals.failed += 1;
            progress.suspend(|| eprintln!("{}", printable(&format!("error: {path}: {cause}"))));
        });
        files += batch.len();
        let job = if batch.is_empty() {
            None
        } else {
            let batch = read_batch(store, &batch, &flags, &options).await?;
            let options = options.clone();
            Some(tokio::task::spawn_blocking(move || {
                process_batch(batch, &options)
            }))
        };
        let last = job.is_none();
        // …while the one before is stored.
        if let Some(done) = std::mem::replace(&mut processing, job) {
            let items = done.await.context("processing a batch")?;
            store_batch(store, items, &mut tally).await;
        }
        if last {
            break;
        }
    }
    progress.finish_and_clear();
    drop(inputs);
    let totals = tally.totals;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} files: {} added, {} replaced, {} unchanged, {} failed; {} commitments extracted ({:.1} MB in {:.2} s)",
        files,
        totals.added,
        totals.replaced,
        totals.unchanged,
        totals.failed,
        totals.commitments,
        totals.bytes as f64 / 1e6,
        seconds
    );
    let mut touched = tally.touched;
    if totals.added + totals.replaced > 0 {
        // What follows the files can take minutes on a large corpus: a
        // line says which phase runs (where the bar of files was shown).
        let phase = ProgressBar::new_spinner();
        phase.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
                .expect("valid template"),
        );
        if total < 20 {
            phase.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        phase.enable_steady_tick(std::time::Duration::from_millis(120));
        let after = after_files(
            store,
            args,
            &phase,
            &mut touched,
            &tally.changed,
            tally.kept,
        )
        .await;
        phase.finish_and_clear();
        after?;
    }
    Ok(if totals.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// What follows the files of an ingest that changed the ledger: initiative
/// names made one across the ledger, the summit series touched matched
/// again, and evidence looked for in the documents added or replaced
/// (taking the passages `kept` of them); `phase` says which runs.
async fn after_files(
    store: &Store,
    args: &Args,
    phase: &ProgressBar,
    touched: &mut BTreeSet<String>,
    changed: &DocumentSet,
    kept: KeptPassages,
) -> anyhow::Result<()> {
    accord_cli::return_free_memory();
    phase.set_message("naming initiatives as the ledger knows them");
    touched.extend(pipeline::canonicalize_ledger(store).await?);
    phase.set_message(format!(
        "matching the {} summit(s) touched with their series",
        touched.len()
    ));
    let m = crate::matching::rematch_summits(store, touched).await?;
    accord_cli::return_free_memory();
    if !args.quiet && m.series > 0 {
        phase.suspend(|| {
            println!(
                "matched: {} same-commitment pairs, {} follow-up links in the {} summit series touched ({:.2} s)",
                m.same, m.follows, m.series, m.seconds
            )
        });
    }
    if args.no_evidence {
        if !args.quiet {
            phase.suspend(|| {
                println!("evidence: not looked for (--no-evidence); `accord evidence discover` looks for it in every document")
            });
        }
        return Ok(());
    }
    // A bar of the documents added or replaced searched for evidence.
    phase.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] evidence {bar:20} {human_pos}/{human_len} documents searched",
        )
        .expect("valid template"),
    );
    phase.set_length(changed.len() as u64);
    phase.set_position(0);
    let started = std::time::Instant::now();
    let found = crate::compliance::discover(store, Some(changed), kept, phase).await?;
    if !args.quiet && found > 0 {
        phase.suspend(|| {
            println!(
                "evidence: {found} new suggestions for earlier commitments ({:.2} s; `accord evidence list`)",
                started.elapsed().as_secs_f64()
            )
        });
    }
    Ok(())
}

/// The next batch of inputs: at most [`pipeline::BATCH_FILES`] files and
/// [`pipeline::BATCH_BYTES`] bytes (as the file system tells sizes before
/// reading), at least one file unless none is left. `waiting` keeps the
/// input that did not fit in the batch before; failures of the walk go to
/// `failed` as they come.
fn next_batch(
    inputs: &mut Inputs,
    waiting: &mut Option<(Input, u64)>,
    mut failed: impl FnMut((String, String)),
) -> Vec<Input> {
    let mut batch = Vec::new();
    let mut bytes = 0;
    while batch.len() < pipeline::BATCH_FILES {
        let (input, size) = match waiting.take() {
            Some(waiting) => waiting,
            None => match inputs.next() {
                None => break,
                Some(Err(failure)) => {
                    failed(failure);
                    continue;
                }
                Some(Ok(input)) => {
                    let size = if input.path.as_os_str() == "-" {
                        0
                    } else {
                        std::fs::metadata(&input.path).map_or(0, |m| m.len())
                    };
                    (input, size)
                }
            },
        };
        if !batch.is_empty() && bytes + size > pipeline::BATCH_BYTES {
            *waiting = Some((input, size));
            break;
        }
        bytes += size;
        batch.push(input);
    }
    batch
}

/// Reads a batch of inputs (on a blocking thread) and looks each up in
/// the ledger: the same content stored already is not processed again.
async fn read_batch(
    store: &Store,
    inputs: &[Input],
    flags: &Overrides,
    options: &Options,
) -> anyhow::Result<Vec<Item>> {
    let paths: Vec<PathBuf> = inputs.iter().map(|i| i.path.clone()).collect();
    let max_bytes = options.max_bytes;
    let read = tokio::task::spawn_blocking(move || {
        let mut folders = Folders::default();
        paths
            .iter()
            .map(|path| {
                let bytes = read_input(path, max_bytes)?;
                let hash = accord_ingest::content_hash(&bytes);
                let shown = if path.as_os_str() == "-" {
                    "-".to_string()
                } else {
                    folders.absolute(path)
                };
                Ok((bytes, hash, shown))
            })
            .collect::<Vec<anyhow::Result<(Vec<u8>, String, String)>>>()
    })
    .await
    .context("reading a batch")?;
    // What the ledger holds of the files read, in one look-up.
    let keys: Vec<(&str, &str)> = read
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|(_, hash, path)| (hash.as_str(), path.as_str()))
        .collect();
    let stored = store.stored_for_files(&keys).await;
    let mut stored = match stored {
        Ok(stored) => stored.into_iter().map(Ok).collect::<Vec<_>>(),
        Err(e) => {
            let e = format!("{:#}", anyhow::Error::from(e));
            keys.iter().map(|_| Err(anyhow::anyhow!("{e}"))).collect()
        }
    }
    .into_iter();
    let mut items = Vec::with_capacity(inputs.len());
    for (input, read) in inputs.iter().zip(read) {
        let mut item = Item {
            display: path_text(&input.path),
            name: file_name(&input.path),
            size: 0,
            step: Step::Unchanged,
        };
        item.step = match read {
            Err(e) => Step::Failed(e),
            Ok((bytes, hash, path)) => {
                item.size = bytes.len() as u64;
                match stored.next().expect("one look-up per file read") {
                    Err(e) => Step::Failed(e),
                    Ok(stored) if stored.same_content => Step::Unchanged,
                    Ok(stored) => Step::Read {
                        bytes,
                        hash,
                        path,
                        overrides: flags.or(&input.overrides),
                        replaced: stored.replaced_summits,
                    },
                }
            }
        };
        items.push(item);
    }
    Ok(items)
}

/// Prepares and extracts every file of a batch that was read, on every
/// core, keeping the batch's order.
fn process_batch(items: Vec<Item>, options: &Options) -> Vec<Item> {
    use rayon::prelude::*;
    items
        .into_par_iter()
        .map(|mut item| {
            if let Step::Read {
                bytes,
                hash,
                path,
                overrides,
                replaced,
            } = item.step
            {
                let processed =
                    pipeline::process(&item.name, &path, &bytes, hash, &overrides, options);
                item.step = match processed {
                    Ok(processed) => Step::Processed {
                        processed,
                        replaced,
                    },
                    Err(e) => Step::Failed(e.into()),
                };
            }
            item
        })
        .collect()
}

/// What an ingest did so far, and how it reports each file.
struct Tally<'a> {
    totals: Totals,
    /// Documents written.
    changed: DocumentSet,
    /// The passages of documents written, for the search of evidence.
    kept: KeptPassages,
    /// Summits whose pairs may change: those of the documents written and
    /// of the documents they replace.
    touched: BTreeSet<String>,
    quiet: bool,
    progress: &'a ProgressBar,
}

/// Stores the processed files of a batch in one transaction, then reports
/// every file of it in order.
async fn store_batch(store: &Store, items: Vec<Item>, tally: &mut Tally<'_>) {
    let mut processed = Vec::new();
    let mut slots = Vec::with_capacity(items.len());
    for item in items {
        match item.step {
            Step::Processed {
                processed: p,
                replaced,
            } => {
                processed.push(p);
                slots.push((item.display, item.name, item.size, Some(replaced), None));
            }
            Step::Unchanged => slots.push((item.display, item.name, item.size, None, None)),
            Step::Failed(e) => slots.push((item.display, item.name, item.size, None, Some(e))),
            Step::Read { .. } => unreachable!("every file read is processed"),
        }
    }
    let written = if processed.is_empty() {
        Ok(Vec::new())
    } else {
        pipeline::store_batch(store, &mut processed).await
    };
    // A batch that could not be committed stored none of its files.
    let (mut written, batch_error) = match written {
        Ok(w) => (w.into_iter(), None),
        Err(e) => (
            Vec::new().into_iter(),
            Some(format!("{:#}", anyhow::Error::from(e))),
        ),
    };
    let mut processed = processed.into_iter();
    for (display, name, size, replaced, failure) in slots {
        tally.progress.inc(1);
        tally.progress.set_message(name.clone());
        let outcome = match (replaced, failure) {
            (_, Some(e)) => Err(e),
            (None, None) => Ok((Written::Unchanged, None, Vec::new())),
            (Some(replaced), None) => {
                let p = processed.next().expect("one processed file per slot");
                match (&batch_error, written.next()) {
                    (Some(e), _) => Err(anyhow::anyhow!("{e}")),
                    (None, Some(Ok(w))) => Ok((w, Some(p), replaced)),
                    (None, Some(Err(e))) => Err(e.into()),
                    (None, None) => unreachable!("one result per processed file"),
                }
            }
        };
        tally.report(&display, &name, size, outcome);
    }
}

impl Tally<'_> {
    /// Counts and reports one file.
    fn report(
        &mut self,
        display: &str,
        name: &str,
        size: u64,
        outcome: anyhow::Result<(Written, Option<Processed>, Vec<String>)>,
    ) {
        let totals = &mut self.totals;
        match outcome {
            Ok((written, processed, replaced)) => {
                totals.bytes += size;
                // Processed but found stored meanwhile (another ingest at
                // once): nothing of it was written here.
                let mut processed = processed.filter(|_| written != Written::Unchanged);
                let n = processed.as_ref().map_or(0, |p| p.commitments.len());
                match written {
                    Written::Added => totals.added += 1,
                    Written::Replaced => totals.replaced += 1,
                    Written::Unchanged => totals.unchanged += 1,
                }
                totals.commitments += n;
                if let Some(p) = &mut processed {
                    self.changed.insert(&p.document.id);
                    // A document without a date is never searched.
                    if p.document.meta.date.is_some() {
                        self.kept
                            .keep(&p.document.id, std::mem::take(&mut p.passages));
                    }
                    self.touched.extend(p.document.meta.summit.clone());
                    self.touched.extend(replaced);
                }
                if !self.quiet {
                    let line = match (&processed, written) {
                        (Some(p), w) => {
                            let m = &p.document.meta;
                            format!(
                                "{:<9} {name}  [{} · {} · {}]  {n} commitments",
                                if w == Written::Replaced {
                                    "replaced"
                                } else {
                                    "added"
                                },
                                m.issuer.as_deref().unwrap_or("issuer?"),
                                m.summit.as_deref().unwrap_or("summit?"),
                                m.date.as_deref().unwrap_or("date?"),
                            )
                        }
                        (None, _) => {
                            format!("{:<9} {name}  (same content already stored)", "unchanged")
                        }
                    };
                    self.progress.suspend(|| println!("{}", printable(&line)));
                }
            }
            Err(e) => {
                totals.failed += 1;
                self.progress
                    .suspend(|| eprintln!("{}", printable(&format!("error: {display}: {e:#}"))));
            }
        }
    }
}

fn absolute(path: &Path) -> String {
    path_text(&std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// The folders of a batch's files, each made absolute once: the files of
/// a batch mostly share a folder, and making a path absolute reads every
/// link along it.
#[derive(Default)]
struct Folders {
    absolute: HashMap<PathBuf, Option<PathBuf>>,
}

impl Folders {
    /// [`absolute`] of `path`: its folder made absolute (once per folder)
    /// joined with its name, unless the file is itself a link.
    fn absolute(&mut self, path: &Path) -> String {
        let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
            return absolute(path);
        };
        let folder = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        let is_link = std::fs::symlink_metadata(path).map_or(true, |m| m.file_type().is_symlink());
        let known = self
            .absolute
            .entry(folder.to_path_buf())
            .or_insert_with(|| std::fs::canonicalize(folder).ok());
        match known {
            Some(folder) if !is_link => path_text(&folder.join(name)),
            _ => absolute(path),
        }
    }
}

/// Runs `accord clean`: prints what ingest keeps of each file.
pub fn clean(paths: &[PathBuf], format: CleanFormat) -> anyhow::Result<ExitCode> {
    let mut failures = Vec::new();
    let options = Options::default();
    let mut files = Vec::new();
    for input in Inputs::new(paths, None) {
        let input = match input {
            Ok(input) => input,
            Err(failure) => {
                failures.push(failure);
                continue;
            }
        };
        let name = file_name(&input.path);
        let result = read_input(&input.path, options.max_bytes).and_then(|bytes| {
            Ok(accord_ingest::prepare(
                &name,
                &bytes,
                &input.overrides,
                &options,
            )?)
        });
        match result {
            Ok(prepared) => files.push((path_text(&input.path), prepared)),
            Err(e) => failures.push((path_text(&input.path), format!("{e:#}"))),
        }
    }
    for (path, cause) in &failures {
        eprintln!("{}", printable(&format!("error: {path}: {cause}")));
    }
    match format {
        CleanFormat::Text => {
            for (path, prepared) in &files {
                println!("==> {} <==", printable(path));
                println!("{}", prepared.cleaned.text.trim_end());
                println!();
            }
        }
        CleanFormat::Json => {
            let files: Vec<serde_json::Value> = files
                .iter()
                .map(|(path, p)| serde_json::json!({"source_file": path, "title": p.meta.title, "text": p.cleaned.text}))
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({ "files": files }))?
            );
        }
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path made absolute through its folder is the path made absolute
    /// whole: through a linked folder, for a linked file, for a file in
    /// the working folder, and for a path that does not exist.
    #[test]
    fn folders_make_paths_absolute_as_a_whole_path_is() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        std::fs::write(real.join("a.md"), "A").unwrap();
        std::fs::write(real.join("b.md"), "B").unwrap();
        std::os::unix::fs::symlink(&real, dir.path().join("linked")).unwrap();
        std::os::unix::fs::symlink(real.join("b.md"), real.join("c.md")).unwrap();
        let paths = [
            real.join("a.md"),
            dir.path().join("linked/a.md"),
            dir.path().join("linked/../real/b.md"),
            real.join("c.md"),
            dir.path().join("linked/c.md"),
            real.join("missing.md"),
            PathBuf::from("Cargo.toml"),
            PathBuf::from("src/../Cargo.toml"),
        ];
        let mut folders = Folders::default();
        for path in &paths {
            assert_eq!(folders.absolute(path), absolute(path), "{}", path.display());
        }
        assert_eq!(
            folders.absolute(&real.join("c.md")),
            std::fs::canonicalize(real.join("b.md"))
                .unwrap()
                .display()
                .to_string()
        );
    }
}
