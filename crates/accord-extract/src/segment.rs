//! Segmentation of cleaned text into headings, paragraphs, bullet items and
//! sentences.
//!
//! The input is the line-oriented cleaned text of `accord-ingest`: blocks
//! separated by blank lines. A block is a heading (`# …`, a line in bold, a
//! short title-like line), a list (lines opening with a bullet marker, with
//! wrapped continuation lines), or a paragraph (wrapped prose). A paragraph
//! that ends with ":" is a lead-in for the list after it.

use std::rc::Rc;

/// A unit of text that extraction judges: a whole bullet item, or one
/// sentence of prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Bullet item or sentence.
    pub kind: UnitKind,
    /// The unit's words: markup stripped, white space collapsed.
    pub text: String,
    /// Byte range in the cleaned text.
    pub start: usize,
    /// End of the byte range in the cleaned text.
    pub end: usize,
    /// The heading the unit sits under, shared by the units under it.
    pub section: Option<Rc<str>>,
    /// For a bullet item: the lead-in sentence of its list ("… by:"), if
    /// any, shared by the items of the list.
    pub lead_in: Option<Rc<str>>,
    /// Index of the block (paragraph or list) the unit belongs to.
    pub block: usize,
    /// Position of the sentence in its paragraph (0 for bullets).
    pub position: usize,
    /// Nesting depth of a bullet (0 for top-level items and sentences).
    pub depth: usize,
    /// For a sentence: it introduces what follows, with a short pointer
    /// after it ("… shared threats. These include:"), so it is a lead-in.
    pub introduces: bool,
}

/// Whether a unit is a bullet item or a sentence of prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// A list item, all its sentences.
    Bullet,
    /// A sentence of a paragraph.
    Sentence,
}

/// A heading with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// The heading's words.
    pub text: String,
    /// Byte offset in the cleaned text.
    pub start: usize,
}

/// A segmented document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmented {
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Bullet items and sentences in order.
    pub units: Vec<Unit>,
}

#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    start: usize,
    indent: usize,
}

/// Segments cleaned text.
pub fn segment(text: &str) -> Segmented {
    let mut out = Segmented::default();
    let mut section: Option<Rc<str>> = None;
    let mut lead_in: Option<Rc<str>> = None;
    for (block_index, block) in blocks(text).into_iter().enumerate() {
        // Split the block into runs: headings, list items, prose.
        let table = is_table(&block);
        let mut i = 0;
        while i < block.len() {
            let line = block[i];
            if let Some(h) = heading_text(line.text, block.len() == 1) {
                out.headings.push(Heading {
                    text: h.clone(),
                    start: line.start,
                });
                section = Some(Rc::from(h));
                lead_in = None;
                i += 1;
                continue;
            }
            if bullet_marker_len(line.text).is_some() {
                // One item: this line and its continuation lines.
                let mut j = i + 1;
                while j < block.len()
                    && bullet_marker_len(block[j].text).is_none()
                    && heading_text(block[j].text, false).is_none()
                {
                    j += 1;
                }
                let item = &block[i..j];
                let marker = bullet_marker_len(line.text).unwrap_or(0);
                let start = line.start + marker;
                let end = item[item.len() - 1].start + item[item.len() - 1].text.len();
                let body = &text[start..end];
                let body_trim = body.trim_start();
                let start = start + (body.len() - body_trim.len());
                let sentences = split_sentences(body_trim);
                let numbered = line.text.starts_with(|c: char| c.is_ascii_digit());
                let opens_with_verb = || {
                    body_trim
                        .split_whitespace()
                        .next()
                        .and_then(crate::lexicon::verb_base)
                        .is_some()
                };
                if sentences.len() >= 4 || (numbered && sentences.len() >= 2 && !opens_with_verb())
                {
                    // A numbered paragraph of a communiqué: prose, judged
                    // sentence by sentence.
                    for (position, (s, e)) in sentences.into_iter().enumerate() {
                        let words = normalise_inline(&body_trim[s..e]);
                        if !words.is_empty() {
                            out.units.push(Unit {
                                kind: UnitKind::Sentence,
                                text: words,
                                start: start + s,
                                end: start + e,
                                section: section.clone(),
                                lead_in: None,
                                block: block_index,
                                position,
                                depth: 0,
                                introduces: false,
                            });
                        }
                    }
                } else {
                    // One unit: the bullet's words are cleaned up only now.
                    let words = normalise_inline(body_trim);
                    if !words.is_empty() {
                        out.units.push(Unit {
                            kind: UnitKind::Bullet,
                            text: words,
                            start,
                            end,
                            section: section.clone(),
                            lead_in: lead_in.clone(),
                            block: block_index,
                            position: 0,
                            depth: line.indent / 2,
                            introduces: false,
                        });
                    }
                }
                i = j;
                continue;
            }
            // Prose: up to the next bullet or heading line; a table's row
            // is prose of its own.
            let mut j = i + 1;
            while j < block.len()
                && !table
                && bullet_marker_len(block[j].text).is_none()
                && heading_text(block[j].text, false).is_none()
            {
                j += 1;
            }
            let mut start = block[i].start;
            let end = block[j - 1].start + block[j - 1].text.len();
            if let Some((heading, body_at)) = run_in_heading(&text[start..end]) {
                // "**Commitment to Fight Ransomware:** Ransomware is…": the
                // bold lead names the section of what follows.
                out.headings.push(Heading {
                    text: heading.clone(),
                    start,
                });
                section = Some(Rc::from(heading));
                start += body_at;
            }
            let para = &text[start..end];
            let sentences = split_sentences(para);
            let n = sentences.len();
            for (position, (s, e)) in sentences.into_iter().enumerate() {
                let words = normalise_inline(&para[s..e]);
                if words.is_empty() {
                    continue;
                }
                out.units.push(Unit {
                    kind: UnitKind::Sentence,
                    text: words,
                    start: start + s,
                    end: start + e,
                    section: section.clone(),
                    lead_in: None,
                    block: block_index,
                    position,
                    depth: 0,
                    introduces: false,
                });
                if position + 1 == n {
                    let last = out.units.last().map_or("", |u| u.text.as_str());
                    let pointer = is_pointer(last);
                    lead_in = last.trim_end().ends_with(':').then(|| Rc::from(last));
                    let before = out.units.len().checked_sub(2).map(|k| &mut out.units[k]);
                    if let Some(before) = before.filter(|b| {
                        pointer
                            && b.block == block_index
                            && b.kind == UnitKind::Sentence
                            && b.position + 1 == position
                    }) {
                        // "… shared threats. These include:": the sentence
                        // before the pointer (the lead-in so far, as a
                        // pointer ends with ":") is what introduces the list.
                        before.introduces = true;
                        let last = lead_in.as_deref().unwrap_or_default();
                        lead_in = Some(Rc::from(format!("{} {last}", before.text)));
                    }
                }
            }
            i = j;
        }
    }
    out
}

/// A short sentence that only points at what follows: "These include:",
/// "They are as follows:", "Highlights include:".
fn is_pointer(sentence: &str) -> bool {
    if !sentence.trim_end().ends_with(':') || sentence.split_whitespace().count() > 5 {
        return false;
    }
    let lower = sentence.to_lowercase();
    let first = lower.split_whitespace().next().unwrap_or_default();
    matches!(
        first,
        "these" | "they" | "this" | "those" | "it" | "among" | "highlights" | "examples"
    ) || lower.contains("include")
        || lower.contains("follow")
}

fn blocks(text: &str) -> Vec<Vec<Line<'_>>> {
    let mut blocks = Vec::new();
    let mut current = Vec::new();
    let mut pos = 0;
    for raw in accord_model::lines_inclusive(text) {
        let start = pos;
        pos += raw.len();
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
            continue;
        }
        let indent = line.len() - trimmed.len();
        current.push(Line {
            text: trimmed,
            start: start + indent,
            indent,
        });
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// Length in bytes of the bullet marker and the space after it, if the line
/// opens with one: `•`, `-`, `*`, `+`, `–`, `▪`, `◦`, `1.`, `1)`, `a)`, `(a)`.
pub fn bullet_marker_len(line: &str) -> Option<usize> {
    let first = line.chars().next()?;
    let after = |n: usize| -> Option<usize> {
        let rest = line.get(n..)?;
        let spaces = rest.len() - rest.trim_start().len();
        (spaces > 0 && !rest.trim_start().is_empty()).then_some(n + spaces)
    };
    if matches!(
        first,
        '•' | '·'
            | '▪'
            | '◦'
            | '‣'
            | '●'
            | '■'
            | '○'
            | '–'
            | '—'
            | '-'
            | '*'
            | '+'
            | '\u{f0b7}'
            | '➢'
            | '►'
            | '✓'
    ) {
        // "**Bold**" is not a bullet; "* item" is.
        if first == '*' && line.starts_with("**") {
            return None;
        }
        return after(first.len_utf8());
    }
    let digits = line.chars().take_while(|c| c.is_ascii_digit()).count();
    if (1..=3).contains(&digits) {
        let rest = &line[digits..];
        let mut chars = rest.chars();
        if matches!(chars.next(), Some('.' | ')')) && chars.next().is_some_and(char::is_whitespace)
        {
            return after(digits + 1);
        }
    }
    // "a) item", "(a) item", "i. item"
    let bytes = line.as_bytes();
    if bytes.len() > 3 && bytes[0].is_ascii_lowercase() && bytes[1] == b')' && bytes[2] == b' ' {
        return after(2);
    }
    if bytes.len() > 4
        && bytes[0] == b'('
        && bytes[1].is_ascii_alphanumeric()
        && bytes[2] == b')'
        && bytes[3] == b' '
    {
        return after(3);
    }
    None
}

/// Whether a block is a table: lines that all hold cells joined by " | ",
/// as cleaning writes an HTML table's rows (and as a Markdown table is
/// written). Each row is read on its own, not as a wrapped line of one
/// sentence with the next row. A paragraph of which one wrapped line
/// holds " | " ("WRTP | BIG STEP") is prose.
fn is_table(block: &[Line<'_>]) -> bool {
    block.len() > 1 && block.iter().all(|line| line.text.contains(" | "))
}

/// The heading's words if the line is a heading: `# Title`, a whole line in
/// bold, or (when it stands alone in its block) a short line that does not
/// end a sentence.
fn heading_text(line: &str, alone: bool) -> Option<String> {
    let t = line.trim();
    if let Some(rest) = t.strip_prefix('#') {
        let rest = rest.trim_start_matches('#');
        if rest.starts_with(' ') {
            let h = normalise_inline(rest);
            return (!h.is_empty()).then_some(h);
        }
    }
    let bold = (t.starts_with("**")
        && t.ends_with("**")
        && t.len() > 4
        && !t[2..t.len() - 2].contains("**"))
        || (t.starts_with("__") && t.ends_with("__") && t.len() > 4);
    if !bold && !alone {
        return None;
    }
    let h = normalise_inline(t);
    let n_words = h.split_whitespace().count();
    if bold && n_words <= 20 && !h.ends_with(':') && !ends_sentence(&h) {
        return Some(h);
    }
    if alone
        && n_words > 0
        && n_words <= 14
        && !ends_sentence(&h)
        && !h.ends_with([':', ',', ';'])
        && starts_upper(&h)
    {
        return Some(h);
    }
    None
}

/// A bold run-in heading at the start of a paragraph ("**Title:** text" or
/// "**Title.** text"): its words and where the body starts.
fn run_in_heading(para: &str) -> Option<(String, usize)> {
    let marker = if para.starts_with("**") {
        "**"
    } else if para.starts_with("__") {
        "__"
    } else {
        return None;
    };
    let inner = para.trim_start_matches(marker);
    let skipped = para.len() - inner.len();
    let close = inner.find(marker)?;
    let mut body_at = skipped + close;
    let rest = &para[body_at..];
    let rest_trimmed = rest.trim_start_matches(['*', '_']);
    body_at += rest.len() - rest_trimmed.len();
    let heading = normalise_inline(&inner[..close]);
    let (heading, colon_after) = match rest_trimmed.strip_prefix(':') {
        Some(after) => (heading, rest_trimmed.len() - after.len()),
        None => (heading, 0),
    };
    body_at += colon_after;
    let rest = &para[body_at..];
    let rest_trimmed = rest.trim_start_matches(['*', '_']).trim_start();
    body_at += rest.len() - rest_trimmed.len();
    let ends_title = heading.ends_with(':') || heading.ends_with('.') || colon_after > 0;
    let n_words = heading.split_whitespace().count();
    if !ends_title || n_words == 0 || n_words > 15 || rest_trimmed.is_empty() {
        return None;
    }
    Some((heading.trim_end_matches([':', '.']).to_string(), body_at))
}

fn starts_upper(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '¿' || c == '“' || c == '"')
}

fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(['"', '”', '’', '\'', ')', ']', '*', '_']);
    t.ends_with(['.', '!', '?'])
}

/// Strips inline Markdown (bold, italics, links, escapes) and collapses
/// white space. Runs of plain ASCII (nothing inline Markdown gives a
/// meaning to, words apart by single spaces) are copied whole.
pub fn normalise_inline(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    // Where the last `)` is, found at the first `[`.
    let mut last_paren: Option<Option<usize>> = None;
    let mut i = 0;
    while i < text.len() {
        if is_plain(bytes[i]) {
            // A run goes on over single spaces between plain bytes, which
            // it keeps as they are.
            let mut end = i + 1;
            while end < bytes.len() {
                if is_plain(bytes[end]) {
                    end += 1;
                } else if bytes[end] == b' ' && bytes.get(end + 1).is_some_and(|&b| is_plain(b)) {
                    end += 2;
                } else {
                    break;
                }
            }
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push_str(&text[i..end]);
            i = end;
            continue;
        }
        // White space, and the other control characters: no statement
        // holds one, and a terminal would run one that starts an escape
        // sequence when the commitment is printed.
        if bytes[i] <= b' ' || bytes[i] == 0x7F {
            space = true;
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().expect("i is a character boundary");
        match c {
            '\\' => match text[i + 1..].chars().next() {
                Some(next) if next.is_ascii_punctuation() => {
                    push_char(&mut out, next, &mut space);
                    i += 1 + next.len_utf8();
                }
                _ => {
                    push_char(&mut out, c, &mut space);
                    i += 1;
                }
            },
            '*' | '_' if is_emphasis(text, i, c) => i += 1,
            '<' if inline_tag_len(&text[i..]).is_some() => {
                // Inline HTML in Markdown ("<u>", "</em>", "<br/>").
                let skip_to = i + inline_tag_len(&text[i..]).unwrap_or(1);
                space = space || text[i..skip_to].starts_with("<br");
                i = skip_to;
            }
            '[' => {
                // [text](url) -> text
                let last = *last_paren.get_or_insert_with(|| memchr::memrchr(b')', bytes));
                if let Some((label_end, skip_to)) = link_at(text, i, last) {
                    for ch in text[i + 1..label_end].chars() {
                        push_char(&mut out, ch, &mut space);
                    }
                    i = skip_to;
                } else {
                    push_char(&mut out, c, &mut space);
                    i += 1;
                }
            }
            _ => {
                push_char(&mut out, c, &mut space);
                i += c.len_utf8();
            }
        }
    }
    // White space is only ever written between words, so there is
    // nothing to trim; the check keeps that true without a copy.
    if out.trim().len() == out.len() {
        out
    } else {
        out.trim().to_string()
    }
}

/// An ASCII byte [`normalise_inline`] copies as it is: not white space,
/// not a control character and none of `\\ * _ < [`.
fn is_plain(b: u8) -> bool {
    // One look-up in a table of the 256 bytes.
    static PLAIN: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 128 {
            table[b] = b > 32 && b != 0x7F && !matches!(b as u8, b'\\' | b'*' | b'_' | b'<' | b'[');
            b += 1;
        }
        table
    };
    PLAIN[usize::from(b)]
}

/// For a Markdown link `[label](url)` opening at `i`, the end of its
/// label and the end of its `)`; `None` when there is none or the label
/// holds another `[`.
///
/// The label is read only as far as its first `](` or the next `[`, and
/// the `)` is looked for only when one is left after the label
/// (`last_paren`, the last `)` of the text): a line of thousands of `[`
/// without a link, or of `[a](` without a `)`, was read to its end at
/// each of them.
fn link_at(text: &str, i: usize, last_paren: Option<usize>) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut at = i + 1;
    let label_end = loop {
        at += memchr::memchr2(b'[', b']', &bytes[at..])?;
        match bytes[at] {
            b'[' => return None,
            _ if bytes.get(at + 1) == Some(&b'(') => break at,
            _ => at += 1,
        }
    };
    if last_paren? < label_end + 2 {
        return None;
    }
    let paren = memchr::memchr(b')', &bytes[label_end + 2..])?;
    Some((label_end, label_end + 2 + paren + 1))
}

/// Length of an inline HTML tag at the start of `text` ("<u>", "</em>",
/// "<br />"), if there is one.
fn inline_tag_len(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('<')?;
    let inner = inner.strip_prefix('/').unwrap_or(inner);
    let name_len = inner
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    if name_len == 0 || name_len > 10 {
        return None;
    }
    // Within the first 80 bytes, not to the end of a line of `<a`.
    let head = &text.as_bytes()[..text.len().min(80)];
    let close = memchr::memchr(b'>', head)?;
    (!head[..close].contains(&b'\n')).then_some(close + 1)
}

fn push_char(out: &mut String, c: char, space: &mut bool) {
    // Control characters (those beyond ASCII too, U+0080 to U+009F) are
    // read as white space.
    if c.is_whitespace() || c == '\u{a0}' || c.is_control() {
        *space = true;
        return;
    }
    if *space && !out.is_empty() {
        out.push(' ');
    }
    *space = false;
    out.push(c);
}

/// `*` and `_` runs are emphasis when they touch a word on one side only
/// (not inside a word like `snake_case`, not a lone `*` between spaces).
fn is_emphasis(text: &str, i: usize, c: char) -> bool {
    let before = text[..i].chars().next_back();
    let after = text[i + c.len_utf8()..].chars().next();
    let word = |x: Option<char>| x.is_some_and(|x| x.is_alphanumeric());
    if c == '_' {
        return !(word(before) && word(after));
    }
    !(before.is_none_or(char::is_whitespace) && after.is_none_or(char::is_whitespace))
}

/// Words after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "lt", "col", "sgt", "capt",
    "gov", "sen", "rep", "hon", "rev", "no", "nos", "vol", "art", "sec", "para", "fig", "p", "pp",
    "inc", "ltd", "co", "corp", "vs", "v", "e.g", "i.e", "cf", "al", "approx", "est", "dept",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s",
    "u.k", "u.n", "e.u", "a.m", "p.m", "d.c", "s.a", "sra", "sres", "núm", "art", "mme", "m",
];

/// Characters in the longest of [`ABBREVIATIONS`].
const LONGEST_ABBREVIATION: usize = 6;

/// Words that open a new sentence even after an abbreviation like "U.S.".
const SENTENCE_STARTERS: &[&str] = &[
    "The", "This", "These", "That", "Those", "We", "Our", "It", "Its", "They", "Their", "In", "On",
    "At", "As", "By", "For", "To", "With", "Under", "Today", "Together", "Leaders", "He", "She",
    "And", "But", "Also", "Building", "Since", "Through",
];

/// Splits prose into sentences; returns byte ranges. Does not split at
/// abbreviations ("U.S.", "Dr.", "No. 5"), initials ("Joseph R. Biden"),
/// decimals or numbered items.
pub fn split_sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    // Only a sentence mark can end a sentence: jump from one to the next.
    while let Some(at) = memchr::memchr3(b'.', b'!', b'?', &bytes[i..]) {
        i += at;
        let c = bytes[i];
        // Take closing quotes, brackets and emphasis marks.
        let mut end = i + 1;
        while end < bytes.len() {
            let rest = &text[end..];
            let ch = rest.chars().next().unwrap_or(' ');
            if matches!(ch, '"' | '\'' | '”' | '’' | ')' | ']' | '*' | '_')
                || (c != b'.' && matches!(ch, '.' | '!' | '?'))
            {
                end += ch.len_utf8();
            } else {
                break;
            }
        }
        let rest = &text[end..];
        let after_space = rest.trim_start();
        let has_space = after_space.len() < rest.len();
        if has_space
            && (after_space.is_empty() || opens_sentence(after_space))
            && (c != b'.' || !is_abbreviation(text, i, after_space))
        {
            out.push((start, end));
            start = end + (rest.len() - after_space.len());
            i = start;
            continue;
        }
        if after_space.is_empty() {
            break;
        }
        i = end;
    }
    let tail = text[start..].trim_end();
    if !tail.trim().is_empty() {
        out.push((start, start + tail.len()));
    }
    out.into_iter()
        .map(|(s, e)| {
            let piece = &text[s..e];
            let lead = piece.len() - piece.trim_start().len();
            (s + lead, s + piece.trim_end().len())
        })
        .filter(|(s, e)| e > s)
        .collect()
}

fn opens_sentence(rest: &str) -> bool {
    let mut chars = rest.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() || c.is_ascii_digit() => true,
        Some('"' | '“' | '‘' | '\'' | '(' | '[' | '¿' | '¡' | '*' | '_') => chars
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '*'),
        _ => false,
    }
}

/// True when the period at `dot` closes an abbreviation or an initial
/// rather than a sentence.
fn is_abbreviation(text: &str, dot: usize, next: &str) -> bool {
    let before = &text[..dot];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let word = &before[word_start..];
    let next_word = &next[..next
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(next.len())];
    // A single capital letter: an initial ("Joseph R. Biden").
    if word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase()) {
        return !SENTENCE_STARTERS.contains(&next_word);
    }
    // Dotted abbreviations: "U.S.", "e.g.", "a.m."
    if word.contains('.')
        && word.chars().filter(|c| *c == '.').count() >= 1
        && word.split('.').all(|p| p.chars().count() <= 2)
    {
        return !SENTENCE_STARTERS.contains(&next_word);
    }
    // Lowercasing gives each character one or more: a word of more
    // characters than the longest abbreviation is none of them.
    if word.chars().nth(LONGEST_ABBREVIATION).is_some() {
        return false;
    }
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        // "No. 5", "Dr. Smith", "Jan. 10": always an abbreviation before a
        // number or a name; "etc."-like words are not listed.
        return !(SENTENCE_STARTERS.contains(&next_word)
            && matches!(
                lower.as_str(),
                "no" | "co" | "inc" | "ltd" | "p" | "v" | "m"
            ));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_abbreviation_is_counted_right() {
        let longest = ABBREVIATIONS.iter().map(|a| a.chars().count()).max();
        assert_eq!(longest, Some(LONGEST_ABBREVIATION));
    }

    /// [`normalise_inline`] one character at a time, as it was written
    /// first: the fast one must give the same.
    fn normalise_inline_by_chars(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.char_indices().peekable();
        let mut space = false;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some(&(_, next)) = chars.peek() {
                        if next.is_ascii_punctuation() {
                            chars.next();
                            push_char(&mut out, next, &mut space);
                            continue;
                        }
                    }
                    push_char(&mut out, c, &mut space);
                }
                '*' | '_' if is_emphasis(text, i, c) => {}
                '<' if inline_tag_len(&text[i..]).is_some() => {
                    // Inline HTML in Markdown ("<u>", "</em>", "<br/>").
                    let skip_to = i + inline_tag_len(&text[i..]).unwrap_or(1);
                    while chars.peek().is_some_and(|&(j, _)| j < skip_to) {
                        chars.next();
                    }
                    space = space || text[i..skip_to].starts_with("<br");
                }
                '[' => {
                    // [text](url) -> text
                    if let Some(close) = text[i..].find("](") {
                        let label_end = i + close;
                        if let Some(paren) = text[label_end + 2..].find(')') {
                            let label = &text[i + 1..label_end];
                            if !label.contains('[') {
                                for ch in label.chars() {
                                    push_char(&mut out, ch, &mut space);
                                }
                                let skip_to = label_end + 2 + paren + 1;
                                while chars.peek().is_some_and(|&(j, _)| j < skip_to) {
                                    chars.next();
                                }
                                continue;
                            }
                        }
                    }
                    push_char(&mut out, c, &mut space);
                }
                _ => push_char(&mut out, c, &mut space),
            }
        }
        out.trim().to_string()
    }

    #[test]
    fn copying_plain_runs_changes_nothing() {
        let pieces = [
            "a",
            "Bold",
            " ",
            "  ",
            "\t",
            "\n",
            "\u{a0}",
            "\u{2003}",
            "*",
            "**",
            "_",
            "__",
            "\\",
            "\\#",
            "\\a",
            "<u>",
            "</em>",
            "<br/>",
            "< b",
            "[",
            "]",
            "](",
            "(",
            ")",
            "[link](https://x.y/z)",
            "[a [b](c)",
            "snake_case",
            "é",
            "“",
            "—",
            "x<y",
            "1.5",
            "\u{0B}",
            "\u{0C}",
            "\r",
            "\u{1b}",
            "\u{7f}",
            "\u{9b}",
            "\0",
        ];
        // Every string of up to three pieces, and some longer ones.
        let mut texts = vec![String::new()];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    texts.push(format!("{a}{b}{c}"));
                }
            }
        }
        let mut seed = 7u64;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            texts.push(text);
        }
        for text in &texts {
            assert_eq!(
                normalise_inline(text),
                normalise_inline_by_chars(text),
                "{text:?}"
            );
        }
    }

    fn sentences(text: &str) -> Vec<&str> {
        split_sentences(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect()
    }

    #[test]
    fn sentence_split_respects_abbreviations() {
        assert_eq!(
            sentences("President Joseph R. Biden met Dr. Smith in the U.S. capital. The U.S. will act. It has 2.5 percent. See No. 5 here! Done"),
            vec!["President Joseph R. Biden met Dr. Smith in the U.S. capital.", "The U.S. will act.", "It has 2.5 percent.", "See No. 5 here!", "Done"]
        );
        assert_eq!(
            sentences("Canada and the U.S. The plan works."),
            vec!["Canada and the U.S.", "The plan works."]
        );
        assert_eq!(
            sentences("“We will act.” They said so."),
            vec!["“We will act.”", "They said so."]
        );
    }

    #[test]
    fn bold_run_in_headings_start_a_section() {
        let text = "**Commitment to Fight Ransomware:** Ransomware is a threat. We will act.\n\n****Odd Markup**:** We commit to it.\n";
        let s = segment(text);
        assert_eq!(
            s.headings
                .iter()
                .map(|h| h.text.as_str())
                .collect::<Vec<_>>(),
            vec!["Commitment to Fight Ransomware", "Odd Markup"]
        );
        assert_eq!(s.units[0].text, "Ransomware is a threat.");
        assert_eq!(s.units[2].text, "We commit to it.");
        assert_eq!(s.units[2].section.as_deref(), Some("Odd Markup"));
    }

    #[test]
    fn inline_markdown_is_stripped() {
        assert_eq!(
            normalise_inline("**Bold** lead-in, a [link](https://x.y/z) and \\#1\n  wrapped"),
            "Bold lead-in, a link and #1 wrapped"
        );
        assert_eq!(
            normalise_inline("snake_case stays, *emph* goes"),
            "snake_case stays, emph goes"
        );
        assert_eq!(
            normalise_inline("I. *<u>Moving Forward</u>* a < b"),
            "I. Moving Forward a < b"
        );
    }

    /// A terminal runs escape sequences: none is left in a commitment's
    /// text, whatever the document holds.
    #[test]
    fn control_characters_are_read_as_white_space() {
        assert_eq!(
            normalise_inline("We will act.\u{1b}]0;title\u{7} Now\u{1b}[2J [a\u{1b}b](x) \u{9b}31m\u{7f}end\u{8}"),
            "We will act. ]0;title Now [2J a b 31m end"
        );
    }
}
