//! Passes 1 and 2: the page as lines, and its elements marked as content
//! or furniture by tag, ARIA role and the words of their id, class and
//! `aria-label`.

use super::{Elem, Flat, Furniture, Kind, Line};
use scraper::node::Element;
use scraper::{Html, Node};

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

/// The page as lines, in document order, with the elements they sit in.
pub(super) fn flatten(document: &Html) -> Flat {
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
    "author",
    "authors",
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
