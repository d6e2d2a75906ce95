//! Passes 2 to 4: which lines to keep. Furniture elements are dropped,
//! the main content is chosen, boxes of links to other pages are taken out
//! of it, and its lines are filtered by their shape.

use super::text::{is_footer_marker, is_furniture_text, starts_with_words};
use super::{Flat, Furniture, Kind, Line};
use crate::clean::{normalise, word_count};

/// How much each line speaks for its container being the main content:
/// long link-poor text for it, short or link-heavy text and teasers against
/// it. The parts of a paragraph split by `<br>` count together, on the first.
fn values(lines: &[Line]) -> Vec<i64> {
    let mut out = vec![0; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        let first = &lines[i];
        let mut j = i + 1;
        if first.kind == Kind::Para {
            while j < lines.len() && lines[j].kind == Kind::Para && lines[j].group == first.group {
                j += 1;
            }
        }
        let chars = lines[i..j].iter().map(|l| l.chars as i64).sum::<i64>();
        let links = lines[i..j].iter().map(|l| l.link_chars as i64).sum::<i64>();
        out[i] = match first.kind {
            _ if links * 2 > chars => -chars,
            Kind::Heading(_) => 10,
            _ if is_teaser(&lines[j - 1]) => -chars,
            _ if is_sentence(&lines[j - 1].text) => chars - links - 10,
            _ => chars - links - 60,
        };
        i = j;
    }
    out
}

/// Text ending like a sentence, not a label, name or date.
fn is_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(['"', '”', '’', '»', ')', ' ']);
    t.ends_with(['.', '!', '?', ':', ';', '。', '！', '？'])
        && (word_count(t) >= 4 || t.chars().count() >= 20)
}

/// A paragraph or item cut short with an ellipsis: the excerpt of another
/// page.
fn is_teaser(line: &Line) -> bool {
    let t = line.text.trim_end();
    matches!(line.kind, Kind::Para | Kind::Item)
        && line.chars >= 80
        && (t.ends_with('…') || t.ends_with("...") || t.ends_with("[…]") || t.ends_with("[...]"))
}

/// Indices of the lines to write, in output order.
pub(super) fn choose_lines(flat: &Flat, title: Option<&str>) -> Vec<usize> {
    let elems = &flat.elems;
    let lines = &flat.lines;
    // Positive text per subtree, before any furniture is dropped.
    let values = values(lines);
    let mut positive = vec![0i64; elems.len()];
    for (line, value) in lines.iter().zip(&values) {
        positive[line.elem] += (*value).max(0);
    }
    for e in (1..elems.len()).rev() {
        positive[elems[e].parent] += positive[e];
    }
    let total = positive[0];
    let mut dropped = vec![false; elems.len()];
    for e in 1..elems.len() {
        dropped[e] = dropped[elems[e].parent]
            || match elems[e].furniture {
                Furniture::Strong => positive[e] * 5 <= total * 4,
                Furniture::Weak => positive[e] * 2 <= total,
                Furniture::No => false,
            };
    }

    let container = main_container(flat, &values, &dropped);
    let mut inside = vec![false; elems.len()];
    inside[container] = true;
    for e in container + 1..elems.len() {
        inside[e] = inside[elems[e].parent] && !dropped[e];
    }
    let candidates: Vec<usize> = (0..lines.len())
        .filter(|&i| inside[lines[i].elem])
        .collect();
    // A marker heading a box of links takes only its box away.
    let boxed = related_boxes(flat, container, &inside);
    let candidates = drop_tail(lines, candidates, &boxed)
        .into_iter()
        .filter(|&i| !boxed[lines[i].elem])
        .collect();
    let mut kept = filter_lines(lines, candidates);

    if !kept.iter().any(|&i| lines[i].kind == Kind::Heading(1)) {
        if let Some(h1) = title_heading(lines, &dropped, title) {
            kept.insert(0, h1);
        }
    }
    kept
}

/// How many levels a "Related" label may sit below the box it names.
const LABEL_DEPTH: usize = 6;

/// Most characters of a teaser card besides its linked heading: an
/// excerpt, a date, an author.
const CARD_EXCERPT: usize = 250;

/// Boxes of links to other pages inside the main content, true for the
/// elements in one: the smallest element that opens with a "Related news"
/// or "Most read" label and holds more than the label, when it holds less
/// than a third of the content's text; and teaser cards, the smallest
/// element around a linked `h2`–`h6` that holds more than the heading, when
/// the rest is at most [`CARD_EXCERPT`] characters.
fn related_boxes(flat: &Flat, container: usize, inside: &[bool]) -> Vec<bool> {
    let elems = &flat.elems;
    let mut n_lines = vec![0usize; elems.len()];
    let mut chars = vec![0usize; elems.len()];
    let mut first_line = vec![usize::MAX; elems.len()];
    for (i, line) in flat
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| inside[l.elem])
    {
        n_lines[line.elem] += 1;
        chars[line.elem] += line.chars;
        first_line[line.elem] = first_line[line.elem].min(i);
    }
    for e in (container + 1..elems.len()).rev() {
        if inside[e] {
            let parent = elems[e].parent;
            n_lines[parent] += n_lines[e];
            chars[parent] += chars[e];
            first_line[parent] = first_line[parent].min(first_line[e]);
        }
    }
    let mut in_box = vec![false; elems.len()];
    for (i, line) in flat
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| inside[l.elem])
    {
        let teaser = matches!(line.kind, Kind::Heading(2..)) && line.is_link_heavy();
        if !teaser && !is_related_label(line) {
            continue;
        }
        let mut e = line.elem;
        for _ in 0..LABEL_DEPTH {
            if e == container || n_lines[e] > 1 {
                break;
            }
            e = elems[e].parent;
        }
        let boxed = e != container && n_lines[e] > 1;
        let small = if teaser {
            chars[e] <= line.chars + CARD_EXCERPT
        } else {
            first_line[e] == i && chars[e] * 3 <= chars[container]
        };
        if boxed && small {
            in_box[e] = true;
        }
    }
    for e in container + 1..elems.len() {
        in_box[e] = in_box[e] || in_box[elems[e].parent];
    }
    in_box
}

/// Labels of boxes pointing to other pages, normalised: whole labels.
const RELATED_LABELS: &[&str] = &[
    "related",
    "more",
    "recommended",
    "popular",
    "trending",
    "latest",
    "see also",
    "also read",
    "read also",
    "read more",
    "see more",
    "show more",
    "view more",
    "load more",
    "find out more",
    "more news",
    "more stories",
    "top stories",
    "don't miss",
    "explore further",
    "editor's picks",
    "editors' picks",
    "lire aussi",
    "à lire aussi",
    "voir aussi",
    "sur le même sujet",
    "articles connexes",
    "te puede interesar",
    "también te puede interesar",
    "lee también",
    "ver también",
    "noticias relacionadas",
    "contenido relacionado",
];

/// Beginnings of labels of boxes pointing to other pages, normalised.
const RELATED_PREFIXES: &[&str] = &[
    "related articles",
    "related news",
    "related stories",
    "related posts",
    "related content",
    "related links",
    "related coverage",
    "related topics",
    "related reading",
    "related videos",
    "more from",
    "more in",
    "more on this",
    "more like this",
    "most read",
    "most popular",
    "most viewed",
    "most shared",
    "you may also like",
    "you might also like",
    "you may also be interested",
    "you might be interested",
    "recommended for you",
    "recommended stories",
    "trending now",
    "latest news",
    "latest stories",
    "other news",
];

/// A heading or a short label naming a box of links to other pages; also
/// "More X stories".
fn is_related_label(line: &Line) -> bool {
    let label = matches!(line.kind, Kind::Heading(_))
        || (matches!(line.kind, Kind::Para) && line.chars <= 60);
    if !label {
        return false;
    }
    let n = normalise(&line.text);
    let words: Vec<&str> = n.split(' ').collect();
    let more = words.len() <= 6
        && words.first() == Some(&"more")
        && matches!(
            words.last(),
            Some(&("stories" | "news" | "articles" | "posts" | "videos"))
        );
    words.len() <= 8
        && (more
            || RELATED_LABELS.contains(&n.as_str())
            || RELATED_PREFIXES.iter().any(|p| starts_with_words(&n, p)))
}

/// The element holding the main content (0, the document, when unsure).
fn main_container(flat: &Flat, values: &[i64], dropped: &[bool]) -> usize {
    let elems = &flat.elems;
    let mut score = vec![0i64; elems.len()];
    let mut positive = vec![0i64; elems.len()];
    for (line, &value) in flat
        .lines
        .iter()
        .zip(values)
        .filter(|(l, _)| !dropped[l.elem])
    {
        score[line.elem] += value;
        positive[line.elem] += value.max(0);
    }
    for e in (1..elems.len()).rev() {
        if !dropped[e] {
            score[elems[e].parent] += score[e];
            positive[elems[e].parent] += positive[e];
        }
    }
    let live = |e: usize| !dropped[e];
    // A semantic container holding most of the text: the innermost one.
    let semantic = (1..elems.len())
        .filter(|&e| live(e) && elems[e].content && positive[e] * 10 >= positive[0] * 6)
        .max_by_key(|&e| elems[e].depth);
    if let Some(e) = semantic {
        return e;
    }
    // Otherwise the innermost element scoring nearly as high as the best.
    let best = (0..elems.len())
        .filter(|&e| live(e))
        .map(|e| score[e])
        .max()
        .unwrap_or(0);
    if best <= 0 {
        return 0;
    }
    (0..elems.len())
        .filter(|&e| live(e) && score[e] * 4 >= best * 3)
        .max_by_key(|&e| (elems[e].depth, score[e]))
        .unwrap_or(0)
}

/// The page's title heading: the first `<h1>` sharing most of its words
/// with `<title>`, else the first `<h1>` that is neither furniture nor a link.
fn title_heading(lines: &[Line], dropped: &[bool], title: Option<&str>) -> Option<usize> {
    let h1s: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].kind == Kind::Heading(1))
        .collect();
    let title_words = normalise(title.unwrap_or(""));
    let title_words: Vec<&str> = title_words.split(' ').collect();
    let matches_title = |i: usize| {
        let text = normalise(&lines[i].text);
        let words: Vec<&str> = text.split(' ').collect();
        let shared = words.iter().filter(|w| title_words.contains(w)).count();
        !text.is_empty() && shared * 2 >= words.len()
    };
    let usable = |i: usize| !dropped[lines[i].elem] && !lines[i].is_link_heavy();
    h1s.iter()
        .copied()
        .filter(|&i| matches_title(i))
        .min_by_key(|&i| !usable(i))
        .or_else(|| h1s.iter().copied().find(|&i| usable(i)))
}

/// Drops furniture lines from the main content's lines (in document order).
fn filter_lines(lines: &[Line], candidates: Vec<usize>) -> Vec<usize> {
    let link_paragraph = link_paragraphs(lines, &candidates);
    let mut kept: Vec<usize> = candidates
        .into_iter()
        .zip(link_paragraph)
        .filter(|&(i, link_paragraph)| {
            let line = &lines[i];
            !link_paragraph
                && !line.is_mostly_furniture()
                && !is_teaser(line)
                && !is_furniture_text(&line.text)
        })
        .map(|(i, _)| i)
        .collect();
    kept = drop_link_lists(lines, kept);
    kept = drop_widgets(lines, kept);
    kept = drop_repeats(lines, kept);
    drop_dangling_headings(lines, kept)
}

/// Longest link that may stand as a part of a paragraph split by `<br>`.
const SHORT_LINK: usize = 40;

/// For each line, whether it is a paragraph, or a part of one split by
/// `<br>`, whose text is mostly links. A short link in a paragraph that is
/// not mostly links stays: an address written under its label ("Thriller
/// (Vinyl)<br><a>http://…</a>").
fn link_paragraphs(lines: &[Line], kept: &[usize]) -> Vec<bool> {
    let mut out = vec![false; kept.len()];
    let mut i = 0;
    while i < kept.len() {
        let first = &lines[kept[i]];
        let mut j = i + 1;
        if first.kind == Kind::Para {
            while j < kept.len()
                && lines[kept[j]].kind == Kind::Para
                && lines[kept[j]].group == first.group
            {
                j += 1;
            }
            let chars: usize = kept[i..j].iter().map(|&k| lines[k].chars).sum();
            let links: usize = kept[i..j].iter().map(|&k| lines[k].link_chars).sum();
            let heavy = links * 2 > chars;
            for (o, &k) in out[i..j].iter_mut().zip(&kept[i..j]) {
                let line = &lines[k];
                *o = line.is_link_heavy() && (heavy || line.chars > SHORT_LINK);
            }
        }
        i = j;
    }
    out
}

/// Lists and tables whose text is mostly links: menus, "related" lists.
fn drop_link_lists(lines: &[Line], kept: Vec<usize>) -> Vec<usize> {
    let mut out = Vec::with_capacity(kept.len());
    let mut i = 0;
    while i < kept.len() {
        let first = &lines[kept[i]];
        let mut j = i + 1;
        if matches!(first.kind, Kind::Item | Kind::Row) {
            while j < kept.len()
                && lines[kept[j]].group == first.group
                && lines[kept[j]].kind == first.kind
            {
                j += 1;
            }
            let chars: usize = kept[i..j].iter().map(|&k| lines[k].chars).sum();
            let links: usize = kept[i..j].iter().map(|&k| lines[k].link_chars).sum();
            if links * 2 > chars {
                i = j;
                continue;
            }
        }
        out.extend_from_slice(&kept[i..j]);
        i = j;
    }
    out
}

/// A short control label: "Muy Fácil", "Yes", "Print".
fn is_label(line: &Line) -> bool {
    let t = line.text.trim();
    let limit = if line.kind == Kind::Item { 3 } else { 4 };
    !matches!(line.kind, Kind::Heading(_) | Kind::Row)
        && word_count(t) <= limit
        && line.chars <= 32
        && !t.ends_with(['.', ':', ';', ',', '?', '!', '。', '？', '！'])
}

fn is_question(line: &Line) -> bool {
    let t = line.text.trim();
    word_count(t) <= 14 && (t.starts_with('¿') || t.ends_with('?'))
}

/// Survey widgets (a question and its short options) and runs of three or
/// more short labels (button rows, menus written as paragraphs).
fn drop_widgets(lines: &[Line], kept: Vec<usize>) -> Vec<usize> {
    let n = kept.len();
    let mut keep = vec![true; n];
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j < n && is_label(&lines[kept[j]]) {
            j += 1;
        }
        let run = j - i;
        let asked = i > 0 && is_question(&lines[kept[i - 1]]);
        let all_items = kept[i..j].iter().all(|&k| lines[k].kind == Kind::Item);
        if (asked && run >= 2) || (run >= 3 && !all_items) {
            keep[i..j].iter_mut().for_each(|k| *k = false);
            if asked {
                keep[i - 1] = false;
            }
        }
        i = j.max(i + 1);
    }
    kept.into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(i, _)| i)
        .collect()
}

/// Cuts at the first footer marker in the last part of the content.
fn drop_tail(lines: &[Line], kept: Vec<usize>, boxed: &[bool]) -> Vec<usize> {
    let total: usize = kept.iter().map(|&i| lines[i].chars).sum();
    let mut before = 0;
    for (pos, &i) in kept.iter().enumerate() {
        let line = &lines[i];
        let marker =
            || line.kind != Kind::Item && !boxed[line.elem] && is_footer_marker(&line.text);
        if before * 2 > total && marker() {
            return kept[..pos].to_vec();
        }
        before += line.chars;
    }
    kept
}

/// Drops lines repeating an earlier heading with no sentence between
/// them: a title shown twice. A heading repeated further down, after text,
/// heads another section ("Canada", "Next steps" under each pillar).
fn drop_repeats(lines: &[Line], kept: Vec<usize>) -> Vec<usize> {
    // Heading text, and how many sentences had been kept when it was seen.
    let mut headings = std::collections::HashMap::new();
    let mut sentences = 0usize;
    kept.into_iter()
        .filter(|&i| {
            let line = &lines[i];
            if line.kind == Kind::Item {
                return true;
            }
            let text = normalise(&line.text);
            if headings.get(&text) == Some(&sentences) {
                return false;
            }
            if matches!(line.kind, Kind::Heading(_)) {
                headings.insert(text, sentences);
            } else if is_sentence(&line.text) {
                sentences += 1;
            }
            true
        })
        .collect()
}

/// Drops headings with nothing under them before the next heading of the
/// same or a higher level ("Share this page" once its buttons are gone).
fn drop_dangling_headings(lines: &[Line], kept: Vec<usize>) -> Vec<usize> {
    let mut out = Vec::with_capacity(kept.len());
    let mut next: Option<Kind> = None;
    for &i in kept.iter().rev() {
        let kind = lines[i].kind;
        if let Kind::Heading(level) = kind {
            let has_body = match next {
                None => false,
                Some(Kind::Heading(l)) => l > level,
                Some(_) => true,
            };
            if !has_body && level > 1 {
                continue;
            }
        }
        next = Some(kind);
        out.push(i);
    }
    out.reverse();
    out
}
