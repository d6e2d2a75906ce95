//! Scorecard arithmetic on a hand-computed example, the spreadsheet round
//! trip on a real ledger, and evidence discovery.

use accord_assess::evidence::{self, Passage, Sought};
use accord_assess::scorecard::Scorecard;
use accord_assess::{report, sheet};
use accord_model::{Commitment, Document, Format, Metadata, Span, Strength, Theme};
use accord_store::assess::{Assessment, Evidence, NewAssessment, Status};
use accord_store::scratch::Scratch;
use accord_store::Backend;
use std::collections::HashMap;

fn commitment(id: &str, doc: &str, theme: Theme, deadline: Option<&str>) -> Commitment {
    Commitment {
        id: id.into(),
        document_id: doc.into(),
        ordinal: id[id.len() - 1..].parse().unwrap_or(1),
        text: format!("We will do {id}."),
        span: Span::new(0, 10),
        section: None,
        actors: vec!["US".into(), "CA".into(), "MX".into()],
        strength: Strength::Firm,
        theme,
        targets: vec![],
        deadline: deadline.map(str::to_string),
        initiatives: vec![],
        confidence: 0.9,
    }
}

fn assessment(c: &str, member: &str, revision: i64, score: Option<i64>) -> Assessment {
    Assessment {
        id: format!("{c}:{member}:{revision}"),
        commitment_id: c.into(),
        member: member.into(),
        revision,
        score,
        status: Status::InProgress,
        rationale: String::new(),
        evidence: vec![],
        author: "ana".into(),
        created_at: "2024-01-01T00:00:00Z".into(),
    }
}

/// Worked by hand:
/// c1 (health, S1, due 2020): US +1, CA 0, MX -1 (revision 2; revision 1 was +1)
/// c2 (climate, S1):          US 0, CA +1
/// c3 (health, S2, due 2099): US -1, CA unscored
/// US 0/3 = 0.00 → 50 %; CA 1/2 = 0.50 → 75 %; MX -1/1 → 0 %
/// health -1/4 = -0.25 → 37.5 %; climate 1/2 → 75 %
/// S1 1/5 = 0.20 → 60 %; S2 -1 → 0 %; overall 0/6 → 50 %
/// overdue on 2024-06-01: c1 for CA (0) and MX (-1); US has +1.
#[test]
fn scorecard_matches_the_hand_computed_example() {
    let c1 = commitment("c1", "d1", Theme::Health, Some("2020"));
    let c2 = commitment("c2", "d1", Theme::ClimateEnvironment, None);
    let c3 = commitment("c3", "d2", Theme::Health, Some("2099-06"));
    let summits = HashMap::from([
        ("d1".to_string(), "S1".to_string()),
        ("d2".to_string(), "S2".to_string()),
    ]);
    let assessments = vec![
        assessment("c1", "US", 1, Some(1)),
        assessment("c1", "CA", 1, Some(0)),
        assessment("c1", "MX", 1, Some(1)),
        assessment("c1", "MX", 2, Some(-1)),
        assessment("c2", "US", 1, Some(0)),
        assessment("c2", "CA", 1, Some(1)),
        assessment("c3", "US", 1, Some(-1)),
        assessment("c3", "CA", 1, None),
        assessment("not-in-scope", "US", 1, Some(1)),
    ];
    let card = Scorecard::build(&[&c1, &c2, &c3], &summits, &assessments, "2024-06-01");
    let figures = |rows: &[accord_assess::scorecard::Compliance]| {
        rows.iter()
            .map(|r| (r.key.clone(), r.scored, r.average, r.percent))
            .collect::<Vec<_>>()
    };
    let f = |k: &str, n: usize, avg: f64, pct: f64| (k.to_string(), n, avg, pct);
    assert_eq!(
        figures(&card.by_member),
        vec![
            f("CA", 2, 0.5, 75.0),
            f("MX", 1, -1.0, 0.0),
            f("US", 3, 0.0, 50.0)
        ]
    );
    assert_eq!(
        figures(&card.by_theme),
        vec![
            f("climate_environment", 2, 0.5, 75.0),
            f("health", 4, -0.25, 37.5)
        ]
    );
    assert_eq!(
        figures(&card.by_summit),
        vec![f("S1", 5, 0.2, 60.0), f("S2", 1, -1.0, 0.0)]
    );
    assert_eq!(
        (
            card.overall.scored,
            card.overall.average,
            card.overall.percent
        ),
        (6, 0.0, 50.0)
    );
    assert_eq!(
        (card.overall.full, card.overall.partial, card.overall.none),
        (2, 2, 2)
    );
    assert_eq!(card.members, ["CA", "MX", "US"]);
    let matrix: Vec<Vec<Option<i64>>> = card
        .lines
        .iter()
        .map(|l| {
            l.cells
                .iter()
                .map(|c| c.as_ref().and_then(|c| c.score))
                .collect()
        })
        .collect();
    assert_eq!(
        matrix,
        vec![
            vec![Some(0), Some(-1), Some(1)],
            vec![Some(1), None, Some(0)],
            vec![None, None, Some(-1)],
        ]
    );
    let overdue: Vec<(&str, &str, Option<i64>)> = card
        .overdue
        .iter()
        .map(|o| (o.commitment_id.as_str(), o.member.as_str(), o.score))
        .collect();
    assert_eq!(overdue, vec![("c1", "CA", Some(0)), ("c1", "MX", Some(-1))]);

    let md = report::markdown(&card, "NALS");
    assert!(md.contains("| US | 3 | 1 | 1 | 1 | +0.00 | 50% |"), "{md}");
    assert!(
        md.contains("| health | 4 | 1 | 1 | 2 | -0.25 | 38% |"),
        "{md}"
    );
    let csv = report::csv(&card);
    assert!(csv.contains("member,CA,2,1,1,0,0.5000,75.00"), "{csv}");
    assert!(csv.contains("overall,all,6,2,2,2,0.0000,50.00"), "{csv}");
}

fn document(id: &str, summit: &str) -> Document {
    Document {
        id: id.into(),
        source_file: format!("{id}.txt"),
        source_path: format!("/{id}"),
        content_hash: format!("hash-{id}"),
        format: Format::Text,
        meta: Metadata {
            summit: Some(summit.into()),
            issuer: Some("US".into()),
            date: Some("2023-01-10".into()),
            ..Metadata::default()
        },
        original: "x".into(),
        text: "x".into(),
    }
}

#[tokio::test]
async fn the_spreadsheet_round_trips_and_refuses_stale_rows() {
    let scratch = Scratch::new(Backend::Sqlite).await.unwrap();
    let store = &scratch.store;
    let c1 = commitment("d1-001", "d1", Theme::Health, None);
    let c2 = commitment("d1-002", "d1", Theme::Health, None);
    store
        .write_document(&document("d1", "NALS 2023"), &[c1, c2], &[])
        .await
        .unwrap();
    store
        .assess(
            &NewAssessment {
                commitment_id: "d1-001".into(),
                member: "US".into(),
                score: Some(0),
                status: Status::InProgress,
                // Text a spreadsheet would run as a formula.
                rationale: "=HYPERLINK(\"https://example.org\") Draft, \"quoted\", two\nlines"
                    .into(),
                evidence: vec![
                    Evidence {
                        url: Some("https://example.org/a".into()),
                        date: Some("2023-05-01".into()),
                        passage: Some("@SUM(1) reported in May.".into()),
                        ..Evidence::default()
                    },
                    Evidence {
                        document_id: Some("d1".into()),
                        passage: Some("We will do d1-001.".into()),
                        ..Evidence::default()
                    },
                ],
                base_revision: Some(0),
            },
            "ana",
        )
        .await
        .unwrap();

    let rows = sheet::rows(store, Some("NALS 2023"), true).await.unwrap();
    assert_eq!(rows.len(), 6, "one assessed row and five blank ones");
    let mut csv = Vec::new();
    sheet::write(&rows, &mut csv).unwrap();
    let sheet = sheet::read(csv.as_slice()).unwrap();
    let read: Vec<(usize, sheet::Row)> = sheet.rows;
    assert_eq!(
        read.iter().map(|(_, r)| r.clone()).collect::<Vec<_>>(),
        rows,
        "what is written reads back the same"
    );
    assert!(sheet.refused.is_empty());
    let cells: Vec<String> = csv::Reader::from_reader(csv.as_slice())
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .collect();
    assert!(
        cells.iter().any(|c| c.starts_with("'=HYPERLINK"))
            && cells.iter().any(|c| c.starts_with("'@SUM")),
        "{cells:?}"
    );
    assert!(
        !cells.iter().any(|c| c.starts_with(['=', '@'])),
        "no cell a spreadsheet would run: {cells:?}"
    );

    // Unchanged sheet: nothing written.
    let done = sheet::import(store, &read, "ben").await.unwrap();
    assert_eq!(
        (done.written, done.unchanged, done.refused.len()),
        (0, 6, 0)
    );

    // A team member fills in a blank row and changes the assessed one.
    let mut edited = read.clone();
    let assessed = edited.iter().position(|(_, r)| r.revision == 1).unwrap();
    edited[assessed].1.score = Some(1);
    edited[assessed].1.status = Some(Status::Achieved);
    let blank = edited
        .iter()
        .position(|(_, r)| r.commitment_id == "d1-002" && r.member == "CA")
        .unwrap();
    edited[blank].1.score = Some(-1);
    let done = sheet::import(store, &edited, "ben").await.unwrap();
    assert_eq!((done.written, done.refused.len()), (2, 0));
    let history = store
        .assessment_history("d1-001", Some("US"))
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[1].score, history[1].author.as_str()),
        (Some(1), "ben")
    );
    assert_eq!(history[1].evidence, history[0].evidence, "evidence kept");

    // The old sheet again, changed elsewhere: refused, not overwritten.
    let mut stale = read.clone();
    stale[assessed].1.score = Some(-1);
    let done = sheet::import(store, &stale, "cy").await.unwrap();
    assert_eq!(done.written, 0);
    assert_eq!(done.refused.len(), 1, "{:?}", done.refused);
    assert!(done.refused[0].1.contains("conflict"), "{:?}", done.refused);
    assert_eq!(
        store
            .assessment_history("d1-001", Some("US"))
            .await
            .unwrap()
            .len(),
        2
    );

    // Rows that cannot be read are refused with the line they start on,
    // a row whose cells span lines counted as it spans them; the others
    // are read.
    let bad = "commitment_id,member,score,status,evidence_url\n\
               d1-001,US,2,,\n\
               d1-001,US,1,,\"https://a.example\nhttps://b.example\"\n\
               ,,,,\n\
               d1-002,CA,1,lost,\n\
               d1-002,MX,0,,\n";
    // The same with the CRLF line ends spreadsheets write.
    let crlf = bad.replace('\n', "\r\n");
    for text in [bad, crlf.as_str()] {
        let sheet = sheet::read(text.as_bytes()).unwrap();
        let lines: Vec<usize> = sheet.rows.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [3, 7], "{text:?}");
        let refused: Vec<usize> = sheet.refused.iter().map(|(line, _)| *line).collect();
        assert_eq!(refused, [2, 6], "{:?}", sheet.refused);
        assert!(
            sheet.refused[0].1.contains("score \"2\""),
            "{:?}",
            sheet.refused
        );
        assert!(
            sheet.refused[1].1.contains("status \"lost\""),
            "{:?}",
            sheet.refused
        );
    }
    let sheet = sheet::read(bad.as_bytes()).unwrap();
    // What the ledger refuses is named by the same lines: the row at line
    // 3 was exported before ben's change.
    let done = sheet::import(store, &sheet.rows, "cy").await.unwrap();
    assert_eq!(done.written, 1);
    let refused: Vec<usize> = done.refused.iter().map(|(line, _)| *line).collect();
    assert_eq!(refused, [3], "{:?}", done.refused);
    let e = sheet::read("a,b\n1,2\n".as_bytes())
        .unwrap_err()
        .to_string();
    assert!(e.contains("commitment_id"), "{e}");
    scratch.finish().await;
}

#[test]
fn evidence_is_found_in_later_reports_only() {
    let sought = vec![
        Sought {
            id: "c1".into(),
            document_id: "d2021".into(),
            date: "2021-11-18".into(),
            summit: Some("NALS 2021".into()),
            text: "We will restart the Trilateral Working Group on Trafficking in Persons.".into(),
            initiatives: vec![],
        },
        Sought {
            id: "c2".into(),
            document_id: "d2021".into(),
            date: "2021-11-18".into(),
            summit: Some("NALS 2021".into()),
            text: "We will publish a joint plan on wildfire prevention and forest management."
                .into(),
            initiatives: vec![],
        },
    ];
    let passage = |doc: &str, date: &str, text: &str| Passage {
        source: std::sync::Arc::new(evidence::Source {
            document_id: doc.into(),
            date: date.into(),
            summit: None,
        }),
        text: text.into(),
    };
    let passages = vec![
        passage("d2023", "2023-01-10", "The Trilateral Working Group on Trafficking in Persons has met twice since the last summit."),
        passage("d2023", "2023-01-10", "Leaders discussed semiconductor supply chains and investment."),
        passage("d2019", "2019-06-01", "The Trilateral Working Group on Trafficking in Persons was created."),
        passage("d2022", "2022-03-01", "We will publish a joint plan on wildfire prevention and forest management."),
        passage("d2022", "2022-03-01", "Wildfire plan work continues."),
    ];
    let found = evidence::discover(&sought, &passages, "now", &evidence::Options::default());
    let pairs: Vec<(&str, &str)> = found
        .iter()
        .map(|s| (s.commitment_id.as_str(), s.document_id.as_str()))
        .collect();
    assert_eq!(
        pairs,
        vec![("c1", "d2023")],
        "not earlier documents, not a reprint of the commitment, not short text: {found:?}"
    );
    assert!(found[0].passage.contains("has met twice"));
}

/// Discovery split into parts of the commitments sought, each weighed with
/// the statistics of all of them, finds what one discovery of all of them
/// finds: the sentences of the bundled 2021 statements sought in those of
/// the later ones.
#[test]
fn evidence_found_in_parts_is_evidence_found_at_once() {
    use accord_match::Gathering;
    use std::sync::Arc;
    let corpus =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/nals");
    let mut files: Vec<_> = std::fs::read_dir(&corpus)
        .expect("the bundled corpus beside the repository")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let options = evidence::Options::default();
    let mut sought = Vec::new();
    let mut passages = Vec::new();
    for (k, file) in files.iter().enumerate() {
        let text = std::fs::read_to_string(file).expect("a text file");
        let id = format!("d{k}");
        // The first two statements are of 2021, the others later.
        let date = if k < 2 { "2021-11-18" } else { "2023-01-10" };
        let source = Arc::new(evidence::Source {
            document_id: id.clone(),
            date: date.into(),
            summit: None,
        });
        for (n, p) in evidence::passages(&source, &text, &options)
            .into_iter()
            .enumerate()
        {
            if k < 2 {
                sought.push(Sought {
                    id: format!("{id}-{n:03}"),
                    document_id: id.clone(),
                    date: date.into(),
                    summit: Some("NALS 2021".into()),
                    text: p.text,
                    initiatives: vec![],
                });
            } else {
                passages.push(p);
            }
        }
    }
    let at_once = evidence::discover(&sought, &passages, "now", &options);
    assert!(at_once.len() >= 5, "{} suggestions", at_once.len());

    let mut gathering = Gathering::new();
    let kept: Vec<&Sought> = sought
        .iter()
        .filter(|s| evidence::is_sought(&s.text, &options))
        .collect();
    kept.iter().for_each(|s| gathering.see(&s.text));
    let mut counting = gathering.counting();
    kept.iter().for_each(|s| counting.count(&s.text));
    let stats = Arc::new(counting.finish());
    let mut in_parts = Vec::new();
    for part in sought.chunks(sought.len() / 3 + 1) {
        let mut builder = evidence::DiscovererBuilder::part_of(Arc::clone(&stats), options.clone());
        part.iter().cloned().for_each(|s| builder.add(s));
        in_parts.extend(builder.build().find(&passages, "now"));
    }
    in_parts.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    assert_eq!(in_parts, at_once);
}
