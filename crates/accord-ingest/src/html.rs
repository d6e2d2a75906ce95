//! HTML pages to [`Cleaned`] text: keeps the main content's headings,
//! paragraphs and list items as lines, drops scripts, styles and site
//! furniture (navigation, banners, share boxes, footers, forms).
//!
//! Four passes, each linear in the size of the page, none recursive:
//! 1. **Flatten.** html5ever parses the page; an iterative walk drops what
//!    is never text (scripts, styles, form controls, hidden elements) and
//!    turns the rest into lines: a heading, a paragraph, a list item, a
//!    table row, each remembering its element and how much of it is link
//!    text.
//! 2. **Furniture.** Elements are marked by tag (`nav`, `aside`, page-level
//!    `header`/`footer`, `form`), ARIA role, and the words of their id,
//!    class and `aria-label` ("breadcrumb", "cookie", "share", "sidebar",
//!    …). A marked element is dropped unless it holds most of the page's
//!    text (a `<div class="page-with-sidebar">` wrapping everything).
//! 3. **Main content.** The innermost `<main>`, `<article>`, `role=main` or
//!    content-named element holding most of the text; failing that, the
//!    element whose lines score highest, where long link-poor text counts
//!    for it and short or link-heavy text against it.
//! 4. **Lines.** Inside it, lines are dropped by their text and shape:
//!    interface labels in English, French and Spanish ("Skip to main
//!    content", "Français", "Back to top"), link lists, survey widgets (a
//!    question followed by short options), everything after a footer marker
//!    ("Stay Connected", "Date modified") in the last part, lines repeating
//!    a heading, and headings left with nothing under them. The page's
//!    `<h1>` is kept even when it sits outside the main content.
//!
//! No rule names a site. Offsets are found by looking for each line's first
//! word in the source after a moving cursor, with a budget that keeps the
//! search linear on hostile pages.

use crate::clean::{normalise, word_count, Cleaned};
use scraper::node::Element;
use scraper::{Html, Node};

/// What the page says about itself, besides its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// `<title>` or `og:title`, without a site-name suffix.
    pub title: Option<String>,
    /// `<html lang>`, primary subtag only (`en-CA` gives `en`).
    pub language: Option<String>,
    /// Canonical or `og:url` address.
    pub url: Option<String>,
    /// A publication date from `<meta>` or `<time>`, as written.
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

/// Cleans an HTML page. Never fails: a page with no main text yields an
/// empty [`Cleaned`].
pub fn clean_html(html: &str) -> Page {
    let document = Html::parse_document(html);
    let mut info = page_info(&document);
    let flat = flatten(&document);
    if info.date.is_none() {
        // A "Published …" line is dropped from the text, but dates the page.
        info.date = flat
            .lines
            .iter()
            .find(|l| is_date_label(&l.text) && crate::meta::parse_date(&l.text).is_some())
            .map(|l| l.text.clone());
    }
    let kept = choose_lines(&flat, info.title.as_deref());
    let cleaned = emit(html, &flat.lines, &kept);
    Page { cleaned, info }
}

// ---------------------------------------------------------------------------
// Pass 1: flatten the tree into lines.

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

    fn is_mostly_furniture(&self) -> bool {
        self.furniture_chars * 2 > self.chars
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

/// The line context opened by an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// Inside `h1`–`h6`: everything joins the heading's line.
    Heading(u8, usize),
    /// Inside `li`: everything but nested lists joins the item's line.
    Item(usize),
    /// Inside a data-table row: cells join with ` | `.
    Row(usize),
    /// Inside `pre`: source line breaks are kept.
    Pre,
    /// Ordinary flow, e.g. a layout table's cell.
    Flow,
}

/// What closing an element must undo.
#[derive(Debug, Default, Clone, Copy)]
struct Frame {
    elem: usize,
    breaks: bool,
    joins: bool,
    ctx: bool,
    list: bool,
    table: bool,
    link: bool,
    sectioning: bool,
    /// A furniture element inside a line (it did not break it).
    inline_furniture: bool,
}

/// Tags whose content is never text of the page.
const NEVER_TEXT: &[&str] = &[
    "head", "script", "style", "noscript", "template", "svg", "math", "iframe", "frame",
    "frameset", "object", "embed", "applet", "canvas", "audio", "video", "picture", "img",
    "button", "select", "input", "textarea", "option", "optgroup", "datalist", "progress", "meter",
    "map", "area", "link", "meta", "title", "base", "param", "source", "track", "wbr",
];

/// Tags that start and end a line.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "ul",
];

/// Tags that, inside a table cell, show the table is used for layout.
const LAYOUT_TAGS: &[&str] = &[
    "table",
    "p",
    "div",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "article",
    "section",
    "blockquote",
    "form",
];

/// Builds a [`Flat`] page from a walk over the tree.
#[derive(Debug, Default)]
struct Builder {
    flat: Flat,
    frames: Vec<Frame>,
    ctx: Vec<Ctx>,
    /// Open elements that break lines, innermost last (group of a `Para`).
    breakers: Vec<usize>,
    lists: Vec<usize>,
    tables: Vec<usize>,
    links: usize,
    sectioning: usize,
    /// Open furniture elements that did not break the line.
    inline_furniture: usize,
    buf: String,
    buf_chars: usize,
    buf_links: usize,
    buf_furniture: usize,
    space: bool,
    cell: bool,
}

fn flatten(document: &Html) -> Flat {
    let mut b = Builder::default();
    b.flat.elems.push(Elem {
        parent: 0,
        depth: 0,
        furniture: Furniture::No,
        content: false,
    });
    // An explicit stack instead of recursion: pages may nest 100,000 deep.
    let mut stack = vec![(document.tree.root(), false)];
    while let Some((node, leaving)) = stack.pop() {
        match node.value() {
            Node::Element(el) => {
                if leaving {
                    b.close();
                    continue;
                }
                let cell = matches!(el.name(), "td" | "th");
                // Bounded look-ahead, so nested tables stay linear.
                let layout = cell
                    && node.descendants().skip(1).take(400).any(|d| {
                        d.value()
                            .as_element()
                            .is_some_and(|e| LAYOUT_TAGS.contains(&e.name()))
                    });
                if b.open(el, layout) {
                    stack.push((node, true));
                    stack.extend(node.children().rev().map(|c| (c, false)));
                }
            }
            Node::Text(t) => b.text(t),
            Node::Document | Node::Fragment => {
                stack.extend(node.children().rev().map(|c| (c, false)));
            }
            _ => {}
        }
    }
    b.flush();
    b.flat
}

impl Builder {
    /// Opens an element; false when its content is to be skipped.
    fn open(&mut self, el: &Element, layout_cell: bool) -> bool {
        let name = el.name();
        if NEVER_TEXT.contains(&name) || is_hidden(el) {
            return false;
        }
        match name {
            "br" => {
                if self.joining() {
                    self.space = true;
                } else {
                    self.flush();
                }
                return false;
            }
            "hr" => {
                self.flush();
                return false;
            }
            _ => {}
        }
        let elem = self.flat.elems.len();
        let parent = self.frames.last().map_or(0, |f| f.elem);
        let depth = self.flat.elems[parent].depth + 1;
        let role = el.attr("role").unwrap_or("").to_ascii_lowercase();
        let content = is_content(name, &role, el);
        let furniture = furniture(name, &role, el, self.sectioning > 0);
        self.flat.elems.push(Elem {
            parent,
            depth,
            furniture,
            content,
        });
        let mut frame = Frame {
            elem,
            ..Frame::default()
        };

        if matches!(name, "article" | "main" | "section") || role == "main" {
            frame.sectioning = true;
            self.sectioning += 1;
        }
        if name == "a" {
            frame.link = true;
            self.links += 1;
        }
        let heading = heading_level(name);
        match self.ctx.last().copied() {
            Some(Ctx::Row(_)) if matches!(name, "td" | "th") && !layout_cell => {
                self.cell = !self.buf.is_empty();
                frame.joins = true;
            }
            Some(Ctx::Heading(..)) if BLOCK_TAGS.contains(&name) => {
                self.space = true;
                frame.joins = true;
            }
            Some(Ctx::Item(_)) | Some(Ctx::Row(_))
                if BLOCK_TAGS.contains(&name)
                    && !matches!(
                        name,
                        "li" | "ul" | "ol" | "dl" | "table" | "tr" | "pre" | "td" | "th"
                    )
                    && heading.is_none() =>
            {
                self.space = true;
                frame.joins = true;
            }
            _ if BLOCK_TAGS.contains(&name) => {
                self.flush();
                frame.breaks = true;
                self.breakers.push(elem);
                let ctx = if let Some(level) = heading {
                    Some(Ctx::Heading(level, elem))
                } else {
                    match name {
                        "li" => Some(Ctx::Item(self.lists.first().copied().unwrap_or(elem))),
                        "tr" => Some(Ctx::Row(self.tables.last().copied().unwrap_or(elem))),
                        "pre" => Some(Ctx::Pre),
                        "td" | "th" | "table" => Some(Ctx::Flow),
                        _ => None,
                    }
                };
                if let Some(ctx) = ctx {
                    self.ctx.push(ctx);
                    frame.ctx = true;
                }
                if matches!(name, "ul" | "ol" | "menu" | "dir") {
                    self.lists.push(elem);
                    frame.list = true;
                }
                if name == "table" {
                    self.tables.push(elem);
                    frame.table = true;
                }
            }
            _ => {}
        }
        if furniture != Furniture::No && !frame.breaks {
            frame.inline_furniture = true;
            self.inline_furniture += 1;
        }
        self.frames.push(frame);
        true
    }

    fn close(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        if frame.breaks {
            self.flush();
            self.breakers.pop();
        }
        if frame.joins {
            self.space = true;
        }
        if frame.ctx {
            self.ctx.pop();
        }
        if frame.list {
            self.lists.pop();
        }
        if frame.table {
            self.tables.pop();
        }
        if frame.link {
            self.links = self.links.saturating_sub(1);
        }
        if frame.sectioning {
            self.sectioning = self.sectioning.saturating_sub(1);
        }
        if frame.inline_furniture {
            self.inline_furniture = self.inline_furniture.saturating_sub(1);
        }
    }

    /// True when block elements join the current line instead of breaking it.
    fn joining(&self) -> bool {
        matches!(
            self.ctx.last(),
            Some(Ctx::Heading(..) | Ctx::Item(_) | Ctx::Row(_))
        )
    }

    fn text(&mut self, text: &str) {
        let pre = self.ctx.last() == Some(&Ctx::Pre);
        for c in text.chars() {
            if matches!(
                c,
                '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{ad}'
            ) {
                continue;
            }
            if pre && c == '\n' {
                self.flush();
                continue;
            }
            if c.is_whitespace() {
                self.space = true;
                continue;
            }
            if !self.buf.is_empty() {
                if self.cell {
                    self.buf.push_str(" | ");
                    self.buf_chars += 3;
                } else if self.space {
                    self.buf.push(' ');
                    self.buf_chars += 1;
                }
            }
            self.cell = false;
            self.space = false;
            self.buf.push(c);
            self.buf_chars += 1;
            if self.links > 0 {
                self.buf_links += 1;
            }
            if self.inline_furniture > 0 {
                self.buf_furniture += 1;
            }
        }
    }

    /// Ends the current line.
    fn flush(&mut self) {
        self.space = false;
        self.cell = false;
        if self.buf.is_empty() {
            return;
        }
        let elem = self.breakers.last().copied().unwrap_or(0);
        let (kind, group) = match self.ctx.last() {
            Some(Ctx::Heading(level, g)) => (Kind::Heading(*level), *g),
            Some(Ctx::Item(g)) => (Kind::Item, *g),
            Some(Ctx::Row(g)) => (Kind::Row, *g),
            _ => (Kind::Para, elem),
        };
        self.flat.lines.push(Line {
            kind,
            text: std::mem::take(&mut self.buf),
            chars: self.buf_chars,
            link_chars: self.buf_links,
            furniture_chars: self.buf_furniture,
            elem,
            group,
        });
        self.buf_chars = 0;
        self.buf_links = 0;
        self.buf_furniture = 0;
    }
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// `hidden`, `aria-hidden="true"`, `display:none` or `visibility:hidden`.
fn is_hidden(el: &Element) -> bool {
    if el.attr("hidden").is_some()
        || el
            .attr("type")
            .is_some_and(|t| t.eq_ignore_ascii_case("hidden"))
    {
        return true;
    }
    if el
        .attr("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    el.attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    })
}

/// The lowercase words of a name like `mainNav`, `share-box` or `wb_lng`.
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Id and class words marking furniture that is always dropped.
const STRONG_WORDS: &[&str] = &[
    "comment", "comments", "disqus", "cookie", "cookies", "consent", "gdpr",
];

/// Id, class and `aria-label` words marking furniture.
const FURNITURE_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "menubar",
    "submenu",
    "breadcrumb",
    "breadcrumbs",
    "banner",
    "share",
    "sharing",
    "sharethis",
    "social",
    "subscribe",
    "subscription",
    "newsletter",
    "signup",
    "survey",
    "feedback",
    "related",
    "recommended",
    "sidebar",
    "footer",
    "header",
    "masthead",
    "skip",
    "skiplink",
    "skiplinks",
    "modal",
    "popup",
    "pagination",
    "pager",
    "toolbar",
    "ad",
    "ads",
    "advert",
    "advertisement",
    "sponsor",
    "sponsored",
    "promo",
    "outbrain",
    "taboola",
    "login",
    "signin",
    "search",
    "tags",
    "byline",
    "caption",
    "credit",
    "credits",
    "lng",
    "langs",
    "languages",
    "trending",
    "nocontent",
];

/// Whole class names of content shown only to screen readers.
const SCREEN_READER_CLASSES: &[&str] = &[
    "sr-only",
    "visually-hidden",
    "visuallyhidden",
    "screen-reader-text",
    "screen-reader-only",
    "element-invisible",
    "offscreen",
    "hidden",
    "hide",
    "invisible",
];

/// Parts of concatenated names that mark furniture (`backtotop`, `cookiebar`).
const FURNITURE_PARTS: &[&str] = &[
    "breadcrumb",
    "cookie",
    "newsletter",
    "sidebar",
    "navbar",
    "skiplink",
    "backtotop",
    "scrolltop",
    "totop",
    "socialmedia",
    "sharebar",
    "pagination",
    "langswitch",
    "languageswitch",
    "languagetoggle",
    "langtoggle",
    "languageselector",
];

/// Words that, beside "lang" or "language", name a language toggle.
const TOGGLE_WORDS: &[&str] = &[
    "switch",
    "switcher",
    "toggle",
    "select",
    "selector",
    "selection",
    "picker",
    "chooser",
    "menu",
    "nav",
    "links",
    "list",
    "bar",
    "dropdown",
];

/// Words of a content block, which stop "header" and "footer" from marking it.
const CONTENT_WORDS: &[&str] = &[
    "article", "entry", "post", "story", "content", "page", "title", "hero", "body", "text",
];

fn furniture(name: &str, role: &str, el: &Element, in_sectioning: bool) -> Furniture {
    if matches!(name, "html" | "body" | "main" | "article") || role == "main" {
        return Furniture::No;
    }
    match name {
        "nav" | "aside" | "dialog" => return Furniture::Strong,
        "form" | "figcaption" => return Furniture::Weak,
        "header" | "footer" if !in_sectioning => return Furniture::Weak,
        _ => {}
    }
    match role {
        "navigation" | "menu" | "menubar" | "search" | "dialog" | "alertdialog"
        | "complementary" | "toolbar" | "tablist" => return Furniture::Strong,
        "banner" | "contentinfo" => return Furniture::Weak,
        _ => {}
    }
    let id = el.attr("id").unwrap_or("");
    let class = el.attr("class").unwrap_or("");
    if class
        .split_ascii_whitespace()
        .any(|c| SCREEN_READER_CLASSES.contains(&c.to_ascii_lowercase().as_str()))
    {
        return Furniture::Weak;
    }
    let mut words = name_words(id);
    words.extend(name_words(class));
    words.extend(name_words(el.attr("aria-label").unwrap_or("")));
    if words.iter().any(|w| w == "hero") {
        return Furniture::No;
    }
    if words.iter().any(|w| STRONG_WORDS.contains(&w.as_str())) {
        return Furniture::Strong;
    }
    let content = words.iter().any(|w| CONTENT_WORDS.contains(&w.as_str()));
    let marked = words.iter().any(|w| match w.as_str() {
        "header" | "footer" | "masthead" => !content,
        "lang" | "language" => {
            words.len() == 1 || words.iter().any(|w| TOGGLE_WORDS.contains(&w.as_str()))
        }
        w => FURNITURE_WORDS.contains(&w) || FURNITURE_PARTS.iter().any(|p| w.contains(p)),
    });
    if marked {
        Furniture::Weak
    } else {
        Furniture::No
    }
}

/// Id and class names of a main-content container.
const CONTENT_NAMES: &[&str] = &[
    "content",
    "main",
    "main-content",
    "maincontent",
    "article",
    "article-body",
    "articlebody",
    "article-content",
    "post-body",
    "post-content",
    "entry-content",
    "story-body",
    "story",
    "body-content",
    "page-content",
    "main-container",
];

fn is_content(name: &str, role: &str, el: &Element) -> bool {
    if matches!(name, "main" | "article") || role == "main" {
        return true;
    }
    if el
        .attr("itemprop")
        .is_some_and(|p| p.eq_ignore_ascii_case("articleBody"))
    {
        return true;
    }
    let named = |v: &str| CONTENT_NAMES.iter().any(|n| v.eq_ignore_ascii_case(n));
    el.attr("id").is_some_and(named)
        || el
            .attr("class")
            .unwrap_or("")
            .split_ascii_whitespace()
            .any(named)
}

// ---------------------------------------------------------------------------
// Passes 2–4: choose the lines to keep.

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
fn choose_lines(flat: &Flat, title: Option<&str>) -> Vec<usize> {
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
    // The tail is cut before the boxes go: a "Related" box may mark it.
    let boxed = related_boxes(flat, container, &inside);
    let candidates = drop_tail(lines, candidates)
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

/// Boxes of links to other pages inside the main content: the smallest
/// element that opens with a "Related news" or "Most read" label and holds
/// more than the label, when it holds less than a third of the content's
/// text. True for the elements in such a box.
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
        if !is_related_label(line) {
            continue;
        }
        let mut e = line.elem;
        for _ in 0..LABEL_DEPTH {
            if e == container || n_lines[e] > 1 {
                break;
            }
            e = elems[e].parent;
        }
        let boxed = e != container && n_lines[e] > 1 && first_line[e] == i;
        if boxed && chars[e] * 3 <= chars[container] {
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
    "recommended",
    "popular",
    "trending",
    "latest",
    "see also",
    "also read",
    "read also",
    "read more",
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

/// A heading or a short label naming a box of links to other pages.
fn is_related_label(line: &Line) -> bool {
    let label = matches!(line.kind, Kind::Heading(_))
        || (matches!(line.kind, Kind::Para) && line.chars <= 60);
    if !label {
        return false;
    }
    let n = normalise(&line.text);
    word_count(&n) <= 8
        && (RELATED_LABELS.contains(&n.as_str())
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
fn drop_tail(lines: &[Line], kept: Vec<usize>) -> Vec<usize> {
    let total: usize = kept.iter().map(|&i| lines[i].chars).sum();
    let mut before = 0;
    for (pos, &i) in kept.iter().enumerate() {
        let line = &lines[i];
        if before * 2 > total && line.kind != Kind::Item && is_footer_marker(&line.text) {
            return kept[..pos].to_vec();
        }
        before += line.chars;
    }
    kept
}

/// Drops a line repeating an earlier heading: a title shown twice.
fn drop_repeats(lines: &[Line], kept: Vec<usize>) -> Vec<usize> {
    let mut headings = std::collections::HashSet::new();
    kept.into_iter()
        .filter(|&i| {
            let line = &lines[i];
            let text = normalise(&line.text);
            let repeated = line.kind != Kind::Item && headings.contains(&text);
            if matches!(line.kind, Kind::Heading(_)) {
                headings.insert(text);
            }
            !repeated
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

/// Generic interface labels in English, French and Spanish, normalised.
const FURNITURE_LINES: &[&str] = &[
    "skip navigation",
    "ir al contenido principal",
    "ir al contenido",
    "saltar al contenido principal",
    "main content",
    "menu",
    "main menu",
    "toggle navigation",
    "open menu",
    "close menu",
    "search",
    "buscar",
    "rechercher",
    "print",
    "imprimir",
    "imprimer",
    "print this page",
    "share",
    "share on facebook",
    "share on twitter",
    "share on x",
    "share on linkedin",
    "share via email",
    "partager",
    "partager cette page",
    "compartir",
    "tweet",
    "email",
    "e mail",
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "whatsapp",
    "reddit",
    "pinterest",
    "instagram",
    "youtube",
    "copy link",
    "stay connected",
    "sign up",
    "subscribe",
    "suscríbete",
    "s'abonner",
    "scroll to top",
    "back to top",
    "top of page",
    "return to top",
    "go to top",
    "haut de la page",
    "retour en haut de la page",
    "volver arriba",
    "ir arriba",
    "comments are closed",
    "accept all cookies",
    "accept cookies",
    "accept all",
    "reject all",
    "cookie settings",
    "manage cookies",
    "in english",
    "en français",
    "en español",
    "read more",
    "learn more",
    "continue reading",
    "lire la suite",
    "leer más",
    "ver más",
    "home",
    "accueil",
    "inicio",
    "you are here",
    "vous êtes ici",
    "usted está aquí",
    "advertisement",
    "publicidad",
    "close",
    "cerrar",
    "fermer",
    "yes",
    "no",
    "sí",
    "oui",
    "non",
    "previous",
    "next",
    "advert",
    "caption",
    "don't miss",
    "explore further",
    "sponsored",
    "sponsored links",
    "like this",
    "like loading",
    "loading",
    "comments",
    "see more",
];

/// Beginnings of furniture lines, normalised.
const FURNITURE_PREFIXES: &[&str] = &[
    "date modified",
    "date de modification",
    "fecha de modificación",
    "last updated",
    "page details",
    "skip to",
    "passer au",
    "opt in to",
    "follow us",
    "síguenos",
    "suivez nous",
    "share this",
    "sign up for",
    "subscribe to",
    "we use cookies",
    "this site uses cookies",
    "this website uses cookies",
    "nous utilisons des témoins",
    "utilizamos cookies",
    "usamos cookies",
    "was this page helpful",
    "did you find what you",
    "¿fue fácil",
    "¿te fue útil",
    "¿encontraste",
    "cette page vous a t elle été utile",
    "report a problem",
    "signaler un problème",
    "reportar un problema",
    "we'll be in touch",
    "we will be in touch",
    "you have been successfully subscribed",
    "thanks for subscribing",
    "thank you for subscribing",
    "if you enjoyed this article",
    "this slideshow requires javascript",
    "this document is subject to copyright",
];

/// Names of languages, as written on language toggles.
const LANGUAGES: &[&str] = &[
    "english",
    "français",
    "francais",
    "español",
    "espanol",
    "deutsch",
    "italiano",
    "português",
    "en",
    "fr",
    "es",
    "中文",
    "русский",
    "العربية",
    "日本語",
    "한국어",
];

fn is_furniture_text(text: &str) -> bool {
    let n = normalise(text);
    if !text.chars().any(char::is_alphabetic) && text.chars().count() < 6 {
        // Only symbols and counters: "|", "»", "©", "6".
        return true;
    }
    let words = word_count(&n);
    if words <= 8 && FURNITURE_LINES.contains(&n.as_str()) {
        return true;
    }
    if words <= 5 && n.split(' ').all(|w| LANGUAGES.contains(&w)) {
        return true;
    }
    if words <= 40 && FURNITURE_PREFIXES.iter().any(|p| starts_with_words(&n, p)) {
        return true;
    }
    is_counter(&n)
        || is_date_label(text)
        || is_image_credit(text)
        || is_copyright(text, &n)
        || is_contact(text)
        || is_report_credit(&n)
}

/// Counters shown beside an article: "12 comments", "1 of 6", "1 - 5 of
/// 36", "5 min read".
fn is_counter(n: &str) -> bool {
    let words: Vec<&str> = n.split(' ').collect();
    let number = |w: &&str| w.chars().all(|c| c.is_ascii_digit() || c == 'k');
    match words.as_slice() {
        [count @ .., last] if count.len() <= 2 && count.iter().all(number) => {
            COUNTED.contains(last)
        }
        [a, "of", b] | [a, _, "of", b] => number(a) && number(b),
        [minutes, "min" | "mins" | "minute" | "minutes", "read"] => number(minutes),
        _ => false,
    }
}

/// What a counter counts.
const COUNTED: &[&str] = &[
    "comment",
    "comments",
    "share",
    "shares",
    "view",
    "views",
    "like",
    "likes",
    "reply",
    "replies",
    "comentarios",
    "commentaires",
];

/// Words opening a line that dates the page: "Published: 10:48, Tue, Nov
/// 19, 2019", "Updated at 1:23 p.m.", "Posted on March 30, 2015 by Admin".
const DATE_LABELS: &[&str] = &[
    "published",
    "first published",
    "updated",
    "last updated",
    "posted",
    "posted on",
    "modified",
    "last modified",
    "publié",
    "publié le",
    "mis à jour",
    "publicado",
    "publicado el",
    "actualizado",
    "actualizado el",
];

/// A short line that dates the page or names its author with a date: a
/// date label followed by a date or a time, or "by NAME — DATE". A bare
/// date ("January 10, 2023") is a dateline and stays.
fn is_date_label(text: &str) -> bool {
    let n = normalise(text);
    if word_count(&n) > 16 {
        return false;
    }
    let labelled = DATE_LABELS.iter().any(|l| starts_with_words(&n, l));
    let byline = starts_with_words(&n, "by") && word_count(&n) <= 10;
    let dated = || crate::meta::parse_date(text).is_some() || has_clock_time(text);
    (labelled || byline) && dated()
}

/// A time of day: "10:48", "1:23 p.m.".
fn has_clock_time(text: &str) -> bool {
    text.as_bytes().windows(4).any(|w| {
        w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit() && w[3].is_ascii_digit()
    })
}

/// Words opening the credit in a caption: "(Image: Getty)", "(AP
/// Photo/Evan Vucci)", "(credit: NASA)".
const CREDIT_WORDS: &[&str] = &[
    "image", "images", "photo", "photos", "picture", "pictures", "pic", "credit", "credits",
    "foto", "fotos", "crédit", "crédito", "source", "ap", "reuters", "getty", "afp", "epa",
];

/// A caption or credit line: it ends with a credit in brackets, or it is
/// a short "Photo: …" or "Image credit: …" line.
fn is_image_credit(text: &str) -> bool {
    let t = text.trim_end();
    if word_count(t) > 80 {
        return false;
    }
    if let Some(open) = t.strip_suffix(')').and_then(|rest| rest.rfind('(')) {
        let inside = normalise(&t[open..]);
        let first = inside.split(' ').next().unwrap_or("");
        if CREDIT_WORDS.contains(&first)
            && (inside.contains("photo") || inside.contains("image") || t[open..].contains(':'))
        {
            return true;
        }
    }
    let n = normalise(t);
    word_count(&n) <= 12
        && [
            "photo",
            "photos",
            "photo credit",
            "image",
            "image credit",
            "image source",
            "picture",
            "credit",
            "foto",
            "crédit photo",
        ]
        .iter()
        .any(|label| {
            starts_with_words(&n, label) && t[..t.len().min(label.len() + 4)].contains([':', '/'])
        })
}

/// "© 2019 Example Media. All rights reserved."
fn is_copyright(text: &str, n: &str) -> bool {
    word_count(n) <= 12
        && (text.trim_start().starts_with('©')
            || n.contains("all rights reserved")
            || n.contains("tous droits réservés")
            || n.contains("todos los derechos reservados")
            || starts_with_words(n, "copyright"))
}

/// A line that is only an e-mail address or a social handle: the author's
/// contact under an article.
fn is_contact(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() <= 2
        && words.iter().all(|w| {
            let at = w.find('@');
            at.is_some_and(|at| at == 0 || w[at..].contains('.'))
        })
}

/// Credits of the reporters: "Associated Press writers … contributed to
/// this report.", "(Reporting by …; editing by …)".
fn is_report_credit(n: &str) -> bool {
    word_count(n) <= 50
        && (n.ends_with("contributed to this report")
            || n.ends_with("contributed reporting")
            || n.ends_with("contributed to this article")
            || starts_with_words(n, "reporting by")
            || starts_with_words(n, "writing by")
            || starts_with_words(n, "editing by"))
}

/// Lines opening a page's footer or widget area.
const FOOTER_MARKERS: &[&str] = &[
    "stay connected",
    "comments are closed",
    "related",
    "related articles",
    "related links",
    "related content",
    "related news",
    "related stories",
    "related posts",
    "more news",
    "more stories",
    "share this",
    "was this page helpful",
    "date modified",
    "date de modification",
    "leave a reply",
    "leave a comment",
    "follow us",
    "sign up for",
    "you may also like",
    "recommended",
    "most popular",
    "most read",
    "read next",
    "about the author",
    "tags",
    "noticias relacionadas",
    "contenido relacionado",
    "¿fue fácil encontrar",
    "¿te fue útil",
    "encuesta",
    "à lire aussi",
    "sur le même sujet",
    "explore further",
    "tell us what you think",
];

fn is_footer_marker(text: &str) -> bool {
    let n = normalise(text);
    word_count(&n) <= 8 && FOOTER_MARKERS.iter().any(|m| starts_with_words(&n, m))
}

/// `text` starts with the words of `prefix`.
fn starts_with_words(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

// ---------------------------------------------------------------------------
// Writing the lines with their offsets.

fn emit(html: &str, lines: &[Line], kept: &[usize]) -> Cleaned {
    // Locate in document order, so the cursor only moves forward.
    let mut order: Vec<usize> = kept.to_vec();
    order.sort_unstable();
    let mut locator = Locator::new(html);
    let mut position = vec![0; lines.len()];
    for &i in &order {
        position[i] = locator.find(&lines[i].text);
    }
    let mut cleaned = Cleaned::new();
    let mut previous: Option<&Line> = None;
    for &i in kept {
        let line = &lines[i];
        if previous.is_some_and(|p| p.group != line.group || p.kind != line.kind) {
            cleaned.end_block();
        }
        let marker = match line.kind {
            Kind::Heading(level) => format!("{} ", "#".repeat(level as usize)),
            Kind::Item => "- ".to_string(),
            Kind::Para | Kind::Row => String::new(),
        };
        // Anchored so that the first word, after the marker, maps exactly.
        cleaned.push_line(
            &format!("{marker}{}", line.text),
            position[i].saturating_sub(marker.len()),
        );
        previous = Some(line);
    }
    cleaned.end_block();
    cleaned
}

/// The first run of letters and digits of a word: "“We" gives "We".
fn first_alnum_run(word: &str) -> &str {
    word.split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("")
}

/// Finds where lines start in the source, best effort.
struct Locator<'a> {
    html: &'a str,
    cursor: usize,
    /// Bytes that failed searches may still scan before the search window
    /// shrinks, so a page whose lines cannot be found stays linear.
    budget: usize,
}

impl<'a> Locator<'a> {
    /// Window of a search once the budget is spent.
    const SMALL_WINDOW: usize = 1024;

    /// Starts at `<body`, so the head's `<title>` is not taken for the
    /// page's `<h1>`.
    fn new(html: &'a str) -> Self {
        let body = html
            .as_bytes()
            .windows(5)
            .position(|w| w.eq_ignore_ascii_case(b"<body"));
        Locator {
            html,
            cursor: body.unwrap_or(0),
            budget: 4 * html.len() + (1 << 20),
        }
    }

    /// Where `text` starts: its first word after the cursor, else its first
    /// run of letters and digits (the first word may hold an entity), else
    /// the cursor. The cursor then moves past the text's last word, so the
    /// next line is not found inside this one.
    fn find(&mut self, text: &str) -> usize {
        let first = text.split_whitespace().next().unwrap_or("");
        let alnum = first_alnum_run(first);
        let needles = if alnum == first {
            [first, ""]
        } else {
            [first, alnum]
        };
        let found = needles
            .into_iter()
            .find_map(|needle| self.search(needle).map(|at| (at, needle.len())));
        let Some((at, len)) = found else {
            return self.cursor;
        };
        self.cursor = at + len;
        if let Some(last) = text.split_whitespace().skip(1).last() {
            let end = self
                .html
                .floor_char_boundary(self.cursor.saturating_add(8 * text.len() + 256));
            if let Some(i) = self.html[self.cursor..end].find(first_alnum_run(last)) {
                self.cursor += i;
            }
        }
        at
    }

    fn search(&mut self, needle: &str) -> Option<usize> {
        // An empty needle would match anywhere.
        if needle.is_empty() {
            return None;
        }
        let end = if self.budget > 0 {
            self.html.len()
        } else {
            self.html
                .floor_char_boundary(self.cursor.saturating_add(Self::SMALL_WINDOW))
        };
        let hay = &self.html[self.cursor..end];
        let mut from = 0;
        // A few tries to skip matches inside words and inside tags.
        for _ in 0..8 {
            let Some(i) = hay[from..].find(needle) else {
                break;
            };
            let at = self.cursor + from + i;
            if self.in_text(at, at + needle.len()) {
                return Some(at);
            }
            from += i + needle.len();
        }
        self.budget = self.budget.saturating_sub(hay.len());
        None
    }

    /// The match `at..end` is a whole word of text, not part of a longer
    /// word or of a tag.
    fn in_text(&self, at: usize, end: usize) -> bool {
        let before = &self.html[..at];
        let inside_word = before
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
            || self.html[end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        if inside_word {
            return false;
        }
        let near = &before[before.floor_char_boundary(at.saturating_sub(512))..];
        match near.rfind(['<', '>']) {
            Some(j) => near.as_bytes()[j] == b'>',
            None => true,
        }
    }
}

// ---------------------------------------------------------------------------
// Page metadata.

fn page_info(document: &Html) -> PageInfo {
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
fn trim_site_suffix(title: &str, og_title: Option<&str>, site_name: Option<&str>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

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
            let page = clean_html(&html);
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
        let info = clean_html(html).info;
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
        let info = clean_html(html).info;
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
        let cleaned = clean_html(html).cleaned;
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
        let depth = 20_000;
        let mut html = String::from("<html><body>");
        for _ in 0..depth {
            html.push_str("<div>");
        }
        html.push_str(
            "<p>We will build the corridor together, as agreed by the three leaders today.</p>",
        );
        let started = std::time::Instant::now();
        let page = clean_html(&html);
        assert!(page.cleaned.text.contains("We will build the corridor"));
        let mut spans = String::from("<p>");
        for _ in 0..depth {
            spans.push_str("<span><b><i><table><tr><td>x");
        }
        let _ = clean_html(&spans);
        assert!(
            started.elapsed().as_secs() < 20,
            "took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn huge_page_is_linear() {
        let mut html = String::from("<html><body><nav><a href=/>Home</a></nav><main>");
        let paragraph = "<p>The leaders committed to expand &amp; modernize the shared border infrastructure, \
            invest in clean energy and <a href=\"/x\">report progress</a> at the next summit.</p>\n";
        while html.len() < 5_000_000 {
            html.push_str(paragraph);
            html.push_str("<script>var x = 'The leaders committed';</script>");
        }
        let started = std::time::Instant::now();
        let page = clean_html(&html);
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
        let page = clean_html(&html);
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
            clean_html(html).cleaned.text,
            "## Security\n\nFirst line\nsecond line here.\n\n- One\n- One point one\n- Two continued\n\n\
             Action | Year\nPlan | 2024\n\n"
        );
    }

    #[test]
    fn hostile_page_keeps_no_code() {
        let text = clean_html(include_str!("../test_data/html/hostile.html"))
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
        assert!(text
            .contains("establish a joint task force on cybersecurity before the end of the year."));
    }

    #[test]
    fn survey_widget_is_dropped_by_its_shape() {
        let html = "<main><h1>Comunicado</h1>\
            <p>Los tres gobiernos acordaron publicar un informe conjunto antes de la próxima cumbre.</p>\
            <p>¿Te gustó este comunicado?</p><div>Mucho</div><div>Algo</div><div>Nada</div>\
            <p>El informe se publicará en los tres idiomas oficiales de la región.</p></main>";
        assert_eq!(
            clean_html(html).cleaned.text,
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
            clean_html(html).cleaned.text,
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
            clean_html(html).cleaned.text,
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
            let _ = clean_html(html);
        }
        assert_eq!(clean_html("<p>One line.").cleaned.text, "One line.\n\n");
    }
}
