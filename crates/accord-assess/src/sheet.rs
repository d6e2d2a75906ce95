//! The assessments spreadsheet: one row per (commitment, member), written
//! by `accord assess export` and read back by `accord assess import` in the
//! same columns, so a team can fill it in a spreadsheet and round-trip it.
//!
//! Columns: see [`COLUMNS`]. Commitment ids are the ledger's stable ids.
//! Several evidence items share a row: the evidence columns hold one line
//! per item. `revision` is the revision the row was exported at (0: not
//! assessed yet); a row whose revision is no longer current is refused as
//! a conflict, so nobody's later change is overwritten by an old sheet.

use accord_model::{spreadsheet_cell, spreadsheet_text};
use accord_store::assess::{AssessmentFilter, Evidence, NewAssessment, Status};
use accord_store::{Filter, Store};
use std::collections::HashMap;

/// The columns, in order.
pub const COLUMNS: [&str; 15] = [
    "commitment_id",
    "summit",
    "issuer",
    "commitment",
    "member",
    "revision",
    "score",
    "status",
    "rationale",
    "evidence_url",
    "evidence_document",
    "evidence_date",
    "evidence_passage",
    "author",
    "assessed_at",
];

/// Errors reading a sheet.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file is not CSV with the expected header.
    #[error("{0}")]
    Format(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] accord_store::Error),
}

/// One row of the sheet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// The commitment.
    pub commitment_id: String,
    /// Its summit (context only; not read back).
    pub summit: String,
    /// Its document's issuer (context only).
    pub issuer: String,
    /// Its text (context only).
    pub commitment: String,
    /// The member assessed.
    pub member: String,
    /// The revision the row shows (0: none yet).
    pub revision: i64,
    /// -1, 0, +1 or empty.
    pub score: Option<i64>,
    /// Status label, or empty.
    pub status: Option<Status>,
    /// Why.
    pub rationale: String,
    /// Evidence items.
    pub evidence: Vec<Evidence>,
    /// Who wrote the revision shown.
    pub author: String,
    /// When.
    pub assessed_at: String,
}

impl Row {
    fn is_blank(&self) -> bool {
        self.score.is_none()
            && self.status.is_none()
            && self.rationale.trim().is_empty()
            && self.evidence.is_empty()
    }
}

/// The rows of the sheet for the commitments of `summit` (all when
/// `None`): every current assessment and, with `blank`, an empty row for
/// each member a commitment names that nobody has assessed yet.
pub async fn rows(store: &Store, summit: Option<&str>, blank: bool) -> Result<Vec<Row>, Error> {
    let documents: HashMap<String, (String, String)> = store
        .documents()
        .await?
        .into_iter()
        .map(|d| {
            (
                d.id,
                (d.summit.unwrap_or_default(), d.issuer.unwrap_or_default()),
            )
        })
        .collect();
    let commitments = store
        .commitments(&Filter {
            summit: summit.map(str::to_string),
            ..Filter::default()
        })
        .await?;
    let current = store
        .current_assessments(&AssessmentFilter {
            summit: summit.map(str::to_string),
            ..AssessmentFilter::default()
        })
        .await?;
    let mut by_commitment: HashMap<&str, Vec<&accord_store::assess::Assessment>> = HashMap::new();
    for a in &current {
        by_commitment
            .entry(a.commitment_id.as_str())
            .or_default()
            .push(a);
    }
    let mut out = Vec::new();
    for c in &commitments {
        let (summit, issuer) = documents.get(&c.document_id).cloned().unwrap_or_default();
        let assessed = by_commitment.remove(c.id.as_str()).unwrap_or_default();
        let base = Row {
            commitment_id: c.id.clone(),
            summit,
            issuer,
            commitment: c.text.clone(),
            ..Row::default()
        };
        for a in &assessed {
            out.push(Row {
                member: a.member.clone(),
                revision: a.revision,
                score: a.score,
                status: Some(a.status),
                rationale: a.rationale.clone(),
                evidence: a.evidence.clone(),
                author: a.author.clone(),
                assessed_at: a.created_at.clone(),
                ..base.clone()
            });
        }
        if blank {
            let mut members: Vec<String> =
                c.actors.iter().map(|m| m.to_ascii_uppercase()).collect();
            members.sort();
            members.dedup();
            for m in members {
                if !assessed.iter().any(|a| a.member == m) {
                    out.push(Row {
                        member: m,
                        ..base.clone()
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| {
        (
            a.summit.as_str(),
            a.commitment_id.as_str(),
            a.member.as_str(),
        )
            .cmp(&(
                b.summit.as_str(),
                b.commitment_id.as_str(),
                b.member.as_str(),
            ))
    });
    Ok(out)
}

/// Writes rows as CSV with the header.
pub fn write(rows: &[Row], out: impl std::io::Write) -> Result<(), Error> {
    let mut w = csv::Writer::from_writer(out);
    let fail = |e: csv::Error| Error::Format(format!("cannot write the sheet: {e}"));
    w.write_record(COLUMNS).map_err(fail)?;
    for r in rows {
        let lines = |f: fn(&Evidence) -> Option<&String>| {
            r.evidence
                .iter()
                .map(|e| f(e).cloned().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n")
        };
        // Text from the documents and from users is marked as text where a
        // spreadsheet would run it as a formula; `read` takes the mark off.
        let text = |value: &str| spreadsheet_text(value).into_owned();
        w.write_record([
            text(&r.commitment_id),
            text(&r.summit),
            text(&r.issuer),
            text(&r.commitment),
            text(&r.member),
            r.revision.to_string(),
            r.score
                .map(|s| format!("{s:+}").replace("+0", "0"))
                .unwrap_or_default(),
            r.status.map(|s| s.label().to_string()).unwrap_or_default(),
            text(&r.rationale),
            text(&lines(|e| e.url.as_ref())),
            text(&lines(|e| e.document_id.as_ref())),
            text(&lines(|e| e.date.as_ref())),
            text(&lines(|e| e.passage.as_ref())),
            text(&r.author),
            text(&r.assessed_at),
        ])
        .map_err(fail)?;
    }
    w.flush()
        .map_err(|e| Error::Format(format!("cannot write the sheet: {e}")))?;
    Ok(())
}

/// A sheet as read: its rows, each with the line of the file it starts
/// on (a row whose cells hold several lines spans several), and the rows
/// that could not be read.
#[derive(Debug, Default, PartialEq)]
pub struct Sheet {
    /// (line, row), in the file's order.
    pub rows: Vec<(usize, Row)>,
    /// (line, why) of the rows that could not be read.
    pub refused: Vec<(usize, String)>,
}

/// Reads a sheet. Columns are found by their header names (any order;
/// extra columns are ignored); `commitment_id`, `member` and `score` are
/// required, or the sheet is refused whole. A row that cannot be read (a
/// score that is not -1, 0 or +1, an unknown status …) is refused with
/// its line, and the others are read.
pub fn read(mut input: impl std::io::Read) -> Result<Sheet, Error> {
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Format(format!("cannot read the sheet: {e}")))?;
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes.as_slice());
    let header = r
        .headers()
        .map_err(|e| Error::Format(format!("not a CSV sheet: {e}")))?
        .clone();
    let index: HashMap<&str, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim(), i))
        .collect();
    for needed in ["commitment_id", "member", "score"] {
        if !index.contains_key(needed) {
            return Err(Error::Format(format!(
                "the sheet has no `{needed}` column (expected: {})",
                COLUMNS.join(", ")
            )));
        }
    }
    let mut sheet = Sheet::default();
    let mut record = csv::StringRecord::new();
    let mut lines = Lines::of(&bytes);
    loop {
        // Where the reader is: where a record that cannot be read starts.
        let at = r.position().byte() as usize;
        match r.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let start = record.position().map_or(at, |p| p.byte() as usize);
                let line = lines.at(start);
                match row_of(&record, &index) {
                    Ok(Some(row)) => sheet.rows.push((line, row)),
                    Ok(None) => {}
                    Err(why) => sheet.refused.push((line, why)),
                }
            }
            // A record that is not text: the reader goes on at the next.
            Err(e) => sheet.refused.push((lines.at(at), e.to_string())),
        }
    }
    Ok(sheet)
}

/// The lines (from 1) of records met in the order of the file, each line
/// end counted once. The reader's own count is a line short after a CRLF:
/// it ends a record at the CR and counts the line at the LF, which the
/// next record's position is before.
struct Lines<'a> {
    bytes: &'a [u8],
    counted: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn of(bytes: &'a [u8]) -> Lines<'a> {
        Lines {
            bytes,
            counted: 0,
            line: 1,
        }
    }

    /// The line of the record the reader places at byte `offset`: where
    /// its first byte is, past the line end before it.
    fn at(&mut self, offset: usize) -> usize {
        let rest = self.bytes.get(offset..).unwrap_or_default();
        let start = offset
            + rest
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        if let Some(between) = self.bytes.get(self.counted..start) {
            self.line += between.iter().filter(|&&b| b == b'\n').count();
            self.counted = start;
        }
        self.line
    }
}

/// The row of a record; `None` for a row without a commitment and
/// without an assessment.
fn row_of(record: &csv::StringRecord, index: &HashMap<&str, usize>) -> Result<Option<Row>, String> {
    let cell =
        |name: &str| spreadsheet_cell(index.get(name).and_then(|&i| record.get(i)).unwrap_or(""));
    let get = |name: &str| cell(name).trim().to_string();
    let score = match get("score").trim_start_matches('+') {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .ok()
                .filter(|v| (-1..=1).contains(v))
                .ok_or_else(|| format!("score {s:?} is not -1, 0 or +1"))?,
        ),
    };
    let status = match get("status").as_str() {
        "" => None,
        s => Some(Status::parse(s).ok_or_else(|| {
            format!(
                "status {s:?} is not one of: {}",
                Status::ALL.map(Status::label).join(", ")
            )
        })?),
    };
    let revision = match get("revision").as_str() {
        "" => 0,
        s => s
            .parse()
            .map_err(|_| format!("revision {s:?} is not a number"))?,
    };
    let column_lines = |name: &str| -> Vec<String> {
        // Not `lines()`: an empty last line is an item without this field.
        let raw = cell(name);
        if raw.trim().is_empty() {
            return Vec::new();
        }
        raw.split('\n').map(|l| l.trim().to_string()).collect()
    };
    let (urls, docs, dates, passages) = (
        column_lines("evidence_url"),
        column_lines("evidence_document"),
        column_lines("evidence_date"),
        column_lines("evidence_passage"),
    );
    let n = urls
        .len()
        .max(docs.len())
        .max(dates.len())
        .max(passages.len());
    let pick = |v: &Vec<String>, i: usize| v.get(i).filter(|s| !s.is_empty()).cloned();
    let evidence = (0..n)
        .map(|i| Evidence {
            url: pick(&urls, i),
            document_id: pick(&docs, i),
            date: pick(&dates, i),
            passage: pick(&passages, i),
        })
        .filter(|e| !e.is_empty())
        .collect();
    let row = Row {
        commitment_id: get("commitment_id"),
        summit: get("summit"),
        issuer: get("issuer"),
        commitment: get("commitment"),
        member: get("member").to_ascii_uppercase(),
        revision,
        score,
        status,
        rationale: get("rationale"),
        evidence,
        author: get("author"),
        assessed_at: get("assessed_at"),
    };
    if row.commitment_id.is_empty() || row.member.is_empty() {
        if row.is_blank() && row.commitment_id.is_empty() {
            return Ok(None);
        }
        return Err("commitment_id and member are required".into());
    }
    Ok(Some(row))
}

/// What an import did, row by row.
#[derive(Debug, Default)]
pub struct Imported {
    /// New revisions written.
    pub written: usize,
    /// Rows equal to the current revision, or blank.
    pub unchanged: usize,
    /// Rows refused: (line, message). The other rows were still imported.
    pub refused: Vec<(usize, String)>,
}

/// Writes the rows that differ from the current assessments as new
/// revisions by `author`. A row exported at an older revision than the
/// current one is refused (someone changed it since); so is a row naming
/// an unknown commitment. The rest goes on.
pub async fn import(store: &Store, rows: &[(usize, Row)], author: &str) -> Result<Imported, Error> {
    let mut done = Imported::default();
    for &(line, ref row) in rows {
        if row.is_blank() {
            done.unchanged += 1;
            continue;
        }
        let current = store
            .assessment_history(&row.commitment_id, Some(&row.member))
            .await?
            .pop();
        let status = row.status.unwrap_or(match row.score {
            Some(1) => Status::Achieved,
            Some(_) => Status::InProgress,
            None => Status::Unknown,
        });
        if let Some(c) = &current {
            if c.score == row.score
                && c.status == status
                && c.rationale == row.rationale.trim()
                && c.evidence == row.evidence
            {
                done.unchanged += 1;
                continue;
            }
        }
        let new = NewAssessment {
            commitment_id: row.commitment_id.clone(),
            member: row.member.clone(),
            score: row.score,
            status,
            rationale: row.rationale.clone(),
            evidence: row.evidence.clone(),
            base_revision: Some(row.revision),
        };
        match store.assess(&new, author).await {
            Ok(_) => done.written += 1,
            Err(
                e @ (accord_store::Error::Conflict(_)
                | accord_store::Error::NotFound(_)
                | accord_store::Error::Invalid(_)),
            ) => done.refused.push((line, e.to_string())),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(done)
}
