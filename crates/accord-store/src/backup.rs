//! Backup and restore: a whole ledger as JSON lines, the same on both
//! backends, so a ledger moves between SQLite and PostgreSQL without loss.
//!
//! The first line names the format; each further line is one row:
//! `{"table": "documents", "row": {"id": "…", …}}`. Tables come in an order
//! that satisfies their foreign keys; rows in primary-key order, so the
//! backup of a restored ledger is byte for byte the backup it came from.
//! Login sessions are not kept (they are short-lived).

use crate::{trusted, Error, Result, Store};
use serde_json::{json, Map, Value};
use sqlx::Row;
use std::io::{BufRead, Write};

/// The first line of a backup.
pub const FORMAT: &str = "accord-backup/1";

#[derive(Clone, Copy)]
enum Kind {
    Text,
    Int,
    Real,
}

use Kind::{Int, Real, Text};

struct Table {
    name: &'static str,
    columns: &'static [(&'static str, Kind)],
    order: &'static str,
}

const TABLES: &[Table] = &[
    Table {
        name: "documents",
        columns: &[
            ("id", Text),
            ("source_file", Text),
            ("source_path", Text),
            ("content_hash", Text),
            ("format", Text),
            ("title", Text),
            ("date", Text),
            ("issuer", Text),
            ("summit", Text),
            ("language", Text),
            ("kind", Text),
            ("source_url", Text),
            ("original", Text),
            ("text", Text),
            ("ingested_at", Text),
        ],
        order: "id",
    },
    Table {
        name: "commitments",
        columns: &[
            ("id", Text),
            ("document_id", Text),
            ("ordinal", Int),
            ("text", Text),
            ("span_start", Int),
            ("span_end", Int),
            ("section", Text),
            ("actors", Text),
            ("strength", Text),
            ("theme", Text),
            ("targets", Text),
            ("n_targets", Int),
            ("deadline", Text),
            ("initiatives", Text),
            ("confidence", Real),
        ],
        order: "id",
    },
    Table {
        name: "same_commitment",
        columns: &[("a", Text), ("b", Text), ("score", Real)],
        order: "a, b",
    },
    Table {
        name: "follows_up",
        columns: &[
            ("later", Text),
            ("earlier", Text),
            ("score", Real),
            ("kind", Text),
        ],
        order: "later, earlier",
    },
    Table {
        name: "initiative_names",
        columns: &[("key", Text), ("name", Text)],
        order: "key",
    },
    Table {
        name: "users",
        columns: &[
            ("name", Text),
            ("role", Text),
            ("password_hash", Text),
            ("created_at", Text),
        ],
        order: "name",
    },
    Table {
        name: "api_tokens",
        columns: &[
            ("token_hash", Text),
            ("user_name", Text),
            ("label", Text),
            ("created_at", Text),
        ],
        order: "token_hash",
    },
    Table {
        name: "assessments",
        columns: &[
            ("id", Text),
            ("commitment_id", Text),
            ("member", Text),
            ("revision", Int),
            ("score", Int),
            ("status", Text),
            ("rationale", Text),
            ("evidence", Text),
            ("author", Text),
            ("created_at", Text),
        ],
        order: "id",
    },
    Table {
        name: "audit_log",
        columns: &[
            ("seq", Int),
            ("at", Text),
            ("actor", Text),
            ("action", Text),
            ("subject", Text),
            ("detail", Text),
        ],
        order: "seq",
    },
    Table {
        name: "evidence_suggestions",
        columns: &[
            ("id", Text),
            ("commitment_id", Text),
            ("document_id", Text),
            ("passage", Text),
            ("score", Real),
            ("status", Text),
            ("found_at", Text),
            ("decided_by", Text),
            ("decided_at", Text),
        ],
        order: "id",
    },
    Table {
        name: "ledger_version",
        columns: &[("id", Int), ("version", Int)],
        order: "id",
    },
];

/// How many rows of each table a backup or restore moved.
pub type Counts = Vec<(&'static str, u64)>;

const PAGE: i64 = 500;

/// Why the database refused a restored row of `table`, in the words of a
/// backup: a constraint says which row is missing or repeated.
fn refused(table: &str, e: sqlx::Error) -> String {
    use sqlx::error::ErrorKind;
    let Some(db) = e.as_database_error() else {
        return format!("a {table} row could not be written: {e}");
    };
    let why = match db.kind() {
        ErrorKind::ForeignKeyViolation => {
            "it refers to a row that no earlier line of the backup holds"
        }
        ErrorKind::UniqueViolation => "an earlier line holds a row with the same key",
        ErrorKind::NotNullViolation => "a field it needs is empty",
        ErrorKind::CheckViolation => "a field holds a value out of its range",
        _ => "",
    };
    if why.is_empty() {
        format!("a {table} row was refused: {}", db.message())
    } else {
        format!("a {table} row was refused: {why} ({})", db.message())
    }
}

impl Store {
    /// Writes the whole ledger to `out` as JSON lines.
    pub async fn backup(&self, out: &mut dyn Write) -> Result<Counts> {
        let io = |e: std::io::Error| Error::Invalid(format!("cannot write the backup: {e}"));
        writeln!(out, "{}", json!({ "format": FORMAT })).map_err(io)?;
        let mut counts = Vec::new();
        for table in TABLES {
            let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
            let mut n = 0u64;
            loop {
                let sql = format!(
                    "SELECT {} FROM {} ORDER BY {} LIMIT {PAGE} OFFSET {}",
                    columns.join(", "),
                    table.name,
                    table.order,
                    n
                );
                let rows = sqlx::query(trusted(sql))
                    .persistent(false)
                    .fetch_all(&self.pool)
                    .await?;
                for row in &rows {
                    let mut object = Map::new();
                    for (name, kind) in table.columns {
                        let value = match kind {
                            Text => json!(row.try_get::<Option<String>, _>(*name)?),
                            Int => json!(row.try_get::<Option<i64>, _>(*name)?),
                            Real => json!(row.try_get::<Option<f64>, _>(*name)?),
                        };
                        object.insert((*name).to_string(), value);
                    }
                    writeln!(out, "{}", json!({"table": table.name, "row": object})).map_err(io)?;
                }
                n += rows.len() as u64;
                if (rows.len() as i64) < PAGE {
                    break;
                }
            }
            counts.push((table.name, n));
        }
        out.flush().map_err(io)?;
        Ok(counts)
    }

    /// Loads a backup into this ledger, which must be empty, in one
    /// transaction: on any error nothing is written.
    pub async fn restore(&self, input: &mut dyn BufRead) -> Result<Counts> {
        let bad = |line: usize, what: String| Error::Invalid(format!("backup line {line}: {what}"));
        let mut tx = self.write_tx().await?;
        for table in ["documents", "users", "assessments", "audit_log"] {
            let n: i64 = sqlx::query_scalar(trusted(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&mut *tx)
                .await?;
            if n > 0 {
                return Err(Error::Invalid(format!(
                    "the target ledger is not empty ({n} rows in {table}): restore into a new database"
                )));
            }
        }
        let mut counts: Counts = TABLES.iter().map(|t| (t.name, 0)).collect();
        let mut lines = input.lines().enumerate();
        match lines.next() {
            Some((_, Ok(first))) => {
                let head: Value = serde_json::from_str(&first)
                    .map_err(|_| bad(1, "not an Accord backup".into()))?;
                if head["format"] != FORMAT {
                    return Err(bad(1, format!("not an {FORMAT} file")));
                }
            }
            Some((_, Err(e))) => return Err(bad(1, e.to_string())),
            None => return Err(bad(1, "the file is empty".into())),
        }
        for (i, line) in lines {
            let number = i + 1;
            let line = line.map_err(|e| bad(number, e.to_string()))?;
            if line.trim().is_empty() {
                continue;
            }
            let entry: Value =
                serde_json::from_str(&line).map_err(|e| bad(number, e.to_string()))?;
            let Some(name) = entry["table"].as_str() else {
                return Err(bad(number, "no table named".into()));
            };
            let Some((index, table)) = TABLES.iter().enumerate().find(|(_, t)| t.name == name)
            else {
                return Err(bad(number, format!("unknown table {name:?}")));
            };
            let row = entry["row"]
                .as_object()
                .ok_or_else(|| bad(number, "no row".into()))?;
            let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
            let sql = if table.name == "ledger_version" {
                "UPDATE ledger_version SET version = $2 WHERE id = $1".to_string()
            } else {
                format!(
                    "INSERT INTO {} ({}) VALUES ({})",
                    table.name,
                    columns.join(", "),
                    crate::placeholders(1, columns.len())
                )
            };
            let mut query = sqlx::query(trusted(sql)).persistent(false);
            for (column, kind) in table.columns {
                let value = row.get(*column).unwrap_or(&Value::Null);
                let mismatch = || {
                    bad(
                        number,
                        format!("{}.{column} has the wrong type", table.name),
                    )
                };
                query = match (kind, value) {
                    (Text, Value::Null) => query.bind(None::<String>),
                    (Text, Value::String(s)) => query.bind(s.clone()),
                    (Int, Value::Null) => query.bind(None::<i64>),
                    (Int, v) => query.bind(v.as_i64().ok_or_else(mismatch)?),
                    (Real, Value::Null) => query.bind(None::<f64>),
                    (Real, v) => query.bind(v.as_f64().ok_or_else(mismatch)?),
                    (Text, _) => return Err(mismatch()),
                };
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(|e| bad(number, refused(table.name, e)))?;
            counts[index].1 += 1;
        }
        if self.backend == crate::Backend::Postgres {
            // Restored log entries keep their numbers; new ones follow them.
            sqlx::query(
                "SELECT setval(pg_get_serial_sequence('audit_log', 'seq'), COALESCE((SELECT MAX(seq) FROM audit_log), 0) + 1, false)",
            )
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(counts)
    }
}
