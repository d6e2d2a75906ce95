//! Page metadata from `<head>`: title, language, address, date, site.

use super::PageInfo;
use scraper::Html;

/// What the page says about itself in `<head>` (and its first `<time>`).
pub(super) fn page_info(document: &Html) -> PageInfo {
    let mut info = PageInfo::default();
    let mut title = None;
    let mut og_title = None;
    let mut metas: Vec<(String, String)> = Vec::new();
    let mut time = None;
    for node in document.tree.nodes() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        match el.name() {
            "html" if info.language.is_none() => {
                info.language = el
                    .attr("lang")
                    .or(el.attr("xml:lang"))
                    .and_then(language_code);
            }
            "title" if title.is_none() => {
                let in_head = node
                    .parent()
                    .and_then(|p| p.value().as_element().map(|e| e.name() == "head"));
                if in_head == Some(true) {
                    let text: String = node
                        .children()
                        .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                        .collect();
                    title = Some(collapse(&text)).filter(|t| !t.is_empty());
                }
            }
            "meta" => {
                let key = el
                    .attr("property")
                    .or(el.attr("name"))
                    .or(el.attr("itemprop"));
                if let (Some(key), Some(content)) = (key, el.attr("content")) {
                    let content = collapse(content);
                    if !content.is_empty() {
                        metas.push((key.trim().to_ascii_lowercase(), content));
                    }
                }
            }
            "link" if info.url.is_none() => {
                let canonical = el.attr("rel").is_some_and(|r| {
                    r.split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                });
                if canonical {
                    info.url = el
                        .attr("href")
                        .map(str::trim)
                        .filter(|h| !h.is_empty())
                        .map(str::to_string);
                }
            }
            "time" if time.is_none() => {
                time = el
                    .attr("datetime")
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(str::to_string);
            }
            _ => {}
        }
    }
    let meta = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            metas
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        })
    };
    if let Some(t) = meta(&["og:title"]) {
        og_title = Some(t);
    }
    info.site_name = meta(&["og:site_name"]);
    info.url = info.url.or_else(|| meta(&["og:url"]));
    if info.language.is_none() {
        info.language = meta(&[
            "og:locale",
            "language",
            "dc.language",
            "dcterms.language",
            "content-language",
        ])
        .and_then(|l| language_code(&l));
    }
    info.date = meta(&[
        "article:published_time",
        "dcterms.issued",
        "dc.date.issued",
        "date",
        "dc.date",
        "dcterms.date",
        "datepublished",
        "og:published_time",
        "publish-date",
        "pubdate",
    ])
    .or(time);
    info.title = title
        .or(og_title.clone())
        .map(|t| trim_site_suffix(&t, og_title.as_deref(), info.site_name.as_deref()));
    info
}

/// `en-CA` gives `en`, `fra` gives `fr`; empty gives nothing.
fn language_code(lang: &str) -> Option<String> {
    let primary = lang
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let primary = match primary.as_str() {
        "eng" => "en".to_string(),
        "fra" | "fre" => "fr".to_string(),
        "spa" => "es".to_string(),
        _ => primary,
    };
    (!primary.is_empty() && primary.chars().all(|c| c.is_ascii_alphabetic())).then_some(primary)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "Joint Statement | Prime Minister of Canada" gives "Joint Statement": a
/// part after ` | ` is a site name; a part after a dash is one when it is
/// the site's name, or when `og:title` is the title without it.
pub(super) fn trim_site_suffix(
    title: &str,
    og_title: Option<&str>,
    site_name: Option<&str>,
) -> String {
    if let Some(og) = og_title.filter(|og| !og.is_empty() && og.len() < title.len()) {
        if title.starts_with(og)
            && title[og.len()..]
                .trim_start()
                .starts_with(['|', '-', '–', '—', ':', '·'])
        {
            return og.to_string();
        }
    }
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let named = site_name.is_some_and(|s| s.trim().eq_ignore_ascii_case(tail.trim()));
            if !head.trim().is_empty() && (sep == " | " || named) {
                return trim_site_suffix(head.trim(), None, site_name);
            }
        }
    }
    title.to_string()
}
