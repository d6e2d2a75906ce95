//! The HTML pages: each renders, is accessible HTML, and shows hostile
//! ingested content inert.

use crate::{fixture, get, Answer, HOSTILE};
use axum::http::StatusCode;

const PAGES: &[&str] = &[
    "/",
    "/search",
    "/search?q=methane",
    "/search?q=fight&issuer=MX",
    "/search?q=%3Cscript%3E",
    "/documents/mx23",
    "/documents/us23",
    "/commitments/us23-001",
    "/commitments/mx23-001",
    "/compare?summit=NALS%202023",
    "/compare?summit=NALS%202023&a=mx23&b=us23",
    "/lineage?commitment=us23-002",
    "/lineage?initiative=Global%20Methane%20Pledge",
    "/lineage",
    "/lineage?theme=climate_environment&initiative=",
    "/dashboard",
    "/scorecard",
    "/scorecard?summit=NALS%202023&theme=other",
    "/login",
    "/login?next=%2Fcommitments%2Fmx23-001",
];

fn assert_inert(uri: &str, page: &Answer) {
    let body = &page.body;
    assert!(!body.contains("<script"), "{uri}: a script tag got through");
    assert!(!body.contains("<img"), "{uri}: an img tag got through");
    assert!(
        !body.to_ascii_lowercase().contains("href=\"javascript:"),
        "{uri}: a javascript: link got through"
    );
    // No tag carries an event handler (escaped text has no raw `<`;
    // quoted attribute values are text).
    for tag in body.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or("").to_ascii_lowercase();
        let outside_quotes: String = tag.split('"').step_by(2).collect::<Vec<_>>().join(" ");
        assert!(
            !outside_quotes.contains(" on"),
            "{uri}: a handler got through: <{tag}>"
        );
    }
    let csp = page
        .headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(csp.contains("default-src 'none'"), "{uri}: {csp}");
}

#[tokio::test]
async fn every_page_renders_as_accessible_html() {
    let f = fixture().await;
    for uri in PAGES {
        let page = get(&f.state, uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.body);
        assert!(page.content_type().starts_with("text/html"), "{uri}");
        assert!(page.body.starts_with("<!doctype html>"), "{uri}");
        assert!(page.body.contains("<html lang=\"en\">"), "{uri}");
        assert!(page.body.contains("<main id=\"main\">"), "{uri}");
        assert!(page.body.contains("<nav aria-label=\"Main\">"), "{uri}");
        assert!(page.body.contains("<h1>"), "{uri}");
        assert_inert(uri, &page);
    }
}

#[tokio::test]
async fn hostile_ingested_content_renders_inert() {
    let f = fixture().await;
    for uri in [
        "/",
        "/documents/mx23",
        "/commitments/mx23-001",
        "/search?q=fight",
        "/compare?summit=NALS%202023&a=mx23&b=us23",
        "/lineage?initiative=%3Cscript%3Ealert('x')%3C%2Fscript%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
    ] {
        let page = get(&f.state, uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.body);
        assert!(
            page.body.contains("&lt;script&gt;") || page.body.contains("&lt;script"),
            "{uri}: the hostile text is not shown escaped"
        );
        assert_inert(uri, &page);
    }
    // The javascript: source address is shown as text, never as a link.
    let document = get(&f.state, "/documents/mx23").await;
    assert!(document.body.contains("javascript:alert(document.cookie)"));
    assert!(!document.body.contains("href=\"javascript"));
    let _ = HOSTILE;
}

#[tokio::test]
async fn search_page_highlights_links_facets_and_csv() {
    let f = fixture().await;
    let mut page = get(&f.state, "/search?q=methane").await;
    page.body = page.body.replace("&#x2f;", "/");
    assert!(page.body.contains("<mark>methane</mark>"), "{}", page.body);
    assert!(page.body.contains("href=\"/commitments/us21-001\""));
    assert!(page
        .body
        .contains("href=\"/search?q=methane&amp;summit=NALS%202021\""));
    assert!(page.body.contains("/search.csv?q=methane"));
    assert!(page.body.contains("<label for=\"q\">"));

    let csv = get(&f.state, "/search.csv?q=methane&summit=NALS%202023").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type().starts_with("text/csv"));
    assert!(csv
        .headers
        .get("content-disposition")
        .is_some_and(|v| v.to_str().unwrap().contains("accord-search.csv")));
    assert_eq!(csv.body.lines().count(), 3, "{}", csv.body);
}

#[tokio::test]
async fn commitment_page_shows_context_versions_and_lineage() {
    let f = fixture().await;
    let page = get(&f.state, "/commitments/us23-001").await;
    let body = &page.body.replace("&#x2f;", "/");
    assert!(body.contains("Intro words."), "context");
    assert!(
        body.contains("<mark>We will reduce methane"),
        "commitment marked"
    );
    assert!(
        body.contains("href=\"/commitments/ca23-001\""),
        "other version"
    );
    assert!(
        body.contains("href=\"/commitments/us21-001\""),
        "predecessor"
    );
    assert!(body.contains("expands"));
    assert!(body.contains("by 75% by 2030"));
    assert!(body.contains("href=\"/lineage?initiative=Global%20Methane%20Pledge\""));
}

#[tokio::test]
async fn compare_page_marks_word_differences() {
    let f = fixture().await;
    let page = get(&f.state, "/compare?summit=NALS%202023&a=us23&b=ca23").await;
    assert!(page.body.contains("<ins>"), "{}", page.body);
    assert!(page.body.contains("<del>"));
    assert!(page.body.contains("Only in this version"));
    assert!(page.body.contains("Food Loss and Waste"));
}

#[tokio::test]
async fn lineage_and_dashboard_draw_svg() {
    let f = fixture().await;
    let lineage = get(&f.state, "/lineage?commitment=us23-002").await;
    assert!(lineage.body.contains("<svg"));
    assert!(lineage.body.contains("link-repeats"));
    assert!(lineage.body.contains("node repeated"));
    let dashboard = get(&f.state, "/dashboard").await;
    assert_eq!(dashboard.body.matches("<svg").count(), 4);
    assert!(dashboard.body.contains("deadline_year=2030"));
    assert!(dashboard.body.contains("climate_environment"));
}

#[tokio::test]
async fn errors_are_pages_with_the_right_status() {
    let f = fixture().await;
    let missing = get(&f.state, "/commitments/nope").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.content_type().starts_with("text/html"));
    assert!(missing.body.contains("no commitment nope"));
    let nowhere = get(&f.state, "/nowhere").await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    let bad = get(&f.state, "/search?offset=x").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("bad query string"));
    let css = get(&f.state, "/static/style.css").await;
    assert!(css.content_type().starts_with("text/css"));
}
