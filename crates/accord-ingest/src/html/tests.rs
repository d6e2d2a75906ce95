//! Fixtures under `test_data/html` and the properties of the cleaner:
//! offsets, linear time, no code leaking, output conventions.

use super::info::trim_site_suffix;
use super::*;
use crate::clean::Cleaned;
use std::path::Path;

/// The page `html` cleaned; every page here is within the parser's bounds.
fn clean(html: &str) -> Page {
    clean_html(html).expect("a page within bounds")
}

/// Each `test_data/html/NAME.html` against `NAME.txt`; `UPDATE_EXPECT=1`
/// rewrites the expectations.
#[test]
fn fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/html");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("test_data/html exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    names.sort();
    assert!(names.len() >= 6, "fixtures missing in {}", dir.display());
    for path in names {
        let html = std::fs::read_to_string(&path).expect("fixture is UTF-8");
        let page = clean(&html);
        expect_test::expect_file![path.with_extension("txt")].assert_eq(&page.cleaned.text);
        check_offsets(&html, &page.cleaned);
    }
}

/// The offset of each line's first word maps to that word in the HTML,
/// when the word holds no entity.
fn check_offsets(html: &str, cleaned: &Cleaned) {
    let mut start = 0;
    for line in cleaned.text.split_inclusive('\n') {
        let body = line
            .trim_start_matches('#')
            .trim_start_matches("- ")
            .trim_start();
        let skip = line.len() - body.len();
        if let Some(word) = body.split_whitespace().next() {
            if !word.contains(['&', '<', '>', '"', '\'', '’', '“']) {
                let at = cleaned.to_original(start + skip);
                assert!(
                    html[at..].starts_with(word),
                    "line {line:?} maps to {:?}",
                    &html[at..(at + 40).min(html.len())]
                );
            }
        }
        start += line.len();
    }
}

#[test]
fn page_info_from_head() {
    let html = r#"<!doctype html><html lang="en-CA"><head>
        <title>Joint Statement on Clean Energy | Prime Minister of Canada</title>
        <meta property="og:site_name" content="Prime Minister of Canada">
        <meta name="dcterms.issued" content="2023-01-10">
        <link rel="canonical" href="https://example.org/en/joint-statement">
        </head><body><h1>Joint Statement</h1></body></html>"#;
    let info = clean(html).info;
    assert_eq!(
        info,
        PageInfo {
            title: Some("Joint Statement on Clean Energy".into()),
            language: Some("en".into()),
            url: Some("https://example.org/en/joint-statement".into()),
            date: Some("2023-01-10".into()),
            site_name: Some("Prime Minister of Canada".into()),
        }
    );
}

#[test]
fn page_info_fallbacks() {
    let html = r#"<html lang="es_MX"><head>
        <meta property="og:title" content="Declaración conjunta">
        <meta property="og:url" content="https://example.org/declaracion">
        <meta name="description" content="x">
        </head><body><p>Texto <time datetime="2023-01-10T12:00">10 de enero</time>.</p></body></html>"#;
    let info = clean(html).info;
    assert_eq!(info.title.as_deref(), Some("Declaración conjunta"));
    assert_eq!(info.language.as_deref(), Some("es"));
    assert_eq!(info.url.as_deref(), Some("https://example.org/declaracion"));
    assert_eq!(info.date.as_deref(), Some("2023-01-10T12:00"));
    assert_eq!(info.site_name, None);
}

#[test]
fn title_suffix_after_a_dash_needs_the_site_name() {
    assert_eq!(
        trim_site_suffix("NALS 2023 - Joint Statement", None, None),
        "NALS 2023 - Joint Statement"
    );
    assert_eq!(
        trim_site_suffix(
            "Fact Sheet - The White House",
            None,
            Some("The White House")
        ),
        "Fact Sheet"
    );
    assert_eq!(
        trim_site_suffix("Fact Sheet – The White House", Some("Fact Sheet"), None),
        "Fact Sheet"
    );
}

#[test]
fn offsets_point_at_first_words() {
    let html = "<html><head><title>Leaders commit | Site</title></head><body>\
        <nav><a href='/'>Restarted programs</a></nav><main><h1>Leaders commit</h1>\n\
        <p>The leaders\n  agreed to <b>act</b>.</p><ul><li>Reduce methane by 2030.</li>\
        <li>Restart the working group.</li></ul></main></body></html>";
    let cleaned = clean(html).cleaned;
    assert_eq!(
        cleaned.text,
        "# Leaders commit\n\nThe leaders agreed to act.\n\n- Reduce methane by 2030.\n- Restart the working group.\n\n"
    );
    check_offsets(html, &cleaned);
    // Not the `<title>`, not the navigation's "Restarted".
    let original = |word: &str| cleaned.to_original(cleaned.text.find(word).unwrap_or(0));
    assert_eq!(
        original("Leaders"),
        html.find("Leaders commit</h1>").unwrap_or(0)
    );
    assert_eq!(original("Restart"), html.find("Restart the").unwrap_or(0));
}

#[test]
fn deep_nesting_is_fast_and_safe() {
    let nest = |depth: usize| {
        let mut html = String::from("<html><body>");
        for _ in 0..depth {
            html.push_str("<div>");
        }
        html.push_str(
            "<p>We will build the corridor together, as agreed by the three leaders today.</p>",
        );
        html
    };
    // Within bounds, the text is kept.
    let page = clean(&nest(MAX_DEPTH - 3));
    assert!(page.cleaned.text.contains("We will build the corridor"));
    // Beyond them the page is refused at once: 200,000 levels took two
    // minutes when the page was parsed whole.
    let started = std::time::Instant::now();
    assert_eq!(
        clean_html(&nest(200_000)).unwrap_err(),
        Refusal::TooDeep { line: 1 }
    );
    let mut spans = String::from("<p>");
    for _ in 0..20_000 {
        spans.push_str("<span><b><i><table><tr><td>x");
    }
    assert!(matches!(clean_html(&spans), Err(Refusal::TooDeep { .. })));
    let attributes = format!("<p{}>We will act.</p>", " a".repeat(200_000));
    assert!(matches!(
        clean_html(&attributes),
        Err(Refusal::TooManyAttributes { line: 1 })
    ));
    assert!(
        started.elapsed().as_secs() < 5,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn huge_page_is_linear() {
    let mut html = String::from("<html><body><nav><a href=/>Home</a></nav><main>");
    let paragraph =
        "<p>The leaders committed to expand &amp; modernize the shared border infrastructure, \
        invest in clean energy and <a href=\"/x\">report progress</a> at the next summit.</p>\n";
    while html.len() < 5_000_000 {
        html.push_str(paragraph);
        html.push_str("<script>var x = 'The leaders committed';</script>");
    }
    let started = std::time::Instant::now();
    let page = clean(&html);
    assert!(page
        .cleaned
        .text
        .starts_with("The leaders committed to expand & modernize"));
    assert!(!page.cleaned.text.contains("var x"));
    // Lines whose words are all written as entities cannot be found.
    let mut html = String::from("<html><body>");
    while html.len() < 5_000_000 {
        html.push_str("<p>&#87;e &#119;ill &#97;ct.</p>\n");
    }
    let page = clean(&html);
    assert!(page.cleaned.text.starts_with("We will act.\n"));
    assert!(
        started.elapsed().as_secs() < 30,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn lines_follow_the_output_conventions() {
    let html = "<main><h2>Security</h2><p>First line<br>second <a href='#'>line</a> <strong>here</strong>.</p>\
        <ul><li>One <ul><li>One point one</li></ul></li><li><p>Two</p><p>continued</p></li></ul>\
        <table><tr><th>Action</th><th>Year</th></tr><tr><td>Plan</td><td>2024</td></tr></table></main>";
    assert_eq!(
        clean(html).cleaned.text,
        "## Security\n\nFirst line\nsecond line here.\n\n- One\n- One point one\n- Two continued\n\n\
         Action | Year\nPlan | 2024\n\n"
    );
}

#[test]
fn hostile_page_keeps_no_code() {
    let text = clean(include_str!("../../test_data/html/hostile.html"))
        .cleaned
        .text;
    for code in [
        "alert",
        "console",
        "var s",
        "document.write",
        "javascript",
        "onload",
        "Injected",
        "hidden paragraph",
        "Template",
        "SVG",
        "CSS",
        "Commented",
        "textarea",
        "JavaScript",
        "Decorative",
        "Image alt",
    ] {
        assert!(!text.contains(code), "{code:?} leaked into {text:?}");
    }
    assert!(
        text.contains("establish a joint task force on cybersecurity before the end of the year.")
    );
}

#[test]
fn survey_widget_is_dropped_by_its_shape() {
    let html = "<main><h1>Comunicado</h1>\
        <p>Los tres gobiernos acordaron publicar un informe conjunto antes de la próxima cumbre.</p>\
        <p>¿Te gustó este comunicado?</p><div>Mucho</div><div>Algo</div><div>Nada</div>\
        <p>El informe se publicará en los tres idiomas oficiales de la región.</p></main>";
    assert_eq!(
        clean(html).cleaned.text,
        "# Comunicado\n\nLos tres gobiernos acordaron publicar un informe conjunto antes de la próxima cumbre.\n\n\
         El informe se publicará en los tres idiomas oficiales de la región.\n\n"
    );
}

#[test]
fn furniture_words_on_a_wrapper_do_not_drop_the_page() {
    let html = r#"<body class="cookies-not-set"><div class="layout has-sidebar">
        <div class="sidebar"><a href="/">Home</a> <a href="/news">News</a></div>
        <div><p>The leaders agreed to launch a working group on critical minerals by June.</p>
        <p>They will report to leaders at the next summit, to be held in Canada in 2024.</p></div></div></body>"#;
    assert_eq!(
        clean(html).cleaned.text,
        "The leaders agreed to launch a working group on critical minerals by June.\n\n\
         They will report to leaders at the next summit, to be held in Canada in 2024.\n\n"
    );
}

#[test]
fn title_heading_outside_the_content_is_kept() {
    let html = r#"<html><head><title>Leaders agree on energy plan | Example Ministry</title></head><body>
        <header><a href="/">Example Ministry</a><h1>Leaders agree on energy plan</h1></header>
        <article><p>The leaders agreed on a regional energy plan and will publish it this year.</p></article>
        </body></html>"#;
    assert_eq!(
        clean(html).cleaned.text,
        "# Leaders agree on energy plan\n\nThe leaders agreed on a regional energy plan and will publish it this year.\n\n"
    );
}

#[test]
fn empty_and_broken_pages() {
    for html in [
        "",
        "<",
        "<html>",
        "<p>",
        "</div></p>",
        "<table><td>a<td>b",
        "\u{feff}<html lang=>",
    ] {
        let _ = clean(html);
    }
    assert_eq!(clean("<p>One line.").cleaned.text, "One line.\n\n");
}

#[test]
fn section_headings_may_repeat_but_a_title_shown_twice_goes() {
    let html = "<main><h1>Fact Sheet</h1><p>Fact Sheet</p>\
        <h2>Climate</h2><h3>Canada</h3><p>Canada will cut methane emissions by 2030.</p>\
        <h3>Mexico</h3><p>Mexico will publish a methane plan this year.</p>\
        <h2>Health</h2><h3>Canada</h3><p>Canada will fund the regional vaccine network.</p></main>";
    assert_eq!(
        clean(html).cleaned.text,
        "# Fact Sheet\n\n## Climate\n\n### Canada\n\nCanada will cut methane emissions by 2030.\n\n\
         ### Mexico\n\nMexico will publish a methane plan this year.\n\n## Health\n\n### Canada\n\n\
         Canada will fund the regional vaccine network.\n\n"
    );
}

#[test]
fn a_date_stamp_leaves_the_text_but_dates_the_page() {
    let html = "<main><h1>Joint Statement</h1><p>Published: 10:48, Wed, Jan 11, 2023</p>\
        <p>January 10, 2023</p><p>By the President of the United States of America</p>\
        <p>The leaders will meet again in 2024 to review the plan.</p></main>";
    let page = clean(html);
    assert_eq!(
        page.cleaned.text,
        "# Joint Statement\n\nJanuary 10, 2023\n\nBy the President of the United States of America\n\n\
         The leaders will meet again in 2024 to review the plan.\n\n"
    );
    let date = page.info.date.as_deref().and_then(crate::meta::parse_date);
    assert_eq!(date.as_deref(), Some("2023-01-11"));
}

#[test]
fn a_short_link_under_its_label_stays_and_a_long_promotion_goes() {
    let html = "<main><p>The offers below end on Friday, the day after the holiday.</p>\
        <p>1) Thriller (Vinyl)<br><a href='http://x.example/1'>http://x.example/1</a></p>\
        <p>The views of the experts quoted here are their own and not those of the site.<br>\
        <a href='/promo'>Get access to our fastest growing subscription service for a small price in the first year</a></p></main>";
    assert_eq!(
        clean(html).cleaned.text,
        "The offers below end on Friday, the day after the holiday.\n\n\
         1) Thriller (Vinyl)\nhttp://x.example/1\n\n\
         The views of the experts quoted here are their own and not those of the site.\n\n"
    );
}
