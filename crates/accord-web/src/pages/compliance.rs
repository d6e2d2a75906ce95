//! Compliance pages: the assessments on a commitment's page (current,
//! history, and the form analysts write them with), decisions on evidence
//! suggestions, and the scorecard with its Markdown and CSV downloads.
//!
//! The assessment form carries the revision its writer saw
//! (`base_revision`). When someone else saved a revision in between, the
//! answer is a 409 page that shows their version and gives the form back
//! with the writer's text, now based on the current revision.

use super::{error_response, render_page, render_page_with_status, safe_url, short};
use crate::auth::{see_other, AnalystRole, PageUser, Viewer};
use crate::compliance::{
    score_class, score_label, score_text, today, EvidenceItem, NewAssessmentIn, ScorecardParams,
};
use crate::error::{with_content_type, Error, PageError, PageForm, PagePath, PageQuery, Result};
use crate::state::{AppState, Ledger};
use crate::views::encode;
use accord_model::Theme;
use accord_store::assess::{
    Assessment, AssessmentFilter, Decision, Status, Suggestion, SuggestionFilter,
};
use accord_store::users::Role;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use futures_util::TryStreamExt as _;
use minijinja::context;
use serde::Serialize;

/// The compliance pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/commitments/{id}/assessments",
            post(assess).get(to_assessments),
        )
        .route("/suggestions/{id}/{decision}", post(decide))
        .route("/scorecard", get(scorecard))
        .route("/scorecard.md", get(scorecard_markdown))
        .route("/scorecard.csv", get(scorecard_csv))
}

/// The anchor of a member's assessments on a commitment's page.
fn anchor(member: &str) -> String {
    let cleaned: String = member
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("member-{cleaned}")
}

/// A piece of evidence as shown.
#[derive(Debug, Serialize)]
struct EvidenceView {
    /// The address, when it is http(s) (shown as a link).
    href: Option<String>,
    /// The address as given (shown as text otherwise).
    url: Option<String>,
    document_id: Option<String>,
    document_href: Option<String>,
    document_title: Option<String>,
    date: Option<String>,
    passage: Option<String>,
}

/// A revision of an assessment as shown.
#[derive(Debug, Serialize)]
struct AssessmentView {
    member: String,
    revision: i64,
    score_text: String,
    score_label: &'static str,
    score_class: &'static str,
    status: &'static str,
    status_label: &'static str,
    rationale: String,
    evidence: Vec<EvidenceView>,
    author: String,
    created_at: String,
    when: String,
}

/// An RFC 3339 time as people read it (`2026-05-03 14:22 UTC`).
fn when(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .format("%Y-%m-%d %H:%M UTC")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_string())
}

impl AssessmentView {
    fn new(a: &Assessment, ledger: &Ledger) -> AssessmentView {
        AssessmentView {
            member: a.member.clone(),
            revision: a.revision,
            score_text: score_text(a.score),
            score_label: score_label(a.score),
            score_class: score_class(a.score),
            status: a.status.as_str(),
            status_label: a.status.label(),
            rationale: a.rationale.clone(),
            evidence: a
                .evidence
                .iter()
                .map(|e| {
                    let document = e.document_id.as_deref().and_then(|id| ledger.document(id));
                    EvidenceView {
                        href: safe_url(e.url.as_deref()),
                        url: e.url.clone(),
                        document_id: e.document_id.clone(),
                        document_href: document.map(|d| format!("/documents/{}", encode(&d.id))),
                        document_title: document
                            .map(|d| d.title.clone().unwrap_or_else(|| d.source_file.clone())),
                        date: e.date.clone(),
                        passage: e.passage.clone(),
                    }
                })
                .collect(),
            author: a.author.clone(),
            created_at: a.created_at.clone(),
            when: when(&a.created_at),
        }
    }
}

/// One evidence row of the form, as typed.
#[derive(Debug, Clone, Default, Serialize)]
struct EvidenceRow {
    url: String,
    document_id: String,
    date: String,
    passage: String,
}

/// Empty evidence rows the form offers beyond the filled ones.
const BLANK_ROWS: usize = 1;
/// Evidence rows the form shows at least.
const MIN_ROWS: usize = 2;

/// The assessment form, as shown and as submitted: every field is kept as
/// typed, so a refused submission comes back with the writer's text.
#[derive(Debug, Clone, Default, Serialize)]
struct AssessmentForm {
    /// Prefix of the form's element ids, unique on the page.
    key: String,
    /// Where it is posted.
    action: String,
    /// The member, when the form is for one member (a hidden field);
    /// empty when the writer picks one.
    member: String,
    /// The members to pick from.
    members: Vec<String>,
    /// The member picked.
    picked: String,
    /// A member typed in instead of picked.
    member_other: String,
    score: String,
    status: String,
    rationale: String,
    evidence: Vec<EvidenceRow>,
    /// The revision the writer saw (0: none).
    base_revision: String,
}

fn action(commitment_id: &str) -> String {
    format!("/commitments/{}/assessments", encode(commitment_id))
}

fn with_blank_rows(mut rows: Vec<EvidenceRow>) -> Vec<EvidenceRow> {
    let wanted = (rows.len() + BLANK_ROWS).max(MIN_ROWS);
    rows.resize(wanted, EvidenceRow::default());
    rows
}

impl AssessmentForm {
    /// A form to assess a member not assessed yet.
    fn blank(commitment_id: &str, members: Vec<String>) -> AssessmentForm {
        AssessmentForm {
            key: "new".into(),
            action: action(commitment_id),
            picked: members.first().cloned().unwrap_or_default(),
            members,
            status: Status::InProgress.as_str().into(),
            evidence: with_blank_rows(Vec::new()),
            base_revision: "0".into(),
            ..AssessmentForm::default()
        }
    }

    /// A form to revise `current`, filled in with it.
    fn revise(current: &Assessment) -> AssessmentForm {
        AssessmentForm {
            key: anchor(&current.member),
            action: action(&current.commitment_id),
            member: current.member.clone(),
            score: current.score.map(|s| s.to_string()).unwrap_or_default(),
            status: current.status.as_str().into(),
            rationale: current.rationale.clone(),
            evidence: with_blank_rows(
                current
                    .evidence
                    .iter()
                    .map(|e| EvidenceRow {
                        url: e.url.clone().unwrap_or_default(),
                        document_id: e.document_id.clone().unwrap_or_default(),
                        date: e.date.clone().unwrap_or_default(),
                        passage: e.passage.clone().unwrap_or_default(),
                    })
                    .collect(),
            ),
            base_revision: current.revision.to_string(),
            ..AssessmentForm::default()
        }
    }

    /// The form as submitted, offered again with a select of `members`.
    /// Evidence rows are read by position: each row sends its four fields,
    /// empty or not.
    fn submitted(commitment_id: &str, form: &PageForm, mut members: Vec<String>) -> AssessmentForm {
        let all = |name: &str| -> Vec<String> {
            form.0
                .iter()
                .filter(|(key, _)| key == name)
                .map(|(_, value)| value.trim().to_string())
                .collect()
        };
        let urls = all("evidence_url");
        let documents = all("evidence_document_id");
        let dates = all("evidence_date");
        let passages = all("evidence_passage");
        let n_rows = urls
            .len()
            .max(documents.len())
            .max(dates.len())
            .max(passages.len());
        let at = |values: &[String], i: usize| values.get(i).cloned().unwrap_or_default();
        let rows = (0..n_rows)
            .map(|i| EvidenceRow {
                url: at(&urls, i),
                document_id: at(&documents, i),
                date: at(&dates, i),
                passage: at(&passages, i),
            })
            .filter(|row| {
                [&row.url, &row.document_id, &row.date, &row.passage]
                    .iter()
                    .any(|v| !v.is_empty())
            })
            .collect();
        let picked = form.get("member").to_string();
        if !picked.is_empty() && !members.contains(&picked) {
            members.push(picked.clone());
        }
        AssessmentForm {
            key: "again".into(),
            action: action(commitment_id),
            member: String::new(),
            members,
            picked,
            member_other: form.get("member_other").to_string(),
            score: form.get("score").to_string(),
            status: form.get("status").to_string(),
            rationale: form.get("rationale").to_string(),
            evidence: with_blank_rows(rows),
            base_revision: form.get("base_revision").to_string(),
        }
    }

    /// The member the form is about: the one typed in, else the one
    /// picked (or fixed).
    fn chosen_member(&self) -> &str {
        if !self.member_other.is_empty() {
            &self.member_other
        } else if !self.member.is_empty() {
            &self.member
        } else {
            &self.picked
        }
    }

    /// The change the form asks for, in the API's terms.
    fn to_input(&self, commitment_id: &str) -> Result<NewAssessmentIn> {
        let score = match self.score.as_str() {
            "" => None,
            "1" | "+1" => Some(1),
            "0" => Some(0),
            "-1" | "−1" => Some(-1),
            other => {
                return Err(Error::BadRequest(format!(
                    "score {other:?}: use +1, 0, −1 or not scored"
                )))
            }
        };
        let base_revision = if self.base_revision.is_empty() {
            0
        } else {
            self.base_revision.parse().map_err(|_| {
                Error::BadRequest(format!(
                    "base revision {:?} is not a number",
                    self.base_revision
                ))
            })?
        };
        Ok(NewAssessmentIn {
            commitment_id: commitment_id.to_string(),
            member: self.chosen_member().to_string(),
            score,
            status: self.status.clone(),
            rationale: self.rationale.clone(),
            evidence: self
                .evidence
                .iter()
                .map(|row| EvidenceItem {
                    url: Some(row.url.clone()),
                    document_id: Some(row.document_id.clone()),
                    date: Some(row.date.clone()),
                    passage: Some(row.passage.clone()),
                })
                .collect(),
            base_revision: Some(base_revision),
        })
    }
}

/// The choices of the form's selects.
fn form_choices() -> minijinja::Value {
    let scores = [
        ("", "not scored"),
        ("1", "+1 full compliance"),
        ("0", "0 partial compliance"),
        ("-1", "−1 no compliance"),
    ]
    .map(|(value, label)| context! { value, label });
    let statuses: Vec<minijinja::Value> = Status::ALL
        .iter()
        .map(|s| context! { value => s.as_str(), label => s.label() })
        .collect();
    context! { scores, statuses }
}

/// The members a commitment's form offers: its actors, or else the issuers
/// of its summit's documents; then anyone already assessed.
fn members_of(ledger: &Ledger, commitment_id: &str, assessed: &[String]) -> Vec<String> {
    let mut members: Vec<String> = Vec::new();
    let mut add = |m: &str| {
        let m = m.trim().to_ascii_uppercase();
        if !m.is_empty() && !members.contains(&m) {
            members.push(m);
        }
    };
    if let Some(c) = ledger.commitment(commitment_id) {
        c.actors.iter().for_each(|a| add(a));
        if c.actors.is_empty() {
            let summit = ledger.document_of(c).and_then(|d| d.summit.clone());
            if summit.is_some() {
                for d in &ledger.documents {
                    if d.summit == summit {
                        if let Some(issuer) = &d.issuer {
                            add(issuer);
                        }
                    }
                }
            }
        }
    }
    assessed.iter().for_each(|m| add(m));
    members
}

/// A member's assessments on a commitment's page.
#[derive(Debug, Serialize)]
struct MemberView {
    member: String,
    anchor: String,
    current: Option<AssessmentView>,
    /// Every revision, newest first.
    history: Vec<AssessmentView>,
    /// The form to revise it (analysts only).
    form: Option<AssessmentForm>,
}

/// An evidence suggestion as shown.
#[derive(Debug, Serialize)]
struct SuggestionView {
    id: String,
    passage: String,
    score: String,
    status: &'static str,
    document_id: String,
    document_href: Option<String>,
    document_title: Option<String>,
    decided_by: Option<String>,
    accept: String,
    reject: String,
}

impl SuggestionView {
    fn new(s: &Suggestion, ledger: &Ledger) -> SuggestionView {
        let document = ledger.document(&s.document_id);
        SuggestionView {
            id: s.id.clone(),
            passage: s.passage.clone(),
            score: format!("{:.2}", s.score),
            status: s.status.as_str(),
            document_id: s.document_id.clone(),
            document_href: document.map(|d| format!("/documents/{}", encode(&d.id))),
            document_title: document
                .map(|d| d.title.clone().unwrap_or_else(|| d.source_file.clone())),
            decided_by: s.decided_by.clone(),
            accept: format!("/suggestions/{}/accept", encode(&s.id)),
            reject: format!("/suggestions/{}/reject", encode(&s.id)),
        }
    }
}

/// The assessments part of a commitment's page: per member the current
/// assessment, its history and (for analysts) the form to revise it; the
/// form to assess another member; evidence suggestions.
pub(crate) async fn section(
    state: &AppState,
    ledger: &Ledger,
    viewer: &Viewer,
    commitment_id: &str,
) -> Result<minijinja::Value> {
    let store = state.store();
    let history = store.assessment_history(commitment_id, None).await?;
    let filter = SuggestionFilter {
        commitment: Some(commitment_id),
        status: None,
    };
    let suggestions: Vec<Suggestion> = store.suggestions(filter).try_collect().await?;
    let analyst = viewer.can(Role::Analyst);
    let mut assessed: Vec<String> = Vec::new();
    for a in &history {
        if !assessed.contains(&a.member) {
            assessed.push(a.member.clone());
        }
    }
    let members = members_of(ledger, commitment_id, &assessed);
    let mut views = Vec::new();
    for member in &members {
        let mut revisions: Vec<&Assessment> =
            history.iter().filter(|a| &a.member == member).collect();
        revisions.sort_by_key(|a| std::cmp::Reverse(a.revision));
        let current = revisions.first().copied();
        views.push(MemberView {
            member: member.clone(),
            anchor: anchor(member),
            current: current.map(|a| AssessmentView::new(a, ledger)),
            history: revisions
                .iter()
                .map(|a| AssessmentView::new(a, ledger))
                .collect(),
            form: current.filter(|_| analyst).map(AssessmentForm::revise),
        });
    }
    let not_assessed: Vec<String> = members
        .iter()
        .filter(|m| !assessed.contains(m))
        .cloned()
        .collect();
    let new_form = analyst.then(|| AssessmentForm::blank(commitment_id, not_assessed));
    let pending: Vec<SuggestionView> = suggestions
        .iter()
        .filter(|s| s.status == Decision::Pending)
        .map(|s| SuggestionView::new(s, ledger))
        .collect();
    let accepted: Vec<SuggestionView> = suggestions
        .iter()
        .filter(|s| s.status == Decision::Accepted)
        .map(|s| SuggestionView::new(s, ledger))
        .collect();
    Ok(context! {
        members => views,
        new_form,
        pending,
        accepted,
        analyst,
        choices => form_choices(),
        n_assessed => assessed.len(),
    })
}

/// `GET /commitments/{id}/assessments`: the assessments are on the
/// commitment's page.
async fn to_assessments(PagePath(id): PagePath<String>) -> Response {
    see_other(&format!("/commitments/{}#assessments", encode(&id)))
}

/// `POST /commitments/{id}/assessments` (analysts): saves a new revision
/// and goes back to the commitment's page, or answers the form again (400
/// refused, 409 someone else changed it).
async fn assess(
    PageUser { user, viewer, .. }: PageUser<AnalystRole>,
    State(state): State<AppState>,
    PagePath(id): PagePath<String>,
    form: PageForm,
) -> Response {
    let ledger = state.ledger();
    let Some(commitment) = ledger.commitment(&id) else {
        return error_response(&viewer, Error::NotFound(format!("no commitment {id}")));
    };
    let members = members_of(&ledger, &id, &[]);
    let mut submitted = AssessmentForm::submitted(&id, &form, members);
    let change = submitted.to_input(&id).and_then(|input| input.check());
    let change = match change {
        Ok(change) => change,
        Err(e) => return form_again(&viewer, &ledger, &id, &commitment.text, submitted, e, None),
    };
    match state.store().assess(&change, &user.name).await {
        Ok(saved) => see_other(&format!(
            "/commitments/{}#{}",
            encode(&id),
            anchor(&saved.member)
        )),
        Err(accord_store::Error::Conflict(message)) => {
            let member = change.member.trim().to_ascii_uppercase();
            let current = state
                .store()
                .current_assessments(&AssessmentFilter {
                    commitment_id: Some(id.clone()),
                    member: Some(member.clone()),
                    summit: None,
                })
                .await
                .unwrap_or_default()
                .into_iter()
                .next();
            // Offer the writer's text again, now based on what is current:
            // sending it again replaces their version knowingly.
            submitted.member = member;
            submitted.member_other = String::new();
            submitted.base_revision = current.as_ref().map_or(0, |a| a.revision).to_string();
            form_again(
                &viewer,
                &ledger,
                &id,
                &commitment.text,
                submitted,
                Error::Conflict(message),
                current.as_ref(),
            )
        }
        Err(e) => form_again(
            &viewer,
            &ledger,
            &id,
            &commitment.text,
            submitted,
            e.into(),
            None,
        ),
    }
}

/// The form again, with what went wrong and (on a conflict) the version
/// someone else saved.
fn form_again(
    viewer: &Viewer,
    ledger: &Ledger,
    commitment_id: &str,
    commitment_text: &str,
    form: AssessmentForm,
    error: Error,
    current: Option<&Assessment>,
) -> Response {
    let (status, message) = error.status_and_message();
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        return error_response(viewer, error);
    }
    let conflict = status == StatusCode::CONFLICT;
    render_page_with_status(
        viewer,
        status,
        "assessment_error.html",
        context! {
            conflict,
            message,
            form,
            choices => form_choices(),
            current => current.map(|a| AssessmentView::new(a, ledger)),
            commitment_id,
            commitment_text,
            commitment_href => format!("/commitments/{}", encode(commitment_id)),
        },
    )
}

/// `POST /suggestions/{id}/accept` and `…/reject` (analysts).
async fn decide(
    PageUser { user, viewer, .. }: PageUser<AnalystRole>,
    State(state): State<AppState>,
    PagePath((id, decision)): PagePath<(String, String)>,
) -> Response {
    let decision = match decision.as_str() {
        "accept" => Decision::Accepted,
        "reject" => Decision::Rejected,
        _ => return error_response(&viewer, Error::NotFound("no such page".into())),
    };
    match state
        .store()
        .decide_suggestion(&id, decision, &user.name)
        .await
    {
        Ok(s) => see_other(&format!(
            "/commitments/{}#suggestions",
            encode(&s.commitment_id)
        )),
        Err(e) => error_response(&viewer, e.into()),
    }
}

/// A horizontal bar of a percentage, laid out for SVG.
#[derive(Debug, Serialize)]
struct PercentBar {
    label: String,
    value: String,
    y: i64,
    width: i64,
    class: &'static str,
}

const BAR_HEIGHT: i64 = 22;
const BAR_MAX: i64 = 380;

fn percent_class(percent: f64) -> &'static str {
    if percent >= 75.0 {
        "full"
    } else if percent >= 50.0 {
        "partial"
    } else {
        "none"
    }
}

/// A compliance row as the tables show it.
#[derive(Debug, Serialize)]
struct ComplianceRow {
    key: String,
    href: Option<String>,
    scored: usize,
    full: usize,
    partial: usize,
    none: usize,
    average: String,
    percent: String,
}

fn rows(
    table: &[accord_assess::scorecard::Compliance],
    href: impl Fn(&str) -> Option<String>,
) -> Vec<ComplianceRow> {
    table
        .iter()
        .map(|c| ComplianceRow {
            key: c.key.clone(),
            href: href(&c.key),
            scored: c.scored,
            full: c.full,
            partial: c.partial,
            none: c.none,
            average: format!("{:+.2}", c.average),
            percent: format!("{:.0}%", c.percent),
        })
        .collect()
}

/// `GET /scorecard`: compliance per member, theme and summit, the chart,
/// the matrix and the overdue list.
async fn scorecard(
    viewer: Viewer,
    State(state): State<AppState>,
    PageQuery(params): PageQuery<ScorecardParams>,
) -> Result<Response, PageError> {
    let today = today();
    let card = crate::compliance::scorecard(&state, &params, &today).await?;
    let ledger = state.ledger();
    let bars: Vec<PercentBar> = card
        .by_member
        .iter()
        .enumerate()
        .map(|(i, c)| PercentBar {
            label: short(&c.key, 24),
            value: format!("{:.0}%", c.percent),
            y: 10 + i as i64 * BAR_HEIGHT,
            width: ((c.percent / 100.0 * BAR_MAX as f64).round() as i64).max(1),
            class: percent_class(c.percent),
        })
        .collect();
    let chart_height = 20 + bars.len().max(1) as i64 * BAR_HEIGHT;
    let matrix: Vec<minijinja::Value> = card
        .lines
        .iter()
        .map(|line| {
            let cells: Vec<minijinja::Value> = line
                .cells
                .iter()
                .zip(&card.members)
                .map(|(cell, member)| match cell {
                    Some(cell) => context! {
                        text => score_text(cell.score),
                        class => score_class(cell.score),
                        title => format!("{member}: {} ({}, revision {})", score_label(cell.score), cell.status.label(), cell.revision),
                    },
                    None => context! { text => "", class => "absent", title => format!("{member}: not assessed") },
                })
                .collect();
            context! {
                id => line.commitment_id,
                href => format!("/commitments/{}#assessments", encode(&line.commitment_id)),
                text => short(&line.text, 90),
                full_text => line.text,
                summit => line.summit,
                deadline => line.deadline,
                average => line.average.map(|a| format!("{a:+.2}")),
                cells,
            }
        })
        .collect();
    let overdue: Vec<minijinja::Value> = card
        .overdue
        .iter()
        .map(|o| {
            context! {
                href => format!("/commitments/{}#{}", encode(&o.commitment_id), anchor(&o.member)),
                text => short(&o.text, 140),
                deadline => o.deadline,
                member => o.member,
                score => score_text(o.score),
                score_class => score_class(o.score),
                assessed => o.score.is_some(),
            }
        })
        .collect();
    let summits: Vec<String> = crate::views::summits(&ledger)
        .into_iter()
        .filter_map(|s| s.summit)
        .collect();
    let themes: Vec<&str> = Theme::ALL.iter().map(|t| t.as_str()).collect();
    let query = params.query_string();
    let suffix = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    let title = scorecard_title(&params);
    let o = &card.overall;
    Ok(render_page(
        &viewer,
        "scorecard.html",
        context! {
            title,
            today,
            summits,
            themes,
            selected => context! {
                summit => params.summit().unwrap_or(""),
                theme => params.theme.as_deref().unwrap_or(""),
            },
            overall => context! {
                scored => o.scored, full => o.full, partial => o.partial, none => o.none,
                average => format!("{:+.2}", o.average),
                percent => format!("{:.0}%", o.percent),
            },
            by_member => rows(&card.by_member, |_| None),
            by_theme => rows(&card.by_theme, |k| {
                let mut p = params.clone();
                p.theme = Some(k.to_string());
                Some(format!("/scorecard?{}", p.query_string()))
            }),
            by_summit => rows(&card.by_summit, |k| {
                let mut p = params.clone();
                p.summit = Some(k.to_string());
                Some(format!("/scorecard?{}", p.query_string()))
            }),
            bars,
            chart_height,
            members => card.members,
            matrix,
            overdue,
            markdown => format!("/scorecard.md{suffix}"),
            csv => format!("/scorecard.csv{suffix}"),
        },
    )?)
}

fn scorecard_title(params: &ScorecardParams) -> String {
    let mut title = "Compliance scorecard".to_string();
    if let Some(summit) = params.summit() {
        title.push_str(&format!(": {summit}"));
    }
    if let Some(theme) = params.theme.as_deref().filter(|t| !t.trim().is_empty()) {
        title.push_str(&format!(" ({})", theme.trim()));
    }
    title
}

fn download(body: String, content_type: &'static str, file_name: &'static str) -> Response {
    let mut response = with_content_type(body, content_type);
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static(file_name),
    );
    response.into_response()
}

/// `GET /scorecard.md`: the scorecard as a Markdown report.
async fn scorecard_markdown(
    State(state): State<AppState>,
    PageQuery(params): PageQuery<ScorecardParams>,
) -> Result<Response, PageError> {
    let card = crate::compliance::scorecard(&state, &params, &today()).await?;
    Ok(download(
        accord_assess::report::markdown(&card, &scorecard_title(&params)),
        "text/markdown; charset=utf-8",
        "attachment; filename=\"accord-scorecard.md\"",
    ))
}

/// `GET /scorecard.csv`: the scorecard's groups (member, theme, summit,
/// overall) as CSV.
async fn scorecard_csv(
    State(state): State<AppState>,
    PageQuery(params): PageQuery<ScorecardParams>,
) -> Result<Response, PageError> {
    let card = crate::compliance::scorecard(&state, &params, &today()).await?;
    Ok(download(
        accord_assess::report::csv(&card),
        "text/csv; charset=utf-8",
        "attachment; filename=\"accord-scorecard.csv\"",
    ))
}
