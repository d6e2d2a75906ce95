//! The JSON API under `/api/v1/`, and its OpenAPI description
//! ([`ApiDoc`], served at `/api/v1/openapi.json`), generated from the
//! handlers' annotations so that it cannot drift from the code.
//!
//! Reading needs no credentials unless the server was started private;
//! writing needs an API token (`Authorization: Bearer acc_…`) or a login
//! session of a user whose role allows it (see `auth`).

use crate::auth::{AdminRole, AnalystRole, AnyRole, ApiUser};
use crate::compliance::{
    AssessmentOut, AssessmentsOut, AuditOut, MeOut, NewAssessmentIn, ScorecardOut, ScorecardParams,
    SuggestionOut,
};
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery, Error, ErrorBody};
use crate::state::AppState;
use crate::views::{
    self, CommitmentDetail, CommitmentFilter, CommitmentPage, CompareOut, CompareParams,
    DashboardOut, DocumentOut, LineageOut, LineageParams, SearchOut, SearchParams, SummitOut,
};
use accord_store::assess::{AssessmentFilter, Decision, SuggestionFilter};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

/// The API's routes, relative to `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/summits", get(summits))
        .route("/documents", get(documents))
        .route("/documents/{id}", get(document))
        .route("/commitments", get(commitments))
        .route("/commitments/{id}", get(commitment))
        .route("/search", get(search))
        .route("/compare", get(compare))
        .route("/lineage", get(lineage))
        .route("/dashboard", get(dashboard))
        .route("/export", get(export))
        .route("/commitments/{id}/assessments", get(commitment_assessments))
        .route("/assessments", post(create_assessment))
        .route("/scorecard", get(scorecard))
        .route("/suggestions", get(suggestions))
        .route("/suggestions/{id}/accept", post(accept_suggestion))
        .route("/suggestions/{id}/reject", post(reject_suggestion))
        .route("/audit", get(audit))
        .route("/me", get(me))
        .route("/openapi.json", get(openapi))
        .fallback(crate::error::api_not_found)
        .method_not_allowed_fallback(crate::error::api_method_not_allowed)
}

/// The OpenAPI description of the API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Accord API",
        version = "1",
        description = "The ledger of summit commitments: summits, documents, commitments, search, comparison of versions, lineage across summits, export; compliance assessments, evidence suggestions, scorecards and the audit log. Writing needs an API token (Authorization: Bearer acc_…) of an analyst; the audit log, of an admin. A change to an assessment carries the revision it was based on, and is refused with 409 when someone else changed it since."
    ),
    paths(
        summits,
        documents,
        document,
        commitments,
        commitment,
        search,
        compare,
        lineage,
        dashboard,
        export,
        commitment_assessments,
        create_assessment,
        scorecard,
        suggestions,
        accept_suggestion,
        reject_suggestion,
        audit,
        me
    ),
    components(schemas(ErrorBody)),
    modifiers(&BearerToken)
)]
pub struct ApiDoc;

/// Adds the API token scheme (`token`) to the description.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// Summits with their documents, issuers and counts by theme.
#[utoipa::path(get, path = "/api/v1/summits", responses(
    (status = 200, description = "Every summit, latest first; documents of no summit last", body = [SummitOut])
))]
pub async fn summits(State(state): State<AppState>) -> Json<Vec<SummitOut>> {
    Json(views::summits(&state.ledger()))
}

/// Every document.
#[utoipa::path(get, path = "/api/v1/documents", responses(
    (status = 200, description = "Every document, by summit, issuer, date", body = [DocumentOut])
))]
pub async fn documents(State(state): State<AppState>) -> Json<Vec<DocumentOut>> {
    Json(views::documents(&state.ledger()))
}

/// A document with its commitments.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentDetail {
    /// The document.
    pub document: DocumentOut,
    /// Its commitments, in order.
    pub commitments: Vec<views::CommitmentOut>,
}

/// One document with its commitments.
#[utoipa::path(get, path = "/api/v1/documents/{id}",
    params(("id" = String, Path, description = "Document id")),
    responses(
        (status = 200, description = "The document", body = DocumentDetail),
        (status = 404, description = "No such document", body = ErrorBody)
    ))]
pub async fn document(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<DocumentDetail>, ApiError> {
    let (document, commitments) = views::document(&state.ledger(), &id)?;
    Ok(Json(DocumentDetail {
        document,
        commitments,
    }))
}

/// Commitments, filtered and paged.
#[utoipa::path(get, path = "/api/v1/commitments", params(CommitmentFilter), responses(
    (status = 200, description = "One page of matching commitments", body = CommitmentPage),
    (status = 400, description = "Bad filter", body = ErrorBody)
))]
pub async fn commitments(
    State(state): State<AppState>,
    ApiQuery(filter): ApiQuery<CommitmentFilter>,
) -> Result<Json<CommitmentPage>, ApiError> {
    Ok(Json(views::commitments(&state.ledger(), &filter)?))
}

/// One commitment with the same commitment in other versions and its
/// lineage.
#[utoipa::path(get, path = "/api/v1/commitments/{id}",
    params(("id" = String, Path, description = "Commitment id")),
    responses(
        (status = 200, description = "The commitment", body = CommitmentDetail),
        (status = 404, description = "No such commitment", body = ErrorBody)
    ))]
pub async fn commitment(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<CommitmentDetail>, ApiError> {
    Ok(Json(views::commitment(&state.ledger(), &id)?))
}

/// Full-text search with facets.
#[utoipa::path(get, path = "/api/v1/search", params(SearchParams), responses(
    (status = 200, description = "Hits, best first, with facet counts", body = SearchOut),
    (status = 400, description = "Bad parameters", body = ErrorBody)
))]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<SearchOut>, ApiError> {
    Ok(Json(views::search(&state.ledger(), &params, 20)?))
}

/// Two or three versions of one summit side by side.
#[utoipa::path(get, path = "/api/v1/compare", params(CompareParams), responses(
    (status = 200, description = "Aligned rows with word-level differences, and what only one version has", body = CompareOut),
    (status = 400, description = "Bad parameters", body = ErrorBody),
    (status = 404, description = "No such summit or document", body = ErrorBody)
))]
pub async fn compare(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<CompareParams>,
) -> Result<Json<CompareOut>, ApiError> {
    Ok(Json(views::compare(&state.ledger(), &params)?))
}

/// An initiative, theme or chain of commitments across summits.
#[utoipa::path(get, path = "/api/v1/lineage", params(LineageParams), responses(
    (status = 200, description = "Commitments per summit, earlier first, and the links among them", body = LineageOut),
    (status = 400, description = "Bad parameters", body = ErrorBody),
    (status = 404, description = "No such commitment", body = ErrorBody)
))]
pub async fn lineage(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<LineageParams>,
) -> Result<Json<LineageOut>, ApiError> {
    Ok(Json(views::lineage(&state.ledger(), &params)?))
}

/// Counts per theme, issuer, target year and deadline year.
#[utoipa::path(get, path = "/api/v1/dashboard", responses(
    (status = 200, description = "The dashboard's counts", body = DashboardOut)
))]
pub async fn dashboard(State(state): State<AppState>) -> Json<DashboardOut> {
    Json(views::dashboard(&state.ledger()))
}

/// The query string of an export.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `json` (default: the whole ledger, `accord-export/1`) or `csv`
    /// (one row per commitment).
    pub format: Option<String>,
}

/// The whole ledger.
#[utoipa::path(get, path = "/api/v1/export", params(ExportParams), responses(
    (status = 200, description = "The ledger as accord-export/1 JSON, or CSV with one row per commitment"),
    (status = 400, description = "Unknown format", body = ErrorBody)
))]
pub async fn export(
    State(state): State<AppState>,
    in_flight: Option<axum::Extension<crate::limits::InFlight>>,
    ApiQuery(params): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    let ledger = state.ledger();
    // The download counts as in progress until it is sent.
    let place = in_flight.and_then(|axum::Extension(in_flight)| in_flight.take());
    match params.format.as_deref().unwrap_or("json") {
        "json" => Ok(crate::export::ledger_json(ledger, place)),
        "csv" => Ok(crate::export::ledger_csv(ledger, place)),
        other => Err(ApiError(crate::error::Error::BadRequest(format!(
            "unknown export format {other:?}: use json or csv"
        )))),
    }
}

/// The assessments of one commitment: the current one per member, and
/// every revision.
#[utoipa::path(get, path = "/api/v1/commitments/{id}/assessments",
    params(("id" = String, Path, description = "Commitment id")),
    responses(
        (status = 200, description = "Current assessments and their history", body = AssessmentsOut),
        (status = 404, description = "No such commitment", body = ErrorBody)
    ))]
pub async fn commitment_assessments(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<AssessmentsOut>, ApiError> {
    if state.ledger().commitment(&id).is_none() {
        return Err(ApiError(Error::NotFound(format!("no commitment {id}"))));
    }
    let store = state.store();
    let current = store
        .current_assessments(&AssessmentFilter {
            commitment_id: Some(id.clone()),
            ..AssessmentFilter::default()
        })
        .await?;
    let history = store.assessment_history(&id, None).await?;
    Ok(Json(AssessmentsOut {
        commitment_id: id,
        current: current.iter().map(AssessmentOut::from).collect(),
        history: history.iter().map(AssessmentOut::from).collect(),
    }))
}

/// Records a new revision of an assessment (analysts).
#[utoipa::path(post, path = "/api/v1/assessments",
    request_body = NewAssessmentIn,
    security(("token" = [])),
    responses(
        (status = 201, description = "The revision saved", body = AssessmentOut),
        (status = 400, description = "A value is refused", body = ErrorBody),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The user is not an analyst", body = ErrorBody),
        (status = 404, description = "No such commitment", body = ErrorBody),
        (status = 409, description = "Someone else changed the assessment since base_revision: read it again", body = ErrorBody)
    ))]
pub async fn create_assessment(
    ApiUser { user, .. }: ApiUser<AnalystRole>,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<NewAssessmentIn>,
) -> Result<(StatusCode, Json<AssessmentOut>), ApiError> {
    let change = input.check()?;
    let saved = state.store().assess(&change, &user.name).await?;
    Ok((StatusCode::CREATED, Json(AssessmentOut::from(&saved))))
}

/// Compliance per member, theme and summit, the member × commitment
/// matrix, and deadlines passed without full compliance.
#[utoipa::path(get, path = "/api/v1/scorecard", params(ScorecardParams), responses(
    (status = 200, description = "The scorecard of the selected commitments", body = ScorecardOut),
    (status = 400, description = "Unknown theme", body = ErrorBody)
))]
pub async fn scorecard(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ScorecardParams>,
) -> Result<Json<ScorecardOut>, ApiError> {
    let today = crate::compliance::today();
    let card = crate::compliance::scorecard(&state, &params, &today).await?;
    Ok(Json(ScorecardOut::new(&card, &params, &today)))
}

/// The query string of the suggestions.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestionParams {
    /// Only suggestions for this commitment.
    pub commitment: Option<String>,
    /// Only pending, accepted or rejected ones.
    pub status: Option<String>,
    /// Suggestions to skip (default 0).
    pub offset: Option<u64>,
    /// Suggestions to return (default 50, at most 1000).
    pub limit: Option<u64>,
}

/// A page of evidence suggestions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SuggestionPage {
    /// Matching suggestions in all.
    pub total: u64,
    /// Skipped.
    pub offset: u64,
    /// Page size.
    pub limit: u64,
    /// This page, best first.
    pub items: Vec<SuggestionOut>,
}

/// Evidence suggestions: passages of later documents that may report on a
/// commitment, best first, a page at a time.
#[utoipa::path(get, path = "/api/v1/suggestions", params(SuggestionParams), responses(
    (status = 200, description = "One page of suggestions, best first", body = SuggestionPage),
    (status = 400, description = "Unknown status", body = ErrorBody)
))]
pub async fn suggestions(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SuggestionParams>,
) -> Result<Json<SuggestionPage>, ApiError> {
    let status = match params
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(name) => Some(Decision::parse(name).ok_or_else(|| {
            Error::BadRequest(format!(
                "unknown status {name:?}: use pending, accepted or rejected"
            ))
        })?),
    };
    let commitment = params
        .commitment
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let offset = params.offset.unwrap_or(0);
    let limit = params.limit.unwrap_or(50).clamp(1, 1000);
    let filter = SuggestionFilter { commitment, status };
    let page = state.store().suggestion_page(filter, offset, limit).await?;
    Ok(Json(SuggestionPage {
        total: page.total,
        offset,
        limit,
        items: page.items.iter().map(SuggestionOut::from).collect(),
    }))
}

async fn decide(
    state: &AppState,
    id: &str,
    decision: Decision,
    actor: &str,
) -> Result<Json<SuggestionOut>, ApiError> {
    let decided = state.store().decide_suggestion(id, decision, actor).await?;
    Ok(Json(SuggestionOut::from(&decided)))
}

/// Accepts a suggestion as evidence (analysts).
#[utoipa::path(post, path = "/api/v1/suggestions/{id}/accept",
    params(("id" = String, Path, description = "Suggestion id")),
    security(("token" = [])),
    responses(
        (status = 200, description = "The suggestion, accepted", body = SuggestionOut),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The user is not an analyst", body = ErrorBody),
        (status = 404, description = "No such suggestion", body = ErrorBody)
    ))]
pub async fn accept_suggestion(
    ApiUser { user, .. }: ApiUser<AnalystRole>,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<SuggestionOut>, ApiError> {
    decide(&state, &id, Decision::Accepted, &user.name).await
}

/// Rejects a suggestion: it is not evidence, and is not suggested again
/// (analysts).
#[utoipa::path(post, path = "/api/v1/suggestions/{id}/reject",
    params(("id" = String, Path, description = "Suggestion id")),
    security(("token" = [])),
    responses(
        (status = 200, description = "The suggestion, rejected", body = SuggestionOut),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The user is not an analyst", body = ErrorBody),
        (status = 404, description = "No such suggestion", body = ErrorBody)
    ))]
pub async fn reject_suggestion(
    ApiUser { user, .. }: ApiUser<AnalystRole>,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<SuggestionOut>, ApiError> {
    decide(&state, &id, Decision::Rejected, &user.name).await
}

/// The query string of the audit log.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only entries whose subject starts with this (a commitment id, a
    /// user name, …).
    pub subject: Option<String>,
    /// How many entries at most, newest first (default 200, at most 1000).
    pub limit: Option<i64>,
}

/// The audit log, newest first (admins).
#[utoipa::path(get, path = "/api/v1/audit", params(AuditParams),
    security(("token" = [])),
    responses(
        (status = 200, description = "Audit entries, newest first", body = [AuditOut]),
        (status = 401, description = "No valid token or session", body = ErrorBody),
        (status = 403, description = "The user is not an admin", body = ErrorBody)
    ))]
pub async fn audit(
    _admin: ApiUser<AdminRole>,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> Result<Json<Vec<AuditOut>>, ApiError> {
    let limit = params.limit.unwrap_or(200).clamp(1, 1000);
    let subject = params
        .subject
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let entries = state.store().audit_log(subject, limit).await?;
    Ok(Json(entries.iter().map(AuditOut::from).collect()))
}

/// The user asking.
#[utoipa::path(get, path = "/api/v1/me",
    security(("token" = [])),
    responses(
        (status = 200, description = "The user the token or session belongs to", body = MeOut),
        (status = 401, description = "No valid token or session", body = ErrorBody)
    ))]
pub async fn me(ApiUser { user, via, .. }: ApiUser<AnyRole>) -> Json<MeOut> {
    Json(MeOut::new(&user, via))
}

/// The OpenAPI description.
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
