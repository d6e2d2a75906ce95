//! The scorecard page, its downloads and its API show the numbers of a
//! small example worked out by hand (the arithmetic itself is tested in
//! accord-assess).

use crate::{fixture, req, Fixture};
use accord_store::assess::{NewAssessment, Status};
use axum::http::StatusCode;

/// Five scored assessments of NALS 2023:
///
/// | commitment | theme               | US | CA | MX |
/// |------------|---------------------|----|----|----|
/// | us23-001   | climate_environment | +1 |  0 |    |
/// | us23-002   | security_crime      | −1 |    |    |
/// | ca23-001   | climate_environment |    | +1 |    |
/// | mx23-001   | other               |    |    | −1 |
///
/// By member: CA (0, +1) average +0.50, 75%; MX (−1) −1.00, 0%; US (+1,
/// −1) +0.00, 50%. By theme: climate (+1, 0, +1) +0.67, 83%. Overall:
/// 0 / 5 = +0.00, 50%. ca23-001 was due in 2020: US and MX, named by it
/// and not at +1, are overdue; CA is not.
async fn example() -> Fixture {
    let f = fixture().await;
    for (commitment, member, score) in [
        ("us23-001", "US", 1),
        ("us23-001", "CA", 0),
        ("us23-002", "US", -1),
        ("ca23-001", "CA", 1),
        ("mx23-001", "MX", -1),
    ] {
        f.store
            .assess(
                &NewAssessment {
                    commitment_id: commitment.into(),
                    member: member.into(),
                    score: Some(score),
                    status: Status::InProgress,
                    rationale: String::new(),
                    evidence: vec![],
                    base_revision: Some(0),
                },
                "ana",
            )
            .await
            .expect("assessed");
    }
    f
}

/// The cells of the table row whose heading is `key`, as text.
fn row(body: &str, table: &str, key: &str) -> Vec<String> {
    let table_start = body.find(&format!("id=\"{table}\"")).expect(table);
    let table_html = &body[table_start..];
    let table_html = &table_html[..table_html.find("</table>").expect("end")];
    let row_start = table_html
        .find(&format!(">{key}</"))
        .unwrap_or_else(|| panic!("{key} in {table}: {table_html}"));
    let row_html = &table_html[row_start..];
    let row_html = &row_html[..row_html.find("</tr>").expect("end of row")];
    row_html
        .split("<td>")
        .skip(1)
        .map(|cell| cell.split("</td>").next().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn the_scorecard_page_shows_the_example() {
    let f = example().await;
    let page = req("GET", "/scorecard?summit=NALS%202023")
        .send(&f.state)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = page.text();
    assert!(body.contains("<h1>Compliance scorecard: NALS 2023</h1>"));
    assert!(body.contains("5 scored assessments: 2 full (+1), 1 partial (0), 2 none (−1). Average <strong>+0.00</strong>, compliance <strong>50%</strong>"), "{body}");
    // Scored, +1, 0, −1, average, compliance.
    assert_eq!(
        row(&body, "by-member", "CA"),
        ["2", "1", "1", "0", "+0.50", "75%"]
    );
    assert_eq!(
        row(&body, "by-member", "MX"),
        ["1", "0", "0", "1", "-1.00", "0%"]
    );
    assert_eq!(
        row(&body, "by-member", "US"),
        ["2", "1", "0", "1", "+0.00", "50%"]
    );
    assert_eq!(
        row(&body, "by-theme", "climate_environment"),
        ["3", "2", "1", "0", "+0.67", "83%"]
    );
    assert_eq!(
        row(&body, "by-summit", "NALS 2023"),
        ["5", "2", "1", "2", "+0.00", "50%"]
    );
    // The chart: one bar per member, as long as its percentage.
    assert!(body.contains("<svg"));
    assert!(
        body.contains(
            "class=\"bar bar-full\"/><text x=\"491\" y=\"24\" class=\"bar-value\">75%</text>"
        ),
        "CA's bar: 285 wide"
    );
    assert!(body.contains(">50%</text>"));
    // The matrix: a coloured cell per assessed member.
    assert!(body.contains("<th scope=\"col\" class=\"cell\">CA</th><th scope=\"col\" class=\"cell\">MX</th><th scope=\"col\" class=\"cell\">US</th>"));
    assert!(body.contains(
        "class=\"cell score-full\" title=\"US: full compliance (in progress, revision 1)\">+1</td>"
    ));
    assert!(body.contains("class=\"cell score-none\""));
    assert!(body.contains("class=\"cell score-partial\""));
    assert!(body.contains("href=\"/commitments/us23-002#assessments\""));
    // Overdue: ca23-001 (due 2020) for MX and US, not CA.
    let overdue = &body[body.find("id=\"overdue-h\"").expect("overdue")..];
    assert!(overdue.contains("Overdue: deadline passed without full compliance (2)"));
    assert!(overdue.contains("<strong>MX</strong>") && overdue.contains("<strong>US</strong>"));
    assert!(!overdue.contains("<strong>CA</strong>"));
    // Downloads with the same filter, and a printable page.
    assert!(body.contains("href=\"/scorecard.md?summit=NALS%202023\""));
    assert!(body.contains("href=\"/scorecard.csv?summit=NALS%202023\""));
    assert!(
        body.contains("href=\"/scorecard\">Scorecard</a>"),
        "in the nav"
    );
}

#[tokio::test]
async fn the_scorecard_filters_by_theme_and_downloads() {
    let f = example().await;
    let page = req("GET", "/scorecard?theme=climate_environment")
        .send(&f.state)
        .await;
    let body = page.text();
    assert_eq!(
        row(&body, "by-member", "CA"),
        ["2", "1", "1", "0", "+0.50", "75%"]
    );
    assert_eq!(
        row(&body, "by-member", "US"),
        ["1", "1", "0", "0", "+1.00", "100%"]
    );
    assert!(!body.contains("id=\"by-member\"") || !row_exists(&body, "MX"));
    let bad = req("GET", "/scorecard?theme=weather").send(&f.state).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let markdown = req("GET", "/scorecard.md?summit=NALS%202023")
        .send(&f.state)
        .await;
    assert_eq!(markdown.status, StatusCode::OK);
    assert!(markdown.content_type().starts_with("text/markdown"));
    assert!(markdown
        .header("content-disposition")
        .contains("accord-scorecard.md"));
    assert!(markdown
        .body
        .starts_with("# Compliance scorecard: NALS 2023"));
    assert!(
        markdown
            .body
            .contains("| CA | 2 | 1 | 1 | 0 | +0.50 | 75% |"),
        "{}",
        markdown.body
    );
    let csv = req("GET", "/scorecard.csv").send(&f.state).await;
    assert!(csv.content_type().starts_with("text/csv"));
    assert!(
        csv.body.contains("member,CA,2,1,1,0,0.5000,75.00"),
        "{}",
        csv.body
    );

    let api = req("GET", "/api/v1/scorecard?summit=nals%202023")
        .send(&f.state)
        .await;
    assert_eq!(api.status, StatusCode::OK);
    let api = api.json();
    assert_eq!(api["members"], serde_json::json!(["CA", "MX", "US"]));
    assert_eq!(api["by_member"][0]["percent"], 75.0);
    assert_eq!(api["overall"]["scored"], 5);
    assert_eq!(api["overdue"].as_array().unwrap().len(), 2);
}

fn row_exists(body: &str, key: &str) -> bool {
    let start = body.find("id=\"by-member\"").unwrap_or(0);
    let table = &body[start..];
    let table = &table[..table.find("</table>").unwrap_or(table.len())];
    table.contains(&format!(">{key}</"))
}

#[tokio::test]
async fn an_empty_scorecard_says_so() {
    let f = fixture().await;
    let page = req("GET", "/scorecard").send(&f.state).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Nothing scored yet."));
    assert!(page.body.contains("No commitment is assessed yet."));
}
