//! Many documents written in one transaction ([`DocumentBatch`]), each in
//! a savepoint of its own: a document that fails leaves nothing behind and
//! the others are still written, and the commit writes each changed page
//! once for the whole batch instead of once per document. Documents that
//! come together can also be written together, in a few statements for
//! all of them ([`DocumentBatch::write_documents`]).

use crate::{
    bump_version, now_rfc3339, page_rows, statement_chunks, trusted, Backend, Result, Written,
};
use accord_model::{Commitment, DocKind, Document};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// A document to write, with its commitments and the initiative names it
/// introduces (as given to [`DocumentBatch::write_document`]).
#[derive(Debug, Clone, Copy)]
pub struct NewDocument<'a> {
    /// The document.
    pub document: &'a Document,
    /// Its commitments.
    pub commitments: &'a [Commitment],
    /// The `(key, name)` pairs of initiatives it introduces.
    pub initiative_names: &'a [(String, String)],
}

/// Documents in one multi-row `INSERT`, at most.
const DOCUMENT_ROWS: usize = 32;
/// Commitments in one multi-row `INSERT`, at most.
const COMMITMENT_ROWS: usize = 100;

/// The pages the SQLite connection that writes ([`crate::Store::write_tx`])
/// caches (`PRAGMA cache_size`: negative, in KiB), not the 2 MB of the
/// others: with 2 MB the pages of the indexes a batch inserts into (ids
/// and hashes, in no order) were read back from the log again and again,
/// and a batch's pages spilled to the log before its commit and were
/// written again at it (the White House corpus without evidence: 108,000
/// -> 77,000 reads and 132,000 -> 101,000 writes; four times the corpus,
/// one core: 19-23 -> 17-18 s). Only the writer's: the pool's four
/// connections caching 8 MB each raised the peak memory of an ingest of
/// 16 times the corpus by 29 MB.
pub(crate) const WRITER_CACHE: i32 = -8192;

/// A write transaction over several documents ([`crate::Store::document_batch`]).
/// Nothing of it is visible to others, nor kept, before [`DocumentBatch::commit`];
/// dropped without a commit, it writes nothing.
pub struct DocumentBatch {
    pub(crate) tx: sqlx::Transaction<'static, sqlx::Any>,
    pub(crate) backend: Backend,
    pub(crate) written: usize,
    /// Each document in a savepoint of its own; otherwise a document that
    /// fails spoils the batch.
    pub(crate) savepoints: bool,
    pub(crate) spoiled: bool,
}

impl std::fmt::Debug for DocumentBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentBatch")
            .field("backend", &self.backend)
            .field("written", &self.written)
            .field("savepoints", &self.savepoints)
            .field("spoiled", &self.spoiled)
            .finish_non_exhaustive()
    }
}

impl DocumentBatch {
    /// Begins a batch on `store`, a savepoint per document or none.
    pub(crate) async fn begin(store: &crate::Store, savepoints: bool) -> Result<DocumentBatch> {
        let tx = store.write_tx().await?;
        Ok(DocumentBatch {
            tx,
            backend: store.backend,
            written: 0,
            savepoints,
            spoiled: false,
        })
    }

    /// The ledger's names for initiative keys as this transaction sees
    /// them: with the names that the documents written before in the batch
    /// introduced.
    pub async fn initiative_names(&mut self, keys: &[String]) -> Result<HashMap<String, String>> {
        initiative_names(&mut self.tx, self.backend, keys).await
    }

    /// Writes a document and its commitments, with the initiative names it
    /// introduces, as [`crate::Store::write_document`] does, in a savepoint:
    /// when it fails, nothing of this document is written and the batch
    /// goes on. In a batch without savepoints
    /// ([`crate::Store::document_batch_all_or_nothing`]), a document that
    /// fails or is found stored already spoils the batch instead.
    pub async fn write_document(
        &mut self,
        document: &Document,
        commitments: &[Commitment],
        initiative_names: &[(String, String)],
    ) -> Result<Written> {
        if !self.savepoints {
            let result = write(
                &mut self.tx,
                self.backend,
                document,
                commitments,
                initiative_names,
            )
            .await;
            match result {
                Ok(Written::Added | Written::Replaced) => self.written += 1,
                // Found stored already after its path's other content was
                // deleted, or failed half-way: only a rollback undoes it.
                Ok(Written::Unchanged) | Err(_) => self.spoiled = true,
            }
            return result;
        }
        let mut savepoint = sqlx::Connection::begin(&mut *self.tx).await?;
        let result = write(
            &mut savepoint,
            self.backend,
            document,
            commitments,
            initiative_names,
        )
        .await;
        match result {
            Ok(Written::Unchanged) => {
                savepoint.rollback().await?;
                Ok(Written::Unchanged)
            }
            Ok(written) => {
                savepoint.commit().await?;
                self.written += 1;
                Ok(written)
            }
            Err(e) => {
                // The error says what went wrong; a failed rollback would
                // show again at the next statement or the commit.
                let _ = savepoint.rollback().await;
                Err(e)
            }
        }
    }

    /// Writes several documents together, all or none, as writing each in
    /// turn with [`DocumentBatch::write_document`] would when each is
    /// added or replaced: in a few statements for all of them rather than
    /// a few for each. When one of them fails, or is found stored already
    /// (an [`crate::Error::Conflict`]), none is written: in a batch with
    /// savepoints the batch goes on; without, it is spoiled. Returns what
    /// was done to each, in order.
    pub async fn write_documents(&mut self, documents: &[NewDocument<'_>]) -> Result<Vec<Written>> {
        if !self.savepoints {
            let result = write_many(&mut self.tx, self.backend, documents).await;
            match &result {
                Ok(_) => self.written += documents.len(),
                Err(_) => self.spoiled = true,
            }
            return result;
        }
        let mut savepoint = sqlx::Connection::begin(&mut *self.tx).await?;
        match write_many(&mut savepoint, self.backend, documents).await {
            Ok(written) => {
                savepoint.commit().await?;
                self.written += documents.len();
                Ok(written)
            }
            Err(e) => {
                let _ = savepoint.rollback().await;
                Err(e)
            }
        }
    }

    /// Documents written (added or replaced) so far.
    pub fn written(&self) -> usize {
        self.written
    }

    /// Whether a document of a batch without savepoints failed or was found
    /// stored already: the batch can then only be rolled back.
    pub fn spoiled(&self) -> bool {
        self.spoiled
    }

    /// Writes nothing of the batch.
    pub async fn rollback(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }

    /// Makes every document written in the batch durable and visible at
    /// once (and bumps the ledger's version, when any was written). A
    /// spoiled batch ([`DocumentBatch::spoiled`]) is rolled back and
    /// refused.
    pub async fn commit(mut self) -> Result<()> {
        if self.spoiled {
            self.tx.rollback().await?;
            return Err(crate::Error::Invalid(
                "a document of this batch failed: the batch was not written".into(),
            ));
        }
        if self.written == 0 {
            self.tx.rollback().await?;
            return Ok(());
        }
        bump_version(&mut self.tx).await?;
        self.tx.commit().await?;
        Ok(())
    }
}

/// The names for initiative keys in `initiative_names`, as `conn` sees
/// them (see [`crate::Store::initiative_names`]).
pub(crate) async fn initiative_names(
    conn: &mut AnyConnection,
    backend: Backend,
    keys: &[String],
) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    for chunk in statement_chunks(keys, 500) {
        // The names found come back as one page.
        let sql = backend.json_page(
            "key, name",
            "key",
            &format!(
                "SELECT key, name FROM initiative_names WHERE key IN ({})",
                backend.placeholders(1, chunk.len())
            ),
        );
        let mut query = sqlx::query(trusted(sql));
        for key in chunk {
            query = query.bind(key);
        }
        out.extend(page_rows::<(String, String)>(
            &query.fetch_one(&mut *conn).await?,
        )?);
    }
    Ok(out)
}

/// Writes documents together inside a transaction or savepoint (see
/// [`DocumentBatch::write_documents`]); on an error, what was written of
/// them is to be rolled back.
async fn write_many(
    conn: &mut AnyConnection,
    backend: Backend,
    documents: &[NewDocument<'_>],
) -> Result<Vec<Written>> {
    // One path twice: each would replace the other in turn, which only
    // writing them one by one does.
    let mut paths: Vec<&str> = documents
        .iter()
        .map(|d| d.document.source_path.as_str())
        .filter(|p| *p != "-")
        .collect();
    paths.sort_unstable();
    if paths.windows(2).any(|w| w[0] == w[1]) {
        let mut written = Vec::with_capacity(documents.len());
        for d in documents {
            match write(conn, backend, d.document, d.commitments, d.initiative_names).await? {
                Written::Unchanged => return Err(stored_already()),
                w => written.push(w),
            }
        }
        return Ok(written);
    }
    // Other content from the same paths goes.
    let mut replaced = std::collections::HashSet::new();
    for chunk in statement_chunks(documents, DOCUMENT_ROWS) {
        // The paths first, so that the rows are found by their index.
        let n = chunk.len();
        let sql = format!(
            "DELETE FROM documents WHERE source_path IN ({}) AND source_path <> '-' AND EXISTS (\
             SELECT 1 FROM (VALUES {}) AS new \
             WHERE new.column1 = documents.source_path AND new.column2 <> documents.content_hash) \
             RETURNING source_path",
            backend.placeholders(1, n),
            backend.values_rows_from(n + 1, n, 2)
        );
        let mut delete = sqlx::query(trusted(sql));
        for d in chunk {
            delete = delete.bind(&d.document.source_path);
        }
        for d in chunk {
            delete = delete
                .bind(&d.document.source_path)
                .bind(&d.document.content_hash);
        }
        for row in delete.fetch_all(&mut *conn).await? {
            replaced.insert(row.try_get::<String, _>(0)?);
        }
    }
    let ingested_at = now_rfc3339();
    for chunk in statement_chunks(documents, DOCUMENT_ROWS) {
        let sql = format!(
            "INSERT INTO documents (id, source_file, source_path, content_hash, format, title, date, issuer, summit, language, kind, source_url, original, text, ingested_at) VALUES {}",
            backend.values_rows(chunk.len(), 15)
        );
        let mut insert = sqlx::query(trusted(sql));
        for d in chunk {
            insert = bind_document(insert, d.document, &ingested_at);
        }
        match insert.execute(&mut *conn).await {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(stored_already())
            }
            other => {
                other?;
            }
        }
    }
    let commitments: Vec<&Commitment> = documents.iter().flat_map(|d| d.commitments).collect();
    insert_commitments(conn, backend, &commitments).await?;
    // Each key's name as the documents' names, upserted in turn, would
    // leave it: the first name, unless a later one adds the acronym.
    let mut names: Vec<(&str, &str)> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for (key, name) in documents.iter().flat_map(|d| d.initiative_names) {
        match at.get(key.as_str()) {
            None => {
                at.insert(key, names.len());
                names.push((key, name));
            }
            Some(&i) => {
                if !names[i].1.contains(" (") && name.contains(" (") {
                    names[i].1 = name;
                }
            }
        }
    }
    upsert_initiative_names(conn, backend, &names).await?;
    Ok(documents
        .iter()
        .map(|d| {
            if replaced.contains(&d.document.source_path) {
                Written::Replaced
            } else {
                Written::Added
            }
        })
        .collect())
}

/// Binds a document's row, in the order of the columns of `documents`.
fn bind_document<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    document: &'q Document,
    ingested_at: &'q str,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let meta = &document.meta;
    query
        .bind(&document.id)
        .bind(&document.source_file)
        .bind(&document.source_path)
        .bind(&document.content_hash)
        .bind(document.format.as_str())
        .bind(&meta.title)
        .bind(&meta.date)
        .bind(&meta.issuer)
        .bind(&meta.summit)
        .bind(&meta.language)
        .bind(meta.kind.map(DocKind::as_str))
        .bind(&meta.source_url)
        .bind(&document.original)
        .bind(&document.text)
        .bind(ingested_at)
}

/// The error of a document found stored already among documents written
/// together.
fn stored_already() -> crate::Error {
    crate::Error::Conflict("a document of the batch is stored already".into())
}

/// Inserts commitments, many rows per statement.
async fn insert_commitments(
    conn: &mut AnyConnection,
    backend: Backend,
    commitments: &[&Commitment],
) -> Result<()> {
    for chunk in statement_chunks(commitments, COMMITMENT_ROWS) {
        let sql = format!(
            "INSERT INTO commitments (id, document_id, ordinal, text, span_start, span_end, section, actors, strength, theme, targets, n_targets, deadline, initiatives, confidence) VALUES {}",
            backend.values_rows(chunk.len(), 15)
        );
        let mut insert = sqlx::query(trusted(sql));
        for c in chunk {
            insert = insert
                .bind(&c.id)
                .bind(&c.document_id)
                .bind(c.ordinal as i64)
                .bind(&c.text)
                .bind(c.span.start as i64)
                .bind(c.span.end as i64)
                .bind(&c.section)
                .bind(serde_json::to_string(&c.actors)?)
                .bind(c.strength.as_str())
                .bind(c.theme.as_str())
                .bind(serde_json::to_string(&c.targets)?)
                .bind(c.targets.len() as i64)
                .bind(&c.deadline)
                .bind(serde_json::to_string(&c.initiatives)?)
                .bind(c.confidence);
        }
        insert.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Stores initiative names, each key once: a name with its acronym
/// replaces a plain one under the same key.
async fn upsert_initiative_names(
    conn: &mut AnyConnection,
    backend: Backend,
    names: &[(&str, &str)],
) -> Result<()> {
    for chunk in statement_chunks(names, 200) {
        let sql = format!(
            "INSERT INTO initiative_names (key, name) VALUES {} \
             ON CONFLICT (key) DO UPDATE SET name = excluded.name \
             WHERE {} = 0 AND {} > 0",
            backend.values_rows(chunk.len(), 2),
            backend.instr("initiative_names.name", "' ('"),
            backend.instr("excluded.name", "' ('"),
        );
        let mut insert = sqlx::query(trusted(sql));
        for (key, name) in chunk {
            insert = insert.bind(*key).bind(*name);
        }
        insert.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Writes one document inside a transaction or savepoint: `Unchanged`
/// (and nothing to keep) when the same content is stored already.
async fn write(
    conn: &mut AnyConnection,
    backend: Backend,
    document: &Document,
    commitments: &[Commitment],
    initiative_names: &[(String, String)],
) -> Result<Written> {
    // Other content from the same path goes; the same content stored
    // already (from any path) makes the insert below fail on the unique
    // hash, and nothing changes.
    let replaced = sqlx::query(
        "DELETE FROM documents WHERE source_path = $1 AND source_path <> '-' AND content_hash <> $2",
    )
    .bind(&document.source_path)
    .bind(&document.content_hash)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0;
    let ingested_at = now_rfc3339();
    let inserted = bind_document(
        sqlx::query(
            "INSERT INTO documents (id, source_file, source_path, content_hash, format, title, date, issuer, summit, language, kind, source_url, original, text, ingested_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        ),
        document,
        &ingested_at,
    )
    .execute(&mut *conn)
    .await;
    match inserted {
        // The same bytes are stored (perhaps by another writer since the
        // caller looked): nothing to do.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Ok(Written::Unchanged);
        }
        other => {
            other?;
        }
    }
    let commitments: Vec<&Commitment> = commitments.iter().collect();
    insert_commitments(conn, backend, &commitments).await?;
    let names: Vec<(&str, &str)> = initiative_names
        .iter()
        .map(|(k, n)| (k.as_str(), n.as_str()))
        .collect();
    upsert_initiative_names(conn, backend, &names).await?;
    Ok(if replaced {
        Written::Replaced
    } else {
        Written::Added
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scratch::Scratch;

    async fn cache_size(conn: &mut AnyConnection) -> i64 {
        let row = sqlx::query("PRAGMA cache_size")
            .fetch_one(conn)
            .await
            .expect("cache size");
        row.try_get(0).expect("a number")
    }

    #[tokio::test]
    async fn only_the_writer_caches_more_pages_and_keeps_them() {
        let scratch = Scratch::new(Backend::Sqlite).await.expect("scratch ledger");
        let store = scratch.store.clone();
        for _ in 0..2 {
            let mut batch = store.document_batch().await.expect("batch");
            assert_eq!(cache_size(&mut batch.tx).await, i64::from(WRITER_CACHE));
            // Another connection, while the batch writes, keeps the usual cache.
            let mut other = store.pool.acquire().await.expect("connection");
            assert_eq!(cache_size(&mut other).await, -2000);
            drop(other);
            batch.commit().await.expect("commit");
        }
        scratch.finish().await;
    }
}
