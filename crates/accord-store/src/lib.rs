//! The ledger's database. The only crate that speaks SQL.
//!
//! Two backends behind one [`Store`]: an embedded SQLite file (the default)
//! and a PostgreSQL server for teams, chosen by the location given to
//! [`Store::connect`]. Both run the same queries (through sqlx's `Any`
//! driver, with `$N` placeholders) and equivalent migrations
//! (`migrations/sqlite/`, `migrations/postgres/`, same versions). Each
//! document is written with its commitments in one transaction, or in a
//! savepoint of a [`DocumentBatch`]: a failure leaves nothing
//! half-written.
#![deny(missing_docs)]

pub mod assess;
pub mod backup;
mod batch;
pub mod export;
pub mod scratch;
pub mod users;

pub use batch::{DocumentBatch, NewDocument};

use accord_model::{
    Commitment, DocKind, Document, Format, Metadata, Span, Strength, Target, Theme,
};
use futures_util::{Stream, StreamExt as _, TryStreamExt as _};
use serde::Serialize;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, ConnectOptions, Executor, Row};
use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file exists but is not an SQLite database (or is corrupt).
    #[error("{path} is not an Accord database: {message}")]
    NotADatabase {
        /// The database path.
        path: String,
        /// What SQLite said.
        message: String,
    },
    /// The database could not be opened.
    #[error("cannot open database {path}: {message}")]
    Open {
        /// The database path.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The schema could not be brought up to date.
    #[error("cannot update the database schema")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other database error.
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    /// A stored JSON column could not be read.
    #[error("stored data is malformed")]
    Json(#[from] serde_json::Error),
    /// Someone else changed the record since it was read: the change was
    /// not applied.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A value given to the store is not acceptable.
    #[error("{0}")]
    Invalid(String),
    /// A record that was asked for does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// What was read could not be written out (an export).
    #[error("cannot write: {0}")]
    Write(#[from] std::io::Error),
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The ledger's database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    /// Where write transactions run ([`Store::write_tx`]): on SQLite a
    /// pool of one connection of its own, which caches
    /// [`batch::WRITER_CACHE`] (SQLite has one writer at a time, and a
    /// write through another connection would find its pages stale); on
    /// PostgreSQL the same pool.
    writer: AnyPool,
    backend: Backend,
}

/// The SQLite file a ledger location names (a path, or a `sqlite://`
/// URL); `None` for a PostgreSQL URL.
pub fn sqlite_file(location: &str) -> Option<&Path> {
    let path = location
        .strip_prefix("sqlite://")
        .or_else(|| location.strip_prefix("sqlite:"))
        .unwrap_or(location);
    (Backend::of(location) == Backend::Sqlite).then(|| Path::new(path))
}

/// Which database server a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend a `--db` location names: `postgres://` and
    /// `postgresql://` URLs are PostgreSQL, anything else an SQLite file
    /// (a path, or a `sqlite://` URL).
    pub fn of(location: &str) -> Backend {
        if location.starts_with("postgres://") || location.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// `n` placeholders for values bound in order, starting at the `from`th
    /// value of the statement: `$from, $from+1, …` on PostgreSQL; `?, ?, …`
    /// on SQLite, where numbered names cost a look-up each through every
    /// name before them (quadratic in statements of a thousand values).
    fn placeholders(self, from: usize, n: usize) -> String {
        match self {
            Backend::Sqlite => vec!["?"; n].join(", "),
            Backend::Postgres => placeholders(from, n),
        }
    }

    /// `(…), (…)` placeholders of a multi-row `VALUES` of `rows` rows of
    /// `cols` values, the only values of their statement.
    fn values_rows(self, rows: usize, cols: usize) -> String {
        self.values_rows_from(1, rows, cols)
    }

    /// [`Backend::values_rows`] numbered from `$from`, after the
    /// statement's other values.
    fn values_rows_from(self, from: usize, rows: usize, cols: usize) -> String {
        match self {
            // Every row alike: spelled out once.
            Backend::Sqlite => {
                let row = format!("({})", self.placeholders(from, cols));
                vec![row.as_str(); rows].join(", ")
            }
            Backend::Postgres => (0..rows)
                .map(|r| format!("({})", self.placeholders(from + r * cols, cols)))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// The rows of `select` as one row of one column, `page`: a JSON array
    /// holding for each row, in the order of `order`, the array of its
    /// `columns`. A page of many rows comes back from SQLite as one
    /// message rather than a message per row (each of which wakes the
    /// task reading it). For text and integer columns only: SQLite writes
    /// a real in JSON with 15 digits, not always the same number.
    pub(crate) fn json_page(self, columns: &str, order: &str, select: &str) -> String {
        match self {
            Backend::Sqlite => format!(
                "SELECT json_group_array(json_array({columns}) ORDER BY {order}) AS page \
                 FROM ({select}) AS rows"
            ),
            Backend::Postgres => format!(
                "SELECT CAST(COALESCE(json_agg(json_build_array({columns}) ORDER BY {order}), '[]') AS TEXT) AS page \
                 FROM ({select}) AS rows"
            ),
        }
    }

    /// SQL for "the position of `needle` in `haystack`, 0 if absent".
    fn instr(self, haystack: &str, needle: &str) -> String {
        match self {
            Backend::Sqlite => format!("instr({haystack}, {needle})"),
            Backend::Postgres => format!("strpos({haystack}, {needle})"),
        }
    }
}

/// What writing a document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// A new document.
    Added,
    /// The same content was already stored: nothing changed.
    Unchanged,
    /// A document from the same path with other content was replaced.
    Replaced,
}

/// What the ledger holds for a file about to be ingested
/// ([`Store::stored_for`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stored {
    /// The same bytes are stored already.
    pub same_content: bool,
    /// Summits of the documents stored from the same path with other
    /// content: writing the file replaces them.
    pub replaced_summits: Vec<String>,
}

/// A commitment's initiatives, with its document's summit
/// ([`Store::initiative_lists`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitiativeList {
    /// Commitment id.
    pub id: String,
    /// Its document's summit.
    pub summit: Option<String>,
    /// Its initiatives.
    pub initiatives: Vec<String>,
}

/// A document as listed, without its texts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentRow {
    /// Document id.
    pub id: String,
    /// File name it was ingested from.
    pub source_file: String,
    /// Path it was ingested from.
    pub source_path: String,
    /// Hash of its bytes.
    pub content_hash: String,
    /// Input format.
    pub format: String,
    /// Title.
    pub title: Option<String>,
    /// Date, ISO.
    pub date: Option<String>,
    /// Issuing government.
    pub issuer: Option<String>,
    /// Summit.
    pub summit: Option<String>,
    /// Language.
    pub language: Option<String>,
    /// Kind of document.
    pub kind: Option<String>,
    /// Source address.
    pub source_url: Option<String>,
    /// When it was ingested (RFC 3339).
    pub ingested_at: String,
}

/// A commitment of one of the summits matched, with what matching reads
/// of it ([`Store::commitments_of_summits`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummitCommitment {
    /// Commitment id.
    pub id: String,
    /// Its document.
    pub document_id: String,
    /// Its document's summit.
    pub summit: String,
    /// Its text.
    pub text: String,
    /// Its initiatives.
    pub initiatives: Vec<String>,
}

/// A commitment of a dated document of a known summit
/// ([`Store::dated_summit_commitments`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedCommitment {
    /// Commitment id.
    pub id: String,
    /// Its document.
    pub document_id: String,
    /// The document's date.
    pub date: String,
    /// The document's summit.
    pub summit: String,
    /// The commitment's text.
    pub text: String,
    /// Its initiatives.
    pub initiatives: Vec<String>,
}

/// A dated document's id, date and summit ([`Store::document_dates`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentDate {
    /// Document id.
    pub id: String,
    /// Date, ISO.
    pub date: String,
    /// Summit.
    pub summit: Option<String>,
}

/// Filters for [`Store::commitments`]; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Summit, exact (`NALS 2023`).
    pub summit: Option<String>,
    /// Issuer code.
    pub issuer: Option<String>,
    /// Theme.
    pub theme: Option<Theme>,
    /// Strength.
    pub strength: Option<Strength>,
    /// Only commitments with (true) or without (false) a quantified target.
    pub has_target: Option<bool>,
    /// Case-insensitive substring of the text.
    pub text: Option<String>,
    /// Only this document.
    pub document_id: Option<String>,
}

/// A pair of commitments with a score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    /// First commitment (for `follows_up`: the later one).
    pub a: String,
    /// Second commitment (for `follows_up`: the earlier one).
    pub b: String,
    /// Score in [0, 1].
    pub score: f64,
    /// For `follows_up`: continues, expands or repeats.
    pub kind: Option<String>,
}

impl Store {
    /// Opens the ledger at `location`: a `postgres://` URL, or the path of
    /// an SQLite file (created if missing). Brings its schema up to date.
    pub async fn connect(location: &str) -> Result<Store> {
        match sqlite_file(location) {
            None => Store::open_postgres(location).await,
            Some(path) => Store::open(path).await,
        }
    }

    /// Opens the SQLite database at `path`, creating it if missing, and
    /// brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Store> {
        let display = path.display().to_string();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !parent.exists() {
                return Err(Error::Open {
                    path: display,
                    message: format!("folder {} does not exist", parent.display()),
                });
            }
        }
        sqlx::any::install_default_drivers();
        let url = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .to_url_lossy();
        let options = AnyConnectOptions::from_str(url.as_str()).map_err(|e| Error::Open {
            path: display.clone(),
            message: e.to_string(),
        })?;
        // Write-ahead log: readers never wait for the writer; a writer
        // waits up to 30 s for another writer instead of failing. The log
        // is copied into the database every 16,000 pages (64 MB) rather
        // than every 1,000: each copy waits for the disk, and an ingest
        // writes twice its input (the White House corpus: 1.9 -> 1.4 s of
        // writing on one core). Temporary files are kept in memory: a
        // multi-row INSERT that a unique or foreign key may fail keeps a
        // statement journal (the pages it changes, as they were, to undo
        // it alone), and on disk those journals were 191 MB written in
        // 90,000 calls for the White House corpus, as much as the log
        // itself (one core: 4.0 -> 3.9 s without evidence). Each lasts one
        // statement. (The connection that writes caches more pages:
        // `batch::WRITER_CACHE`.) The reading connections keep SQLite's
        // temporary files on disk: a sort without an index that outgrows
        // their cache (a listing of every suggestion, best first: millions
        // of rows in a large ledger) spills to a file instead of holding
        // every row in memory.
        macro_rules! pragmas {
            ($temp_store:literal) => {
                concat!(
                    "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; ",
                    "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; ",
                    "PRAGMA wal_autocheckpoint = 16000; PRAGMA temp_store = ",
                    $temp_store,
                    ";"
                )
            };
        }
        const PRAGMAS: &str = pragmas!("MEMORY");
        const READ_PRAGMAS: &str = pragmas!("FILE");
        // One connection first, so that a file that is not a database is
        // told at once (a pool would retry until its timeout). Turning a
        // new file's log into a write-ahead log takes a lock that SQLite
        // does not wait for: when another process holds the new file, its
        // "database is locked" is waited out here.
        let mut attempt = 0;
        loop {
            match set_up_sqlite(&options, PRAGMAS).await {
                Ok(()) => break,
                Err(e) if attempt < OPEN_ATTEMPTS && is_busy(&e) => {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(20 * attempt)).await;
                }
                Err(e) => return Err(classify_open_error(&display, e)),
            }
        }
        let pool = sqlite_pool(options.clone(), 4, READ_PRAGMAS, None)
            .await
            .map_err(|e| classify_open_error(&display, e))?;
        // Two processes opening a new file at once may both try to apply a
        // migration (SQLite has no migration lock); the one that loses (its
        // CREATE finds what the other created, its DROP finds it gone) sees
        // it applied when it reads the list again.
        let mut attempt = 0;
        loop {
            match sqlx::migrate!("./migrations/sqlite").run(&pool).await {
                Ok(()) => break,
                Err(e) if attempt < 5 && applied_by_another(&e.to_string()) => {
                    attempt += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(50 * attempt)).await;
                }
                Err(sqlx::migrate::MigrateError::Execute(inner)) => {
                    return Err(classify_open_error(&display, inner))
                }
                Err(other) => return Err(Error::Migrate(other)),
            }
        }
        // The writer's connection keeps its pages from one transaction to
        // the next: when writes went through any of the pool's
        // connections, each found its cache stale after the others had
        // written and read the pages again from the log.
        let writer = sqlite_pool(options, 1, PRAGMAS, Some(batch::WRITER_CACHE))
            .await
            .map_err(|e| classify_open_error(&display, e))?;
        Ok(Store {
            pool,
            writer,
            backend: Backend::Sqlite,
        })
    }

    /// Connects to the PostgreSQL database at `url` and brings its schema
    /// up to date.
    async fn open_postgres(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let display = redact(url);
        let options = AnyConnectOptions::from_str(url).map_err(|e| Error::Open {
            path: display.clone(),
            message: e.to_string(),
        })?;
        let connect = || {
            AnyPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(std::time::Duration::from_secs(10))
                .connect_with(options.clone())
        };
        let pool = match connect().await {
            // A database the server does not have yet is made, as an
            // SQLite file would be.
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("3D000") => {
                create_postgres_database(url)
                    .await
                    .map_err(|e| Error::Open {
                        path: display.clone(),
                        message: e.to_string(),
                    })?;
                connect().await
            }
            other => other,
        }
        .map_err(|e| Error::Open {
            path: display.clone(),
            message: e.to_string(),
        })?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Store {
            writer: pool.clone(),
            pool,
            backend: Backend::Postgres,
        })
    }

    /// The backend this store talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Begins a write transaction. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`), so a transaction that reads before it
    /// writes waits for other writers (busy timeout) instead of failing
    /// with "database is locked" when it comes to write.
    pub(crate) async fn write_tx(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.writer.begin().await?,
        })
    }

    /// Closes the pools, flushing the write-ahead log.
    pub async fn close(self) {
        self.writer.close().await;
        self.pool.close().await;
    }

    /// The stored document with this content hash, if any.
    pub async fn document_by_hash(&self, content_hash: &str) -> Result<Option<DocumentRow>> {
        let row = sqlx::query(trusted(format!(
            "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE content_hash = $1"
        )))
        .bind(content_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| document_row(&r)).transpose()
    }

    /// What the ledger holds for a file about to be ingested: whether the
    /// same bytes are stored, and the summits of the documents stored from
    /// the same path (which the file would replace). One round trip.
    pub async fn stored_for(&self, content_hash: &str, source_path: &str) -> Result<Stored> {
        let rows = sqlx::query(
            "SELECT content_hash, summit FROM documents \
             WHERE content_hash = $1 OR (source_path = $2 AND source_path <> '-')",
        )
        .bind(content_hash)
        .bind(source_path)
        .fetch_all(&self.pool)
        .await?;
        let mut stored = Stored::default();
        for row in rows {
            let hash: String = row.try_get("content_hash")?;
            if hash == content_hash {
                stored.same_content = true;
            } else if let Some(summit) = row.try_get::<Option<String>, _>("summit")? {
                stored.replaced_summits.push(summit);
            }
        }
        Ok(stored)
    }

    /// [`Store::stored_for`] of many files (`(content hash, source path)`)
    /// in one round trip per few hundred files, in the order given.
    pub async fn stored_for_files(&self, files: &[(&str, &str)]) -> Result<Vec<Stored>> {
        let mut out = Vec::with_capacity(files.len());
        for chunk in statement_chunks(files, 200) {
            let sql = format!(
                "SELECT content_hash, source_path, summit FROM documents \
                 WHERE content_hash IN ({}) OR (source_path IN ({}) AND source_path <> '-')",
                self.backend.placeholders(1, chunk.len()),
                self.backend.placeholders(1 + chunk.len(), chunk.len()),
            );
            let mut query = sqlx::query(trusted(sql));
            for (hash, _) in chunk {
                query = query.bind(*hash);
            }
            for (_, path) in chunk {
                query = query.bind(*path);
            }
            let mut rows: Vec<(String, String, Option<String>)> = Vec::new();
            for row in query.fetch_all(&self.pool).await? {
                rows.push((
                    row.try_get("content_hash")?,
                    row.try_get("source_path")?,
                    row.try_get("summit")?,
                ));
            }
            for (hash, path) in chunk {
                let mut stored = Stored::default();
                for (row_hash, row_path, summit) in &rows {
                    if row_hash == hash {
                        stored.same_content = true;
                    } else if row_path == path && *path != "-" {
                        stored.replaced_summits.extend(summit.clone());
                    }
                }
                out.push(stored);
            }
        }
        Ok(out)
    }

    /// The initiatives of the commitments that have some, with their
    /// document's summit, in id order: at most `limit` of them, from the
    /// first commitment after `after` (`""`: from the start). What
    /// initiative renaming reads, a page at a time.
    pub async fn initiative_lists(&self, after: &str, limit: usize) -> Result<Vec<InitiativeList>> {
        let sql = self.backend.json_page(
            "id, summit, initiatives",
            "id",
            "SELECT c.id, d.summit, c.initiatives FROM commitments c \
             JOIN documents d ON d.id = c.document_id \
             WHERE c.initiatives <> '[]' AND c.id > $1 ORDER BY c.id LIMIT $2",
        );
        let rows: Vec<(String, Option<String>, String)> =
            self.page_after(sql, after, limit).await?;
        rows.into_iter()
            .map(|(id, summit, initiatives)| {
                Ok(InitiativeList {
                    id,
                    summit,
                    initiatives: serde_json::from_str(&initiatives)?,
                })
            })
            .collect()
    }

    /// The rows of a [`Backend::json_page`] statement of the rows after id
    /// `after`, at most `limit` of them (its values `$1` and `$2`).
    async fn page_after<T: serde::de::DeserializeOwned>(
        &self,
        sql: String,
        after: &str,
        limit: usize,
    ) -> Result<Vec<T>> {
        let row = sqlx::query(trusted(sql))
            .bind(after)
            .bind(limit as i64)
            .fetch_one(&self.pool)
            .await?;
        page_rows(&row)
    }

    /// The ledger's names for initiative keys (see
    /// `accord_extract::attributes::initiative_keys`).
    pub async fn initiative_names(&self, keys: &[String]) -> Result<HashMap<String, String>> {
        let mut conn = self.pool.acquire().await?;
        batch::initiative_names(&mut conn, self.backend, keys).await
    }

    /// Replaces the initiatives of the given commitments, in one
    /// transaction.
    pub async fn set_initiatives(&self, updates: &[(String, Vec<String>)]) -> Result<()> {
        let mut tx = self.write_tx().await?;
        for (id, initiatives) in updates {
            sqlx::query("UPDATE commitments SET initiatives = $1 WHERE id = $2")
                .bind(serde_json::to_string(initiatives)?)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes a document and its commitments in one transaction, with the
    /// initiative names it introduces (`(key, name)`; keys already known
    /// keep their name, unless a name with an acronym comes for a key known
    /// by a plain name). The same
    /// content already stored changes nothing; a document from the same
    /// path with other content is replaced (its commitments and pairs go
    /// with it). [`Store::document_batch`] writes many in one transaction.
    pub async fn write_document(
        &self,
        document: &Document,
        commitments: &[Commitment],
        initiative_names: &[(String, String)],
    ) -> Result<Written> {
        let mut batch = self.document_batch().await?;
        let written = batch
            .write_document(document, commitments, initiative_names)
            .await?;
        batch.commit().await?;
        Ok(written)
    }

    /// Begins a transaction that writes many documents
    /// ([`DocumentBatch::write_document`]), each in a savepoint of its own,
    /// so that a document that fails leaves nothing behind and the others
    /// are still written at [`DocumentBatch::commit`]. One commit for many
    /// documents writes each changed page once rather than once per
    /// document.
    pub async fn document_batch(&self) -> Result<DocumentBatch> {
        DocumentBatch::begin(self, true).await
    }

    /// Begins a transaction that writes many documents without a savepoint
    /// each (two statements fewer per document): a document that fails, or
    /// is found stored already, spoils the whole batch
    /// ([`DocumentBatch::spoiled`]), which then writes nothing and is to be
    /// written again with [`Store::document_batch`].
    pub async fn document_batch_all_or_nothing(&self) -> Result<DocumentBatch> {
        DocumentBatch::begin(self, false).await
    }

    /// All documents, ordered by summit, issuer, date, file and id.
    pub async fn documents(&self) -> Result<Vec<DocumentRow>> {
        self.document_stream().try_collect().await
    }

    /// All documents in the order of [`Store::documents`], read one at a
    /// time.
    pub fn document_stream(&self) -> impl Stream<Item = Result<DocumentRow>> + Send + '_ {
        row_stream(
            &self.pool,
            format!("SELECT {DOCUMENT_COLUMNS} FROM documents ORDER BY summit NULLS FIRST, issuer NULLS FIRST, date NULLS FIRST, source_file, id"),
            Vec::new(),
            document_row,
        )
    }

    /// All documents in the order [`Store::commitments`] lists their
    /// commitments (summit, issuer, file, id), read along the index of
    /// that order, each with its commitments: the ledger's commitments in
    /// that order, holding those of [`DOCUMENTS_AT_ONCE`] documents at a
    /// time (read in one statement).
    pub fn commitments_by_document(
        &self,
    ) -> impl Stream<Item = Result<(DocumentRow, Vec<Commitment>)>> + Send + '_ {
        row_stream(
            &self.pool,
            format!("SELECT {DOCUMENT_COLUMNS} FROM documents ORDER BY summit NULLS FIRST, issuer NULLS FIRST, source_file, id"),
            Vec::new(),
            document_row,
        )
        .try_chunks(DOCUMENTS_AT_ONCE)
        .map_err(|e| e.1)
        .and_then(move |documents| self.with_commitments(documents))
        .map_ok(|run| futures_util::stream::iter(run.into_iter().map(Ok)))
        .try_flatten()
    }

    /// `documents`, in their order, each with its commitments in order.
    async fn with_commitments(
        &self,
        documents: Vec<DocumentRow>,
    ) -> Result<Vec<(DocumentRow, Vec<Commitment>)>> {
        let sql = format!(
            "SELECT {COMMITMENT_COLUMNS} FROM commitments c WHERE c.document_id IN ({}) ORDER BY c.document_id, c.ordinal",
            self.backend.placeholders(1, documents.len())
        );
        let mut query = sqlx::query(trusted(sql)).persistent(false);
        for d in &documents {
            query = query.bind(&d.id);
        }
        let mut of: HashMap<String, Vec<Commitment>> = HashMap::new();
        for row in query.fetch_all(&self.pool).await? {
            let c = commitment_row(&row)?;
            of.entry(c.document_id.clone()).or_default().push(c);
        }
        Ok(documents
            .into_iter()
            .map(|d| {
                let commitments = of.remove(&d.id).unwrap_or_default();
                (d, commitments)
            })
            .collect())
    }

    /// One document with its texts.
    pub async fn document(&self, id: &str) -> Result<Option<Document>> {
        let row = sqlx::query(trusted(format!(
            "SELECT {DOCUMENT_COLUMNS}, original, text FROM documents WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let d = document_row(&row)?;
        Ok(Some(Document {
            id: d.id,
            source_file: d.source_file,
            source_path: d.source_path,
            content_hash: d.content_hash,
            format: Format::parse(&d.format).unwrap_or(Format::Text),
            meta: Metadata {
                title: d.title,
                date: d.date,
                issuer: d.issuer,
                summit: d.summit,
                language: d.language,
                kind: d.kind.as_deref().and_then(DocKind::parse),
                source_url: d.source_url,
            },
            original: row.try_get("original")?,
            text: row.try_get("text")?,
        }))
    }

    /// Commitments matching `filter`, in document and ordinal order.
    pub async fn commitments(&self, filter: &Filter) -> Result<Vec<Commitment>> {
        let mut sql = format!("SELECT {COMMITMENT_COLUMNS} FROM commitments c JOIN documents d ON d.id = c.document_id WHERE 1 = 1");
        let mut binds: Vec<String> = Vec::new();
        let mut add = |clause: &str, value: String, binds: &mut Vec<String>| {
            binds.push(value);
            sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
        };
        if let Some(v) = &filter.summit {
            add(" AND lower(d.summit) = lower(?)", v.clone(), &mut binds);
        }
        if let Some(v) = &filter.issuer {
            add(" AND upper(d.issuer) = upper(?)", v.clone(), &mut binds);
        }
        if let Some(v) = filter.theme {
            add(" AND c.theme = ?", v.as_str().to_string(), &mut binds);
        }
        if let Some(v) = filter.strength {
            add(" AND c.strength = ?", v.as_str().to_string(), &mut binds);
        }
        if let Some(v) = &filter.text {
            let clause = format!(
                " AND {} > 0",
                self.backend.instr("lower(c.text)", "lower(?)")
            );
            add(&clause, v.clone(), &mut binds);
        }
        if let Some(v) = &filter.document_id {
            add(" AND c.document_id = ?", v.clone(), &mut binds);
        }
        match filter.has_target {
            Some(true) => sql.push_str(" AND c.n_targets > 0"),
            Some(false) => sql.push_str(" AND c.n_targets = 0"),
            None => {}
        }
        sql.push_str(
            " ORDER BY d.summit NULLS FIRST, d.issuer NULLS FIRST, d.source_file, d.id, c.ordinal",
        );
        let mut query = sqlx::query(trusted(sql)).persistent(false);
        for b in &binds {
            query = query.bind(b);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(commitment_row).collect()
    }

    /// The commitments of the documents of these summits, each with its
    /// document's summit, in the order of [`Store::commitments`]: what
    /// matching reads of them, as one page.
    pub async fn commitments_of_summits(
        &self,
        summits: &[String],
    ) -> Result<Vec<SummitCommitment>> {
        if summits.is_empty() {
            return Ok(Vec::new());
        }
        let sql = self.backend.json_page(
            "id, document_id, summit, text, initiatives",
            "summit NULLS FIRST, issuer NULLS FIRST, source_file, ordinal",
            &format!(
                "SELECT c.id, c.document_id, d.summit, c.text, c.initiatives, \
                 d.issuer, d.source_file, c.ordinal \
                 FROM commitments c JOIN documents d ON d.id = c.document_id \
                 WHERE d.summit IN ({})",
                self.backend.placeholders(1, summits.len())
            ),
        );
        let mut query = sqlx::query(trusted(sql)).persistent(false);
        for summit in summits {
            query = query.bind(summit);
        }
        let rows: Vec<(String, String, String, String, String)> =
            page_rows(&query.fetch_one(&self.pool).await?)?;
        rows.into_iter()
            .map(|(id, document_id, summit, text, initiatives)| {
                Ok(SummitCommitment {
                    id,
                    document_id,
                    summit,
                    text,
                    initiatives: serde_json::from_str(&initiatives)?,
                })
            })
            .collect()
    }

    /// The cleaned texts of these documents, `(id, text)`, in the order
    /// given (ids not stored are left out).
    pub async fn document_texts(&self, ids: &[&str]) -> Result<Vec<(String, String)>> {
        let mut by_id: HashMap<String, String> = HashMap::new();
        for chunk in ids.chunks(200) {
            let sql = format!(
                "SELECT id, text FROM documents WHERE id IN ({})",
                self.backend.placeholders(1, chunk.len())
            );
            let mut query = sqlx::query(trusted(sql)).persistent(false);
            for id in chunk {
                query = query.bind(*id);
            }
            for row in query.fetch_all(&self.pool).await? {
                by_id.insert(row.try_get("id")?, row.try_get("text")?);
            }
        }
        Ok(ids
            .iter()
            .filter_map(|id| Some((id.to_string(), by_id.remove(*id)?)))
            .collect())
    }

    /// The commitments of documents that have both a date and a summit,
    /// with that date and summit, in id order: the commitments evidence is
    /// sought for (only what discovery reads of them). At most `limit` of
    /// them, from the first after `after` (`""`: from the start).
    pub async fn dated_summit_commitments(
        &self,
        after: &str,
        limit: usize,
    ) -> Result<Vec<DatedCommitment>> {
        let sql = self.backend.json_page(
            "id, document_id, date, summit, text, initiatives",
            "id",
            "SELECT c.id, c.document_id, d.date, d.summit, c.text, c.initiatives \
             FROM commitments c JOIN documents d ON d.id = c.document_id \
             WHERE d.date IS NOT NULL AND d.summit IS NOT NULL AND c.id > $1 \
             ORDER BY c.id LIMIT $2",
        );
        let rows: Vec<(String, String, String, String, String, String)> =
            self.page_after(sql, after, limit).await?;
        rows.into_iter()
            .map(|(id, document_id, date, summit, text, initiatives)| {
                Ok(DatedCommitment {
                    id,
                    document_id,
                    date,
                    summit,
                    text,
                    initiatives: serde_json::from_str(&initiatives)?,
                })
            })
            .collect()
    }

    /// The documents dated after `since`: id, date and summit, in date and
    /// id order, at most `limit` of them, those after `after` (the last of
    /// the page before) when given: a page at a time, so that memory does
    /// not grow with the ledger.
    pub async fn document_dates(
        &self,
        since: &str,
        after: Option<&DocumentDate>,
        limit: usize,
    ) -> Result<Vec<DocumentDate>> {
        let (date, id) = after.map_or((since, ""), |d| (d.date.as_str(), d.id.as_str()));
        let sql = self.backend.json_page(
            "id, date, summit",
            "date, id",
            "SELECT id, date, summit FROM documents \
             WHERE date > $1 AND (date > $2 OR (date = $2 AND id > $3)) \
             ORDER BY date, id LIMIT $4",
        );
        let row = sqlx::query(trusted(sql))
            .bind(since)
            .bind(date)
            .bind(id)
            .bind(limit as i64)
            .fetch_one(&self.pool)
            .await?;
        let rows: Vec<(String, String, Option<String>)> = page_rows(&row)?;
        Ok(rows
            .into_iter()
            .map(|(id, date, summit)| DocumentDate { id, date, summit })
            .collect())
    }

    /// The summits of the ledger's documents, each once, in order.
    pub async fn summits(&self) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT DISTINCT summit FROM documents WHERE summit IS NOT NULL ORDER BY summit",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("summit")?)).collect()
    }

    /// One commitment by id.
    pub async fn commitment(&self, id: &str) -> Result<Option<Commitment>> {
        let row = sqlx::query(trusted(format!(
            "SELECT {COMMITMENT_COLUMNS} FROM commitments c WHERE c.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| commitment_row(&r)).transpose()
    }

    /// All `same_commitment` pairs.
    pub async fn same_commitment(&self) -> Result<Vec<Pair>> {
        self.same_commitment_stream().try_collect().await
    }

    /// All `same_commitment` pairs in the order of
    /// [`Store::same_commitment`] (its key's), read one at a time.
    pub fn same_commitment_stream(&self) -> impl Stream<Item = Result<Pair>> + Send + '_ {
        row_stream(
            &self.pool,
            "SELECT a, b, score FROM same_commitment ORDER BY a, b".into(),
            Vec::new(),
            same_row,
        )
    }

    /// All `follows_up` pairs (`a` is the later commitment).
    pub async fn follows_up(&self) -> Result<Vec<Pair>> {
        self.follows_up_stream().try_collect().await
    }

    /// All `follows_up` pairs in the order of [`Store::follows_up`] (its
    /// key's), read one at a time.
    pub fn follows_up_stream(&self) -> impl Stream<Item = Result<Pair>> + Send + '_ {
        row_stream(
            &self.pool,
            "SELECT later, earlier, score, kind FROM follows_up ORDER BY later, earlier".into(),
            Vec::new(),
            follow_row,
        )
    }

    /// The pairs that involve commitment `id`: the same commitment in other
    /// versions, and follow-up links in both directions (`a` is always the
    /// later commitment).
    pub async fn pairs_of(&self, id: &str) -> Result<(Vec<Pair>, Vec<Pair>)> {
        let same = sqlx::query(
            "SELECT a, b, score FROM same_commitment WHERE a = $1 OR b = $1 ORDER BY score DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let same = same.iter().map(same_row).collect::<Result<_>>()?;
        let follows = sqlx::query("SELECT later, earlier, score, kind FROM follows_up WHERE later = $1 OR earlier = $1 ORDER BY score DESC")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let follows = follows.iter().map(follow_row).collect::<Result<_>>()?;
        Ok((same, follows))
    }

    /// Replaces every `same_commitment` and `follows_up` pair, in one
    /// transaction.
    pub async fn replace_pairs(&self, same: &[Pair], follows: &[Pair]) -> Result<()> {
        self.write_pairs(same, follows, None).await.map(|_| ())
    }

    /// [`Store::replace_pairs`], only if the ledger is still at the
    /// [`Store::fingerprint`] `read_at` the pairs were computed from;
    /// returns whether it wrote. A writer that read an older ledger never
    /// overwrites pairs computed from a newer one.
    pub async fn replace_pairs_if(
        &self,
        same: &[Pair],
        follows: &[Pair],
        read_at: &str,
    ) -> Result<bool> {
        self.write_pairs(same, follows, Some(read_at)).await
    }

    /// Replaces the pairs among the commitments of these summits (the
    /// pairs of which either side belongs to one of them), only if the
    /// ledger is still at the [`Store::fingerprint`] `read_at` they were
    /// computed from. Returns the ledger's new fingerprint, or `None` when
    /// the ledger had changed and nothing was written.
    pub async fn replace_pairs_of_summits_if(
        &self,
        summits: &[String],
        same: &[Pair],
        follows: &[Pair],
        read_at: &str,
    ) -> Result<Option<String>> {
        let mut tx = self.write_tx().await?;
        let version: i64 = sqlx::query_scalar("SELECT version FROM ledger_version WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        if version.to_string() != read_at {
            tx.rollback().await?;
            return Ok(None);
        }
        if !summits.is_empty() {
            let members = format!(
                "SELECT c.id FROM commitments c JOIN documents d ON d.id = c.document_id WHERE d.summit IN ({})",
                placeholders(1, summits.len())
            );
            for sql in [
                format!("DELETE FROM same_commitment WHERE a IN ({members}) OR b IN ({members})"),
                format!(
                    "DELETE FROM follows_up WHERE later IN ({members}) OR earlier IN ({members})"
                ),
            ] {
                let mut delete = sqlx::query(trusted(sql)).persistent(false);
                for summit in summits {
                    delete = delete.bind(summit);
                }
                delete.execute(&mut *tx).await?;
            }
        }
        insert_pairs(&mut tx, self.backend, same, follows).await?;
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(Some((version + 1).to_string()))
    }

    async fn write_pairs(
        &self,
        same: &[Pair],
        follows: &[Pair],
        read_at: Option<&str>,
    ) -> Result<bool> {
        let mut tx = self.write_tx().await?;
        if let Some(read_at) = read_at {
            let version: i64 =
                sqlx::query_scalar("SELECT version FROM ledger_version WHERE id = 1")
                    .fetch_one(&mut *tx)
                    .await?;
            if version.to_string() != read_at {
                tx.rollback().await?;
                return Ok(false);
            }
        }
        sqlx::query("DELETE FROM same_commitment")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM follows_up")
            .execute(&mut *tx)
            .await?;
        insert_pairs(&mut tx, self.backend, same, follows).await?;
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A fingerprint of the ledger's content: it changes whenever a
    /// document, a commitment, an initiative name or a pair is written or
    /// removed. Readers that keep derived data (such as a search index)
    /// compare it to know when to rebuild.
    pub async fn fingerprint(&self) -> Result<String> {
        let version: i64 = sqlx::query_scalar("SELECT version FROM ledger_version WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(version.to_string())
    }
}

const DOCUMENT_COLUMNS: &str = "id, source_file, source_path, content_hash, format, title, date, issuer, summit, language, kind, source_url, ingested_at";
const COMMITMENT_COLUMNS: &str =
    "c.id, c.document_id, c.ordinal, c.text, c.span_start, c.span_end, c.section, c.actors, c.strength, c.theme, c.targets, c.deadline, c.initiatives, c.confidence";

/// Inserts pairs inside a write transaction, many rows per statement.
async fn insert_pairs(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: Backend,
    same: &[Pair],
    follows: &[Pair],
) -> Result<()> {
    for chunk in statement_chunks(same, 200) {
        let sql = format!(
            "INSERT INTO same_commitment (a, b, score) VALUES {}",
            backend.values_rows(chunk.len(), 3)
        );
        let mut insert = sqlx::query(trusted(sql));
        for p in chunk {
            insert = insert.bind(&p.a).bind(&p.b).bind(p.score);
        }
        insert.execute(&mut **tx).await?;
    }
    for chunk in statement_chunks(follows, 200) {
        let sql = format!(
            "INSERT INTO follows_up (later, earlier, score, kind) VALUES {}",
            backend.values_rows(chunk.len(), 4)
        );
        let mut insert = sqlx::query(trusted(sql));
        for p in chunk {
            insert = insert.bind(&p.a).bind(&p.b).bind(p.score).bind(&p.kind);
        }
        insert.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Bumps the ledger's version inside a write transaction.
async fn bump_version(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<()> {
    sqlx::query("UPDATE ledger_version SET version = version + 1 WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Creates the database a PostgreSQL URL names, connecting to the server's
/// `postgres` database to do it.
async fn create_postgres_database(url: &str) -> Result<()> {
    let name = scratch::database_of(url);
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(Error::Invalid(format!(
            "database {name:?} does not exist; create it (Accord only creates names of letters, digits and '_')"
        )));
    }
    let admin = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&scratch::with_database(url, "postgres"))
        .await?;
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await?;
    admin.close().await;
    Ok(())
}

/// Appends an entry to the audit log inside a write transaction.
async fn audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &str,
    action: &str,
    subject: &str,
    detail: serde_json::Value,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now_rfc3339())
    .bind(actor)
    .bind(action)
    .bind(subject)
    .bind(detail.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Whether a migration failed because another process applied it first
/// (on a new SQLite file two processes may both apply one).
fn applied_by_another(message: &str) -> bool {
    message.contains("already exists") || message.contains("no such index")
}

/// Documents whose commitments [`Store::commitments_by_document`] reads in
/// one statement.
pub const DOCUMENTS_AT_ONCE: usize = 200;

/// Marks SQL built in this crate from constant fragments and numbered
/// placeholders only: no user text is ever spliced into it.
///
/// Statements whose text varies with the number of rows or values are run
/// with `.persistent(false)`: each connection would otherwise keep every
/// variant prepared (up to a hundred, some with a thousand parameters),
/// and memory would grow through a long ingest. Those over the runs of
/// [`statement_chunks`] are the exception: they have a few lengths only
/// (ten at most, for runs of up to 500), and are kept, so that the
/// statements an ingest repeats are parsed once.
fn trusted(sql: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql)
}

/// The rows of `sql` (with `binds` for `$1`, `$2`, …), read one at a time
/// as they come from the database, each as a `T`: a listing of any length
/// in constant memory, when the order it asks for is an index's.
pub(crate) fn row_stream<'a, T: Send + 'a>(
    pool: &'a AnyPool,
    sql: String,
    binds: Vec<String>,
    read: fn(&AnyRow) -> Result<T>,
) -> impl Stream<Item = Result<T>> + Send + 'a {
    let mut query = sqlx::query(trusted(sql)).persistent(false);
    for value in binds {
        query = query.bind(value);
    }
    query.fetch(pool).map(move |row| read(&row?))
}

/// The rows of the one row a [`Backend::json_page`] statement returns,
/// each read as a `T` (a tuple of its columns, in order).
pub(crate) fn page_rows<T: serde::de::DeserializeOwned>(row: &AnyRow) -> Result<Vec<T>> {
    Ok(serde_json::from_str(&row.try_get::<String, _>("page")?)?)
}

/// `items` in runs of `max`, then what is left in runs whose lengths are
/// powers of two, largest first (27 as 16, 8, 2 and 1): a multi-row
/// statement over a run then has one of a few lengths, so it is prepared
/// once and kept (`persistent`), where a run of any length would give a
/// new statement to parse and plan for almost every batch.
pub(crate) fn statement_chunks<T>(items: &[T], max: usize) -> impl Iterator<Item = &[T]> {
    let mut rest = items;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let n = if rest.len() >= max {
            max
        } else {
            1 << rest.len().ilog2()
        };
        let (run, after) = rest.split_at(n);
        rest = after;
        Some(run)
    })
}

/// `$from, $from+1, …` for `n` values.
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A database URL with its password hidden, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

fn same_row(r: &AnyRow) -> Result<Pair> {
    Ok(Pair {
        a: r.try_get("a")?,
        b: r.try_get("b")?,
        score: r.try_get("score")?,
        kind: None,
    })
}

fn follow_row(r: &AnyRow) -> Result<Pair> {
    Ok(Pair {
        a: r.try_get("later")?,
        b: r.try_get("earlier")?,
        score: r.try_get("score")?,
        kind: r.try_get("kind")?,
    })
}

fn document_row(r: &AnyRow) -> Result<DocumentRow> {
    Ok(DocumentRow {
        id: r.try_get("id")?,
        source_file: r.try_get("source_file")?,
        source_path: r.try_get("source_path")?,
        content_hash: r.try_get("content_hash")?,
        format: r.try_get("format")?,
        title: r.try_get("title")?,
        date: r.try_get("date")?,
        issuer: r.try_get("issuer")?,
        summit: r.try_get("summit")?,
        language: r.try_get("language")?,
        kind: r.try_get("kind")?,
        source_url: r.try_get("source_url")?,
        ingested_at: r.try_get("ingested_at")?,
    })
}

fn commitment_row(r: &AnyRow) -> Result<Commitment> {
    let actors: String = r.try_get("actors")?;
    let targets: String = r.try_get("targets")?;
    let initiatives: String = r.try_get("initiatives")?;
    let strength: String = r.try_get("strength")?;
    let theme: String = r.try_get("theme")?;
    Ok(Commitment {
        id: r.try_get("id")?,
        document_id: r.try_get("document_id")?,
        ordinal: r.try_get::<i64, _>("ordinal")? as u32,
        text: r.try_get("text")?,
        span: Span::new(
            r.try_get::<i64, _>("span_start")? as usize,
            r.try_get::<i64, _>("span_end")? as usize,
        ),
        section: r.try_get("section")?,
        actors: serde_json::from_str(&actors)?,
        strength: Strength::parse(&strength).unwrap_or(Strength::Firm),
        theme: Theme::parse(&theme).unwrap_or(Theme::Other),
        targets: serde_json::from_str::<Vec<Target>>(&targets)?,
        deadline: r.try_get("deadline")?,
        initiatives: serde_json::from_str(&initiatives)?,
        confidence: r.try_get("confidence")?,
    })
}

/// Times an SQLite file found locked while it is set up is tried again
/// (about 20 s in all).
const OPEN_ATTEMPTS: u64 = 45;

/// A pool of at most `connections` connections to an SQLite file, each set
/// up with `pragmas` when opened and, when given, caching `cache_kib` of
/// pages (`PRAGMA cache_size`, negative: in KiB).
async fn sqlite_pool(
    options: AnyConnectOptions,
    connections: u32,
    pragmas: &'static str,
    cache_kib: Option<i32>,
) -> sqlx::Result<AnyPool> {
    AnyPoolOptions::new()
        .max_connections(connections)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                conn.execute(pragmas).await?;
                if let Some(kib) = cache_kib {
                    conn.execute(trusted(format!("PRAGMA cache_size = {kib}")))
                        .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
}

/// Opens one connection to an SQLite file and sets its pragmas (the
/// write-ahead log is kept in the file).
async fn set_up_sqlite(options: &AnyConnectOptions, pragmas: &'static str) -> sqlx::Result<()> {
    let mut connection = <sqlx::AnyConnection as sqlx::Connection>::connect_with(options).await?;
    connection.execute(pragmas).await?;
    sqlx::Connection::close(connection).await
}

/// True for SQLite's "database is locked" (SQLITE_BUSY and its extended
/// codes).
fn is_busy(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .and_then(|code| code.parse::<i32>().ok())
        .is_some_and(|code| code & 0xff == 5)
}

fn classify_open_error(path: &str, e: sqlx::Error) -> Error {
    let message = e.to_string();
    if message.contains("file is not a database")
        || message.contains("malformed")
        || message.contains("not a database")
    {
        Error::NotADatabase {
            path: path.to_string(),
            message: "file is not a database".into(),
        }
    } else {
        Error::Open {
            path: path.to_string(),
            message,
        }
    }
}

/// `text` without NUL characters, which PostgreSQL's text cannot hold
/// (SQLite's can): free text a user writes is stored the same on both.
pub(crate) fn without_nul(text: &str) -> String {
    text.replace('\0', "")
}

/// The current time as RFC 3339 UTC, to the second.
pub fn now_rfc3339() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    // Seconds since the epoch, written as an RFC 3339 UTC time.
    let secs = now.as_secs() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::{statement_chunks, Backend};

    #[test]
    fn statements_have_a_few_lengths() {
        let lengths = |n: usize, max: usize| -> Vec<usize> {
            let items: Vec<usize> = (0..n).collect();
            let runs: Vec<&[usize]> = statement_chunks(&items, max).collect();
            assert_eq!(runs.concat(), items, "every item once, in order");
            runs.iter().map(|run| run.len()).collect()
        };
        assert_eq!(lengths(0, 32), Vec::<usize>::new());
        assert_eq!(lengths(1, 32), [1]);
        assert_eq!(lengths(27, 32), [16, 8, 2, 1]);
        assert_eq!(lengths(32, 32), [32]);
        assert_eq!(lengths(100, 32), [32, 32, 32, 4]);
        assert_eq!(lengths(234, 100), [100, 100, 32, 2]);
    }

    #[test]
    fn rows_of_placeholders() {
        assert_eq!(Backend::Sqlite.values_rows(1, 1), "(?)");
        assert_eq!(Backend::Sqlite.values_rows(2, 3), "(?, ?, ?), (?, ?, ?)");
        assert_eq!(
            Backend::Postgres.values_rows_from(3, 2, 2),
            "($3, $4), ($5, $6)"
        );
        assert_eq!(Backend::Postgres.values_rows(3, 1), "($1), ($2), ($3)");
    }
}
