//! What pages and API show of compliance: assessments with their history,
//! evidence suggestions, scorecards, users, tokens and the audit log, and
//! the one place where a submitted assessment (JSON or form) is checked
//! and turned into the store's [`NewAssessment`].
//!
//! The `*Out` types mirror the store's and accord-assess's types for the
//! API (with OpenAPI schemas); the conversions are checked by the compiler,
//! so the description cannot drift from what is sent.

use crate::error::{Error, Result};
use crate::state::AppState;
use accord_assess::scorecard::{Cell, Compliance, Line, Overdue, Scorecard};
use accord_model::{Commitment, Theme};
use accord_store::assess::{
    Assessment, AssessmentFilter, AuditEntry, Evidence, NewAssessment, Status, Suggestion,
};
use accord_store::users::{TokenInfo, User};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

/// What a score means, as the research groups write it.
pub fn score_label(score: Option<i64>) -> &'static str {
    match score {
        Some(1) => "full compliance",
        Some(0) => "partial compliance",
        Some(-1) => "no compliance",
        Some(_) => "out of range",
        None => "not scored",
    }
}

/// A score as shown: `+1`, `0`, `−1`, or `–` when not scored.
pub fn score_text(score: Option<i64>) -> String {
    match score {
        Some(s) if s > 0 => format!("+{s}"),
        Some(s) if s < 0 => format!("−{}", -s),
        Some(s) => s.to_string(),
        None => "–".to_string(),
    }
}

/// The CSS class of a score: `full`, `partial`, `none` or `unscored`.
pub fn score_class(score: Option<i64>) -> &'static str {
    match score {
        Some(1) => "full",
        Some(0) => "partial",
        Some(-1) => "none",
        _ => "unscored",
    }
}

/// One piece of evidence, given or shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EvidenceItem {
    /// Source address (http or https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// An ingested document's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Date of the evidence, ISO (`2024`, `2024-05` or `2024-05-17`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The passage that shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passage: Option<String>,
}

impl From<&Evidence> for EvidenceItem {
    fn from(e: &Evidence) -> EvidenceItem {
        EvidenceItem {
            url: e.url.clone(),
            document_id: e.document_id.clone(),
            date: e.date.clone(),
            passage: e.passage.clone(),
        }
    }
}

/// One revision of an assessment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentOut {
    /// Id of this revision (`COMMITMENT:MEMBER:REVISION`).
    pub id: String,
    /// The commitment assessed.
    pub commitment_id: String,
    /// The member assessed.
    pub member: String,
    /// 1 for the first assessment of (commitment, member), then 2, 3, …
    pub revision: i64,
    /// -1 no compliance, 0 partial, +1 full; null when not scored.
    pub score: Option<i64>,
    /// What the score means.
    pub score_label: String,
    /// not_started, in_progress, achieved, stalled, broken or unknown.
    pub status: String,
    /// The status as people read it.
    pub status_label: String,
    /// Why.
    pub rationale: String,
    /// What shows it.
    pub evidence: Vec<EvidenceItem>,
    /// Who wrote it.
    pub author: String,
    /// When (RFC 3339).
    pub created_at: String,
}

impl From<&Assessment> for AssessmentOut {
    fn from(a: &Assessment) -> AssessmentOut {
        AssessmentOut {
            id: a.id.clone(),
            commitment_id: a.commitment_id.clone(),
            member: a.member.clone(),
            revision: a.revision,
            score: a.score,
            score_label: score_label(a.score).to_string(),
            status: a.status.as_str().to_string(),
            status_label: a.status.label().to_string(),
            rationale: a.rationale.clone(),
            evidence: a.evidence.iter().map(EvidenceItem::from).collect(),
            author: a.author.clone(),
            created_at: a.created_at.clone(),
        }
    }
}

/// The assessments of one commitment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentsOut {
    /// The commitment.
    pub commitment_id: String,
    /// The current revision for each member, by member.
    pub current: Vec<AssessmentOut>,
    /// Every revision, by member, oldest first.
    pub history: Vec<AssessmentOut>,
}

/// A change to an assessment, as the API takes it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssessmentIn {
    /// The commitment assessed.
    pub commitment_id: String,
    /// The member assessed (government code, such as `US`).
    pub member: String,
    /// -1, 0, +1, or null for not scored.
    #[serde(default)]
    pub score: Option<i64>,
    /// not_started, in_progress, achieved, stalled, broken or unknown.
    pub status: String,
    /// Why.
    #[serde(default)]
    pub rationale: String,
    /// What shows it.
    #[serde(default)]
    pub evidence: Vec<EvidenceItem>,
    /// The revision the writer read (0 when there was none). The change is
    /// refused with 409 when it is no longer the current one. Leave it out
    /// only to overwrite whatever is current.
    #[serde(default)]
    pub base_revision: Option<i64>,
}

fn non_empty(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

impl NewAssessmentIn {
    /// Makes the change the store's: the status read, values trimmed,
    /// evidence items left empty dropped. The store checks the rest for
    /// every way in ([`NewAssessment::check`], the evidence's documents),
    /// and what it refuses is a 400 with its message.
    pub fn check(&self) -> Result<NewAssessment> {
        let status = Status::parse(&self.status).ok_or_else(|| {
            let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
            Error::BadRequest(format!(
                "unknown status {:?}: use one of {}",
                self.status,
                names.join(", ")
            ))
        })?;
        let member = self.member.trim();
        if member.is_empty() {
            return Err(Error::BadRequest("say which member is assessed".into()));
        }
        let evidence = self
            .evidence
            .iter()
            .map(|item| Evidence {
                url: non_empty(item.url.as_deref()),
                document_id: non_empty(item.document_id.as_deref()),
                date: non_empty(item.date.as_deref()),
                passage: non_empty(item.passage.as_deref()),
            })
            .filter(|item| !item.is_empty())
            .collect();
        Ok(NewAssessment {
            commitment_id: self.commitment_id.trim().to_string(),
            member: member.to_string(),
            score: self.score,
            status,
            rationale: self.rationale.trim().to_string(),
            evidence,
            base_revision: self.base_revision,
        })
    }
}

/// A passage of a later document that may report on a commitment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SuggestionOut {
    /// Stable id.
    pub id: String,
    /// The commitment it may report on.
    pub commitment_id: String,
    /// The document the passage is in.
    pub document_id: String,
    /// The passage.
    pub passage: String,
    /// How well it matched, in [0, 1].
    pub score: f64,
    /// pending, accepted or rejected.
    pub status: String,
    /// When it was found.
    pub found_at: String,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<String>,
}

impl From<&Suggestion> for SuggestionOut {
    fn from(s: &Suggestion) -> SuggestionOut {
        SuggestionOut {
            id: s.id.clone(),
            commitment_id: s.commitment_id.clone(),
            document_id: s.document_id.clone(),
            passage: s.passage.clone(),
            score: s.score,
            status: s.status.as_str().to_string(),
            found_at: s.found_at.clone(),
            decided_by: s.decided_by.clone(),
            decided_at: s.decided_at.clone(),
        }
    }
}

/// The user asking.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeOut {
    /// Login name.
    pub name: String,
    /// reader, analyst or admin.
    pub role: String,
    /// When the user was made.
    pub created_at: String,
    /// How the request proved it: session or token.
    pub via: Option<String>,
}

impl MeOut {
    /// The view of `user`, proved `via`.
    pub fn new(user: &User, via: Option<crate::auth::Via>) -> MeOut {
        MeOut {
            name: user.name.clone(),
            role: user.role.as_str().to_string(),
            created_at: user.created_at.clone(),
            via: via.map(|v| match v {
                crate::auth::Via::Session => "session".to_string(),
                crate::auth::Via::Token => "token".to_string(),
            }),
        }
    }
}

/// An API token as listed (never its secret).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenOut {
    /// Id: the first characters of the token's hash.
    pub id: String,
    /// Whose token it is.
    pub user: String,
    /// What it is for.
    pub label: String,
    /// When it was made.
    pub created_at: String,
}

impl From<&TokenInfo> for TokenOut {
    fn from(t: &TokenInfo) -> TokenOut {
        TokenOut {
            id: t.id.clone(),
            user: t.user.clone(),
            label: t.label.clone(),
            created_at: t.created_at.clone(),
        }
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditOut {
    /// Order of the entry.
    pub seq: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// What: assessment.create, assessment.revise, suggestion.accepted,
    /// user.add, token.create, …
    pub action: String,
    /// On what.
    pub subject: String,
    /// The change itself.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<&AuditEntry> for AuditOut {
    fn from(e: &AuditEntry) -> AuditOut {
        AuditOut {
            seq: e.seq,
            at: e.at.clone(),
            actor: e.actor.clone(),
            action: e.action.clone(),
            subject: e.subject.clone(),
            detail: e.detail.clone(),
        }
    }
}

/// The query string of a scorecard.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScorecardParams {
    /// Only commitments of this summit (case-insensitive).
    pub summit: Option<String>,
    /// Only commitments of this theme (`climate_environment`, …).
    pub theme: Option<String>,
}

impl ScorecardParams {
    /// The summit asked for, if any.
    pub fn summit(&self) -> Option<&str> {
        self.summit
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The theme asked for, if any; an unknown one is a 400.
    pub fn theme(&self) -> Result<Option<Theme>> {
        match self
            .theme
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Ok(None),
            Some(name) => Theme::parse(name)
                .map(Some)
                .ok_or_else(|| Error::BadRequest(format!("unknown theme {name:?}"))),
        }
    }

    /// The query string (`summit=…&theme=…`), empty when unfiltered.
    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        if let Some(summit) = self.summit() {
            parts.push(format!("summit={}", crate::views::encode(summit)));
        }
        if let Some(theme) = self
            .theme
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            parts.push(format!("theme={}", crate::views::encode(theme)));
        }
        parts.join("&")
    }
}

/// Today, ISO, in UTC.
pub fn today() -> String {
    chrono::Utc::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// The scorecard of the commitments `params` selects, from the current
/// assessments, with deadlines checked against `today`.
pub async fn scorecard(
    state: &AppState,
    params: &ScorecardParams,
    today: &str,
) -> Result<Scorecard> {
    let theme = params.theme()?;
    let summit = params.summit().map(str::to_string);
    let assessments = state
        .store()
        .current_assessments(&AssessmentFilter {
            summit: summit.clone(),
            ..AssessmentFilter::default()
        })
        .await?;
    let ledger = state.ledger();
    let summit_of: HashMap<String, String> = ledger
        .documents
        .iter()
        .filter_map(|d| Some((d.id.clone(), d.summit.clone()?)))
        .collect();
    let commitments: Vec<&Commitment> = ledger
        .commitments
        .iter()
        .filter(|c| theme.is_none_or(|t| c.theme == t))
        .filter(|c| match &summit {
            None => true,
            Some(wanted) => summit_of
                .get(&c.document_id)
                .is_some_and(|s| s.eq_ignore_ascii_case(wanted)),
        })
        .collect();
    Ok(Scorecard::build(
        &commitments,
        &summit_of,
        &assessments,
        today,
    ))
}

/// Average compliance of a group of assessments.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplianceOut {
    /// The member, theme or summit.
    pub key: String,
    /// Scored assessments in the group.
    pub scored: usize,
    /// How many are +1.
    pub full: usize,
    /// How many are 0.
    pub partial: usize,
    /// How many are -1.
    pub none: usize,
    /// Mean score in [-1, 1].
    pub average: f64,
    /// `(average + 1) / 2 × 100`.
    pub percent: f64,
}

impl From<&Compliance> for ComplianceOut {
    fn from(c: &Compliance) -> ComplianceOut {
        ComplianceOut {
            key: c.key.clone(),
            scored: c.scored,
            full: c.full,
            partial: c.partial,
            none: c.none,
            average: c.average,
            percent: c.percent,
        }
    }
}

/// One cell of the member × commitment matrix.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CellOut {
    /// The current score, if scored.
    pub score: Option<i64>,
    /// The current status.
    pub status: String,
    /// The revision it is at.
    pub revision: i64,
}

impl From<&Cell> for CellOut {
    fn from(c: &Cell) -> CellOut {
        CellOut {
            score: c.score,
            status: c.status.as_str().to_string(),
            revision: c.revision,
        }
    }
}

/// One line of the matrix: a commitment and each member's cell.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineOut {
    /// The commitment.
    pub commitment_id: String,
    /// Its text.
    pub text: String,
    /// Its summit.
    pub summit: String,
    /// Its theme.
    pub theme: String,
    /// Its deadline, if any.
    pub deadline: Option<String>,
    /// One cell per member of `members`; null where not assessed.
    pub cells: Vec<Option<CellOut>>,
    /// Mean over its scored cells, if any.
    pub average: Option<f64>,
}

impl From<&Line> for LineOut {
    fn from(l: &Line) -> LineOut {
        LineOut {
            commitment_id: l.commitment_id.clone(),
            text: l.text.clone(),
            summit: l.summit.clone(),
            theme: l.theme.clone(),
            deadline: l.deadline.clone(),
            cells: l
                .cells
                .iter()
                .map(|c| c.as_ref().map(CellOut::from))
                .collect(),
            average: l.average,
        }
    }
}

/// A deadline passed without full compliance.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverdueOut {
    /// The commitment.
    pub commitment_id: String,
    /// Its text.
    pub text: String,
    /// Its deadline.
    pub deadline: String,
    /// The member.
    pub member: String,
    /// The member's current score, if assessed.
    pub score: Option<i64>,
}

impl From<&Overdue> for OverdueOut {
    fn from(o: &Overdue) -> OverdueOut {
        OverdueOut {
            commitment_id: o.commitment_id.clone(),
            text: o.text.clone(),
            deadline: o.deadline.clone(),
            member: o.member.clone(),
            score: o.score,
        }
    }
}

/// Compliance tables of the selected commitments.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScorecardOut {
    /// The summit asked for, if any.
    pub summit: Option<String>,
    /// The theme asked for, if any.
    pub theme: Option<String>,
    /// The day deadlines were checked against.
    pub today: String,
    /// The members that appear, in order.
    pub members: Vec<String>,
    /// Every assessed commitment.
    pub lines: Vec<LineOut>,
    /// Per member.
    pub by_member: Vec<ComplianceOut>,
    /// Per theme.
    pub by_theme: Vec<ComplianceOut>,
    /// Per summit.
    pub by_summit: Vec<ComplianceOut>,
    /// All scored assessments together.
    pub overall: ComplianceOut,
    /// Deadlines passed without +1, latest deadline first.
    pub overdue: Vec<OverdueOut>,
}

impl ScorecardOut {
    /// The view of `card`, made for `params` on `today`.
    pub fn new(card: &Scorecard, params: &ScorecardParams, today: &str) -> ScorecardOut {
        let table = |rows: &[Compliance]| rows.iter().map(ComplianceOut::from).collect();
        ScorecardOut {
            summit: params.summit().map(str::to_string),
            theme: params.theme.clone().filter(|t| !t.trim().is_empty()),
            today: today.to_string(),
            members: card.members.clone(),
            lines: card.lines.iter().map(LineOut::from).collect(),
            by_member: table(&card.by_member),
            by_theme: table(&card.by_theme),
            by_summit: table(&card.by_summit),
            overall: ComplianceOut::from(&card.overall),
            overdue: card.overdue.iter().map(OverdueOut::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_read_as_the_research_groups_write_them() {
        assert_eq!(score_text(Some(1)), "+1");
        assert_eq!(score_text(Some(0)), "0");
        assert_eq!(score_text(Some(-1)), "−1");
        assert_eq!(score_text(None), "–");
        assert_eq!(score_label(Some(0)), "partial compliance");
        assert_eq!(score_class(Some(-1)), "none");
    }
}
