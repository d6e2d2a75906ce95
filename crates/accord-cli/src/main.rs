//! `accord`: the command-line program. Parses arguments, opens the store,
//! and hands each command to its module. `anyhow` lives here and nowhere
//! else.

mod export;
mod ingest;
mod report;
mod serve;
mod versions;

use accord_cli::{compliance, matching, pipeline};

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Accord: a ledger of summit commitments.
///
/// Ingest the statements governments publish after a summit, and Accord
/// extracts every commitment (who, what, how firm, targets, deadlines),
/// stores them in a database, and exports them as JSON or CSV.
#[derive(Debug, Parser)]
#[command(name = "accord", version, propagate_version = true)]
struct Cli {
    /// The ledger: an SQLite file (created if missing) or a PostgreSQL
    /// server's database, `postgres://user@host:5432/name`.
    #[arg(
        long,
        global = true,
        env = "ACCORD_DB",
        default_value = "accord.db",
        value_name = "PATH|URL"
    )]
    db: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ingest the bundled NALS corpus and print the ledger's summary.
    ///
    /// Then serves the web interface over the ledger and prints its address
    /// (stop it with Ctrl-C), unless `--no-serve` is given.
    Start {
        /// Folder of statements to ingest instead of the bundled corpus.
        #[arg(long, value_name = "DIR")]
        corpus: Option<PathBuf>,
        /// Print the summary and stop, without serving.
        #[arg(long)]
        no_serve: bool,
        /// Address to serve on.
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
        addr: String,
    },
    /// Ingest files and folders (recursively), or `-` for standard input.
    ///
    /// Plain text, Markdown (with or without YAML front matter) and HTML
    /// pages (also .html.gz). Re-ingesting the same content changes
    /// nothing; a changed file replaces its earlier version. An
    /// `accord.yaml` in a folder sets metadata for its files.
    Ingest(ingest::Args),
    /// List commitments, with filters.
    List(report::ListArgs),
    /// Show one commitment (or document) in full.
    Show {
        /// A commitment id (or a document id).
        id: String,
    },
    /// Summary per summit and issuing government.
    Stats,
    /// Recompute which commitments are the same across a summit's versions
    /// and which follow up earlier summits' commitments.
    ///
    /// Ingest does this after every batch that changes the ledger.
    Match,
    /// The versions of one summit side by side: aligned commitments with
    /// word-level differences, and what only one version has.
    Compare {
        /// The summit, e.g. "NALS 2023".
        summit: String,
        /// Two or three document ids, comma-separated (default: one
        /// document per issuer).
        #[arg(long, value_name = "IDS")]
        documents: Option<String>,
    },
    /// Chains of commitments across summits, per theme, initiative or
    /// commitment, with repeats flagged.
    Lineage(versions::LineageArgs),
    /// Print the whole ledger as JSON or CSV.
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Score the ledger against a gold file (precision, recall, F1).
    ///
    /// The gold file has the shape of `accord-gold/1` (see README):
    /// commitments with `id`, `doc` (file name), `quote`, `required`, and
    /// optional `same_commitment` and `follows_up` pairs.
    Eval {
        /// The gold file.
        #[arg(long, value_name = "FILE")]
        gold: PathBuf,
        /// List the required gold commitments that were not found.
        #[arg(long)]
        missed: bool,
        /// List the extracted commitments that match no gold commitment.
        #[arg(long)]
        spurious: bool,
        /// Print the scores as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Serve the web interface and the JSON API (/api/v1/) over the ledger.
    Serve(serve::Args),
    /// Compliance assessments: record, history, spreadsheet export/import.
    #[command(subcommand)]
    Assess(compliance::Assess),
    /// Compliance per member, theme and summit, as a printable report.
    Scorecard(compliance::CardArgs),
    /// Evidence suggestions: passages of later documents that may report
    /// on a commitment.
    #[command(subcommand)]
    Evidence(compliance::EvidenceCmd),
    /// Users of the web interface and API, with roles.
    #[command(subcommand)]
    User(compliance::UserCmd),
    /// API tokens.
    #[command(subcommand)]
    Token(compliance::TokenCmd),
    /// The audit log, newest first.
    Audit {
        /// Only entries whose subject starts with this (a commitment id,
        /// a user name).
        #[arg(long)]
        subject: Option<String>,
        /// At most this many entries.
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Write the whole ledger (documents, commitments, pairs, users,
    /// assessments, suggestions, audit log) as JSON lines.
    Backup {
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Load a backup into an empty ledger (SQLite or PostgreSQL).
    Restore {
        /// The backup file.
        file: PathBuf,
    },
    /// Print the text Accord keeps from each file, as ingest sees it.
    Clean {
        /// Files to clean.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CleanFormat::Text)]
        format: CleanFormat,
    },
}

/// Export formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// The whole ledger, `accord-export/1`.
    Json,
    /// One row per commitment.
    Csv,
}

/// Formats of `accord clean`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum CleanFormat {
    /// The kept text of each file, under a header line.
    Text,
    /// `{"files": [{"source_file", "title", "text"}]}`.
    Json,
}

fn main() -> ExitCode {
    reset_sigpipe();
    accord_cli::bound_heap_growth();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Clean { paths, format } = &cli.command {
        return ingest::clean(paths, *format);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    runtime.block_on(async move {
        let store = open_store(&cli.db).await?;
        let code = match cli.command {
            Command::Start { corpus, no_serve, addr } => {
                let corpus = match corpus {
                    Some(dir) => dir,
                    None => bundled_corpus()?,
                };
                let args = ingest::Args {
                    ledger: accord_store::sqlite_file(&cli.db).map(Path::to_path_buf),
                    ..ingest::Args::for_paths(vec![corpus])
                };
                let code = ingest::run(&store, &args).await?;
                println!();
                report::stats(&store).await?;
                println!("\nLedger: {} (try `accord --db {} list`, `export`, `stats`)", cli.db, cli.db);
                if no_serve || code != ExitCode::SUCCESS {
                    code
                } else {
                    serve::run(&cli.db, &serve::Args::on(addr)).await?
                }
            }
            Command::Ingest(args) => {
                let args = ingest::Args {
                    ledger: accord_store::sqlite_file(&cli.db).map(Path::to_path_buf),
                    ..args
                };
                ingest::run(&store, &args).await?
            }
            Command::List(args) => {
                report::list(&store, &args).await?;
                ExitCode::SUCCESS
            }
            Command::Show { id } => report::show(&store, &id).await?,
            Command::Stats => {
                report::stats(&store).await?;
                ExitCode::SUCCESS
            }
            Command::Match => {
                let m = matching::rematch(&store).await?;
                println!(
                    "matched {} commitments of known summits in {} series: {} same-commitment pairs, {} follow-up links ({:.2} s)",
                    m.items, m.series, m.same, m.follows, m.seconds
                );
                ExitCode::SUCCESS
            }
            Command::Export { format, output } => {
                export::run(&store, format, output.as_deref()).await?;
                ExitCode::SUCCESS
            }
            Command::Eval { gold, missed, spurious, json } => {
                let gold_text = read_gold(&gold)?;
                let export = export::ledger_json(&store).await?;
                let report = accord_eval::score_json(&gold_text, &export).with_context(|| format!("cannot score against {}", gold.display()))?;
                report::eval(&report, missed, spurious, json)?;
                ExitCode::SUCCESS
            }
            Command::Compare { summit, documents } => versions::compare(&store, &summit, documents).await?,
            Command::Lineage(args) => versions::lineage(&store, &args).await?,
            Command::Serve(args) => serve::run(&cli.db, &args).await?,
            Command::Assess(command) => compliance::assess(&store, command).await?,
            Command::Scorecard(args) => compliance::scorecard(&store, &args).await?,
            Command::Evidence(command) => compliance::evidence_cmd(&store, command).await?,
            Command::User(command) => compliance::user(&store, command).await?,
            Command::Token(command) => compliance::token(&store, command).await?,
            Command::Audit { subject, limit } => compliance::audit(&store, subject.as_deref(), limit).await?,
            Command::Backup { output } => compliance::backup(&store, output.as_deref()).await?,
            Command::Restore { file } => compliance::restore(&store, &file).await?,
            Command::Clean { .. } => unreachable!("handled above"),
        };
        store.close().await;
        Ok(code)
    })
}

async fn open_store(location: &str) -> anyhow::Result<accord_store::Store> {
    accord_store::Store::connect(location)
        .await
        .with_context(|| format!("cannot open the ledger {}", redact(location)))
}

/// Largest gold file read: 64 MiB.
const MAX_GOLD_BYTES: u64 = 64 * 1024 * 1024;

/// The text of a gold file, read only to [`MAX_GOLD_BYTES`] (a device or a
/// pipe has no size to check first).
fn read_gold(path: &Path) -> anyhow::Result<String> {
    let cannot = || format!("cannot read gold file {}", path.display());
    let file = std::fs::File::open(path).with_context(cannot)?;
    let bytes = accord_ingest::decode::read_within(file, MAX_GOLD_BYTES, 1 << 16)
        .with_context(cannot)?
        .with_context(|| {
            format!(
                "{}: more than {MAX_GOLD_BYTES} bytes, not a gold file",
                path.display()
            )
        })?;
    String::from_utf8(bytes).with_context(|| format!("{}: not UTF-8 text", path.display()))
}

/// A `--db` location fit to print: a URL's password hidden.
pub(crate) fn redact(location: &str) -> String {
    accord_store::redact(location)
}

/// The bundled corpus: `corpus/nals` beside the current folder, or in the
/// source tree the binary was built from.
fn bundled_corpus() -> anyhow::Result<PathBuf> {
    let candidates = [
        PathBuf::from("corpus/nals"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/nals"),
    ];
    candidates.into_iter().find(|p| p.is_dir()).ok_or_else(|| {
        anyhow::anyhow!("the bundled corpus (corpus/nals) is not here; pass --corpus DIR")
    })
}

/// Output piped into `head` and closed early ends the program quietly, as
/// Unix tools do, instead of a panic about a broken pipe.
fn reset_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default at start-up,
    // before any thread exists, has no preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(test)]
mod tests {
    /// Every command's arguments are consistent (unique names, valid
    /// defaults): clap checks it here instead of at a user's first run.
    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
