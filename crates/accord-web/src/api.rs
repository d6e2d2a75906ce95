//! The JSON API under `/api/v1/`, and its OpenAPI description
//! ([`ApiDoc`], served at `/api/v1/openapi.json`), generated from the
//! handlers' annotations so that it cannot drift from the code.

use crate::error::{ApiError, ApiPath, ApiQuery, ErrorBody};
use crate::state::AppState;
use crate::views::{
    self, CommitmentDetail, CommitmentFilter, CommitmentPage, CompareOut, CompareParams,
    DashboardOut, DocumentOut, LineageOut, LineageParams, SearchOut, SearchParams, SummitOut,
};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

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
        description = "The ledger of summit commitments: summits, documents, commitments, search, comparison of versions, lineage across summits, export."
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
        export
    ),
    components(schemas(ErrorBody))
)]
pub struct ApiDoc;

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
    ApiQuery(params): ApiQuery<ExportParams>,
) -> Result<Response, ApiError> {
    let ledger = state.ledger();
    match params.format.as_deref().unwrap_or("json") {
        "json" => Ok(Json(crate::export::ledger_json(&ledger)).into_response()),
        "csv" => {
            let items: Vec<views::CommitmentOut> = ledger
                .commitments
                .iter()
                .map(|c| views::CommitmentOut::new(&ledger, c))
                .collect();
            Ok(crate::export::csv_response(
                &items,
                None,
                "accord-ledger.csv",
            )?)
        }
        other => Err(ApiError(crate::error::Error::BadRequest(format!(
            "unknown export format {other:?}: use json or csv"
        )))),
    }
}

/// The OpenAPI description.
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
