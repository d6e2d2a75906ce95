//! HTML pages to [`Cleaned`] text: keeps the main content's headings,
//! paragraphs and list items as lines, drops scripts, styles and site
//! furniture (navigation, banners, share boxes, related links, captions,
//! bylines and date stamps, footers, forms).
//!
//! Four passes, each linear in the size of the page, none recursive:
//! 1. **Flatten** (`flatten`). html5ever parses the page (`parse`, which
//!    refuses the shapes its algorithms are quadratic on); an iterative walk
//!    drops what is never text (scripts, styles, form controls, hidden
//!    elements) and turns the rest into lines: a heading, a paragraph, a
//!    list item, a table row, each remembering its element, how much of it
//!    is link text and how much is text of furniture inside the line (a
//!    `<span class="caption">`, a `<figcaption>` in a list item).
//! 2. **Furniture** (`flatten`). Elements are marked by tag (`nav`,
//!    `aside`, page-level `header`/`footer`, `form`), ARIA role, and the
//!    words of their id, class and `aria-label` ("breadcrumb", "cookie",
//!    "share", "sidebar", "author", …). A marked element is dropped unless
//!    it holds most of the page's text (a `<div class="page-with-sidebar">`
//!    wrapping everything).
//! 3. **Main content** (`select`). The innermost `<main>`, `<article>`,
//!    `role=main` or content-named element holding most of the text;
//!    failing that, the element whose lines score highest, where long
//!    link-poor text counts for it and short or link-heavy text against it.
//! 4. **Lines** (`select`, `text`). Inside it, boxes of links to other
//!    pages go: an element opening with a "Related news" or "Most read"
//!    label, a teaser card (a linked heading and an excerpt). Then lines go
//!    by their shape: link lists and link paragraphs, lines mostly made of
//!    furniture text, survey widgets (a question followed by short
//!    options), everything after a footer marker ("Stay Connected", "Date
//!    modified", "Comments") in the last part, a title shown twice, and
//!    headings left with nothing under them. And by their text: interface
//!    labels in English, French and Spanish ("Skip to main content",
//!    "Français", "Back to top"), counters ("12 comments", "1 of 6"), date
//!    stamps ("Published: 10:48, Nov 19, 2019", which still date the page),
//!    bylines, image credits, copyright lines, newsletter and "follow her on
//!    Twitter" promotions, reporters' credits. A bare dateline ("January
//!    10, 2023") stays. The page's `<h1>` is kept even when it sits outside
//!    the main content.
//!
//! No rule names a site. Offsets (`emit`) are found by looking for each
//! line's first word in the source after a moving cursor, with a budget
//! that keeps the search linear on hostile pages.
//!
//! # Why our own extractor
//!
//! Measured on the 99 pages of `../shared/corpus/html-articles` (the
//! article-extraction benchmark's 4-gram score; pages/s of the extraction
//! alone, in one process, best of 7 runs on a loaded 2-core machine):
//!
//! | extractor                  | P     | R     | F1    | pages/s |
//! |----------------------------|-------|-------|-------|---------|
//! | this module, before        | 0.936 | 0.983 | 0.959 | 495     |
//! | this module, now           | 0.957 | 0.989 | 0.973 | 460     |
//! | rs-trafilatura 0.2.2       | 0.924 | 0.993 | 0.957 | 98      |
//! | dom_smoothie 0.19.0        | 0.903 | 0.989 | 0.944 | 515     |
//! | readability 0.3.0          | 0.894 | 0.864 | 0.879 | 483     |
//!
//! None of the crates scores higher on these pages. rs-trafilatura is
//! nearly five times slower, brings a page-type classifier, and its
//! Markdown output, the one that keeps headings and lists, scores 0.938;
//! the others return flattened text or their own HTML. None gives offsets
//! into the page. So the extractor stays ours, with general rules for the
//! furniture these pages showed. Most of what it still keeps beyond the
//! benchmark's gold text is the title heading, which Accord keeps on
//! purpose (dropping it would score about 0.011 more).

mod emit;
mod flatten;
mod info;
mod parse;
mod select;
#[cfg(test)]
mod tests;
mod text;

use crate::clean::Cleaned;
pub use parse::{Refusal, MAX_ATTRIBUTES, MAX_DEPTH};

/// What the page says about itself, besides its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// `<title>` or `og:title`, without a site-name suffix.
    pub title: Option<String>,
    /// `<html lang>`, primary subtag only (`en-CA` gives `en`).
    pub language: Option<String>,
    /// Canonical or `og:url` address.
    pub url: Option<String>,
    /// A publication date from `<meta>` or `<time>`, or failing those a
    /// date stamp line ("Published: 10:48, Jan 11, 2023"), as written.
    pub date: Option<String>,
    /// The site name (`og:site_name`).
    pub site_name: Option<String>,
}

/// A cleaned page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The kept text, headings as `# ` lines and list items as `- ` lines.
    ///
    /// Each line is anchored so that the offset of its first word (after
    /// any `# ` or `- ` marker) maps to where that word is in the HTML.
    pub cleaned: Cleaned,
    /// Page-level metadata.
    pub info: PageInfo,
}

/// Cleans an HTML page. A page with no main text yields an empty
/// [`Cleaned`]; only a page the parser would take minutes over (elements
/// nested deeper than [`MAX_DEPTH`], a tag with more than
/// [`MAX_ATTRIBUTES`] attributes) is refused.
pub fn clean_html(html: &str) -> Result<Page, Refusal> {
    let document = parse::parse(html)?;
    let mut info = info::page_info(&document);
    let flat = flatten::flatten(&document);
    if info.date.is_none() {
        // A "Published …" line is dropped from the text, but dates the page.
        info.date = flat
            .lines
            .iter()
            .find(|l| text::is_date_label(&l.text) && crate::meta::parse_date(&l.text).is_some())
            .map(|l| l.text.clone());
    }
    let kept = select::choose_lines(&flat, info.title.as_deref());
    let cleaned = emit::emit(html, &flat.lines, &kept);
    Ok(Page { cleaned, info })
}

/// What a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `h1`–`h6`, with the level.
    Heading(u8),
    /// A paragraph, a `div`'s text, a `<br>`-separated part of one.
    Para,
    /// A list item.
    Item,
    /// A table row, cells joined by ` | `.
    Row,
}

/// One line of text, as it will be written (without its marker).
#[derive(Debug, Clone)]
struct Line {
    kind: Kind,
    text: String,
    /// Characters of `text`, how many of them are inside links, and how
    /// many inside furniture elements that did not break the line (a
    /// `<span class="caption">`, a `<figcaption>` inside a list item).
    chars: usize,
    link_chars: usize,
    furniture_chars: usize,
    /// The innermost block element holding the line.
    elem: usize,
    /// Consecutive lines of one group form one block: the parts of one
    /// paragraph, the items of one (outermost) list, the rows of a table.
    group: usize,
}

impl Line {
    fn is_link_heavy(&self) -> bool {
        self.link_chars * 2 > self.chars
    }

    /// Mostly text of furniture inside the line. Headings are judged by
    /// their own element only.
    fn is_mostly_furniture(&self) -> bool {
        !matches!(self.kind, Kind::Heading(_)) && self.furniture_chars * 2 > self.chars
    }
}

/// How strongly an element looks like site furniture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Furniture {
    No,
    /// Dropped unless it holds more than half of the page's text.
    Weak,
    /// Dropped unless it holds four fifths of the page's text.
    Strong,
}

/// An element kept by the walk. Elements are stored in document order, so
/// a parent always comes before its children.
#[derive(Debug, Clone)]
struct Elem {
    parent: usize,
    depth: usize,
    furniture: Furniture,
    /// `<main>`, `<article>`, `role=main`, or a content-like id or class.
    content: bool,
}

/// The page as lines, with the elements they belong to. Element 0 is the
/// document itself.
#[derive(Debug, Default)]
struct Flat {
    elems: Vec<Elem>,
    lines: Vec<Line>,
}
