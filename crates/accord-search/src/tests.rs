//! Tests of search: ranking, stemming, highlighting, facets, filters,
//! paging and malformed queries, over a small ledger built in RAM.

use super::*;

fn entry(id: &str, summit: &str, issuer: &str, theme: &str, text: &str) -> Entry {
    Entry {
        id: id.into(),
        text: text.into(),
        section: None,
        initiatives: vec![],
        summit: Some(summit.into()),
        issuer: Some(issuer.into()),
        theme: theme.into(),
        strength: "firm".into(),
        actors: vec!["US".into(), "CA".into(), "MX".into()],
        has_target: false,
        deadline_year: None,
    }
}

fn ledger() -> Vec<Entry> {
    let mut methane = entry(
        "us23-1",
        "NALS 2023",
        "US",
        "climate_environment",
        "Reduce methane emissions from the oil and gas sector by at least 75% by 2030.",
    );
    methane.has_target = true;
    methane.deadline_year = Some(2030);
    let mut strategy = entry(
        "us21-3",
        "NALS 2021",
        "US",
        "climate_environment",
        "Create a North American methane and black carbon strategy.",
    );
    strategy.strength = "soft".into();
    let mut napapi = entry(
        "ca23-2",
        "NALS 2023",
        "CA",
        "health",
        "Review and update our pandemic plan.",
    );
    napapi.initiatives = vec!["North American Animal and Pandemic Influenza Plan (NAPAPI)".into()];
    napapi.actors = vec!["CA".into(), "MX".into()];
    let mut slash = entry(
        "mx23-4",
        "G20 2023/24",
        "MX",
        "drugs",
        "Fight fentanyl trafficking together.",
    );
    slash.section = Some("Drug policy".into());
    vec![methane, strategy, napapi, slash]
}

fn index() -> SearchIndex {
    SearchIndex::build(&ledger()).expect("index builds")
}

fn search(index: &SearchIndex, text: &str, filters: &[(Dimension, &str)]) -> Results {
    index
        .search(&Query {
            text: text.into(),
            filters: filters.iter().map(|(d, v)| (*d, v.to_string())).collect(),
            ..Query::default()
        })
        .expect("search runs")
}

fn ids(results: &Results) -> Vec<&str> {
    results.hits.iter().map(|h| h.id.as_str()).collect()
}

fn count(results: &Results, dimension: Dimension, value: &str) -> Option<u64> {
    results
        .facets
        .iter()
        .find(|f| f.dimension == dimension && f.value == value)
        .map(|f| f.count)
}

#[test]
fn words_match_stemmed_and_ranked_by_relevance() {
    let index = index();
    assert_eq!(index.len(), 4);
    let results = search(&index, "methane", &[]);
    assert_eq!(results.total, 2);
    let mut found = ids(&results);
    found.sort();
    assert_eq!(found, ["us21-3", "us23-1"]);
    // "emission" finds "emissions".
    assert_eq!(ids(&search(&index, "emission", &[])), ["us23-1"]);
    // Every word is required by default.
    assert_eq!(ids(&search(&index, "methane carbon", &[])), ["us21-3"]);
}

#[test]
fn matched_words_are_highlighted_and_the_whole_text_kept() {
    let index = index();
    let results = search(&index, "methane", &[]);
    for hit in &results.hits {
        let whole: String = hit.pieces.iter().map(|p| p.text.as_str()).collect();
        assert!(whole.contains("methane"), "{whole}");
        let highlighted: Vec<&str> = hit
            .pieces
            .iter()
            .filter(|p| p.highlighted)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(highlighted, ["methane"], "{:?}", hit.pieces);
    }
    let hit = &search(&index, "emissions", &[]).hits[0];
    let whole: String = hit.pieces.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        whole,
        "Reduce methane emissions from the oil and gas sector by at least 75% by 2030."
    );
}

#[test]
fn section_and_initiatives_are_searched_too() {
    let index = index();
    assert_eq!(ids(&search(&index, "NAPAPI", &[])), ["ca23-2"]);
    assert_eq!(ids(&search(&index, "influenza", &[])), ["ca23-2"]);
    assert_eq!(ids(&search(&index, "policy", &[])), ["mx23-4"]);
}

#[test]
fn facets_count_the_matching_commitments() {
    let index = index();
    let all = search(&index, "", &[]);
    assert_eq!(all.total, 4);
    assert_eq!(count(&all, Dimension::Summit, "NALS 2023"), Some(2));
    assert_eq!(count(&all, Dimension::Summit, "G20 2023/24"), Some(1));
    assert_eq!(count(&all, Dimension::Actor, "CA"), Some(4));
    assert_eq!(count(&all, Dimension::Actor, "US"), Some(3));
    assert_eq!(count(&all, Dimension::HasTarget, "yes"), Some(1));
    assert_eq!(count(&all, Dimension::HasTarget, "no"), Some(3));
    assert_eq!(count(&all, Dimension::DeadlineYear, "2030"), Some(1));
    assert_eq!(count(&all, Dimension::Strength, "soft"), Some(1));

    let methane = search(&index, "methane", &[]);
    assert_eq!(count(&methane, Dimension::Summit, "NALS 2021"), Some(1));
    assert_eq!(count(&methane, Dimension::Theme, "health"), None);
}

#[test]
fn filters_narrow_within_and_across_dimensions() {
    let index = index();
    let r = search(&index, "methane", &[(Dimension::Summit, "NALS 2021")]);
    assert_eq!(ids(&r), ["us21-3"]);
    let r = search(
        &index,
        "",
        &[
            (Dimension::Summit, "NALS 2021"),
            (Dimension::Summit, "G20 2023/24"),
        ],
    );
    assert_eq!(r.total, 2);
    let r = search(
        &index,
        "",
        &[(Dimension::Summit, "NALS 2023"), (Dimension::Actor, "US")],
    );
    assert_eq!(ids(&r), ["us23-1"]);
    let r = search(&index, "", &[(Dimension::Issuer, "nobody")]);
    assert_eq!(r.total, 0);
    assert!(r.hits.is_empty());
}

#[test]
fn pages_of_hits() {
    let index = index();
    let first = index
        .search(&Query {
            limit: 3,
            ..Query::default()
        })
        .unwrap();
    assert_eq!((first.total, first.hits.len()), (4, 3));
    let second = index
        .search(&Query {
            limit: 3,
            offset: 3,
            ..Query::default()
        })
        .unwrap();
    assert_eq!(second.hits.len(), 1);
    assert!(!ids(&first).contains(&second.hits[0].id.as_str()));
}

#[test]
fn malformed_queries_never_fail() {
    let index = index();
    for text in [
        "\"methane",
        "methane AND",
        "(((",
        "text:",
        "nofield:methane",
        "*",
        "-",
        "methane^",
        "<script>",
    ] {
        let results = index.search(&Query {
            text: text.into(),
            ..Query::default()
        });
        assert!(results.is_ok(), "{text}: {results:?}");
    }
}

#[test]
fn an_empty_ledger_searches_to_nothing() {
    let index = SearchIndex::build(&[]).unwrap();
    assert!(index.is_empty());
    let r = search(&index, "methane", &[]);
    assert_eq!(r.total, 0);
    assert!(r.facets.is_empty());
}

#[test]
fn pieces_cut_at_ranges() {
    let p = pieces("a methane b", std::iter::once(2..9));
    assert_eq!(
        p,
        vec![
            Piece {
                text: "a ".into(),
                highlighted: false
            },
            Piece {
                text: "methane".into(),
                highlighted: true
            },
            Piece {
                text: " b".into(),
                highlighted: false
            },
        ]
    );
    // A range off a char boundary is skipped, never a panic.
    let p = pieces("é", std::iter::once(1..2));
    assert_eq!(p.len(), 1);
}

#[test]
fn groups_nested_past_the_limit_are_read_as_plain_words() {
    let index = index();
    let nested =
        |depth: usize, word: &str| format!("{}{word}{}", "(".repeat(depth), ")".repeat(depth));
    // At the limit the groups are read; past it, the words alone.
    let at_limit = nested(MAX_QUERY_NESTING, "methane");
    assert_eq!(within_nesting(&at_limit), at_limit);
    assert_eq!(
        within_nesting(&nested(MAX_QUERY_NESTING + 1, "methane")),
        "methane"
    );
    let nots = format!("{}methane", "NOT ".repeat(MAX_QUERY_NESTING + 1));
    assert_eq!(within_nesting(&nots), "methane");
    assert_eq!(
        within_nesting("(a OR b) (c OR d) NOT e"),
        "(a OR b) (c OR d) NOT e"
    );
    // Queries that overflowed the parser's stack (and took the server
    // down) are answered, on a thread with the stack of the server's.
    let found = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            [
                nested(100_000, "methane"),
                format!("{}methane", "NOT ".repeat(100_000)),
                format!("{}methane", "(NOT ".repeat(100_000)),
            ]
            .iter()
            .map(|text| search(&index, text, &[]).total)
            .collect::<Vec<_>>()
        })
        .expect("thread")
        .join()
        .expect("no overflow");
    assert_eq!(found, [2, 2, 2]);
}
