//! The HTML pages: home (summits and deadlines), search, document,
//! commitment (with its assessments), compare, lineage and dashboard;
//! `compliance` adds the assessment form, evidence decisions and the
//! scorecard, `account` the login form and the admin page.
//! Server-rendered, no JavaScript: every change is a plain form post
//! answered with a 303 (or the form again, with what went wrong).
//!
//! Templates live in `templates/` and are rendered by minijinja with
//! auto-escaping on (every template name ends in `.html`): ingested text
//! is always escaped. Links taken from ingested documents are shown as
//! links only when they are `http(s)`. Every page carries a
//! Content-Security-Policy that forbids scripts, as a second wall.

pub mod account;
pub mod compliance;

use crate::auth::Viewer;
use crate::error::{with_content_type, Error, PageError, PagePath, PageQuery, Result};
use crate::state::{AppState, Ledger};
use crate::views::{self, encode, CompareParams, Count, LineageParams, SearchParams};
use accord_search::Dimension;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use minijinja::{context, Environment, UndefinedBehavior};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/search", get(search))
        .route("/search.csv", get(search_csv))
        .route("/documents/{id}", get(document))
        .route("/commitments/{id}", get(commitment))
        .route("/compare", get(compare))
        .route("/lineage", get(lineage))
        .route("/dashboard", get(dashboard))
        .route("/static/style.css", get(style))
        .merge(account::routes())
        .merge(compliance::routes())
}

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("search.html", include_str!("../templates/search.html")),
    ("document.html", include_str!("../templates/document.html")),
    (
        "commitment.html",
        include_str!("../templates/commitment.html"),
    ),
    ("compare.html", include_str!("../templates/compare.html")),
    ("lineage.html", include_str!("../templates/lineage.html")),
    (
        "dashboard.html",
        include_str!("../templates/dashboard.html"),
    ),
    ("login.html", include_str!("../templates/login.html")),
    ("admin.html", include_str!("../templates/admin.html")),
    ("token.html", include_str!("../templates/token.html")),
    (
        "scorecard.html",
        include_str!("../templates/scorecard.html"),
    ),
    (
        "assessment_error.html",
        include_str!("../templates/assessment_error.html"),
    ),
];

fn environment() -> &'static Environment<'static> {
    static ENVIRONMENT: OnceLock<Environment<'static>> = OnceLock::new();
    ENVIRONMENT.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.add_filter("urlencode_path", |value: String| encode(&value));
        for (name, source) in TEMPLATES {
            if let Err(e) = env.add_template(name, source) {
                // A broken template is a bug caught by the tests; the page
                // using it answers 500.
                eprintln!("error: template {name}: {e:#}");
            }
        }
        env
    })
}

fn render(name: &str, context: minijinja::Value) -> Result<String> {
    environment()
        .get_template(name)
        .and_then(|t| t.render(context))
        .map_err(|e| Error::Internal(format!("cannot render {name}: {e:#}")))
}

/// Sets the headers of every HTML page: type, and a policy that lets no
/// script run and loads nothing from elsewhere.
pub fn set_html_headers(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

fn page(html: String) -> Response {
    let mut response = Html(html).into_response();
    set_html_headers(&mut response);
    response
}

/// Renders template `name` as a page for `viewer` (who is shown in the
/// header).
pub(crate) fn render_page(
    viewer: &Viewer,
    name: &str,
    context: minijinja::Value,
) -> Result<Response> {
    let html = render(
        name,
        context! { viewer => viewer.for_template(), ..context },
    )?;
    Ok(page(html))
}

/// [`render_page`] with another status than 200.
pub(crate) fn render_page_with_status(
    viewer: &Viewer,
    status: StatusCode,
    name: &str,
    context: minijinja::Value,
) -> Response {
    match render_page(viewer, name, context) {
        Ok(mut response) => {
            *response.status_mut() = status;
            response
        }
        Err(e) => error_response(viewer, e),
    }
}

/// The HTML of an error page.
pub fn error_page(status: StatusCode, message: &str) -> String {
    render(
        "error.html",
        context! { status => status.as_u16(), reason => status.canonical_reason().unwrap_or(""), message },
    )
    .unwrap_or_else(|_| format!("{status}"))
}

/// The answer for `error` on a page seen by `viewer`: an error page with
/// the error's status, or a 303 to the login form when nobody is logged
/// in.
pub(crate) fn error_response(viewer: &Viewer, error: Error) -> Response {
    let (status, message) = error.status_and_message();
    if status == StatusCode::UNAUTHORIZED {
        return crate::auth::to_login(&viewer.here);
    }
    let context = context! {
        status => status.as_u16(),
        reason => status.canonical_reason().unwrap_or(""),
        message,
    };
    match render_page(viewer, "error.html", context) {
        Ok(mut response) => {
            *response.status_mut() = status;
            response
        }
        Err(_) => PageError(error).into_response(),
    }
}

/// A link target taken from ingested data: kept only when it is http(s).
pub(crate) fn safe_url(url: Option<&str>) -> Option<String> {
    let url = url?.trim();
    accord_store::assess::web_address(url).then(|| url.to_string())
}

pub(crate) fn today() -> String {
    chrono::Utc::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

async fn home(viewer: Viewer, State(state): State<AppState>) -> Result<Response, PageError> {
    let ledger = state.ledger();
    let summits = views::summits(&ledger);
    let (upcoming, overdue) = views::deadlines(&ledger, &today(), 15);
    let summit_links: Vec<minijinja::Value> = summits
        .iter()
        .map(|s| {
            let search = match &s.summit {
                Some(name) => format!("/search?summit={}", encode(name)),
                None => "/search".to_string(),
            };
            let compare = s
                .summit
                .as_ref()
                .filter(|_| s.n_documents >= 2)
                .map(|name| format!("/compare?summit={}", encode(name)));
            let themes: Vec<minijinja::Value> = s
                .themes
                .iter()
                .map(|t| {
                    let mut params = SearchParams {
                        summit: s.summit.clone(),
                        theme: Some(t.key.clone()),
                        ..SearchParams::default()
                    };
                    params.offset = None;
                    context! { key => t.key, count => t.count, href => format!("/search?{}", params.query_string()) }
                })
                .collect();
            context! { search, compare, themes }
        })
        .collect();
    Ok(render_page(
        &viewer,
        "home.html",
        context! {
            summits, summit_links, upcoming, overdue,
            n_documents => ledger.documents.len(),
            n_commitments => ledger.commitments.len(),
            today => today(),
        },
    )?)
}

/// A facet value as the search page shows it.
#[derive(Debug, Serialize)]
struct FacetLink {
    value: String,
    count: u64,
    selected: bool,
    href: String,
}

/// A facet dimension as the search page shows it.
#[derive(Debug, Serialize)]
struct FacetGroup {
    name: &'static str,
    label: &'static str,
    values: Vec<FacetLink>,
}

/// Values shown per facet at most.
const FACET_VALUES: usize = 15;

fn dimension_label(d: Dimension) -> &'static str {
    match d {
        Dimension::Summit => "Summit",
        Dimension::Issuer => "Issuer",
        Dimension::Theme => "Theme",
        Dimension::Strength => "Strength",
        Dimension::Actor => "Actor",
        Dimension::HasTarget => "Has a target",
        Dimension::DeadlineYear => "Deadline year",
    }
}

async fn search(
    viewer: Viewer,
    State(state): State<AppState>,
    PageQuery(params): PageQuery<SearchParams>,
) -> Result<Response, PageError> {
    let ledger = state.ledger();
    let results = views::search(&ledger, &params, 20)?;
    let mut groups = Vec::new();
    for dimension in Dimension::ALL {
        let values: Vec<FacetLink> = results
            .facets
            .iter()
            .filter(|f| f.dimension == dimension.as_str())
            .take(FACET_VALUES)
            .map(|f| {
                let mut toggled = params.clone();
                toggled.offset = None;
                toggled.set(dimension, (!f.selected).then(|| f.value.clone()));
                FacetLink {
                    value: f.value.clone(),
                    count: f.count,
                    selected: f.selected,
                    href: format!("/search?{}", toggled.query_string()),
                }
            })
            .collect();
        if !values.is_empty() {
            groups.push(FacetGroup {
                name: dimension.as_str(),
                label: dimension_label(dimension),
                values,
            });
        }
    }
    let page_link = |offset: usize| {
        let mut p = params.clone();
        p.offset = Some(offset);
        format!("/search?{}", p.query_string())
    };
    let previous =
        (results.offset > 0).then(|| page_link(results.offset.saturating_sub(results.limit)));
    let next = (results.offset + results.limit < results.total)
        .then(|| page_link(results.offset + results.limit));
    let mut csv_params = params.clone();
    csv_params.offset = None;
    csv_params.limit = None;
    let csv = format!("/search.csv?{}", csv_params.query_string());
    Ok(render_page(
        &viewer,
        "search.html",
        context! {
            results, groups, previous, next, csv,
            first => results.offset + 1,
            last => results.offset + results.hits.len(),
        },
    )?)
}

/// Rows of a search downloaded as CSV at most.
const CSV_ROWS: usize = 10_000;

async fn search_csv(
    State(state): State<AppState>,
    PageQuery(mut params): PageQuery<SearchParams>,
) -> Result<Response, PageError> {
    let ledger = state.ledger();
    params.offset = None;
    params.limit = Some(CSV_ROWS);
    let results = views::search(&ledger, &params, CSV_ROWS)?;
    let scores: Vec<f32> = results.hits.iter().map(|h| h.score).collect();
    let items: Vec<views::CommitmentOut> = results.hits.into_iter().map(|h| h.commitment).collect();
    Ok(crate::export::csv_response(
        &items,
        Some(&scores),
        "accord-search.csv",
    )?)
}

async fn document(
    viewer: Viewer,
    State(state): State<AppState>,
    PagePath(id): PagePath<String>,
) -> Result<Response, PageError> {
    let ledger = state.ledger();
    let (document, commitments) = views::document(&ledger, &id)?;
    let source_url = safe_url(document.source_url.as_deref());
    Ok(render_page(
        &viewer,
        "document.html",
        context! { title => document.label(), document, commitments, source_url },
    )?)
}

/// A commitment in its section of the document: the text before, the
/// commitment, the text after.
#[derive(Debug, Serialize, Default)]
struct InContext {
    before: String,
    text: String,
    after: String,
}

/// Bytes of context shown on each side at most.
const CONTEXT_BYTES: usize = 1_500;

/// Finds `text` in the cleaned document and widens it to its section
/// (from the heading above to the next heading), at most
/// [`CONTEXT_BYTES`] either side.
fn in_context(document_text: &str, text: &str) -> Option<InContext> {
    let start = document_text.find(text)?;
    let end = start + text.len();
    let section_start = document_text[..start]
        .rfind("\n#")
        .map(|i| i + 1)
        .unwrap_or(0)
        .max(start.saturating_sub(CONTEXT_BYTES));
    let section_end = document_text[end..]
        .find("\n#")
        .map(|i| end + i)
        .unwrap_or(document_text.len())
        .min(end + CONTEXT_BYTES);
    let mut section_start = floor_char_boundary(document_text, section_start);
    let section_end = floor_char_boundary(document_text, section_end);
    // A cut context starts at a line.
    if section_start > 0 && !document_text[..section_start].ends_with('\n') {
        if let Some(i) = document_text[section_start..start].find('\n') {
            section_start += i + 1;
        }
    }
    Some(InContext {
        before: document_text[section_start..start].to_string(),
        text: text.to_string(),
        after: document_text[end..section_end].to_string(),
    })
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

async fn commitment(
    viewer: Viewer,
    State(state): State<AppState>,
    PagePath(id): PagePath<String>,
) -> Result<Response, PageError> {
    let ledger = state.ledger();
    let detail = views::commitment(&ledger, &id)?;
    let document = state.store().document(&detail.document.id).await?;
    let context = document
        .as_ref()
        .and_then(|d| in_context(&d.text, &detail.commitment.text))
        .unwrap_or_else(|| InContext {
            text: detail.commitment.text.clone(),
            ..InContext::default()
        });
    let compare = detail
        .document
        .summit
        .as_ref()
        .map(|s| format!("/compare?summit={}", encode(s)));
    let initiatives: Vec<minijinja::Value> = detail
        .commitment
        .initiatives
        .iter()
        .map(|name| context! { name, href => format!("/lineage?initiative={}", encode(name)) })
        .collect();
    let source_url = safe_url(detail.document.source_url.as_deref());
    let compliance = compliance::section(&state, &ledger, &viewer, &id).await?;
    Ok(render_page(
        &viewer,
        "commitment.html",
        context! {
            detail, context, compare, initiatives, source_url, compliance,
            document_title => detail.document.label(),
            lineage => format!("/lineage?commitment={}", encode(&id)),
        },
    )?)
}

/// The compare page's query string: the API's, or up to three documents
/// picked one per field.
#[derive(Debug, Clone, Default, Deserialize)]
struct ComparePageParams {
    summit: Option<String>,
    documents: Option<String>,
    a: Option<String>,
    b: Option<String>,
    c: Option<String>,
}

async fn compare(
    viewer: Viewer,
    State(state): State<AppState>,
    PageQuery(params): PageQuery<ComparePageParams>,
) -> Result<Response, PageError> {
    let ledger = state.ledger();
    let picked: Vec<String> = [&params.a, &params.b, &params.c]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect();
    let documents = if picked.is_empty() {
        params.documents.clone()
    } else {
        Some(picked.join(","))
    };
    let compare = views::compare(
        &ledger,
        &CompareParams {
            summit: params.summit.clone(),
            documents,
        },
    )?;
    let width = compare.documents.len();
    Ok(render_page(
        &viewer,
        "compare.html",
        context! { compare, width, slots => ["a", "b", "c"] },
    )?)
}

/// A commitment placed in the lineage picture.
#[derive(Debug, Serialize)]
struct PlacedNode {
    id: String,
    href: String,
    x: i64,
    y: i64,
    label: String,
    text: String,
    repeated: bool,
}

/// A link drawn in the lineage picture.
#[derive(Debug, Serialize)]
struct PlacedLink {
    x1: i64,
    y1: i64,
    x2: i64,
    y2: i64,
    kind: String,
}

const COLUMN_WIDTH: i64 = 340;
const ROW_HEIGHT: i64 = 30;
/// Where a node's label ends, from its column's left edge.
const LABEL_END: i64 = 262;
const TOP: i64 = 60;

pub(crate) fn short(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        let cut: String = text.chars().take(n).collect();
        format!("{}…", cut.trim_end())
    }
}

async fn lineage(
    viewer: Viewer,
    State(state): State<AppState>,
    PageQuery(params): PageQuery<LineageParams>,
) -> Result<Response, PageError> {
    let ledger = state.ledger();
    let themes: Vec<&str> = accord_model::Theme::ALL
        .iter()
        .map(|t| t.as_str())
        .collect();
    let chosen = [&params.initiative, &params.theme, &params.commitment]
        .into_iter()
        .any(|p| p.as_deref().is_some_and(|s| !s.is_empty()));
    if !chosen {
        // Nothing chosen yet: the form alone.
        return Ok(render_page(
            &viewer,
            "lineage.html",
            context! { lineage => (), themes, params => context! { theme => "", initiative => "" } },
        )?);
    }
    let lineage = views::lineage(&ledger, &params)?;
    let mut nodes = Vec::new();
    let mut at = std::collections::HashMap::new();
    let mut headers = Vec::new();
    let mut tallest = 0;
    for (i, column) in lineage.columns.iter().enumerate() {
        let x = 20 + i as i64 * COLUMN_WIDTH;
        headers.push(context! { x, summit => column.summit });
        tallest = tallest.max(column.nodes.len());
        for (j, node) in column.nodes.iter().enumerate() {
            let y = TOP + j as i64 * ROW_HEIGHT;
            at.insert(node.commitment.id.clone(), (x, y));
            nodes.push(PlacedNode {
                id: node.commitment.id.clone(),
                href: format!("/commitments/{}", encode(&node.commitment.id)),
                x,
                y,
                label: short(&node.commitment.text, 36),
                text: node.commitment.text.clone(),
                repeated: node.repeated,
            });
        }
    }
    let links: Vec<PlacedLink> = lineage
        .links
        .iter()
        .filter_map(|l| {
            let (x1, y1) = at.get(&l.earlier)?;
            let (x2, y2) = at.get(&l.later)?;
            // From the right end of the earlier label to the later node,
            // through the gutter between columns.
            Some(PlacedLink {
                x1: x1 + LABEL_END,
                y1: *y1,
                x2: *x2,
                y2: *y2,
                kind: l.kind.clone().unwrap_or_default(),
            })
        })
        .collect();
    let width = 40 + lineage.columns.len().max(1) as i64 * COLUMN_WIDTH;
    let height = TOP + tallest.max(1) as i64 * ROW_HEIGHT + 20;
    Ok(render_page(
        &viewer,
        "lineage.html",
        context! {
            lineage, nodes, links, headers, width, height, themes,
            params => context! {
                theme => params.theme.as_deref().unwrap_or(""),
                initiative => params.initiative.as_deref().unwrap_or(""),
            },
        },
    )?)
}

/// A horizontal bar chart, laid out for SVG.
#[derive(Debug, Serialize)]
struct Chart {
    id: &'static str,
    title: &'static str,
    height: i64,
    bars: Vec<PlacedBar>,
    left_out: usize,
}

#[derive(Debug, Serialize)]
struct PlacedBar {
    label: String,
    count: usize,
    y: i64,
    width: i64,
    href: Option<String>,
}

const BAR_HEIGHT: i64 = 22;
const BAR_MAX: i64 = 380;
const CHART_BARS: usize = 30;

fn chart(
    id: &'static str,
    title: &'static str,
    counts: &[Count],
    href: impl Fn(&str) -> Option<String>,
) -> Chart {
    let max = counts.iter().map(|c| c.count).max().unwrap_or(1).max(1) as i64;
    let bars: Vec<PlacedBar> = counts
        .iter()
        .take(CHART_BARS)
        .enumerate()
        .map(|(i, c)| PlacedBar {
            label: short(&c.key, 24),
            count: c.count,
            y: 10 + i as i64 * BAR_HEIGHT,
            width: (c.count as i64 * BAR_MAX / max).max(1),
            href: href(&c.key),
        })
        .collect();
    Chart {
        id,
        title,
        height: 20 + bars.len().max(1) as i64 * BAR_HEIGHT,
        left_out: counts.len().saturating_sub(CHART_BARS),
        bars,
    }
}

/// Counts per year on a time axis, laid out for SVG: one column per year
/// from the first to the last (empty years included).
#[derive(Debug, Serialize)]
struct Timeline {
    id: &'static str,
    title: &'static str,
    columns: Vec<YearColumn>,
    ticks: Vec<Tick>,
    left_out: usize,
}

#[derive(Debug, Serialize)]
struct YearColumn {
    year: i32,
    count: usize,
    x: i64,
    y: i64,
    width: i64,
    height: i64,
    href: Option<String>,
}

#[derive(Debug, Serialize)]
struct Tick {
    x: i64,
    label: String,
}

/// The time axis: from x = 40 to 620, columns up to 160 high on a
/// baseline at y = 190.
const AXIS_LEFT: i64 = 40;
const AXIS_WIDTH: i64 = 580;
const COLUMN_MAX: i64 = 160;
const BASELINE: i64 = 190;
/// Years shown at most on a time axis (the earliest ones).
const TIMELINE_YEARS: i32 = 100;

fn timeline(
    id: &'static str,
    title: &'static str,
    counts: &[Count],
    href: impl Fn(i32) -> Option<String>,
) -> Timeline {
    let years: Vec<(i32, usize)> = counts
        .iter()
        .filter_map(|c| Some((c.key.parse::<i32>().ok()?, c.count)))
        .collect();
    let first = years.iter().map(|(y, _)| *y).min().unwrap_or(0);
    let last = years
        .iter()
        .map(|(y, _)| *y)
        .max()
        .unwrap_or(0)
        .min(first + TIMELINE_YEARS - 1);
    let n_years = i64::from(last - first + 1).max(1);
    let slot = (AXIS_WIDTH / n_years).max(1);
    let max = years.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1) as i64;
    let columns = years
        .iter()
        .filter(|(y, _)| *y <= last)
        .map(|&(year, count)| {
            let height = (count as i64 * COLUMN_MAX / max).max(1);
            YearColumn {
                year,
                count,
                x: AXIS_LEFT + i64::from(year - first) * slot + slot / 8,
                y: BASELINE - height,
                width: (slot * 3 / 4).max(1),
                height,
                href: href(year),
            }
        })
        .collect();
    let every = ((n_years + 9) / 10).max(1) as i32;
    let ticks = (first..=last)
        .filter(|y| (y - first) % every == 0)
        .map(|y| Tick {
            x: AXIS_LEFT + i64::from(y - first) * slot + slot / 2,
            label: y.to_string(),
        })
        .collect();
    Timeline {
        id,
        title,
        columns,
        ticks,
        left_out: years.iter().filter(|(y, _)| *y > last).count(),
    }
}

fn dashboard_charts(ledger: &Ledger) -> (Vec<Chart>, Vec<Timeline>) {
    let counts = views::dashboard(ledger);
    let charts = vec![
        chart("themes", "Commitments per theme", &counts.themes, |k| {
            Some(format!("/search?theme={}", encode(k)))
        }),
        chart("issuers", "Commitments per issuer", &counts.issuers, |k| {
            (k != "unknown").then(|| format!("/search?issuer={}", encode(k)))
        }),
    ];
    let timelines = vec![
        timeline(
            "targets",
            "Quantified targets by target year",
            &counts.target_years,
            |_| None,
        ),
        timeline(
            "deadlines",
            "Deadlines by year",
            &counts.deadline_years,
            |y| Some(format!("/search?deadline_year={y}")),
        ),
    ];
    (charts, timelines)
}

async fn dashboard(viewer: Viewer, State(state): State<AppState>) -> Result<Response, PageError> {
    let ledger = state.ledger();
    let (charts, timelines) = dashboard_charts(&ledger);
    Ok(render_page(
        &viewer,
        "dashboard.html",
        context! { charts, timelines, n_commitments => ledger.commitments.len() },
    )?)
}

async fn style() -> Response {
    let mut response = with_content_type(
        include_str!("../static/style.css"),
        "text/css; charset=utf-8",
    );
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_links_are_links() {
        assert_eq!(safe_url(Some("javascript:alert(1)")), None);
        assert_eq!(safe_url(Some(" JavaScript:alert(1)")), None);
        assert_eq!(safe_url(Some("data:text/html,x")), None);
        assert_eq!(
            safe_url(Some("https://www.whitehouse.gov/x")).as_deref(),
            Some("https://www.whitehouse.gov/x")
        );
    }

    #[test]
    fn context_is_the_section_around_the_commitment() {
        let text = "# Climate\n\nIntro.\n\nWe will cut methane.\n\nMore.\n\n# Health\n\nOther.";
        let c = in_context(text, "We will cut methane.").unwrap();
        assert_eq!(c.before, "# Climate\n\nIntro.\n\n");
        assert_eq!(c.after, "\n\nMore.\n");
        assert!(in_context(text, "absent").is_none());
    }

    #[test]
    fn every_template_compiles() {
        let env = environment();
        for (name, _) in TEMPLATES {
            assert!(env.get_template(name).is_ok(), "{name}");
        }
    }
}
