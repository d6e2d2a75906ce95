//! Compliance assessments with their history, evidence suggestions and the
//! audit log.
//!
//! An assessment is never updated in place: each change is a new revision
//! of (commitment, member). A writer says which revision it saw
//! (`base_revision`); if another writer got there first the change is
//! refused with [`Error::Conflict`] instead of silently overwriting theirs.

use crate::{now_rfc3339, trusted, without_nul, Error, Result, Store};
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Where a commitment stands, as the research groups label it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nothing done yet.
    NotStarted,
    /// Work under way.
    InProgress,
    /// Delivered.
    Achieved,
    /// Started, then stopped moving.
    Stalled,
    /// Reversed or abandoned.
    Broken,
    /// Not known.
    Unknown,
}

impl Status {
    /// Every status, in the order forms list them.
    pub const ALL: [Status; 6] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Achieved,
        Status::Stalled,
        Status::Broken,
        Status::Unknown,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::InProgress => "in_progress",
            Status::Achieved => "achieved",
            Status::Stalled => "stalled",
            Status::Broken => "broken",
            Status::Unknown => "unknown",
        }
    }

    /// The label people read ("in progress").
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::InProgress => "in progress",
            Status::Achieved => "achieved",
            Status::Stalled => "stalled",
            Status::Broken => "broken",
            Status::Unknown => "unknown",
        }
    }

    /// Parses a stored name or a label, with spaces, dashes or underscores.
    pub fn parse(s: &str) -> Option<Status> {
        let norm = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Status::ALL.into_iter().find(|st| st.as_str() == norm)
    }
}

/// One piece of evidence: a source address or an ingested document, with a
/// date and the passage that shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Source address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// An ingested document's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Date of the evidence, ISO.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The quoted passage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passage: Option<String>,
}

impl Evidence {
    /// Whether nothing is filled in.
    pub fn is_empty(&self) -> bool {
        self.url.is_none()
            && self.document_id.is_none()
            && self.date.is_none()
            && self.passage.is_none()
    }
}

/// One revision of an assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Id of this revision.
    pub id: String,
    /// The commitment assessed.
    pub commitment_id: String,
    /// The member (government code) assessed.
    pub member: String,
    /// 1 for the first assessment of (commitment, member), then 2, 3, …
    pub revision: i64,
    /// -1 no compliance, 0 partial, +1 full; `None` when not scored.
    pub score: Option<i64>,
    /// Status label.
    pub status: Status,
    /// Why.
    pub rationale: String,
    /// What shows it.
    pub evidence: Vec<Evidence>,
    /// Who wrote it.
    pub author: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// A change to an assessment, as a writer submits it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAssessment {
    /// The commitment assessed.
    pub commitment_id: String,
    /// The member assessed.
    pub member: String,
    /// -1, 0, +1 or none.
    pub score: Option<i64>,
    /// Status label.
    pub status: Status,
    /// Why.
    pub rationale: String,
    /// What shows it.
    pub evidence: Vec<Evidence>,
    /// The revision the writer saw (0 when there was none); `None` accepts
    /// whatever is current (for scripts that mean to overwrite).
    pub base_revision: Option<i64>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    /// Order of the entry.
    pub seq: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What (`assessment.create`, `suggestion.reject`, `user.add`, …).
    pub action: String,
    /// On what (an assessment's commitment/member, a user, …).
    pub subject: String,
    /// The change itself.
    pub detail: serde_json::Value,
}

/// What an analyst decided about a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Not decided yet.
    Pending,
    /// Evidence for the commitment.
    Accepted,
    /// Not evidence; never suggested again.
    Rejected,
}

impl Decision {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Pending => "pending",
            Decision::Accepted => "accepted",
            Decision::Rejected => "rejected",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Decision> {
        [Decision::Pending, Decision::Accepted, Decision::Rejected]
            .into_iter()
            .find(|d| d.as_str() == s.trim().to_ascii_lowercase())
    }
}

/// A passage of a later document that may report on a commitment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// Stable id: the same passage for the same commitment has the same id.
    pub id: String,
    /// The commitment it may report on.
    pub commitment_id: String,
    /// The document the passage is in.
    pub document_id: String,
    /// The passage.
    pub passage: String,
    /// How well it matched, in [0, 1].
    pub score: f64,
    /// Pending, accepted or rejected.
    pub status: Decision,
    /// When it was found.
    pub found_at: String,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<String>,
}

impl Suggestion {
    /// The id of the suggestion of `passage` of `document_id` for
    /// `commitment_id`.
    pub fn id_for(commitment_id: &str, document_id: &str, passage: &str) -> String {
        let mut h = blake3::Hasher::new();
        for part in [commitment_id, document_id, passage] {
            h.update(part.as_bytes());
            h.update(&[0]);
        }
        h.finalize().to_hex()[..16].to_string()
    }
}

/// Which assessments to read.
#[derive(Debug, Clone, Default)]
pub struct AssessmentFilter {
    /// Only this commitment.
    pub commitment_id: Option<String>,
    /// Only this member.
    pub member: Option<String>,
    /// Only commitments of this summit.
    pub summit: Option<String>,
}

/// Which evidence suggestions to read.
#[derive(Debug, Clone, Copy, Default)]
pub struct SuggestionFilter<'a> {
    /// Only this commitment's.
    pub commitment: Option<&'a str>,
    /// Only pending, accepted or rejected ones.
    pub status: Option<Decision>,
}

impl SuggestionFilter<'_> {
    /// The SQL condition of the filter, with only the tests it asks for
    /// (so that a commitment's suggestions are read by its index), and
    /// the values of its placeholders.
    fn conditions(&self) -> (String, Vec<String>) {
        let mut conditions = vec!["1 = 1".to_string()];
        let mut binds = Vec::new();
        if let Some(commitment) = self.commitment {
            binds.push(commitment.to_string());
            conditions.push(format!("commitment_id = ${}", binds.len()));
        }
        if let Some(status) = self.status {
            binds.push(status.as_str().to_string());
            conditions.push(format!("status = ${}", binds.len()));
        }
        (conditions.join(" AND "), binds)
    }
}

/// One page of evidence suggestions.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestionPage {
    /// How many suggestions the filter selects in all.
    pub total: u64,
    /// This page's, best first.
    pub items: Vec<Suggestion>,
}

const ASSESSMENT_COLUMNS: &str = "a.id, a.commitment_id, a.member, a.revision, a.score, a.status, a.rationale, a.evidence, a.author, a.created_at";
/// Suggestions written by one statement.
const SUGGESTION_ROWS: usize = 100;
const SUGGESTION_COLUMNS: &str =
    "id, commitment_id, document_id, passage, score, status, found_at, decided_by, decided_at";

fn assessment_row(r: &AnyRow) -> Result<Assessment> {
    let status: String = r.try_get("status")?;
    let evidence: String = r.try_get("evidence")?;
    Ok(Assessment {
        id: r.try_get("id")?,
        commitment_id: r.try_get("commitment_id")?,
        member: r.try_get("member")?,
        revision: r.try_get("revision")?,
        score: r.try_get("score")?,
        status: Status::parse(&status).unwrap_or(Status::Unknown),
        rationale: r.try_get("rationale")?,
        evidence: serde_json::from_str(&evidence)?,
        author: r.try_get("author")?,
        created_at: r.try_get("created_at")?,
    })
}

fn suggestion_row(r: &AnyRow) -> Result<Suggestion> {
    let status: String = r.try_get("status")?;
    Ok(Suggestion {
        id: r.try_get("id")?,
        commitment_id: r.try_get("commitment_id")?,
        document_id: r.try_get("document_id")?,
        passage: r.try_get("passage")?,
        score: r.try_get("score")?,
        status: Decision::parse(&status).unwrap_or(Decision::Pending),
        found_at: r.try_get("found_at")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
    })
}

/// Most characters of a member's code or name.
pub const MAX_MEMBER_CHARS: usize = 64;

/// Whether `date` is an ISO date, month or year (`2024-05-17`, `2024-05`,
/// `2024`).
pub fn iso_date(date: &str) -> bool {
    let bytes = date.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    match bytes.len() {
        4 => digits(0..4),
        7 => digits(0..4) && bytes[4] == b'-' && digits(5..7),
        10 => digits(0..4) && bytes[4] == b'-' && digits(5..7) && bytes[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// Whether `url` is a web address (`https://` or `http://`), the only
/// kind pages link to.
pub fn web_address(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Characters that change the direction of the text after them: in a
/// member's code they would make it read as another.
fn turns_direction(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

impl NewAssessment {
    /// Checks what every way in (page, API, command line, spreadsheet)
    /// must hold: a score of -1, 0 or +1, a member that is a short code,
    /// evidence addresses on the web and ISO dates. Gives the member as
    /// stored (upper case).
    pub fn check(&self) -> Result<String> {
        if let Some(score) = self.score {
            if !(-1..=1).contains(&score) {
                return Err(Error::Invalid(format!(
                    "score {score}: use -1 (no compliance), 0 (partial) or 1 (full)"
                )));
            }
        }
        let member = self.member.trim().to_ascii_uppercase();
        if member.is_empty() {
            return Err(Error::Invalid("the member is missing".into()));
        }
        if member.chars().count() > MAX_MEMBER_CHARS
            || member.chars().any(|c| c.is_control() || turns_direction(c))
        {
            return Err(Error::Invalid(format!(
                "member {member:?}: use a short code such as US"
            )));
        }
        let filled = self.evidence.iter().filter(|e| !e.is_empty());
        for (i, item) in filled.enumerate() {
            let n = i + 1;
            if let Some(url) = item.url.as_deref().filter(|u| !web_address(u)) {
                return Err(Error::Invalid(format!(
                    "evidence {n}: the address {url:?} must start with https:// or http://"
                )));
            }
            if let Some(date) = item.date.as_deref().filter(|d| !iso_date(d.trim())) {
                return Err(Error::Invalid(format!(
                    "evidence {n}: the date {date:?} must be ISO: 2024, 2024-05 or 2024-05-17"
                )));
            }
        }
        Ok(member)
    }
}

impl Store {
    /// Records a new revision of the assessment of (commitment, member) by
    /// `author`, with an audit entry, in one transaction, once
    /// [`NewAssessment::check`] passes and the commitment and the evidence's
    /// documents are in the ledger. Refused with [`Error::Conflict`] when
    /// `base_revision` is not the current revision (someone else changed it
    /// since the writer read it).
    pub async fn assess(&self, new: &NewAssessment, author: &str) -> Result<Assessment> {
        let member = new.check()?;
        let mut tx = self.write_tx().await?;
        let known: Option<String> = sqlx::query_scalar("SELECT id FROM commitments WHERE id = $1")
            .bind(&new.commitment_id)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(Error::NotFound(format!("commitment {}", new.commitment_id)));
        }
        let filled = new.evidence.iter().filter(|e| !e.is_empty());
        for (i, document) in filled.enumerate() {
            let Some(document) = &document.document_id else {
                continue;
            };
            let found: Option<String> =
                sqlx::query_scalar("SELECT id FROM documents WHERE id = $1")
                    .bind(document)
                    .fetch_optional(&mut *tx)
                    .await?;
            if found.is_none() {
                return Err(Error::Invalid(format!(
                    "evidence {}: no document {document} in the ledger",
                    i + 1
                )));
            }
        }
        let current = sqlx::query(
            "SELECT revision, author, created_at FROM assessments WHERE commitment_id = $1 AND member = $2 ORDER BY revision DESC LIMIT 1",
        )
        .bind(&new.commitment_id)
        .bind(&member)
        .fetch_optional(&mut *tx)
        .await?;
        let (current_revision, last_author, last_at) = match &current {
            Some(r) => (
                r.try_get::<i64, _>("revision")?,
                r.try_get::<String, _>("author")?,
                r.try_get::<String, _>("created_at")?,
            ),
            None => (0, String::new(), String::new()),
        };
        if let Some(base) = new.base_revision {
            if base != current_revision {
                return Err(conflict(
                    &new.commitment_id,
                    &member,
                    current_revision,
                    &last_author,
                    &last_at,
                ));
            }
        }
        let assessment = Assessment {
            id: format!("{}:{}:{}", new.commitment_id, member, current_revision + 1),
            commitment_id: new.commitment_id.clone(),
            member: member.clone(),
            revision: current_revision + 1,
            score: new.score,
            status: new.status,
            rationale: without_nul(new.rationale.trim()),
            evidence: new
                .evidence
                .iter()
                .filter(|e| !e.is_empty())
                .cloned()
                .collect(),
            author: author.to_string(),
            created_at: now_rfc3339(),
        };
        let inserted = sqlx::query(
            "INSERT INTO assessments (id, commitment_id, member, revision, score, status, rationale, evidence, author, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&assessment.id)
        .bind(&assessment.commitment_id)
        .bind(&assessment.member)
        .bind(assessment.revision)
        .bind(assessment.score)
        .bind(assessment.status.as_str())
        .bind(&assessment.rationale)
        .bind(serde_json::to_string(&assessment.evidence)?)
        .bind(&assessment.author)
        .bind(&assessment.created_at)
        .execute(&mut *tx)
        .await;
        match inserted {
            // Another writer inserted the same revision between our read
            // and our write (PostgreSQL, read committed).
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(conflict(
                    &new.commitment_id,
                    &member,
                    current_revision + 1,
                    "another analyst",
                    "just now",
                ));
            }
            other => {
                other?;
            }
        }
        crate::audit(
            &mut tx,
            author,
            if current_revision == 0 {
                "assessment.create"
            } else {
                "assessment.revise"
            },
            &format!("{}/{}", assessment.commitment_id, assessment.member),
            json!({
                "revision": assessment.revision,
                "score": assessment.score,
                "status": assessment.status.as_str(),
                "rationale": assessment.rationale,
                "evidence": assessment.evidence,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(assessment)
    }

    /// The current (latest) revision of each assessment matching `filter`,
    /// by commitment and member.
    pub async fn current_assessments(&self, filter: &AssessmentFilter) -> Result<Vec<Assessment>> {
        let mut sql = format!(
            "SELECT {ASSESSMENT_COLUMNS} FROM assessments a \
             JOIN (SELECT commitment_id, member, MAX(revision) AS revision FROM assessments GROUP BY commitment_id, member) m \
               ON m.commitment_id = a.commitment_id AND m.member = a.member AND m.revision = a.revision"
        );
        let mut binds = Vec::new();
        if let Some(summit) = &filter.summit {
            binds.push(summit.clone());
            sql.push_str(&format!(
                " JOIN commitments c ON c.id = a.commitment_id JOIN documents d ON d.id = c.document_id WHERE lower(d.summit) = lower(${})",
                binds.len()
            ));
        } else {
            sql.push_str(" WHERE 1 = 1");
        }
        if let Some(id) = &filter.commitment_id {
            binds.push(id.clone());
            sql.push_str(&format!(" AND a.commitment_id = ${}", binds.len()));
        }
        if let Some(member) = &filter.member {
            binds.push(member.to_ascii_uppercase());
            sql.push_str(&format!(" AND a.member = ${}", binds.len()));
        }
        sql.push_str(" ORDER BY a.commitment_id, a.member");
        let mut query = sqlx::query(trusted(sql)).persistent(false);
        for b in &binds {
            query = query.bind(b);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(assessment_row).collect()
    }

    /// Every revision of the assessments of a commitment (of one member, if
    /// given), oldest first.
    pub async fn assessment_history(
        &self,
        commitment_id: &str,
        member: Option<&str>,
    ) -> Result<Vec<Assessment>> {
        let rows = sqlx::query(trusted(format!(
            "SELECT {ASSESSMENT_COLUMNS} FROM assessments a WHERE a.commitment_id = $1 AND ($2 = '' OR a.member = $2) ORDER BY a.member, a.revision"
        )))
        .bind(commitment_id)
        .bind(member.map(str::to_ascii_uppercase).unwrap_or_default())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(assessment_row).collect()
    }

    /// The audit log, newest first; `subject` narrows it to entries whose
    /// subject starts with it.
    pub async fn audit_log(&self, subject: Option<&str>, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(trusted(format!(
            "SELECT seq, at, actor, action, subject, detail FROM audit_log WHERE $1 = '' OR {} = 1 ORDER BY seq DESC LIMIT $2",
            self.backend.instr("subject", "$1")
        )))
        .bind(subject.unwrap_or_default())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let detail: String = r.try_get("detail")?;
                Ok(AuditEntry {
                    seq: r.try_get("seq")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    subject: r.try_get("subject")?,
                    detail: serde_json::from_str(&detail)?,
                })
            })
            .collect()
    }

    /// Adds suggestions not seen before; a suggestion already stored (even
    /// rejected) is left as it is. Returns how many were new.
    pub async fn add_suggestions(&self, suggestions: &[Suggestion]) -> Result<u64> {
        let mut added = 0;
        let mut tx = self.write_tx().await?;
        for chunk in suggestions.chunks(SUGGESTION_ROWS) {
            let sql = format!(
                "INSERT INTO evidence_suggestions ({SUGGESTION_COLUMNS}) VALUES {} ON CONFLICT (id) DO NOTHING",
                self.backend.values_rows(chunk.len(), 9)
            );
            // Full statements are the same text each time: prepared once.
            let mut insert = sqlx::query(trusted(sql)).persistent(chunk.len() == SUGGESTION_ROWS);
            for s in chunk {
                insert = insert
                    .bind(&s.id)
                    .bind(&s.commitment_id)
                    .bind(&s.document_id)
                    .bind(&s.passage)
                    .bind(s.score)
                    .bind(Decision::Pending.as_str())
                    .bind(&s.found_at)
                    .bind(None::<String>)
                    .bind(None::<String>);
            }
            added += insert.execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(added)
    }

    /// The suggestions `filter` selects, best first (score, then id), read
    /// one at a time: a listing of every suggestion of a large ledger
    /// (millions) in constant memory (the database sorts them, on SQLite
    /// in a temporary file once they outgrow its cache).
    pub fn suggestions(
        &self,
        filter: SuggestionFilter<'_>,
    ) -> impl Stream<Item = Result<Suggestion>> + Send + '_ {
        let (conditions, binds) = filter.conditions();
        crate::row_stream(
            &self.pool,
            format!(
                "SELECT {SUGGESTION_COLUMNS} FROM evidence_suggestions WHERE {conditions} ORDER BY score DESC, id"
            ),
            binds,
            suggestion_row,
        )
    }

    /// One page of the suggestions `filter` selects, best first: `limit`
    /// of them after the first `offset`, and how many there are in all.
    pub async fn suggestion_page(
        &self,
        filter: SuggestionFilter<'_>,
        offset: u64,
        limit: u64,
    ) -> Result<SuggestionPage> {
        let (conditions, binds) = filter.conditions();
        let mut count = sqlx::query_scalar(trusted(format!(
            "SELECT count(*) FROM evidence_suggestions WHERE {conditions}"
        )))
        .persistent(false);
        let mut page = sqlx::query(trusted(format!(
            "SELECT {SUGGESTION_COLUMNS} FROM evidence_suggestions WHERE {conditions} ORDER BY score DESC, id LIMIT ${} OFFSET ${}",
            binds.len() + 1,
            binds.len() + 2
        )))
        .persistent(false);
        for value in &binds {
            count = count.bind(value.clone());
            page = page.bind(value.clone());
        }
        let total: i64 = count.fetch_one(&self.pool).await?;
        let as_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let rows = page
            .bind(as_i64(limit))
            .bind(as_i64(offset))
            .fetch_all(&self.pool)
            .await?;
        Ok(SuggestionPage {
            total: u64::try_from(total).unwrap_or_default(),
            items: rows.iter().map(suggestion_row).collect::<Result<_>>()?,
        })
    }

    /// Accepts or rejects a suggestion, with an audit entry.
    pub async fn decide_suggestion(
        &self,
        id: &str,
        decision: Decision,
        actor: &str,
    ) -> Result<Suggestion> {
        let mut tx = self.write_tx().await?;
        let n = sqlx::query(
            "UPDATE evidence_suggestions SET status = $1, decided_by = $2, decided_at = $3 WHERE id = $4",
        )
        .bind(decision.as_str())
        .bind(actor)
        .bind(now_rfc3339())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(Error::NotFound(format!("suggestion {id}")));
        }
        let row = sqlx::query(trusted(format!(
            "SELECT {SUGGESTION_COLUMNS} FROM evidence_suggestions WHERE id = $1"
        )))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let suggestion = suggestion_row(&row)?;
        crate::audit(
            &mut tx,
            actor,
            &format!("suggestion.{}", decision.as_str()),
            &suggestion.commitment_id,
            json!({"suggestion": id, "document_id": suggestion.document_id}),
        )
        .await?;
        tx.commit().await?;
        Ok(suggestion)
    }
}

fn conflict(commitment: &str, member: &str, revision: i64, author: &str, at: &str) -> Error {
    Error::Conflict(format!(
        "the assessment of {commitment} for {member} was changed by {author} ({at}, revision {revision}) since you read it; nothing was saved: reload, check their change and submit again"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_years_and_months() {
        for ok in ["2024", "2024-05", "2024-05-17"] {
            assert!(iso_date(ok), "{ok}");
        }
        for bad in ["", "24", "May 2024", "2024/05/17", "2024-5-17", "20245"] {
            assert!(!iso_date(bad), "{bad}");
        }
    }
}
