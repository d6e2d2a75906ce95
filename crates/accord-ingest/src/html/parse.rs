//! Parsing a page with html5ever, within bounds.
//!
//! html5ever follows the HTML standard, whose algorithms are quadratic on
//! two shapes no real page has: at every start tag its tree builder walks
//! the stack of open elements (is a `p` open in button scope?), so a page
//! nesting 200,000 `<div>`s took two minutes; and its tokenizer compares
//! each attribute of a tag with every one before it, so a tag with 200,000
//! attributes took ten seconds, and a 64 MB one would never finish. Such
//! pages are refused with the reason and the line ([`Refusal`]):
//!
//! - attributes are counted before parsing, by a scan that reads tags as
//!   the tokenizer does (quoted values, comments, and the text of
//!   `<script>`, `<style>` and the other elements whose text holds no
//!   tags);
//! - nesting is measured while parsing: the parser is fed the page a piece
//!   at a time, its tree sink notes each element's depth as it is
//!   appended, and parsing stops after the piece where an element went
//!   deeper than [`MAX_DEPTH`].
//!
//! Below both limits the page is parsed exactly as `Html::parse_document`
//! parses it.

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName};
use rustc_hash::FxHashMap;
use scraper::{Html, HtmlTreeSink};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};

/// scraper's handle of a node.
type Handle = <HtmlTreeSink as TreeSink>::Handle;

/// Elements nested deeper than this are refused. Browsers stop nesting at
/// 512 (deeper elements become siblings); pages that are read nest a few
/// dozen deep.
pub const MAX_DEPTH: usize = 512;

/// A tag with more attributes than this is refused.
pub const MAX_ATTRIBUTES: usize = 256;

/// How much of the page the parser is given at a time: the most it reads
/// past the point where an element went too deep.
const PIECE: usize = 16 * 1024;

/// Why a page is not parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Elements nested deeper than [`MAX_DEPTH`].
    #[error("its elements nest more than {MAX_DEPTH} deep (line {line})")]
    TooDeep {
        /// The line of the first element too deep.
        line: u64,
    },
    /// A tag with more than [`MAX_ATTRIBUTES`] attributes.
    #[error("a tag has more than {MAX_ATTRIBUTES} attributes (line {line})")]
    TooManyAttributes {
        /// The line where the tag opens.
        line: u64,
    },
}

/// Parses `html` as a document, or says why not.
pub fn parse(html: &str) -> Result<Html, Refusal> {
    if let Some(at) = tag_with_too_many_attributes(html.as_bytes()) {
        return Err(Refusal::TooManyAttributes {
            line: line_of(html.as_bytes(), at),
        });
    }
    let too_deep = std::rc::Rc::new(Cell::new(None));
    let sink = Bounded {
        inner: HtmlTreeSink::new(Html::new_document()),
        depth: RefCell::new(FxHashMap::default()),
        line: Cell::new(1),
        too_deep: std::rc::Rc::clone(&too_deep),
    };
    let mut parser = html5ever::parse_document(sink, Default::default());
    let mut rest = html;
    while !rest.is_empty() {
        let mut end = rest.len().min(PIECE);
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        parser.process(StrTendril::from_slice(&rest[..end]));
        if let Some(line) = too_deep.get() {
            return Err(Refusal::TooDeep { line });
        }
        rest = &rest[end..];
    }
    let document = parser.finish();
    match too_deep.get() {
        Some(line) => Err(Refusal::TooDeep { line }),
        None => Ok(document),
    }
}

/// The line (from 1) of byte `at`.
fn line_of(bytes: &[u8], at: usize) -> u64 {
    memchr::memchr_iter(b'\n', &bytes[..at]).count() as u64 + 1
}

/// scraper's tree sink, noting the depth of each element appended.
struct Bounded {
    inner: HtmlTreeSink,
    /// Element -> its depth (the document's children are at 1). An element
    /// moved by the tree builder's repairs keeps the depth it was appended
    /// at: an estimate, which is all a limit needs.
    depth: RefCell<FxHashMap<Handle, usize>>,
    /// The line the tokenizer is at.
    line: Cell<u64>,
    /// The line where an element first went deeper than [`MAX_DEPTH`].
    too_deep: std::rc::Rc<Cell<Option<u64>>>,
}

impl Bounded {
    fn place(&self, node: &NodeOrText<Handle>, depth: usize) {
        if let NodeOrText::AppendNode(id) = node {
            self.depth.borrow_mut().insert(*id, depth);
            if depth > MAX_DEPTH && self.too_deep.get().is_none() {
                self.too_deep.set(Some(self.line.get()));
            }
        }
    }

    fn depth_of(&self, id: &Handle) -> usize {
        self.depth.borrow().get(id).copied().unwrap_or(0)
    }
}

impl TreeSink for Bounded {
    type Handle = Handle;
    type Output = Html;
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> Html {
        self.inner.finish()
    }

    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg)
    }

    fn get_document(&self) -> Handle {
        self.inner.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        self.inner.create_element(name, attrs, flags)
    }

    fn create_comment(&self, text: StrTendril) -> Handle {
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> Handle {
        self.inner.create_pi(target, data)
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        self.place(&child, self.depth_of(parent) + 1);
        self.inner.append(parent, child)
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        // The child goes beside `element`, or into `prev_element`.
        let depth = self.depth_of(element).max(self.depth_of(prev_element) + 1);
        self.place(&child, depth);
        self.inner
            .append_based_on_parent_node(element, prev_element, child)
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }

    fn mark_script_already_started(&self, node: &Handle) {
        self.inner.mark_script_already_started(node)
    }

    fn pop(&self, node: &Handle) {
        self.inner.pop(node)
    }

    fn get_template_contents(&self, target: &Handle) -> Handle {
        self.inner.get_template_contents(target)
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        self.inner.same_node(x, y)
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }

    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        self.place(&new_node, self.depth_of(sibling));
        self.inner.append_before_sibling(sibling, new_node)
    }

    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }

    fn associate_with_form(
        &self,
        target: &Handle,
        form: &Handle,
        nodes: (&Handle, Option<&Handle>),
    ) {
        self.inner.associate_with_form(target, form, nodes)
    }

    fn remove_from_parent(&self, target: &Handle) {
        self.inner.remove_from_parent(target)
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        self.inner.reparent_children(node, new_parent)
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &Handle) -> bool {
        self.inner
            .is_mathml_annotation_xml_integration_point(handle)
    }

    fn set_current_line(&self, line_number: u64) {
        self.line.set(line_number);
        self.inner.set_current_line(line_number)
    }

    fn allow_declarative_shadow_roots(&self, intended_parent: &Handle) -> bool {
        self.inner.allow_declarative_shadow_roots(intended_parent)
    }

    fn attach_declarative_shadow(
        &self,
        location: &Handle,
        template: &Handle,
        attrs: &[Attribute],
    ) -> bool {
        self.inner
            .attach_declarative_shadow(location, template, attrs)
    }

    fn maybe_clone_an_option_into_selectedcontent(&self, option: &Handle) {
        self.inner
            .maybe_clone_an_option_into_selectedcontent(option)
    }
}

/// Elements whose text holds no tags: the tokenizer reads on to their end
/// tag (`plaintext` has none: the rest of the page is its text).
const RAW_TEXT: [&[u8]; 10] = [
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"noscript",
    b"plaintext",
];

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// Where the first tag with more than [`MAX_ATTRIBUTES`] attributes opens,
/// if there is one. Tags are read as html5ever's tokenizer reads them: a
/// `<` and a letter open one (`</` and a letter an end tag, whose
/// attributes it reads too); attributes are separated by white space or
/// `/`; a value after `=` may be quoted, and a quoted value may hold white
/// space and `>`; comments, declarations and the text of [`RAW_TEXT`]
/// elements are passed over.
fn tag_with_too_many_attributes(b: &[u8]) -> Option<usize> {
    let len = b.len();
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'<', &b[i..]) {
        let at = i + found;
        i = at + 1;
        let end_tag = match b.get(i) {
            Some(b'!') => {
                i = if b[i..].starts_with(b"!--") {
                    memchr::memmem::find(&b[i + 3..], b"-->").map_or(len, |e| i + 3 + e + 3)
                } else {
                    memchr::memchr(b'>', &b[i..]).map_or(len, |e| i + e + 1)
                };
                continue;
            }
            Some(b'/') if b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
                i += 1;
                true
            }
            Some(c) if c.is_ascii_alphabetic() => false,
            _ => continue,
        };
        let name_start = i;
        while i < len && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let name = &b[name_start..i];
        let mut attributes = 0;
        loop {
            while i < len && (is_space(b[i]) || b[i] == b'/') {
                i += 1;
            }
            if i >= len {
                return None;
            }
            if b[i] == b'>' {
                i += 1;
                break;
            }
            attributes += 1;
            if attributes > MAX_ATTRIBUTES {
                return Some(at);
            }
            // The name: its first character may be anything, `=` too.
            i += 1;
            while i < len && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            let mut j = i;
            while j < len && is_space(b[j]) {
                j += 1;
            }
            if j < len && b[j] == b'=' {
                j += 1;
                while j < len && is_space(b[j]) {
                    j += 1;
                }
                match b.get(j) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        j = memchr::memchr(quote, &b[j + 1..]).map_or(len, |e| j + 1 + e + 1);
                    }
                    _ => {
                        while j < len && !is_space(b[j]) && b[j] != b'>' {
                            j += 1;
                        }
                    }
                }
            }
            i = j;
        }
        if end_tag {
            continue;
        }
        let Some(raw) = RAW_TEXT.iter().find(|raw| name.eq_ignore_ascii_case(raw)) else {
            continue;
        };
        if *raw == b"plaintext" {
            return None;
        }
        // On to the element's end tag.
        i = loop {
            match memchr::memmem::find(&b[i..], b"</") {
                None => return None,
                Some(e) => {
                    let close = i + e + 2;
                    if b.len() >= close + raw.len()
                        && b[close..close + raw.len()].eq_ignore_ascii_case(raw)
                    {
                        break i + e;
                    }
                    i = close;
                }
            }
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(attributes: usize) -> String {
        let mut tag = String::from("<p");
        for i in 0..attributes {
            tag.push_str(&format!(" a{i}=\"x {i} > y\""));
        }
        tag.push('>');
        tag
    }

    #[test]
    fn attributes_are_counted_as_the_tokenizer_reads_tags() {
        let limit = MAX_ATTRIBUTES;
        for (html, refused) in [
            (format!("<html>\n{}", tag(limit)), false),
            (format!("<html>\n\n{}text", tag(limit + 1)), true),
            // As an end tag, unquoted, bare names, separated by `/`.
            (format!("x</p{}>", " a".repeat(limit + 1)), true),
            (format!("<p{}>", " a=1".repeat(limit + 1)), true),
            (format!("<p{}>", "/a".repeat(limit + 1)), true),
            // Not tags: in a comment, a script, a declaration, after `<`
            // and a digit, in a quoted value.
            (format!("<!-- <p{} -->", " a".repeat(limit + 1)), false),
            (
                format!("<script>if (a <b{} ) {{}}</script>", " c".repeat(limit + 1)),
                false,
            ),
            (
                format!("<STYLE>a <b{}</Style>", " c".repeat(limit + 1)),
                false,
            ),
            (format!("<!DOCTYPE{}>", " a".repeat(limit + 1)), false),
            (format!("a <2{} b", " c".repeat(limit + 1)), false),
            (format!("<p title='<b{}'>", " c".repeat(limit + 1)), false),
            // The text after a script is read again.
            (
                format!("<script>x</script><p{}>", " a".repeat(limit + 1)),
                true,
            ),
        ] {
            let found = tag_with_too_many_attributes(html.as_bytes());
            assert_eq!(found.is_some(), refused, "{}", &html[..60.min(html.len())]);
            if refused {
                assert!(matches!(
                    parse(&html),
                    Err(Refusal::TooManyAttributes { .. })
                ));
            }
        }
        assert_eq!(
            parse(&format!("<html>\n\n{}", tag(limit + 1))).unwrap_err(),
            Refusal::TooManyAttributes { line: 3 }
        );
    }

    #[test]
    fn nesting_is_measured_as_the_page_is_parsed() {
        let nested = |depth: usize| {
            format!(
                "<html><body>\n{}<p>We will act.</p>{}",
                "<div>".repeat(depth),
                "</div>".repeat(depth)
            )
        };
        // `html` and `body` are two levels, `p` one more.
        assert!(parse(&nested(MAX_DEPTH - 3)).is_ok());
        assert_eq!(
            parse(&nested(MAX_DEPTH - 2)).unwrap_err(),
            Refusal::TooDeep { line: 2 }
        );
        // Elements side by side are not nested.
        let wide = format!("<ul>{}</ul>", "<li>item</li>".repeat(10 * MAX_DEPTH));
        assert!(parse(&wide).is_ok());
        // Unclosed formatting elements, which the parser reopens in every
        // paragraph, do not add up.
        let unclosed = "<p><font><b>text".repeat(10 * MAX_DEPTH);
        assert!(parse(&unclosed).is_ok());
    }

    #[test]
    fn a_page_within_bounds_is_parsed_as_scraper_parses_it() {
        // More than one piece, with characters beyond ASCII across their
        // boundaries.
        let mut html = String::from("<html><head><title>Déclaration</title></head><body>");
        for i in 0..3000 {
            html.push_str(&format!(
                "<p class=\"x{i}\">Les dirigeants s’engagent — «{i}» é<br><b>ü</p>"
            ));
        }
        assert!(html.len() > 3 * PIECE);
        let ours = parse(&html).unwrap();
        assert_eq!(ours.html(), Html::parse_document(&html).html());
    }
}
