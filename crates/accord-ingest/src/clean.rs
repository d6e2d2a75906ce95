//! Cleaning of plain text and Markdown: drops site furniture (menus, share
//! and sign-up boxes, surveys, repeated titles, datelines, end marks and what
//! follows them) by general rules, and keeps every other line verbatim with
//! its offset into the original text.
//!
//! The rules look at the *shape* of lines and blocks (short label runs,
//! question-and-option widgets, pipe-separated datelines, symbol-only
//! controls) and at a small multilingual lexicon of generic web interface
//! phrases; they never name a site or a document.

use accord_model::Span;
use rustc_hash::FxHashSet;

/// Cleaned text with a map back to the original.
///
/// `text` is line-oriented: blocks are separated by one blank line; a line
/// of a block is a verbatim copy (trimmed) of a line of the original, or,
/// for HTML, the text of one element. Offsets are byte offsets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// The cleaned text.
    pub text: String,
    /// Anchors `(clean offset, original offset)`, sorted by clean offset:
    /// from an anchor up to the next one, the clean text is a copy of the
    /// original starting at the anchor's original offset.
    anchors: Vec<(usize, usize)>,
}

impl Cleaned {
    /// An empty cleaned text.
    pub fn new() -> Cleaned {
        Cleaned::default()
    }

    /// An empty cleaned text with room for `bytes` of text (and a line
    /// every 64 bytes) taken at once rather than grown to.
    pub fn with_capacity(bytes: usize) -> Cleaned {
        Cleaned {
            text: String::with_capacity(bytes),
            anchors: Vec::with_capacity(bytes / 64),
        }
    }

    /// Appends one line, copied from the original at `original_start`.
    pub fn push_line(&mut self, line: &str, original_start: usize) {
        self.anchors.push((self.text.len(), original_start));
        self.text.push_str(line);
        self.text.push('\n');
    }

    /// Ends the current block (appends a blank line unless there is one).
    pub fn end_block(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
    }

    /// Maps an offset of the clean text to an offset of the original.
    pub fn to_original(&self, clean: usize) -> usize {
        let i = self.anchors.partition_point(|&(c, _)| c <= clean);
        if i == 0 {
            return clean;
        }
        let (c, o) = self.anchors[i - 1];
        o + (clean - c)
    }

    /// Maps a clean-text range to a span of the original.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let s = self.to_original(start);
        let e = if end > start {
            self.to_original(end - 1) + 1
        } else {
            s
        };
        Span::new(s, e.max(s))
    }

    /// The anchors, for tests and diagnostics.
    pub fn anchors(&self) -> &[(usize, usize)] {
        &self.anchors
    }
}

/// One line of the original with its offset.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    start: usize,
    /// [`word_count`] of `text`.
    n_words: usize,
}

/// Cleans plain text or Markdown. `body_start` is where the body begins
/// (after any front matter).
pub fn clean_text(original: &str, body_start: usize) -> Cleaned {
    let blocks = split_blocks(original, body_start);
    let blocks = drop_tail(blocks);
    // The clean text is at most the body, less what is dropped.
    let mut out = Cleaned::with_capacity(original.len() - body_start);
    let mut seen_short: FxHashSet<String> = FxHashSet::default();
    for block in blocks {
        let single_line = block.len() == 1;
        let kept: Vec<Line> = drop_widget_runs(&block)
            .into_iter()
            .filter(|line| !is_furniture(line.text, line.n_words))
            .filter(|line| {
                // A repeated title: a short line standing alone, seen
                // before verbatim (lines of wrapped paragraphs may repeat).
                let short = single_line && line.n_words <= 24 && !is_bullet(line.text);
                !short || seen_short.insert(normalise(line.text))
            })
            .collect();
        if kept.is_empty() {
            continue;
        }
        for line in kept {
            let trimmed = line.text.trim_end();
            let lead = line.text.len() - line.text.trim_start().len();
            out.push_line(trimmed.trim_start(), line.start + lead);
        }
        out.end_block();
    }
    out
}

fn split_blocks(original: &str, body_start: usize) -> Vec<Vec<Line<'_>>> {
    let mut blocks = Vec::new();
    let mut current = Vec::new();
    let mut pos = body_start;
    for raw in accord_model::lines_inclusive(&original[body_start..]) {
        let start = pos;
        pos += raw.len();
        let text = raw.trim_end_matches(['\n', '\r']);
        // Markdown hard breaks ("  ") and escaped end marks stay text.
        if is_blank(text) {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
            continue;
        }
        current.push(Line {
            text,
            start,
            n_words: word_count(text),
        });
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

fn is_blank(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_whitespace() || c == '\u{a0}' || c == '\u{200b}' || c == '\u{feff}')
}

/// Cuts the document at an end mark ("###", "***", "- 30 -") or at the
/// first footer marker ("Stay Connected", "Comments are closed.", a survey
/// invitation, "Related …") in the last part of the document.
fn drop_tail(mut blocks: Vec<Vec<Line<'_>>>) -> Vec<Vec<Line<'_>>> {
    let block_words: Vec<usize> = blocks
        .iter()
        .map(|block| block.iter().map(|l| l.n_words).sum())
        .collect();
    let total_words: usize = block_words.iter().sum();
    let mut words_before = 0;
    for (i, block) in blocks.iter().enumerate() {
        let first = block[0].text.trim();
        let share = words_before as f64 / total_words.max(1) as f64;
        if share > 0.5
            && block.len() <= 3
            && (is_end_mark(first) || is_footer_marker(first, block[0].n_words))
        {
            blocks.truncate(i);
            return blocks;
        }
        words_before += block_words[i];
    }
    blocks
}

fn is_end_mark(line: &str) -> bool {
    let t = line.trim().trim_start_matches('\\');
    matches!(
        t,
        "###" | "***" | "* * *" | "# # #" | "-30-" | "- 30 -" | "—30—" | "-###-"
    )
}

/// Phrases that open a page footer or widget area.
const FOOTER_MARKERS: &[&str] = &[
    "stay connected",
    "comments are closed",
    "related product",
    "related products",
    "related links",
    "related content",
    "related news",
    "related articles",
    "related stories",
    "more news",
    "share this",
    "share this page",
    "was this page helpful",
    "did you find what you were looking for",
    "report a problem",
    "contesta nuestra encuesta",
    "encuesta de satisfacción",
    "¿te fue útil",
    "cette page vous a-t-elle été utile",
    "signaler un problème",
    "date modified",
    "date de modification",
    "leave a reply",
    "follow us",
    "sign up for updates",
];

/// `n_words` is the [`word_count`] of `line`.
fn is_footer_marker(line: &str, n_words: usize) -> bool {
    n_words <= 8 && {
        let n = normalise(line);
        FOOTER_MARKERS.iter().any(|m| n.starts_with(m))
    }
}

/// Generic web interface labels, in English, French and Spanish.
const FURNITURE_LINES: &[&str] = &[
    "main container",
    "main content",
    "skip to main content",
    "skip to content",
    "skip navigation",
    "passer au contenu principal",
    "ir al contenido principal",
    "menu",
    "main menu",
    "search",
    "print",
    "share",
    "share this",
    "share this page",
    "share this article",
    "print this page",
    "partager cette page",
    "compartir",
    "tweet",
    "email",
    "facebook",
    "twitter",
    "linkedin",
    "stay connected",
    "sign up",
    "subscribe",
    "scroll to top",
    "back to top",
    "top of page",
    "haut de la page",
    "volver arriba",
    "comments are closed",
    "opt in to send and receive text messages",
    "accept all cookies",
    "accept cookies",
    "reject all",
    "cookie settings",
    "english",
    "français",
    "español",
    "en español",
    "read more",
    "learn more",
    "briefing room",
    "statements and releases",
    "home",
    "news",
    "breadcrumb",
    "you are here",
    "vous êtes ici",
    "usted está aquí",
];

fn is_furniture_line(line: &str) -> bool {
    is_furniture(line, word_count(line))
}

/// [`is_furniture_line`], given the [`word_count`] of `line`.
fn is_furniture(line: &str, n_words: usize) -> bool {
    let t = line.trim();
    // Most lines of prose, and most short lines too: no rule that reads
    // the words can hold, and they need not be normalised.
    if !words_may_be_furniture(t, n_words) {
        return is_furniture_by_shape(t);
    }
    is_furniture_by_words(t, n_words)
}

/// The longest of [`FURNITURE_LINES`], in bytes.
const LONGEST_FURNITURE_LINE: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < FURNITURE_LINES.len() {
        if FURNITURE_LINES[i].len() > longest {
            longest = FURNITURE_LINES[i].len();
        }
        i += 1;
    }
    longest
};

/// Whether the rules of [`is_furniture_by_words`] that read the words of a
/// trimmed line `t` of `n_words` words could hold: no words at all, a
/// line of [`FURNITURE_LINES`], a label repeated, a cookie notice, a
/// newsletter prompt. When false, none does.
///
/// Only lines whose letters and digits are ASCII are looked at (for the
/// others it is true): `normalise` keeps their letters, digits and
/// apostrophes (’ as '), lowercased, and turns each run of other
/// characters into one space.
fn words_may_be_furniture(t: &str, n_words: usize) -> bool {
    if n_words <= 8 && few_word_characters(t) {
        return true;
    }
    // A label repeated: every letter, digit and apostrophe of the line
    // comes an even number of times.
    // (A byte at a time; a character at a time where a byte is not ASCII.)
    let bytes = t.as_bytes();
    let mut odd = 0u64;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        if b.is_ascii() {
            odd ^= ASCII_PARITY_BIT[usize::from(b)];
            continue;
        }
        let c = t[i - 1..].chars().next().expect("a character boundary");
        i += c.len_utf8() - 1;
        match c {
            '’' => odd ^= 1 << 36,
            _ if c.is_alphanumeric() => return true,
            _ => {}
        }
    }
    if odd == 0 {
        return true;
    }
    // "opt in to …", "we'll be in touch", "we will be in touch".
    let first = bytes
        .iter()
        .position(|&b| b.is_ascii_alphanumeric() || b == b'\'')
        .unwrap_or(bytes.len());
    let starts_with = |prefix: &[u8]| {
        bytes[first..]
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    if starts_with(b"opt") || starts_with(b"we") {
        return true;
    }
    // Cookie notices ("cookies", "cookie policy", "galletas"; "témoins"
    // has a letter that is not ASCII).
    let has = |word: &[u8]| {
        memchr::memchr2_iter(word[0], word[0].to_ascii_uppercase(), bytes).any(|at| {
            bytes[at..]
                .get(..word.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(word))
        })
    };
    has(b"cookie") || has(b"galletas")
}

/// Whether a trimmed line `t` could normalise to one of
/// [`FURNITURE_LINES`] or to nothing: it keeps no more letters, digits and
/// apostrophes than the longest of them has bytes (each kept character is
/// a byte or more of the normalised line), or it has a letter or digit
/// beyond ASCII (not counted). Reads no further than that many.
fn few_word_characters(t: &str) -> bool {
    if t.len() <= LONGEST_FURNITURE_LINE {
        return true;
    }
    let mut kept = 0;
    for c in t.chars() {
        if c.is_ascii() {
            kept += usize::from(ASCII_PARITY_BIT[c as usize] != 0);
        } else if matches!(c, '’' | '¿') {
            kept += 1;
        } else if c.is_alphanumeric() {
            return true;
        }
        if kept > LONGEST_FURNITURE_LINE {
            return false;
        }
    }
    true
}

/// The bit each ASCII byte flips in the parity of a line's letters,
/// digits and apostrophes ([`words_may_be_furniture`]): a letter's, either
/// case, its place in the alphabet; a digit's, 26 and up; the
/// apostrophe's, 36; any other byte's, none.
static ASCII_PARITY_BIT: [u64; 128] = {
    let mut table = [0u64; 128];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        table[b] = match byte {
            b'a'..=b'z' => 1 << (byte - b'a'),
            b'A'..=b'Z' => 1 << (byte - b'A'),
            b'0'..=b'9' => 1 << (26 + byte - b'0'),
            b'\'' => 1 << 36,
            _ => 0,
        };
        b += 1;
    }
    table
};

/// The rules of furniture for a trimmed line `t` of `n_words` words.
fn is_furniture_by_words(t: &str, n_words: usize) -> bool {
    let n = normalise(t);
    if n.is_empty() {
        return !t.chars().any(char::is_alphanumeric)
            && !is_end_mark(t)
            && t.len() < 8
            && !t.starts_with('#');
    }
    // "Scroll to Top Scroll to Top": a label repeated. (`n` is words
    // joined by single spaces, so its two halves are the same words when
    // they are the same text around a middle space.)
    let mid = n.len() / 2;
    if n.len() % 2 == 1
        && n.as_bytes()[mid] == b' '
        && n[..mid] == n[mid + 1..]
        && is_furniture_line(&n[..mid])
    {
        return true;
    }
    if n_words <= 8 && FURNITURE_LINES.contains(&n.as_str()) {
        return true;
    }
    // Cookie notices: "We use cookies to improve your experience."
    if n_words <= 40
        && (n.contains("cookies")
            || n.contains("cookie policy")
            || n.contains("témoins")
            || n.contains("galletas"))
        && !n.contains("cookie cutter")
    {
        return true;
    }
    if n.starts_with("opt in to ")
        || n.starts_with("we'll be in touch")
        || n.starts_with("we will be in touch")
    {
        return true;
    }
    is_furniture_by_shape(t)
}

/// The rules of furniture that do not read a trimmed line's words.
fn is_furniture_by_shape(t: &str) -> bool {
    // A control made of symbols and a few letters, e.g. "Aa+Aa-", "A+ A-".
    if t.len() <= 12
        && !t.contains(". ")
        && t.chars().filter(|c| c.is_alphabetic()).count() <= 4
        && t.chars()
            .any(|c| matches!(c, '+' | '|' | '<' | '>' | '«' | '»'))
    {
        return true;
    }
    // A dateline or source line: short fields separated by pipes.
    if t.len() < 200
        && memchr::memchr(b'|', t.as_bytes()).is_some()
        && t.matches(" | ").count() >= 2
    {
        return true;
    }
    false
}

/// Drops runs of three or more short label-like lines inside a block: menus,
/// survey options, button rows. A line is label-like when it has at most
/// five words, does not end a sentence, and is not a bullet or heading.
fn drop_widget_runs<'a>(block: &[Line<'a>]) -> Vec<Line<'a>> {
    let label: Vec<bool> = block.iter().map(|l| is_label(l.text, l.n_words)).collect();
    let mut keep = vec![true; block.len()];
    let mut i = 0;
    while i < block.len() {
        if label[i] {
            let mut j = i;
            while j < block.len() && label[j] {
                j += 1;
            }
            if j - i >= 3 {
                keep[i..j].iter_mut().for_each(|k| *k = false);
                // Survey questions and instructions between option runs.
                for (k, line) in block.iter().enumerate() {
                    if (k + 1 == i || k == j) && is_question(line.text, line.n_words) {
                        keep[k] = false;
                    }
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    block
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(l, _)| *l)
        .collect()
}

/// `n_words` is the [`word_count`] of `text`.
fn is_label(text: &str, n_words: usize) -> bool {
    let t = text.trim();
    !t.is_empty()
        && n_words <= 5
        && !t.ends_with(['.', ':', ';', ','])
        && !is_bullet(t)
        && !t.starts_with('#')
        && !t.starts_with("**")
        || is_question(t, n_words) && n_words <= 14
}

/// `n_words` is the [`word_count`] of `text`.
fn is_question(text: &str, n_words: usize) -> bool {
    let t = text.trim();
    t.starts_with('¿') || (t.ends_with('?') && n_words <= 14)
}

/// True when the line starts with a bullet marker.
pub fn is_bullet(text: &str) -> bool {
    let t = text.trim_start();
    if let Some(rest) = t.strip_prefix([
        '•', '·', '▪', '◦', '‣', '–', '—', '-', '*', '+', '●', '■', '○',
    ]) {
        return rest.starts_with(' ') || rest.starts_with('\t') || rest.starts_with('\u{a0}');
    }
    let digits: usize = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits <= 3 {
        let rest = &t[digits..];
        return (rest.starts_with(". ") || rest.starts_with(") ")) && rest.len() > 2;
    }
    false
}

/// Lowercase letters, digits and apostrophes; every other run of characters
/// becomes one space.
pub fn normalise(text: &str) -> String {
    // A byte at a time; a character at a time where a byte is not ASCII.
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            i += 1;
            if b.is_ascii_alphanumeric() || b == b'\'' {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(char::from(b.to_ascii_lowercase()));
            } else {
                space = true;
            }
            continue;
        }
        let c = text[i..].chars().next().expect("i is a character boundary");
        i += c.len_utf8();
        if !(c.is_alphanumeric() || c == '’' || c == '¿') {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if c == '’' {
            out.push('\'');
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

pub use accord_model::word_count;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_point_into_the_original() {
        let original = "Menu\nSearch\nHome\n\nTitle of it\n\n  • We will act now.\n";
        let cleaned = clean_text(original, 0);
        let at = cleaned.text.find("We will").unwrap();
        let o = cleaned.to_original(at);
        assert_eq!(&original[o..o + 7], "We will");
        assert!(!cleaned.text.contains("Menu"));
    }

    /// [`normalise`] as its documentation states it, a character at a time.
    fn normalise_by_characters(text: &str) -> String {
        let mut words: Vec<String> = vec![String::new()];
        for c in text.chars() {
            if c.is_alphanumeric() || c == '\'' || c == '’' || c == '¿' {
                let word = words.last_mut().expect("never empty");
                match c {
                    '’' => word.push('\''),
                    c => word.extend(c.to_lowercase()),
                }
            } else if !words.last().expect("never empty").is_empty() {
                words.push(String::new());
            }
        }
        words.retain(|w| !w.is_empty());
        words.join(" ")
    }

    /// Lines of words and phrases that the rules of furniture read, in
    /// several cases and spellings (a Kelvin sign lowercases to k), and
    /// others; separators that `normalise` turns into spaces, and the
    /// characters it keeps that are not ASCII. Short lines among them are
    /// furniture lines, or nearly.
    const LINE: &str =
        "((cookies?|Cookie|COOKIES|cookie policy|cookie cutter|coo\u{212A}ies|galletas|\
        GALLETAS|témoins|Opt in to|opt|in|to|We'll be in touch|We’ll be in touch|\
        we will be in touch|We|will|be|touch|scroll|Top|the|of|x1|2|'|’|¿|é|\
        Skip to main content|Menu|main|Share this|page|send and receive text messages|\
        Vous êtes ici|Español)[ ,.;'“”—-]{1,3}){0,24}";

    #[test]
    fn long_furniture_lines_are_told_from_prose() {
        let furniture = [
            "We'll be in touch soon with more news about this program and others.",
            "Opt in to receive text messages from the team about the new programs.",
            "We use cookies to give you the best experience on our website today.",
            "Skip to main content Skip to main content Skip to main content Skip to main content",
            // Longer in bytes than any furniture line, not in its words.
            "Skip—to—main—content——————",
            "»»»»»»»»»» Back to top ««««««««««",
        ];
        for line in furniture {
            assert!(is_furniture_line(line), "{line}");
        }
        let prose = [
            "The leaders will meet in Mexico City to talk about the new programs.",
            "We welcome the work of the North American Drug Dialogue on fentanyl.",
            "Options include a cookie cutter approach that we will not follow here.",
        ];
        for line in prose {
            assert!(!is_furniture_line(line), "{line}");
        }
    }

    /// Whether `line` is furniture, and whether the rules that read its
    /// words, applied to its normalised form, say so.
    fn furniture_verdicts(line: &str) -> (bool, bool) {
        let n_words = word_count(line);
        (
            is_furniture(line, n_words),
            is_furniture_by_words(line.trim(), n_words),
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]

        /// A line of prose is furniture exactly when the rules that read
        /// its words say so, whether or not it was normalised.
        #[test]
        fn furniture_is_told_the_same_without_normalising_prose(line in LINE) {
            let (told, by_words) = furniture_verdicts(&line);
            proptest::prop_assert_eq!(told, by_words);
        }

        /// The same for a line made of a part said two, four or eight
        /// times ("Skip to main content" four times is a label repeated,
        /// repeated).
        #[test]
        fn furniture_is_told_the_same_for_a_repeated_line(
            part in proptest::prop_oneof![
                proptest::string::string_regex(LINE).expect("valid pattern"),
                proptest::strategy::Strategy::prop_map(
                    proptest::sample::select(FURNITURE_LINES),
                    str::to_string
                ),
            ],
            doublings in 1..=3,
            sep in "[ ,.|-]{1,2}",
        ) {
            let mut line = part;
            for _ in 0..doublings {
                line = format!("{line}{sep}{line}");
            }
            let (told, by_words) = furniture_verdicts(&line);
            proptest::prop_assert_eq!(told, by_words);
        }

        #[test]
        fn normalise_keeps_words_lowercased_and_single_spaced(
            text in "[a-zA-Z0-9' ,.;:!?\\-\n\t’¿éÉßİΣς中\u{0}]{0,60}"
        ) {
            proptest::prop_assert_eq!(normalise(&text), normalise_by_characters(&text));
        }
    }
}
