//! Metadata inference: title, date, issuing government, summit and edition,
//! language and kind of document, from front matter, the page and the text.
//!
//! Every rule is general. It looks at the shape of the text (a dateline, a
//! heading line, the subject of "met with"), and at small tables of facts
//! that hold for any document: government web hosts, leaders' names, summit
//! edition numbers, month names and stop words. No rule names a document.
//!
//! Sources are tried strongest first: front matter, then the page's own
//! metadata, then the text's opening (its first lines). The issuer is scored
//! evidence; when two governments tie (a joint statement with no other
//! clue) it is left `None`. Nothing here panics on any input.

use crate::html::PageInfo;
use accord_model::{DocKind, Metadata};
use regex::{Regex, RegexSet};
use std::collections::BTreeMap;
use std::sync::{LazyLock, OnceLock};

/// Everything inference may look at.
#[derive(Debug, Clone, Copy)]
pub struct MetaInput<'a> {
    /// The file name.
    pub file_name: &'a str,
    /// Front matter fields (empty when none).
    pub front_matter: &'a BTreeMap<String, String>,
    /// The cleaned text.
    pub text: &'a str,
    /// Page metadata, for HTML.
    pub page: Option<&'a PageInfo>,
}

/// Lines of the text that count as its opening.
const OPENING_LINES: usize = 40;
/// Most bytes of the text that count as its opening.
const OPENING_BYTES: usize = 4000;

/// Infers what it can; leaves the rest `None`.
pub fn infer(input: &MetaInput<'_>) -> Metadata {
    let opening = opening(input.text);
    let source_url = infer_source_url(input);
    let title = infer_title(input);
    let language = infer_language(input);
    let day_first = language.as_deref().is_some_and(|l| l != "en");
    let mut date = infer_date(input, day_first);
    // `type` is also a site generator's page type (`post`): a value that
    // names no kind is passed over.
    let kind = ["kind", "document_kind", "doc_kind", "type"]
        .iter()
        .find_map(|key| field(input.front_matter, &[key]).and_then(DocKind::parse))
        .unwrap_or_else(|| detect_kind(title.as_deref(), opening));
    let issuer = infer_issuer(input, title.as_deref(), source_url.as_deref());
    let date_year = date.as_deref().and_then(|d| d.get(..4)?.parse().ok());
    let declared = field(input.front_matter, &["summit", "event"]);
    let summit = match declared {
        Some(name) => infer_summit(Some(name), "", "", date_year),
        None => infer_summit(title.as_deref(), opening, input.text, date_year),
    };
    if date.is_none() {
        date = summit.as_ref().and_then(|s| summit_day_today(s, opening));
    }
    let summit = summit.map(|s| s.to_string()).or_else(|| match declared {
        // A summit no table knows is kept as its author wrote it.
        Some(name) => Some(clip(collapse_whitespace(name), MAX_SUMMIT_CHARS)),
        None => title
            .as_deref()
            .and_then(|t| summit_named_in_title(t, date_year)),
    });
    Metadata {
        title,
        date,
        issuer,
        summit,
        language,
        kind: Some(kind),
        source_url,
    }
}

/// A summit no table knows, named in the title: the run of capitalised
/// words before "Summit" (and an "on/for/of …" name after it) with the
/// year of the title or the document: "Fact Sheet: Quad Leaders’ Summit" of
/// 2021 is `Quad Leaders' Summit 2021`, "U.S.-EU Summit Statement" is
/// `U.S.-EU Summit 2021`. The run stops at a possessive or a colon, so
/// "President Biden’s Leaders Summit on Climate" names `Leaders Summit on
/// Climate`.
pub fn summit_named_in_title(title: &str, date_year: Option<i32>) -> Option<String> {
    static AFTER: LazyLock<Pattern> = LazyLock::new(|| {
        Pattern::new(
            r"^\s+(?:on|for|of)\s+(?:the\s+)?[A-Z][\w\-]*(?:\s+(?:and\s+)?[A-Z][\w\-]*){0,3}",
        )
    });
    static YEAR: LazyLock<Pattern> = LazyLock::new(|| Pattern::new(r"\b(19|20)\d\d\b"));
    let at = title.find("Summit")?;
    let before: Vec<&str> = title[..at].split_whitespace().collect();
    let mut run: Vec<&str> = Vec::new();
    for word in before.iter().rev() {
        let possessive =
            (word.ends_with("’s") || word.ends_with("'s")) && !word.starts_with("Leaders");
        let starts_upper = word.chars().next().is_some_and(|c| c.is_uppercase());
        if word.ends_with(':') || possessive || !starts_upper || run.len() >= 6 {
            break;
        }
        run.push(word);
    }
    if run.is_empty() {
        return None;
    }
    run.reverse();
    let rest = &title[at + "Summit".len()..];
    let after = AFTER.find(rest).map(|m| m.as_str()).unwrap_or("");
    let name = format!("{} Summit{}", run.join(" "), after.trim_end());
    let year = YEAR
        .find(title)
        .and_then(|m| m.as_str().parse().ok())
        .or(date_year)?;
    // One spelling per summit whatever the apostrophes.
    Some(format!(
        "{} {year}",
        collapse_whitespace(&name).replace('’', "'")
    ))
}

// ---------------------------------------------------------------------------
// Small text helpers

/// Collapses every run of white space (non-breaking spaces included) to one
/// space, drops invisible joiners, and trims.
///
/// Runs of ASCII bytes other than white space (no invisible joiner among
/// them) are copied whole; only the other characters are decoded.
pub fn collapse_whitespace(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii() {
            if is_ascii_white_space(bytes[i] as char) {
                space = true;
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii() && !is_ascii_white_space(bytes[i] as char)
            {
                i += 1;
            }
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push_str(&text[start..i]);
            continue;
        }
        let c = text[i..].chars().next().expect("a character boundary");
        i += c.len_utf8();
        if c.is_whitespace() {
            space = true;
        } else if !is_invisible_joiner(c) {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// The first [`OPENING_LINES`] lines of `text`, at most [`OPENING_BYTES`].
fn opening(text: &str) -> &str {
    let head = &text.as_bytes()[..text.len().min(OPENING_BYTES)];
    let end = memchr::memchr_iter(b'\n', head)
        .nth(OPENING_LINES - 1)
        .unwrap_or(head.len());
    &text[..text.floor_char_boundary(end)]
}

/// The last `n` bytes of `text`, cut at a character boundary.
fn tail(text: &str, n: usize) -> &str {
    &text[text.ceil_char_boundary(text.len().saturating_sub(n))..]
}

/// The first `n` bytes of `text`, cut at a character boundary.
fn head(text: &str, n: usize) -> &str {
    &text[..text.floor_char_boundary(n)]
}

/// Non-empty trimmed lines.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// Blocks (paragraphs) of the text, each with its lines joined by spaces.
fn blocks(text: &str) -> impl Iterator<Item = String> + '_ {
    accord_model::paragraphs(text)
        .map(collapse_whitespace)
        .filter(|b| !b.is_empty())
}

/// Whether [`collapse_whitespace`] leaves nothing of `text`: it has only
/// white space and invisible joiners.
fn is_blank_when_collapsed(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_whitespace() || is_invisible_joiner(c))
}

/// The characters [`collapse_whitespace`] drops.
fn is_invisible_joiner(c: char) -> bool {
    matches!(c, '\u{200b}' | '\u{2060}' | '\u{feff}' | '\u{ad}')
}

/// Words that contain a letter.
fn n_words(text: &str) -> usize {
    // Whether a word is open, and whether it has a letter yet.
    let (mut n, mut letter) = (0, false);
    // Runs of ASCII a byte at a time, in a loop of their own (the compiler
    // makes it much tighter than one that also decodes); only the
    // characters beyond ASCII are decoded.
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        let end = accord_model::first_non_ascii(&bytes[i..]).map_or(bytes.len(), |p| i + p);
        for &b in &bytes[i..end] {
            if is_ascii_white_space(char::from(b)) {
                n += usize::from(letter);
                letter = false;
            } else {
                letter |= b.is_ascii_alphabetic();
            }
        }
        let Some(c) = text[end..].chars().next() else {
            break;
        };
        if c.is_whitespace() {
            n += usize::from(letter);
            letter = false;
        } else {
            letter |= c.is_alphabetic();
        }
        i = end + c.len_utf8();
    }
    n + usize::from(letter)
}

/// Whether `text` has more than `n` [`n_words`]: counted a piece at a
/// time, so that a long text (a whole statement may be one block, a line
/// a whole paragraph) is read only as far as about its first `n + 1`
/// words. A piece is eight bytes a word (a word and its space are about
/// six in English).
fn more_words_than(text: &str, n: usize) -> bool {
    more_words_than_by(text, n, 8 * (n + 1))
}

/// [`more_words_than`], in pieces of about `piece` bytes. A piece ends
/// before ASCII white space, so no word straddles two pieces and the
/// words of the text are those of its pieces.
fn more_words_than_by(text: &str, n: usize, piece: usize) -> bool {
    let bytes = text.as_bytes();
    let (mut count, mut start) = (0, 0);
    while start < bytes.len() {
        let from = (start + piece.max(1)).min(bytes.len());
        let end = bytes[from..]
            .iter()
            .position(|&b| is_ascii_white_space(char::from(b)))
            .map_or(bytes.len(), |p| from + p);
        count += n_words(&text[start..end]);
        if count > n {
            return true;
        }
        start = end;
    }
    false
}

/// The ASCII characters that [`char::is_whitespace`] holds (`\x0B`, the
/// line tabulation, among them, unlike [`u8::is_ascii_whitespace`]).
fn is_ascii_white_space(c: char) -> bool {
    matches!(c, '\t'..='\r' | ' ')
}

/// Case-insensitive lookup of the first non-empty front matter field.
fn field<'a>(front_matter: &'a BTreeMap<String, String>, keys: &[&str]) -> Option<&'a str> {
    keys.iter().find_map(|key| {
        front_matter
            .iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(key) && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    })
}

/// A regex alternation of `words`, longest first, each escaped.
fn alternation(words: &[&str]) -> String {
    let mut words = words.to_vec();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|")
}

fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in pattern is valid")
}

/// A built-in pattern compiled twice: as written, and narrowed to ASCII
/// (see [`narrowed`]).
///
/// Unicode word boundaries (`\b`) make the regex crate's fast engine, its
/// lazy DFA, give up as soon as the text holds a non-ASCII byte (a curly
/// apostrophe, a dash) and fall back to much slower ones; Unicode classes
/// (`\w`, `\p{L}`) make large automata, slow to build. In a text whose word
/// characters and numbers are all ASCII, the narrowed pattern finds the
/// same matches, so such a text (most English statements) is searched
/// with it; any other text with the pattern as written, compiled at the
/// first such text (compiling is most of the work of a one-file ingest).
struct Pattern {
    written: String,
    unicode: OnceLock<Regex>,
    ascii: Regex,
}

impl Pattern {
    fn new(pattern: &str) -> Pattern {
        Pattern {
            written: pattern.to_string(),
            unicode: OnceLock::new(),
            ascii: compile(&narrowed(pattern)),
        }
    }

    /// The compiled pattern that finds the same matches in `haystack`, the
    /// faster one when it may.
    fn regex(&self, haystack: &str) -> &Regex {
        if has_only_ascii_words(haystack) {
            &self.ascii
        } else {
            self.unicode()
        }
    }

    /// The pattern as written, compiled.
    fn unicode(&self) -> &Regex {
        self.unicode.get_or_init(|| compile(&self.written))
    }

    fn is_match(&self, haystack: &str) -> bool {
        self.regex(haystack).is_match(haystack)
    }

    fn find<'h>(&self, haystack: &'h str) -> Option<regex::Match<'h>> {
        self.regex(haystack).find(haystack)
    }

    fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> regex::Matches<'r, 'h> {
        self.regex(haystack).find_iter(haystack)
    }

    fn captures<'h>(&self, haystack: &'h str) -> Option<regex::Captures<'h>> {
        self.regex(haystack).captures(haystack)
    }

    fn captures_iter<'r, 'h>(&'r self, haystack: &'h str) -> regex::CaptureMatches<'r, 'h> {
        self.regex(haystack).captures_iter(haystack)
    }
}

/// `pattern` narrowed to ASCII: ASCII word boundaries, and its classes of
/// word characters, digits, letters, capitals, marks and numbers (`\w`,
/// `\d`, `\p{L}`, `\p{Lu}`, `\p{M}`, `\p{N}`; the `\p{…}` ones only inside
/// brackets) reduced to their ASCII members. Equivalent to `pattern` on
/// texts for which [`has_only_ascii_words`] holds.
fn narrowed(pattern: &str) -> String {
    pattern
        .replace(r"\b", r"(?-u:\b)")
        .replace(r"\w", "[0-9A-Za-z_]")
        .replace(r"\d", "[0-9]")
        .replace(r"\p{Lu}", "A-Z")
        .replace(r"\p{L}", "A-Za-z")
        .replace(r"\p{M}", "")
        .replace(r"\p{N}", "0-9")
}

/// True when every word character and number of `text` (`\w`, which holds
/// letters, marks and digits, and `\p{N}`) is ASCII. Case-insensitive
/// matching adds no other: the non-ASCII letters that fold to ASCII ones
/// (the Kelvin sign, the long s) are word characters.
///
/// Most statements go beyond ASCII only for typographic marks
/// ([`TYPOGRAPHIC_MARKS`]): those are stepped over, and the pattern is run
/// only from the first other character beyond ASCII, if any.
fn has_only_ascii_words(text: &str) -> bool {
    accord_model::first_non_ascii_beyond(text, &TYPOGRAPHIC_MARKS)
        .is_none_or(|i| !NON_ASCII_WORD.is_match(&text[i..]))
}

/// A word character or number beyond ASCII.
static NON_ASCII_WORD: LazyLock<Regex> = LazyLock::new(|| compile(r"[[\w\p{N}]&&[^\x00-\x7F]]"));

/// Characters beyond ASCII that statements are full of and that are
/// neither word characters nor numbers: quotes, dashes, the ellipsis, the
/// bullet, the euro sign, the no-break space and the word joiner (a test
/// checks each against [`NON_ASCII_WORD`]).
const TYPOGRAPHIC_MARKS: [char; 12] = [
    '‘', '’', '“', '”', '–', '—', '…', '•', '€', '·', '\u{a0}', '\u{2060}',
];

// ---------------------------------------------------------------------------
// Source URL and title

fn infer_source_url(input: &MetaInput<'_>) -> Option<String> {
    let keys = [
        "source_url",
        "url",
        "canonical",
        "canonical_url",
        "permalink",
        "link",
    ];
    field(input.front_matter, &keys)
        .or_else(|| input.page.and_then(|p| p.url.as_deref()))
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty() && u.len() <= MAX_URL_BYTES)
}

/// Longest source address kept, in bytes: a longer one is no page's
/// address (browsers and servers stop at about this length).
pub const MAX_URL_BYTES: usize = 8192;

/// Most characters of a title: a longer one is cut at a word before it,
/// and ends with "…". Titles of statements run to a few hundred.
pub const MAX_TITLE_CHARS: usize = 500;

/// Most characters of a summit's name as front matter declares it.
pub const MAX_SUMMIT_CHARS: usize = 120;

fn infer_title(input: &MetaInput<'_>) -> Option<String> {
    title_as_written(input).map(|t| clip(t, MAX_TITLE_CHARS))
}

/// `text` cut to `max_chars` characters, at the last space within them
/// when there is one in their last fifth, and ended with "…".
fn clip(text: String, max_chars: usize) -> String {
    let Some((cut, _)) = text.char_indices().nth(max_chars) else {
        return text;
    };
    let head = &text[..cut];
    let at_word = head
        .rfind(' ')
        .filter(|&space| space >= cut - cut / 5)
        .unwrap_or(cut);
    format!("{}…", head[..at_word].trim_end())
}

fn title_as_written(input: &MetaInput<'_>) -> Option<String> {
    if let Some(title) = field(input.front_matter, &["title"]) {
        return Some(clean_title(title)).filter(|t| !t.is_empty());
    }
    if let Some(title) = input.page.and_then(|p| p.title.as_deref()) {
        let title = clean_title(title);
        // "Title | Site name": drop a short site suffix.
        let title = match title.rsplit_once(" | ") {
            Some((main, site)) if !more_words_than(site, 6) && !main.trim().is_empty() => {
                main.trim().to_string()
            }
            _ => title,
        };
        if !title.is_empty() {
            return Some(title);
        }
    }
    title_from_text(input.text)
}

/// The first heading-like line of a cleaned text: a `# ` heading, or a
/// block of one short line that does not end a sentence. Header lines that
/// only name a government and datelines are skipped; the search stops at
/// the first paragraph.
pub fn title_from_text(text: &str) -> Option<String> {
    for block in accord_model::paragraphs(text).take(6) {
        let block_lines: Vec<&str> = lines(block).collect();
        if let Some(first) = block_lines.first() {
            if first.starts_with("# ") || first.starts_with("## ") {
                return Some(clean_title(first)).filter(|t| !t.is_empty());
            }
        }
        let kept: Vec<&str> = block_lines
            .into_iter()
            .filter(|l| self_name(l).is_none() && !is_dateline(l, false))
            .collect();
        match kept.as_slice() {
            [] => continue,
            [line] if is_title_like(line) => return Some(clean_title(line)),
            _ => return None,
        }
    }
    None
}

fn is_title_like(line: &str) -> bool {
    more_words_than(line, 0)
        && !more_words_than(line, 25)
        && line.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && !line
            .trim_end_matches(['*', '_'])
            .ends_with(['.', ',', ';', ':'])
        && !crate::clean::is_bullet(line)
}

/// Strips Markdown heading marks and emphasis, collapses white space.
fn clean_title(title: &str) -> String {
    let t = collapse_whitespace(title);
    let t = t.trim_start_matches('#').trim();
    let t = t.trim_matches(|c| c == '*' || c == '_').trim();
    t.to_string()
}

// ---------------------------------------------------------------------------
// Dates

/// Month names and abbreviations in English, Spanish, French, German,
/// Italian and Portuguese.
#[rustfmt::skip]
const MONTHS: &[(&str, u32)] = &[
    ("january", 1), ("jan", 1), ("enero", 1), ("ene", 1), ("janvier", 1), ("janv", 1),
    ("januar", 1), ("jänner", 1), ("gennaio", 1), ("janeiro", 1),
    ("february", 2), ("feb", 2), ("febrero", 2), ("février", 2), ("fevrier", 2), ("févr", 2),
    ("februar", 2), ("febbraio", 2), ("fevereiro", 2),
    ("march", 3), ("mar", 3), ("marzo", 3), ("mars", 3), ("märz", 3), ("março", 3),
    ("april", 4), ("apr", 4), ("abril", 4), ("abr", 4), ("avril", 4), ("avr", 4), ("aprile", 4),
    ("may", 5), ("mayo", 5), ("mai", 5), ("maggio", 5), ("maio", 5),
    ("june", 6), ("jun", 6), ("junio", 6), ("juin", 6), ("juni", 6), ("giugno", 6), ("junho", 6),
    ("july", 7), ("jul", 7), ("julio", 7), ("juillet", 7), ("juil", 7), ("juli", 7), ("luglio", 7),
    ("julho", 7),
    ("august", 8), ("aug", 8), ("agosto", 8), ("ago", 8), ("août", 8), ("aout", 8),
    ("september", 9), ("sept", 9), ("sep", 9), ("septiembre", 9), ("setiembre", 9),
    ("septembre", 9), ("settembre", 9), ("setembro", 9),
    ("october", 10), ("oct", 10), ("octubre", 10), ("octobre", 10), ("oktober", 10), ("okt", 10),
    ("ottobre", 10), ("outubro", 10),
    ("november", 11), ("nov", 11), ("noviembre", 11), ("novembre", 11), ("novembro", 11),
    ("december", 12), ("dec", 12), ("diciembre", 12), ("dic", 12), ("décembre", 12),
    ("decembre", 12), ("déc", 12), ("dezember", 12), ("dez", 12), ("dicembre", 12),
    ("dezembro", 12),
];

fn month_number(name: &str) -> Option<u32> {
    let name = name.to_lowercase();
    MONTHS.iter().find(|(m, _)| *m == name).map(|&(_, n)| n)
}

static MONTH_NAMES: LazyLock<String> =
    LazyLock::new(|| alternation(&MONTHS.iter().map(|(m, _)| *m).collect::<Vec<_>>()));

/// "2023-01-10", "2021-11-18T20:55", "2023/01/10".
static ISO_DATE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?:T|\b)|\b(\d{4})/(\d{1,2})/(\d{1,2})\b")
});
/// "01/11/2023".
static NUMERIC_DATE: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"));
/// "January 10, 2023", "Jan. 10, 2023".
static MONTH_FIRST_DATE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)\b({})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b",
        *MONTH_NAMES
    ))
});
/// "10 January 2023", "11 de enero de 2023", "le 1er janvier 2023", "10. Januar 2023".
static DAY_FIRST_DATE: LazyLock<Pattern> = LazyLock::new(|| {
    let day = r"(\d{1,2})(?:st|nd|rd|th|er|re|º|°|o|\.)?";
    Pattern::new(&format!(
        r"(?i)\b{day}\s+(?:of\s+|de\s+)?({})\.?,?\s+(?:de\s+|del\s+)?(\d{{4}})\b",
        *MONTH_NAMES
    ))
});

/// A date found in a text, with its byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DateMention {
    start: usize,
    end: usize,
    iso: String,
}

fn iso(year: &str, month: u32, day: &str) -> Option<String> {
    let year: i32 = year.parse().ok()?;
    let day: u32 = day.parse().ok()?;
    if !(1900..=2100).contains(&year) {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(year, month, day).map(|d| d.to_string())
}

/// Every date written in one of the known ways, in text order. Numeric
/// `a/b/yyyy` dates are read month first unless `day_first` (or unless the
/// first number cannot be a month).
fn dates_in(text: &str, day_first: bool) -> Vec<DateMention> {
    let mut found = Vec::new();
    let mut push = |m: regex::Match<'_>, iso: Option<String>| {
        if let Some(iso) = iso {
            found.push(DateMention {
                start: m.start(),
                end: m.end(),
                iso,
            });
        }
    };
    for c in ISO_DATE.captures_iter(text) {
        let (y, m, d) = match (c.get(1), c.get(4)) {
            (Some(y), _) => (y, &c[2], &c[3]),
            (None, Some(y)) => (y, &c[5], &c[6]),
            _ => continue,
        };
        push(
            c.get(0).expect("group 0"),
            m.parse().ok().and_then(|m| iso(y.as_str(), m, d)),
        );
    }
    for c in NUMERIC_DATE.captures_iter(text) {
        let (a, b): (u32, u32) = match (c[1].parse(), c[2].parse()) {
            (Ok(a), Ok(b)) => (a, b),
            _ => continue,
        };
        let (month, day) = if (day_first && b <= 12) || a > 12 {
            (b, a)
        } else {
            (a, b)
        };
        push(
            c.get(0).expect("group 0"),
            iso(&c[3], month, &day.to_string()),
        );
    }
    for c in MONTH_FIRST_DATE.captures_iter(text) {
        push(
            c.get(0).expect("group 0"),
            month_number(&c[1]).and_then(|m| iso(&c[3], m, &c[2])),
        );
    }
    for c in DAY_FIRST_DATE.captures_iter(text) {
        push(
            c.get(0).expect("group 0"),
            month_number(&c[2]).and_then(|m| iso(&c[3], m, &c[1])),
        );
    }
    found.retain(|d| !in_address(text, d.start));
    found.sort_by_key(|d| d.start);
    found
}

/// The first date in `text` written in one of the common ways, as ISO
/// `YYYY-MM-DD`: ISO dates and datetimes, "January 10, 2023", "Jan. 10,
/// 2023", "10 January 2023", "01/11/2023" (month first), "11 de enero de
/// 2023", "le 10 janvier 2023" (and German, Italian, Portuguese month names).
pub fn parse_date(text: &str) -> Option<String> {
    iso_date_alone(text).unwrap_or_else(|| dates_in(text, false).into_iter().next().map(|d| d.iso))
}

/// For a text that is only an ISO date `YYYY-MM-DD` in ASCII digits,
/// with white space around it (as front matter gives a date), the first
/// date [`dates_in`] finds, read without running its patterns: the date
/// when it is one, else none. `None` for a text of any other shape. (With
/// only white space before it, the date is never part of a web address.)
fn iso_date_alone(text: &str) -> Option<Option<String>> {
    let date = text.trim();
    let bytes = date.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return None;
    }
    Some(
        date[5..7]
            .parse()
            .ok()
            .and_then(|month| iso(&date[..4], month, &date[8..])),
    )
}

/// A dateline: a line that is a date with at most a place, a label or a
/// source around it ("Mexico City, January 10, 2023.", "Published 19 May
/// 2023", "Presidencia de la República | 11 de enero de 2023 | Comunicado").
fn dateline_date(line: &str, day_first: bool) -> Option<String> {
    let date = dates_in(line, day_first).into_iter().next()?;
    let rest = format!("{} {}", &line[..date.start], &line[date.end..]);
    (!more_words_than(&rest, 6) && !REFERENCE_BEFORE.is_match(&line[..date.start]))
        .then_some(date.iso)
}

fn is_dateline(line: &str, day_first: bool) -> bool {
    dateline_date(line, day_first).is_some()
}

/// The date of a dateline block: a block of short lines (a date, a place, a
/// label) one of which is a dateline, or a paragraph that opens with a place
/// and a date and a dash ("WASHINGTON, January 10, 2023 — …"). A short last
/// line of a wrapped paragraph is not a dateline.
fn block_date(block: &str, day_first: bool) -> Option<String> {
    let block_lines: Vec<&str> = lines(block).collect();
    if block_lines.iter().all(|l| !more_words_than(l, 10)) {
        if let Some(date) = block_lines.iter().find_map(|l| dateline_date(l, day_first)) {
            return Some(date);
        }
    }
    let first = block_lines.first()?;
    let date = dates_in(first, day_first).into_iter().next()?;
    let lead_in = date.start <= 40 && first[date.end..].trim_start().starts_with(['—', '–', '-']);
    lead_in.then_some(date.iso)
}

/// Words that make a date a reference to another time, not the document's.
static REFERENCE_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(concat!(
        r"(?i)\b(?:since|until|till|by|before|after|from|expiring|expires|",
        r"effective|desde|hasta|antes\s+del?|depuis|jusqu['’]au|avant\s+le|",
        r"après\s+le)\s+(?:the\s+|el\s+|le\s+)?$",
    ))
});

/// A meeting reported as done: the date in its sentence is the meeting's.
static MEETING_HELD: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(concat!(
        r"(?i)\b(?:met|gathered|convened|welcomed|hosted|participated|",
        r"se\s+reuni[óo]|se\s+reunieron|nos\s+reunimos|recibi[óo]|se\s+sont\s+r[ée]unis|",
        r"nous\s+nous\s+sommes\s+r[ée]unis|a\s+rencontr[ée]|a\s+re[çc]u|",
        r"a\s+accueilli|a\s+particip[ée]|trafen\s+sich|haben\s+uns\s+getroffen)\b",
    ))
});
/// A sentence about the future or about what ought to be.
static FUTURE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:will|shall|should|must|would|could|va|van|vont|doit|deben|debe)\b")
});

/// True when the date at `start` of `text` is part of a web address.
fn in_address(text: &str, start: usize) -> bool {
    let token = text[..start]
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '[')
        .next()
        .unwrap_or_default();
    token.contains('/') || token.contains("www.")
}

fn infer_date(input: &MetaInput<'_>, day_first: bool) -> Option<String> {
    let keys = [
        "date",
        "published_time",
        "published",
        "date_published",
        "datepublished",
        "publication_date",
        "pubdate",
        "created",
    ];
    let from_fields = keys
        .iter()
        .find_map(|k| field(input.front_matter, &[*k]).and_then(parse_date));
    if from_fields.is_some() {
        return from_fields;
    }
    if let Some(date) = input
        .page
        .and_then(|p| p.date.as_deref())
        .and_then(parse_date)
    {
        return Some(date);
    }
    // A dateline block near the top, then one at the very end (a signed
    // closing line such as "Mexico City, January 10, 2023.").
    let text_blocks: Vec<&str> = accord_model::paragraphs(input.text)
        .filter(|b| !b.trim().is_empty())
        .collect();
    let top = text_blocks
        .iter()
        .take(4)
        .find_map(|b| block_date(b, day_first));
    let bottom = || {
        text_blocks
            .iter()
            .rev()
            .take(2)
            .find_map(|b| block_date(b, day_first))
    };
    if let Some(date) = top.or_else(bottom) {
        return Some(date);
    }
    // The first date in the opening that dates a meeting the text reports
    // ("We met in Bali on 15-16 November 2022"). Other dates in a statement
    // are mostly past events and deadlines, not the document's date.
    let opening = opening(input.text);
    let mentioned = dates_in(opening, day_first).into_iter().find(|d| {
        let sentence = sentence_around(opening, d.start, d.end);
        !REFERENCE_BEFORE.is_match(tail(&opening[..d.start], 30))
            && MEETING_HELD.is_match(sentence)
            && !FUTURE.is_match(sentence)
    });
    if let Some(date) = mentioned {
        return Some(date.iso);
    }
    // A file name that starts with an ISO date ("2023-01-10-fact-sheet.md").
    ISO_DATE
        .find(input.file_name)
        .filter(|m| m.start() == 0)
        .and_then(|m| parse_date(m.as_str()))
}

// ---------------------------------------------------------------------------
// Language

/// Frequent short words that tell the languages apart.
#[rustfmt::skip]
const STOP_WORDS: &[(&str, &[&str])] = &[
    ("en", &["the", "and", "of", "to", "is", "that", "for", "with", "on", "as", "are", "by",
             "this", "be", "will", "we", "our", "their", "from", "have", "has", "which", "it",
             "an", "at", "or", "were", "was"]),
    ("es", &["el", "los", "las", "del", "y", "que", "por", "con", "para", "una", "es", "se", "su",
             "sus", "al", "como", "más", "lo", "este", "esta", "entre", "nuestros", "también",
             "sobre"]),
    ("fr", &["le", "les", "des", "du", "et", "est", "une", "dans", "pour", "avec", "sur", "par",
             "au", "aux", "que", "qui", "nous", "nos", "ce", "cette", "sont", "pas", "ont", "été",
             "leur"]),
    ("de", &["der", "die", "das", "und", "ist", "nicht", "mit", "den", "dem", "ein", "eine", "zu",
             "von", "auf", "für", "sich", "auch", "wir", "werden", "im", "bei"]),
    ("it", &["il", "della", "delle", "degli", "dei", "che", "è", "per", "con", "una", "non",
             "sono", "nel", "nella", "alla", "anche", "gli", "e"]),
    ("pt", &["o", "os", "da", "do", "das", "dos", "que", "não", "com", "uma", "para", "em", "por",
             "são", "nos", "ao", "e", "à", "também", "mais"]),
];

/// The language of `text` by stop-word counts (`en`, `es`, `fr`, `de`, `it`,
/// `pt`), or `None` when the text is too short or no language stands out.
///
/// Words are the runs of alphabetic characters of the lowercased text (its
/// first 20,000 bytes); a word counts for every language whose list holds it.
pub fn detect_language(text: &str) -> Option<&'static str> {
    let mut n_words = 0;
    let mut counts = [0usize; STOP_WORDS.len()];
    #[inline(always)]
    fn end_word(word: &mut Word, n_words: &mut usize, counts: &mut [usize]) {
        *n_words += 1;
        let languages = word.key().map_or(0, stop_word_languages);
        if languages != 0 {
            for (i, count) in counts.iter_mut().enumerate() {
                *count += usize::from(languages & (1 << i) != 0);
            }
        }
        *word = Word::default();
    }
    let mut word = Word::default();
    // Lowercasing character by character splits words where lowercasing
    // the whole text would: the two differ only for a final capital sigma,
    // a letter either way. ASCII bytes are read as bytes, through a table;
    // only the other characters are decoded.
    let head = head(text, 20_000);
    let bytes = head.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match ASCII_LETTER_LOWERCASE[usize::from(bytes[i])] {
            NOT_A_LETTER => {
                i += 1;
                if word.len > 0 {
                    end_word(&mut word, &mut n_words, &mut counts);
                }
            }
            BEYOND_ASCII => {
                let c = head[i..].chars().next().expect("a character boundary");
                i += c.len_utf8();
                for lower in c.to_lowercase() {
                    if lower.is_alphabetic() {
                        let mut utf8 = [0u8; 4];
                        for &b in lower.encode_utf8(&mut utf8).as_bytes() {
                            word.push_byte(b);
                        }
                    } else if word.len > 0 {
                        end_word(&mut word, &mut n_words, &mut counts);
                    }
                }
            }
            letter => {
                i += 1;
                word.push_byte(letter);
            }
        }
    }
    if word.len > 0 {
        end_word(&mut word, &mut n_words, &mut counts);
    }
    if n_words < 12 {
        return None;
    }
    let mut counts: Vec<(usize, &'static str)> = counts
        .into_iter()
        .zip(STOP_WORDS.iter().map(|(lang, _)| *lang))
        .collect();
    counts.sort_by_key(|&(count, _)| std::cmp::Reverse(count));
    let (best, lang) = counts[0];
    (best >= 3 && best > counts[1].0).then_some(lang)
}

/// In [`ASCII_LETTER_LOWERCASE`], an ASCII byte that is not a letter.
const NOT_A_LETTER: u8 = 0;
/// In [`ASCII_LETTER_LOWERCASE`], a byte of a character beyond ASCII.
const BEYOND_ASCII: u8 = 0xFF;

/// For each byte: an ASCII letter lowercased, [`NOT_A_LETTER`] or
/// [`BEYOND_ASCII`].
static ASCII_LETTER_LOWERCASE: [u8; 256] = {
    let mut table = [NOT_A_LETTER; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if !byte.is_ascii() {
            table[b] = BEYOND_ASCII;
        } else if byte.is_ascii_alphabetic() {
            table[b] = byte.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// A word being read: its last 8 bytes, one after the other in a number
/// (the last in the lowest byte), and its length in bytes.
#[derive(Default, Clone, Copy)]
struct Word {
    last: u64,
    len: usize,
}

impl Word {
    /// Appends a byte of the (lowercased) word.
    fn push_byte(&mut self, b: u8) {
        self.last = self.last << 8 | u64::from(b);
        self.len += 1;
    }

    /// The word as [`packed`] gives it, if it has at most 8 bytes (then
    /// its last 8 bytes are all of it).
    fn key(&self) -> Option<u64> {
        // Padded with zeros after its last byte, as `packed` pads.
        (self.len <= 8).then(|| {
            self.last
                .checked_shl(8 * (8 - self.len as u32))
                .unwrap_or(0)
        })
    }
}

/// The languages (bit `i` for `STOP_WORDS[i]`) whose stop words include the
/// word [`packed`] as `key`.
fn stop_word_languages(key: u64) -> u8 {
    /// The stop words in an open-addressing hash table: (key, languages),
    /// key 0 for an empty slot (no word packs to 0).
    static TABLE: LazyLock<Vec<(u64, u8)>> = LazyLock::new(|| {
        let mut table = vec![(0u64, 0u8); 1 << TABLE_BITS];
        for (i, (_, words)) in STOP_WORDS.iter().enumerate() {
            for word in *words {
                let key = packed(word).expect("stop words are at most 8 bytes");
                let mut at = slot(key);
                while table[at].0 != 0 && table[at].0 != key {
                    at = (at + 1) % table.len();
                }
                table[at].0 = key;
                table[at].1 |= 1 << i;
            }
        }
        table
    });
    const TABLE_BITS: u32 = 10;
    fn slot(key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - TABLE_BITS)) as usize
    }
    let mut at = slot(key);
    loop {
        let (k, languages) = TABLE[at];
        if k == key {
            return languages;
        }
        if k == 0 {
            return 0;
        }
        at = (at + 1) % TABLE.len();
    }
}

/// The bytes of a word of at most 8 bytes as one number (big-endian,
/// padded with zeros).
fn packed(word: &str) -> Option<u64> {
    let bytes = word.as_bytes();
    let mut key = [0u8; 8];
    key.get_mut(..bytes.len())?.copy_from_slice(bytes);
    Some(u64::from_be_bytes(key))
}

fn infer_language(input: &MetaInput<'_>) -> Option<String> {
    let declared = |value: &str| -> Option<String> {
        let v = value.trim().to_lowercase();
        let named = [
            ("english", "en"),
            ("español", "es"),
            ("spanish", "es"),
            ("français", "fr"),
            ("french", "fr"),
        ];
        if let Some((_, code)) = named.iter().find(|(name, _)| *name == v) {
            return Some(code.to_string());
        }
        let code: String = v.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        (code.len() == 2).then_some(code)
    };
    field(input.front_matter, &["language", "lang", "locale"])
        .and_then(declared)
        .or_else(|| detect_language(input.text).map(str::to_string))
        .or_else(|| {
            input
                .page
                .and_then(|p| p.language.as_deref())
                .and_then(declared)
        })
}

// ---------------------------------------------------------------------------
// Kind

static FACT_SHEET: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(concat!(
        r"(?i)\bfact\s*-?\s*sheet|\bkey\s+deliverables|\bfiche\s+d['’]information|",
        r"\bhoja\s+informativa|\bficha\s+informativa|\bfaktenblatt",
    ))
});
static ROADMAP: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(concat!(
        r"(?i)\broad\s*-?\s*map|\baction\s+plan|\bhoja\s+de\s+ruta|\bplan\s+de\s+acci[óo]n|",
        r"\bfeuille\s+de\s+route|\bplan\s+d['’]action|\baktionsplan|\bpiano\s+d['’]azione",
    ))
});
static JOINT_STATEMENT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(concat!(
        r"(?i)\bjoint\s+(?:leaders['’]?\s+)?statement|\bleaders['’]?\s+statement|",
        r"\bdeclaration\b|\bd[ée]claration\b|\bdeclaraci[óo]n\b|\bdeclara[çc][ãa]o\b|",
        r"\berkl[äa]rung\b|\bdichiarazione\b|\bcommuniqu[ée]\b|\bcomunicado\s+conjunto",
    ))
});
/// Declarations that are not statements of leaders.
static NOT_JOINT: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"(?i)(?:disaster|emergency|emergencia|urgence)\s+$",
        r"|^\s*(?:of\s+(?:a\s+)?(?:national\s+)?(?:emergency|major\s+disaster)|de\s+presse)",
    ))
});
static WE_THE_LEADERS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(concat!(
        r"(?i)\bwe,?\s+the\s+(?:leaders|heads\s+of\s+(?:state|government))",
        r"|\bnosotros,?\s+(?:los\s+)?(?:l[íi]deres|jefes)",
        r"|\bnous,?\s+(?:les\s+)?(?:dirigeants|chefs)",
    ))
});

/// Names of other kinds of documents: a "Readout of the … Action Plan
/// roundtable" is a readout, a "Statement by … on the Declaration …" a
/// statement.
static OTHER_KIND: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(concat!(
        r"(?i)\b(?:readout|remarks|press\s+(?:briefing|call|gaggle|release)|",
        r"background\s+(?:press\s+)?call|letter|proclamation|memorandum|",
        r"executive\s+order|nominations?|announces|statement|comunicado|",
        r"communiqu[ée]\s+de\s+presse|lectura|discurso|discours)\b",
    ))
});

/// Where the earliest keyword of a kind appears in `text` (ties go to the
/// kinds listed first).
fn first_kind_keyword(text: &str) -> Option<(usize, DocKind)> {
    let joint = JOINT_STATEMENT.find_iter(text).find(|m| {
        !NOT_JOINT.is_match(tail(&text[..m.start()], 20))
            && !NOT_JOINT.is_match(head(&text[m.end()..], 40))
    });
    [
        FACT_SHEET
            .find(text)
            .map(|m| (m.start(), DocKind::FactSheet)),
        ROADMAP.find(text).map(|m| (m.start(), DocKind::Roadmap)),
        joint.map(|m| (m.start(), DocKind::JointStatement)),
        OTHER_KIND.find(text).map(|m| (m.start(), DocKind::Other)),
    ]
    .into_iter()
    .flatten()
    .min_by_key(|(start, _)| *start)
}

/// The kind of document from its title, else a short first block ("The
/// following is the text of a Joint Statement …:"), else a "We, the leaders
/// of …" opening; when the title names two kinds ("Roadmap: Key deliverables
/// …") the one written first wins.
pub fn detect_kind(title: Option<&str>, text: &str) -> DocKind {
    // The first block of `blocks`, when it has at most 30 words: counted
    // before its white space is collapsed (which keeps its words with a
    // letter), so that a long one, often the whole text, is not copied.
    let first_block = accord_model::paragraphs(text)
        .find(|b| !is_blank_when_collapsed(b))
        .filter(|b| !more_words_than(b, 30))
        .map(collapse_whitespace)
        .unwrap_or_default();
    let by_keyword = title
        .and_then(first_kind_keyword)
        .or_else(|| first_kind_keyword(&first_block))
        .map(|(_, kind)| kind);
    by_keyword.unwrap_or_else(|| {
        let start = collapse_whitespace(head(text, 1500));
        if WE_THE_LEADERS.is_match(&start) {
            DocKind::JointStatement
        } else {
            DocKind::Other
        }
    })
}

// ---------------------------------------------------------------------------
// Issuer

/// Government web hosts: a host or one of its subdomains.
#[rustfmt::skip]
const HOSTS: &[(&str, &str)] = &[
    ("gov", "US"), ("mil", "US"), ("whitehouse.gov", "US"), ("state.gov", "US"),
    ("canada.ca", "CA"), ("gc.ca", "CA"), ("gob.mx", "MX"), ("gov.uk", "GB"), ("elysee.fr", "FR"),
    ("gouv.fr", "FR"), ("gouvernement.fr", "FR"), ("bundesregierung.de", "DE"),
    ("bundeskanzler.de", "DE"), ("auswaertiges-amt.de", "DE"), ("bund.de", "DE"),
    ("governo.it", "IT"), ("esteri.it", "IT"), ("go.jp", "JP"), ("europa.eu", "EU"),
    ("gov.au", "AU"), ("gov.br", "BR"), ("gov.in", "IN"), ("nic.in", "IN"), ("gob.ar", "AR"),
    ("gov.za", "ZA"), ("go.kr", "KR"), ("gov.cn", "CN"), ("go.id", "ID"), ("gov.sa", "SA"),
    ("gov.tr", "TR"), ("kremlin.ru", "RU"), ("gob.es", "ES"),
];

/// The issuer a web address belongs to, from its host: `whitehouse.gov` and
/// other `.gov` hosts are `US`, `*.gc.ca` and `canada.ca` are `CA`, `gob.mx`
/// is `MX`, `gov.uk` is `GB`, `europa.eu` is `EU`, and so on.
pub fn issuer_from_url(url: &str) -> Option<&'static str> {
    let rest = url
        .trim()
        .split_once("://")
        .map_or(url.trim(), |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority
        .rsplit('@')
        .next()?
        .split(':')
        .next()?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    HOSTS
        .iter()
        .filter(|(suffix, _)| {
            host == *suffix
                || host
                    .strip_suffix(suffix)
                    .is_some_and(|rest| rest.ends_with('.'))
        })
        .max_by_key(|(suffix, _)| suffix.len())
        .map(|&(_, code)| code)
}

/// Country names (case as written) in English, Spanish, French, German and
/// Italian, with the code they stand for.
#[rustfmt::skip]
const COUNTRIES: &[(&str, &[&str])] = &[
    ("US", &["United States of America", "United States", "U.S.A.", "U.S.", "US", "USA",
             "Estados Unidos de América", "Estados Unidos", "EE. UU.", "EE.UU.", "EEUU",
             "États-Unis", "Etats-Unis", "Vereinigte Staaten", "Stati Uniti"]),
    ("CA", &["Canada", "Canadá", "Kanada"]),
    ("MX", &["United Mexican States", "Mexico", "México", "Estados Unidos Mexicanos", "Mexique",
             "Mexiko", "Messico"]),
    ("GB", &["United Kingdom", "U.K.", "UK", "Great Britain", "Britain", "Reino Unido",
             "Royaume-Uni", "Vereinigtes Königreich", "Regno Unito"]),
    ("FR", &["France", "French Republic", "République française", "Francia", "Frankreich"]),
    ("DE", &["Germany", "Federal Republic of Germany", "Alemania", "Allemagne", "Deutschland",
             "Germania"]),
    ("IT", &["Italy", "Italia", "Italie", "Italien"]),
    ("JP", &["Japan", "Japón", "Japon", "Giappone"]),
    ("EU", &["European Union", "European Commission", "European Council", "Unión Europea",
             "Union européenne", "Europäische Union", "Unione europea"]),
    ("AU", &["Australia", "Australie"]),
    ("BR", &["Brazil", "Brasil", "Brésil"]),
    ("IN", &["India", "Inde"]),
    ("AR", &["Argentina", "Argentine"]),
    ("ZA", &["South Africa", "Sudáfrica", "Afrique du Sud"]),
    ("KR", &["Republic of Korea", "South Korea", "Korea", "Corea del Sur", "Corée du Sud"]),
    ("CN", &["People's Republic of China", "China", "Chine"]),
    ("ID", &["Indonesia", "Indonésie"]),
    ("SA", &["Saudi Arabia", "Arabia Saudita", "Arabie saoudite"]),
    ("TR", &["Türkiye", "Turkey", "Turquía", "Turquie"]),
    ("RU", &["Russian Federation", "Russia", "Rusia", "Russie"]),
    ("ES", &["Spain", "España", "Espagne"]),
];

/// Adjectives that say whose leader someone is ("U.S. President", "le
/// président américain").
#[rustfmt::skip]
const DEMONYMS: &[&str] = &[
    "American", "Canadian", "Mexican", "British", "French", "German", "Italian", "Japanese",
    "Australian", "Brazilian", "Indian", "Argentine", "Argentinian", "South African", "Korean",
    "Chinese", "Indonesian", "Saudi", "Turkish", "Russian", "European", "estadounidense",
    "canadiense", "mexicano", "mexicana", "británico", "británica", "francés", "francesa", "alemán",
    "alemana", "italiano", "italiana", "japonés", "japonesa", "américain", "américaine", "canadien",
    "canadienne", "mexicain", "mexicaine", "britannique", "français", "française", "allemand",
    "allemande", "italien", "italienne", "japonais", "japonaise",
];

/// Titles of heads of state and government.
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "President", "Vice President", "Prime Minister", "Chancellor", "Premier", "Presidente",
    "Presidenta", "Vicepresidente", "Primer Ministro", "Primera Ministra", "Canciller", "Président",
    "Présidente", "Premier ministre", "Première ministre", "Chancelier", "Chancelière",
    "Bundeskanzler", "Bundeskanzlerin",
];

/// Leaders of recent years, as a name pattern and the country they lead.
/// Surnames that are also common words or names need a first name or title.
#[rustfmt::skip]
const LEADERS: &[(&str, &str)] = &[
    (r"Biden", "US"), (r"Trump", "US"), (r"Obama", "US"), (r"George\s+W\.\s+Bush", "US"),
    (r"Kamala\s+Harris|Vice\s+President\s+Harris", "US"),
    (r"Trudeau", "CA"), (r"Carney", "CA"), (r"Harper", "CA"),
    (r"L[oó]pez\s+Obrador|AMLO", "MX"), (r"Sheinbaum", "MX"), (r"Pe[ñn]a\s+Nieto", "MX"),
    (r"Felipe\s+Calder[oó]n", "MX"),
    (r"Sunak", "GB"), (r"Starmer", "GB"), (r"Boris\s+Johnson|Prime\s+Minister\s+Johnson", "GB"),
    (r"Theresa\s+May", "GB"), (r"David\s+Cameron", "GB"),
    (r"Liz\s+Truss|Prime\s+Minister\s+Truss", "GB"),
    (r"Macron", "FR"),
    (r"Scholz", "DE"), (r"Merz", "DE"), (r"Merkel", "DE"),
    (r"Meloni", "IT"), (r"Draghi", "IT"),
    (r"Kishida", "JP"), (r"Ishiba", "JP"), (r"Takaichi", "JP"),
    (r"Yoshihide\s+Suga|Prime\s+Minister\s+Suga", "JP"),
    (r"Shinzo\s+Abe|Prime\s+Minister\s+Abe", "JP"),
    (r"Albanese", "AU"), (r"Scott\s+Morrison|Prime\s+Minister\s+Morrison", "AU"),
    (r"Lula", "BR"), (r"Bolsonaro", "BR"),
    (r"Modi", "IN"),
    (r"Milei", "AR"),
    (r"Ramaphosa", "ZA"),
    (r"Erdo[gğ]an", "TR"),
    (r"Yoon\s+Suk[\s-]?[Yy]eol|President\s+Yoon", "KR"), (r"Lee\s+Jae[\s-]?[Mm]yung", "KR"),
    (r"Widodo|Jokowi", "ID"), (r"Prabowo", "ID"),
    (r"Xi\s+Jinping", "CN"),
    (r"Putin", "RU"),
    (r"von\s+der\s+Leyen", "EU"), (r"Charles\s+Michel", "EU"),
];

/// The patterns of [`LEADERS`], one by one and as a set.
struct LeaderPatterns {
    each: Vec<(Pattern, &'static str)>,
    /// All the patterns as written, compiled at the first text that needs
    /// them.
    unicode: OnceLock<RegexSet>,
    /// All the patterns narrowed (see [`Pattern`]).
    ascii: RegexSet,
}

impl LeaderPatterns {
    /// The leaders whose pattern matches somewhere in `text`, in the order
    /// of [`LEADERS`]: a single pass over the text.
    fn named_in<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = &'a (Pattern, &'static str)> + 'a {
        let ascii = has_only_ascii_words(text);
        let set = if ascii {
            &self.ascii
        } else {
            self.unicode
                .get_or_init(|| compile_set(self.each.iter().map(|(p, _)| &p.written)))
        };
        // Most sentences name no leader: one search says so. Those that
        // do are searched for each leader's name, which finds its literal
        // words at once, where asking the set which patterns match runs
        // the slowest of its engines.
        let named = set.is_match(text);
        self.each.iter().filter(move |(p, _)| {
            named
                && if ascii {
                    p.ascii.is_match(text)
                } else {
                    p.unicode().is_match(text)
                }
        })
    }
}

static LEADER_PATTERNS: LazyLock<LeaderPatterns> = LazyLock::new(|| {
    let patterns: Vec<String> = LEADERS
        .iter()
        .map(|&(p, _)| format!(r"\b(?:{p})\b"))
        .collect();
    LeaderPatterns {
        each: patterns
            .iter()
            .zip(LEADERS)
            .map(|(p, &(_, code))| (Pattern::new(p), code))
            .collect(),
        ascii: compile_set(patterns.iter().map(|p| narrowed(p))),
        unicode: OnceLock::new(),
    }
});

/// Built-in patterns compiled into one set.
fn compile_set<S: AsRef<str>>(patterns: impl IntoIterator<Item = S>) -> RegexSet {
    RegexSet::new(patterns).expect("built-in patterns are valid")
}

static COUNTRY_NAMES: LazyLock<String> = LazyLock::new(|| {
    alternation(
        &COUNTRIES
            .iter()
            .flat_map(|(_, names)| names.iter().copied())
            .collect::<Vec<_>>(),
    )
});

/// The code of a country name (any case), or of a two-letter code.
fn country_code(name: &str) -> Option<&'static str> {
    let name = name.trim().trim_end_matches(['.', ',']);
    let lower = name.to_lowercase();
    COUNTRIES
        .iter()
        .find(|(code, names)| {
            code.eq_ignore_ascii_case(&lower)
                || names
                    .iter()
                    .any(|n| n.trim_end_matches('.').to_lowercase() == lower)
        })
        .map(|&(code, _)| code)
}

/// Lines that only name a government: "Government of Canada", "Presidency
/// of the Republic of the United Mexican States", "Gobierno de México".
static GOVERNMENT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    let bodies = alternation(&[
        "government",
        "presidency",
        "office of the president",
        "office of the prime minister",
        "prime minister",
        "president",
        "ministry of foreign affairs",
        "department of foreign affairs",
        "embassy",
        "gobierno",
        "presidencia",
        "embajada",
        "gouvernement",
        "présidence",
        "premier ministre",
        "cabinet du premier ministre",
        "ambassade",
        "bundesregierung",
        "governo",
        "presidenza del consiglio dei ministri",
    ]);
    let of = r"(?i:of\s+the|of|de\s+la|de\s+los|del|de|du|des|d['’]|della|dello)";
    let government = format!(r"(?i:(?:the\s+)?(?:{bodies}))(?:\s+{of})?");
    let republic = r"(?i:federal\s+republic|republic|república|république|repubblica)";
    let article = r"(?i:the|la|los|el|l['’])";
    compile(&format!(
        r"^{government}(?:\s+{republic}(?:\s+{of})?)?\s+(?:{article}\s*)?(?P<country>{})$",
        *COUNTRY_NAMES
    ))
});

/// Names governments and offices use for themselves that do not name the
/// country.
#[rustfmt::skip]
const SELF_NAMES: &[(&str, &str)] = &[
    ("the white house", "US"), ("white house", "US"), ("u.s. department of state", "US"),
    ("department of state", "US"), ("presidencia de la república", "MX"),
    ("global affairs canada", "CA"), ("affaires mondiales canada", "CA"),
    ("présidence de la république", "FR"), ("élysée", "FR"), ("elysée", "FR"),
    ("palais de l'élysée", "FR"), ("10 downing street", "GB"),
    ("prime minister's office, 10 downing street", "GB"),
    ("foreign, commonwealth & development office", "GB"), ("die bundesregierung", "DE"),
    ("bundesregierung", "DE"), ("palazzo chigi", "IT"),
];

/// The most characters a name of [`SELF_NAMES`] has.
const LONGEST_SELF_NAME: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < SELF_NAMES.len() {
        let name = SELF_NAMES[i].0.as_bytes();
        // Characters are the bytes that do not continue one.
        let (mut chars, mut j) = (0, 0);
        while j < name.len() {
            chars += (name[j] & 0xC0 != 0x80) as usize;
            j += 1;
        }
        if chars > longest {
            longest = chars;
        }
        i += 1;
    }
    longest
};

/// The issuer named by a line that is only the name of a government or one
/// of its offices ("The White House", "Gobierno de México", "Government of
/// Canada").
pub fn self_name(line: &str) -> Option<&'static str> {
    let line = line.trim_matches(|c: char| c == '#' || c == '*' || c == '_' || c.is_whitespace());
    // Counted before the white space is collapsed, which keeps the words
    // with a letter, and the marks trimmed, which are none of them: a
    // long line is not copied.
    if more_words_than(line, 12) {
        return None;
    }
    let line = collapse_whitespace(line);
    let line = line.trim_end_matches(['.', ':', ',']);
    if line.is_empty() {
        return None;
    }
    // Lowercasing never makes fewer characters: a line of more than the
    // longest name has is none of them, and is not copied.
    if line.chars().count() <= LONGEST_SELF_NAME {
        let lower = line.to_lowercase().replace('’', "'");
        if let Some((_, code)) = SELF_NAMES.iter().find(|(name, _)| *name == lower) {
            return Some(code);
        }
    }
    GOVERNMENT_LINE
        .captures(line)
        .and_then(|c| country_code(&c["country"]))
}

/// Evidence from a leader being named: "of Canada", "U.S. President …", "le
/// président des États-Unis, …" mark a guest, not the author.
static QUALIFIED_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
    let country = format!("(?:{})", *COUNTRY_NAMES);
    let demonym = format!("(?i:{})", alternation(DEMONYMS));
    let title = format!("(?i:{})", alternation(TITLES));
    let of = r"(?i:of|de|du|des|del)\s+(?:(?i:the|los|las|la|el)\s+|(?i:l['’]))?";
    let names = r"\s*,?\s+(?:[\p{Lu}][\p{L}\p{M}.'’-]*\s+){0,4}$";
    // "U.S. President Joseph R. ", "Canada's Prime Minister "
    let country_title = format!(r"(?:{country}(?:['’]s)?|{demonym})\s+{title}{names}");
    // "le président américain "
    let title_demonym = format!(r"{title}\s+{demonym}{names}");
    // "the President of the United States, Joe "
    let title_of_country = format!(r"{title}\s+{of}{country}{names}");
    Pattern::new(&format!(
        "{country_title}|{title_demonym}|{title_of_country}"
    ))
});
static QUALIFIED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    let country = format!("(?:{})", *COUNTRY_NAMES);
    let title = format!("(?i:{})", alternation(TITLES));
    let of = r"(?i:of|de|du|des|del)\s+(?:(?i:the|los|las|la|el)\s+|(?i:l['’]))?";
    // " of Canada", ", Jr., President of the United States"
    compile(&format!(
        r"^(?:,?\s*(?i:Jr\.?|Sr\.?))?\s*,?\s*(?:(?i:the\s+)?{title}\s+)?{of}{country}"
    ))
});

/// Verbs of meeting: the one who "met with" others is the host.
static MEETING_VERB: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(concat!(
        r"(?i)\b(?:met|meets|meet|is\s+meeting|hosted|hosts|will\s+host|",
        r"is\s+hosting|welcomed|welcomes|will\s+welcome|received|receives|",
        r"is\s+joining|joined|joins|will\s+join|spoke|speaks|held\s+talks|",
        r"se\s+reuni[óo]|se\s+re[úu]ne|recibi[óo]|recibe|dio\s+la\s+bienvenida|",
        r"a\s+rencontr[ée]|rencontre|a\s+re[çc]u|re[çc]oit|accueille|a\s+accueilli|",
        r"s['’]est\s+entretenu|s['’]entretient|empfing|empf[äa]ngt|ha\s+incontrato|incontra)\b",
    ))
});

/// True when the leader named at `start..end` of `block` is marked as
/// another country's leader.
fn is_qualified(block: &str, start: usize, end: usize) -> bool {
    QUALIFIED_BEFORE.is_match(tail(&block[..start], 120))
        || QUALIFIED_AFTER.is_match(head(&block[end..], 80))
}

/// Tokens whose period does not end a sentence.
#[rustfmt::skip]
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Jr", "Sr", "St", "Sen", "Gov", "Rep", "Hon", "No", "Nos",
];

/// True when a sentence ends at byte `i` of `text`: at `.`, `!` or `?`
/// before white space (but not after an initial or an abbreviation such as
/// "U.S.", "Joseph R.", "Mr."), or at a blank line.
fn sentence_ends_at(text: &str, i: usize) -> bool {
    let bytes = text.as_bytes();
    match bytes.get(i) {
        Some(b'\n') => bytes.get(i + 1) == Some(&b'\n'),
        Some(&b @ (b'.' | b'!' | b'?')) => {
            if !bytes.get(i + 1).is_none_or(|c| c.is_ascii_whitespace()) {
                return false;
            }
            let token = text[..i]
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or_default();
            b != b'.'
                || !(token.chars().count() <= 2
                    || token.contains('.')
                    || ABBREVIATIONS.contains(&token))
        }
        _ => false,
    }
}

/// Byte ranges of the sentences of a block.
fn sentences(block: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    // Only at these bytes may a sentence end.
    let ends = block
        .bytes()
        .enumerate()
        .filter(|(_, b)| matches!(b, b'.' | b'!' | b'?' | b'\n'));
    for (i, _) in ends {
        if sentence_ends_at(block, i) {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < block.len() {
        out.push((start, block.len()));
    }
    out
}

/// Most bytes a sentence is looked for on each side of what it holds.
const SENTENCE_REACH: usize = 1000;

/// The sentence of `text` around `start..end`: from the end of the one
/// before, to its own end, each looked for at most [`SENTENCE_REACH`]
/// bytes away (a longer sentence is cut there, so that asking for the
/// sentences of many places in a text without sentence ends is not
/// quadratic).
fn sentence_around(text: &str, start: usize, end: usize) -> &str {
    let mut low = start.saturating_sub(SENTENCE_REACH);
    while !text.is_char_boundary(low) {
        low += 1;
    }
    let mut high = end.saturating_add(SENTENCE_REACH).min(text.len());
    while !text.is_char_boundary(high) {
        high -= 1;
    }
    let from = (low..start)
        .rev()
        .find(|&i| sentence_ends_at(text, i))
        .map_or(low, |i| i + 1);
    let to = (end..high)
        .find(|&i| sentence_ends_at(text, i))
        .map_or(high, |i| i + 1);
    &text[from..to]
}

/// Byte offset of word `n` (from 0) of `text`, or its length.
fn word_offset(text: &str, n: usize) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            if words == n {
                return i;
            }
            words += 1;
            in_word = true;
        }
    }
    text.len()
}

/// Leaders who are the subject of a sentence: named, not as another
/// country's leader, before its meeting verb or in its first eight words.
/// Returns each country once, with whether it "met with" others.
fn sentence_subjects(block: &str, start: usize, end: usize) -> Vec<(&'static str, bool)> {
    let sentence = &block[start..end];
    let verb = MEETING_VERB.find(sentence).map(|m| m.start());
    let limit = verb.unwrap_or(sentence.len()).min(word_offset(sentence, 8));
    let mut subjects: Vec<(&'static str, bool)> = Vec::new();
    for (pattern, code) in LEADER_PATTERNS.named_in(sentence) {
        let named = pattern
            .find_iter(sentence)
            .any(|m| m.start() < limit && !is_qualified(block, start + m.start(), start + m.end()));
        if named && !subjects.iter().any(|(c, _)| c == code) {
            subjects.push((code, verb.is_some()));
        }
    }
    subjects
}

/// Scored evidence for the issuer.
#[derive(Debug, Default, Clone)]
struct Scores(Vec<(&'static str, u32)>);

impl Scores {
    fn add(&mut self, code: &'static str, points: u32) {
        match self.0.iter_mut().find(|(c, _)| *c == code) {
            Some((_, score)) => *score += points,
            None => self.0.push((code, points)),
        }
    }

    /// True when adding at most `more` points to any country (one listed
    /// or not) cannot change the winner: the best has enough points and
    /// leads every other by more than `more`.
    fn settled(&self, more: u32) -> bool {
        let (mut best, mut second) = (0, 0);
        for &(_, score) in &self.0 {
            if score > best {
                second = best;
                best = score;
            } else if score > second {
                second = score;
            }
        }
        best >= MIN_POINTS && best > second + more
    }

    /// The best-scored issuer, when it has enough evidence and no tie.
    fn winner(mut self) -> Option<&'static str> {
        self.0.sort_by_key(|&(_, score)| std::cmp::Reverse(score));
        let (code, best) = *self.0.first()?;
        let runner_up = self.0.get(1).map_or(0, |s| s.1);
        (best >= MIN_POINTS && best > runner_up).then_some(code)
    }
}

/// Points per kind of evidence, strongest first.
const URL_POINTS: u32 = 100;
const FIELD_POINTS: u32 = 80;
const SITE_POINTS: u32 = 60;
const HEADER_POINTS: u32 = 50;
/// The leader who "met with" others.
const MEETING_POINTS: u32 = 40;
/// The leader the title is about ("Statement by President Biden on …").
const TITLE_POINTS: u32 = 30;
/// A leader who is the subject of another sentence: a tie-breaker only.
const SUBJECT_POINTS: u32 = 10;
/// Sentences of the title and the opening whose subjects count.
const OPENING_SENTENCES: usize = 12;
/// Most points the subjects of the opening's sentences can give a country.
const MAX_TEXT_POINTS: u32 = 60;
/// Fewest points an issuer needs: one meeting subject, title subject or
/// header line; mentions alone are not enough.
const MIN_POINTS: u32 = 30;

fn infer_issuer(
    input: &MetaInput<'_>,
    title: Option<&str>,
    source_url: Option<&str>,
) -> Option<String> {
    let mut scores = Scores::default();
    if let Some(code) = source_url.and_then(issuer_from_url) {
        scores.add(code, URL_POINTS);
    }
    let declared = field(input.front_matter, &["issuer", "country", "government"]);
    if let Some(code) = declared.and_then(|v| country_code(v).or_else(|| self_name(v))) {
        scores.add(code, FIELD_POINTS);
    }
    let site = field(input.front_matter, &["publisher", "site", "site_name"])
        .into_iter()
        .chain(input.page.and_then(|p| p.site_name.as_deref()));
    for name in site {
        if let Some(code) = self_name(name).or_else(|| issuer_from_url(name)) {
            scores.add(code, SITE_POINTS);
        }
    }
    // Header lines naming a government, before the first paragraph.
    let mut header_codes = Vec::new();
    for line in lines(input.text)
        .take(6)
        .take_while(|l| !more_words_than(l, 25))
    {
        // A line without separators is its only segment: read once.
        let segments = line
            .contains(['|', '•'])
            .then(|| line.split(['|', '•']))
            .into_iter()
            .flatten();
        for segment in std::iter::once(line).chain(segments) {
            if let Some(code) = self_name(segment) {
                if !header_codes.contains(&code) {
                    header_codes.push(code);
                    scores.add(code, HEADER_POINTS);
                }
            }
        }
    }
    // The subjects of the title and of the opening's first sentences give
    // a country at most MAX_TEXT_POINTS: when the leader is ahead of every
    // other by more (a government's own address), they are not read.
    if scores.settled(MAX_TEXT_POINTS) {
        return scores.winner().map(str::to_string);
    }
    let mut text_points: Vec<(&'static str, u32)> = Vec::new();
    // The blocks that hold those sentences, each with its sentences.
    let mut opening_blocks: Vec<(String, Vec<(usize, usize)>)> = Vec::new();
    let mut n_sentences = 0;
    for block in title
        .map(collapse_whitespace)
        .into_iter()
        .chain(blocks(opening(input.text)))
    {
        if n_sentences >= OPENING_SENTENCES {
            break;
        }
        let block_sentences = sentences(&block);
        n_sentences += block_sentences.len();
        opening_blocks.push((block, block_sentences));
    }
    let first_sentences = opening_blocks
        .iter()
        .flat_map(|(block, block_sentences)| {
            block_sentences
                .iter()
                .map(move |&(start, end)| (block.as_str(), start, end))
        })
        .take(OPENING_SENTENCES);
    for (i, (block, start, end)) in first_sentences.enumerate() {
        let in_title = i == 0 && title.is_some();
        for (code, met) in sentence_subjects(block, start, end) {
            let points = match (met, in_title) {
                (true, _) => MEETING_POINTS,
                (false, true) => TITLE_POINTS,
                (false, false) => SUBJECT_POINTS,
            };
            match text_points.iter_mut().find(|(c, _)| *c == code) {
                Some((_, p)) => *p = (*p + points).min(MAX_TEXT_POINTS),
                None => text_points.push((code, points.min(MAX_TEXT_POINTS))),
            }
        }
    }
    for (code, points) in text_points {
        scores.add(code, points);
    }
    scores.winner().map(str::to_string)
}

// ---------------------------------------------------------------------------
// Summits

/// A summit series: its canonical name and when its editions were held.
/// The series are statics, so a `&Series` identifies one (`std::ptr::eq`).
#[derive(Debug)]
struct Series {
    name: &'static str,
    /// Year of edition 1, 2, 3, …
    editions: &'static [i32],
    /// After the listed editions, one a year up to this year (0: none).
    annual_until: i32,
    /// Years up to this one are known: a year without an edition is wrong.
    known_until: i32,
    /// Editions held on a single day, as ISO dates.
    single_days: &'static [&'static str],
    /// The name is a group's (G7, G20), so a mention may not be of a summit.
    is_group: bool,
}

static NALS: Series = Series {
    name: "NALS",
    editions: &[2005, 2006, 2007, 2008, 2009, 2012, 2014, 2016, 2021, 2023],
    annual_until: 0,
    known_until: 2025,
    single_days: &[
        "2005-03-23",
        "2012-04-02",
        "2014-02-19",
        "2016-06-29",
        "2021-11-18",
        "2023-01-10",
    ],
    is_group: false,
};
static G7: Series = Series {
    name: "G7",
    editions: &[1975],
    annual_until: 2025,
    known_until: 2025,
    single_days: &[],
    is_group: true,
};
static G20: Series = Series {
    name: "G20",
    editions: &[2008, 2009, 2009, 2010, 2010, 2011],
    annual_until: 2025,
    known_until: 2025,
    single_days: &[],
    is_group: true,
};
static SUMMIT_OF_THE_AMERICAS: Series = Series {
    name: "Summit of the Americas",
    editions: &[1994, 1998, 2001, 2005, 2009, 2012, 2015, 2018, 2022],
    annual_until: 0,
    known_until: 2025,
    single_days: &[],
    is_group: false,
};

impl Series {
    fn year_of_edition(&self, edition: u32) -> Option<i32> {
        let n = usize::try_from(edition).ok()?.checked_sub(1)?;
        if let Some(&year) = self.editions.get(n) {
            return Some(year);
        }
        let last = *self.editions.last()?;
        let year = last + i32::try_from(n + 1 - self.editions.len()).ok()?;
        (year <= self.annual_until).then_some(year)
    }

    fn held_in(&self, year: i32) -> bool {
        let last = self.editions.last().copied().unwrap_or(0);
        self.editions.contains(&year) || (year > last && year <= self.annual_until)
    }

    /// Whether a summit of this series may be dated `year`.
    fn possible_in(&self, year: i32) -> bool {
        year > self.known_until || self.held_in(year)
    }
}

/// Names of summits, with the series each stands for.
static SUMMIT_NAME: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?x)
        (?P<nals>
            (?i:north[\s-]+american?\s+leaders?(?:['’‘`´ʼ]s?|s['’‘`´ʼ])?\s*summit)
          | (?i:\bNALS\b) | \bCLAN\b | \bSLNA\b
          | (?i:cumbre\s+de\s+l[íi]deres\s+de\s+(?:am[ée]rica\s+del\s+norte|norteam[ée]rica))
          | (?i:sommet\s+des\s+(?:leaders|dirigeants)\s+
                (?:nord-am[ée]ricains|de\s+l['’]am[ée]rique\s+du\s+nord))
          | (?i:\bnorth\s+american\s+leaders\b) | (?i:\bleaders\s+of\s+north\s+america\b)
        )
        | (?P<g7> \b[Gg]-?7\b
            | (?i:group\s+of\s+seven|groupe\s+des\s+sept|grupo\s+de\s+los\s+siete) )
        | (?P<g20> \b[Gg]-?20\b
            | (?i:group\s+of\s+twenty|groupe\s+des\s+vingt|grupo\s+de\s+los\s+veinte) )
        | (?P<soa>
            (?i:summit\s+of\s+the\s+americas|cumbre\s+de\s+las\s+am[ée]ricas|sommet\s+des\s+am[ée]riques) )
        ",
    )
});

/// A year or an ordinal right before a summit's name: "the 2023 …", "10th
/// …", "the tenth …", "X Cumbre …", "49e sommet du …".
static BEFORE_SUMMIT: LazyLock<Pattern> = LazyLock::new(|| {
    let year = r"(?P<year>(?:19|20)\d\d)";
    let ordinal = r"(?P<ord>\d{1,2}(?i:st|nd|rd|th|ème|eme|er|re|e|ª|º|°|a|o)|[\p{L}-]+)";
    let filler = r"(?P<filler>(?i:summit|sommet|cumbre|gipfel|vertice)\s+(?i:of\s+the|of|du|de\s+la|del|des|de|della|dei)\s+)";
    Pattern::new(&format!(
        r"(?:^|[^\p{{L}}\p{{N}}])(?:{year}|{ordinal})\s+{filler}?$"
    ))
});
/// A year right after a summit's name: "NALS 2022", "G7 Summit 2023",
/// "Summit of the Americas in 2022".
static AFTER_SUMMIT: LazyLock<Pattern> = LazyLock::new(|| {
    let acronym = r"(?:\([^)]{1,12}\)\s*)?";
    let summit = r"(?:(?i:leaders['’]?\s+)?(?i:summit|sommet|cumbre)\s+)?";
    Pattern::new(&format!(
        r"^\s*{acronym}{summit}(?:(?i:in|of|de|en)\s+)?(?P<year>(?:19|20)\d\d)\b"
    ))
});
/// Words that make a mention of a group a mention of its leaders' summit.
static GROUP_MEETING: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(concat!(
        r"(?i)\b(?:summit|sommet|cumbre|gipfel|vertice|leaders|dirigeants|",
        r"l[íi]deres|chefs\s+d['’][ée]tat|communiqu[ée]|declaration|d[ée]claration|",
        r"declaraci[óo]n|statement)\b",
    ))
});
/// A word that says a name is a summit's ("G7 Summit", "NALS").
static SUMMIT_WORD: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i:\b(?:summit|sommet|cumbre|gipfel|vertice)\b)|\bNALS\b|\bCLAN\b|\bSLNA\b")
});
/// An ordinal that does not count editions: "the first NALS since 2016".
static NOT_EDITION_AFTER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"^\s*(?:\([^)]{1,12}\)\s*)?(?i:summit\s+)?(?i:since|ever|in\s+(?:over|more\s+than))\b",
    )
});
/// Words that make a mention another summit than the document's: "the last
/// NALS", "next year … NALS 2022", "we look forward to the … Summit".
static OTHER_SUMMIT_BEFORE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(concat!(
        r"(?i)\b(?:last|previous|prior|past|next|upcoming|future|coming|",
        r"since|recalling|recalled|recall|pr[óo]xim[ao]|anterior|[úu]ltim[ao]|",
        r"pasad[ao]|prochain|prochaine|pr[ée]c[ée]dent|dernier|derni[èe]re)\b(?:\s+\S+){0,2}\s*$",
    ))
});
static OTHER_SUMMIT_SENTENCE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(concat!(
        r"(?i)\bnext\s+year\b|\blast\s+year\b|\blook(?:s|ing)?\s+forward\b",
        r"|\bpr[óo]ximo\s+año\b|\baño\s+pr[óo]ximo\b|\baño\s+pasado\b",
        r"|\bl['’]an(?:née)?\s+prochaine?\b|\bl['’]an\s+dernier\b|\bl['’]année\s+derni[èe]re\b",
        r"|\bwill\s+(?:host|hold|chair|convene)\b|\bto\s+host\b",
        r"|\bG-?(?:7|20)\s+presidenc(?:y|ies)\b|\bpresidency\s+of\s+the\s+G-?(?:7|20)\b",
    ))
});
/// A near-term year the text looks ahead to: "in early 2023", "by the end
/// of 2025", "a finales de 2023", "d'ici fin 2023".
static LOOKING_AHEAD: LazyLock<Pattern> = LazyLock::new(|| {
    let part = r"(?:early|mid|middle|late|end|start|beginning|spring|summer|fall|autumn|winter|first\s+half|second\s+half|(?:first|second|third|fourth)\s+quarter)";
    let english = format!(
        r"\b(?:in|by|during|until|before|from|at)\s+(?:the\s+)?{part}(?:\s+of)?[\s-]+(?P<y1>(?:19|20)\d\d)\b"
    );
    let other = r"\b(?:a\s+(?:principios|inicios|mediados|finales|fines)\s+del?|d[ée]but|fin|mi-)\s*(?:de\s+)?(?P<y2>(?:19|20)\d\d)\b";
    Pattern::new(&format!("(?i){english}|{other}"))
});

/// One mention of a summit in a text.
#[derive(Debug)]
struct SummitMention {
    series: &'static Series,
    /// Byte range of the name in the text.
    start: usize,
    end: usize,
    /// The year the mention itself gives, by a year or an edition number.
    year: Option<i32>,
    /// The mention is of a past or future summit ("the last NALS").
    other: bool,
    /// A group named in passing ("Italy's role in the G7"), not its summit.
    in_passing: bool,
}

/// The value of an ordinal word or number in English, Spanish or French
/// ("tenth", "10th", "décima", "49e", "X").
fn ordinal_value(word: &str) -> Option<u32> {
    if !word.is_empty() && word.chars().all(|c| "IVXL".contains(c)) {
        return roman_value(word);
    }
    let lower = word.to_lowercase();
    let digits: String = lower.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        return digits.parse().ok().filter(|&n| n > 0);
    }
    #[rustfmt::skip]
    const UNITS: &[(&str, u32)] = &[
        ("first", 1), ("second", 2), ("third", 3), ("fourth", 4), ("fifth", 5), ("sixth", 6),
        ("seventh", 7), ("eighth", 8), ("ninth", 9),
    ];
    #[rustfmt::skip]
    const WORDS: &[(&str, u32)] = &[
        ("tenth", 10), ("eleventh", 11), ("twelfth", 12), ("thirteenth", 13), ("fourteenth", 14),
        ("fifteenth", 15), ("sixteenth", 16), ("seventeenth", 17), ("eighteenth", 18),
        ("nineteenth", 19), ("twentieth", 20), ("thirtieth", 30), ("fortieth", 40),
        ("fiftieth", 50), ("primera", 1), ("primer", 1), ("primero", 1), ("segunda", 2),
        ("segundo", 2), ("tercera", 3), ("tercer", 3), ("tercero", 3), ("cuarta", 4), ("cuarto", 4),
        ("quinta", 5), ("quinto", 5), ("sexta", 6), ("sexto", 6), ("séptima", 7), ("séptimo", 7),
        ("octava", 8), ("octavo", 8), ("novena", 9), ("noveno", 9), ("décima", 10), ("décimo", 10),
        ("premier", 1), ("première", 1), ("deuxième", 2), ("troisième", 3), ("quatrième", 4),
        ("cinquième", 5), ("sixième", 6), ("septième", 7), ("huitième", 8), ("neuvième", 9),
        ("dixième", 10), ("onzième", 11), ("douzième", 12),
    ];
    const TENS: &[(&str, u32)] = &[("twenty", 20), ("thirty", 30), ("forty", 40), ("fifty", 50)];
    if let Some(&(_, n)) = UNITS.iter().chain(WORDS).find(|(w, _)| *w == lower) {
        return Some(n);
    }
    let (tens, unit) = lower.split_once('-')?;
    let tens = TENS.iter().find(|(w, _)| *w == tens)?.1;
    let unit = UNITS.iter().find(|(w, _)| *w == unit)?.1;
    Some(tens + unit)
}

fn roman_value(word: &str) -> Option<u32> {
    let value = |c| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        _ => 0,
    };
    let digits: Vec<u32> = word.chars().map(value).collect();
    let total = digits.iter().enumerate().fold(0i64, |sum, (i, &d)| {
        if digits.get(i + 1).is_some_and(|&next| next > d) {
            sum - i64::from(d)
        } else {
            sum + i64::from(d)
        }
    });
    u32::try_from(total).ok().filter(|&n| (1..=60).contains(&n))
}

/// The matches of [`SUMMIT_NAME`] in `text`, with their groups: those of
/// the pattern as written.
///
/// In a text with letters that are not ASCII, the pattern as written (its
/// Unicode word boundaries) cannot run on the fast automaton, and the slow
/// engines scanned most of such texts. But its word boundaries are its only
/// part that depends on the characters beyond ASCII, and each stands at an
/// edge of its match, inside an ASCII letter or digit of the pattern:
/// unless the text has a letter that folds to an ASCII one (the long s, the
/// Kelvin sign), every match of the pattern as written is a match of the
/// narrowed pattern, and a match of the narrowed pattern is one of the
/// pattern as written unless a word character that is not ASCII touches
/// it. So the narrowed pattern finds the matches, and the pattern as
/// written is asked only where such a character touches one, from where
/// that match starts. At most `max` are found: the text is read no
/// further.
fn summit_names(text: &str, max: usize) -> Vec<regex::Captures<'_>> {
    let pattern = &*SUMMIT_NAME;
    if has_only_ascii_words(text) {
        return pattern.ascii.captures_iter(text).take(max).collect();
    }
    if text.contains(['\u{17F}', '\u{212A}']) {
        return pattern.unicode().captures_iter(text).take(max).collect();
    }
    let wide_word = |c: char| !c.is_ascii() && regex_syntax::is_word_character(c);
    let mut out = Vec::new();
    let mut at = 0;
    while out.len() < max {
        let Some(narrow) = pattern.ascii.captures_at(text, at) else {
            break;
        };
        let whole = narrow.get(0).expect("group 0");
        let touched = text[..whole.start()]
            .chars()
            .next_back()
            .is_some_and(wide_word)
            || text[whole.end()..].chars().next().is_some_and(wide_word);
        let found = if touched {
            match pattern.unicode().captures_at(text, whole.start()) {
                Some(found) => found,
                None => break,
            }
        } else {
            narrow
        };
        at = found.get(0).expect("group 0").end();
        out.push(found);
    }
    out
}

/// Most summit mentions read from one text: a title or an opening names
/// its summit in the first few.
const MAX_SUMMIT_MENTIONS: usize = 256;

/// Every summit mention in `text`, in order, up to
/// [`MAX_SUMMIT_MENTIONS`].
fn summit_mentions(text: &str) -> Vec<SummitMention> {
    let mut out = Vec::new();
    for c in summit_names(text, MAX_SUMMIT_MENTIONS) {
        let series: &'static Series = if c.name("nals").is_some() {
            &NALS
        } else if c.name("g7").is_some() {
            &G7
        } else if c.name("g20").is_some() {
            &G20
        } else {
            &SUMMIT_OF_THE_AMERICAS
        };
        let whole = c.get(0).expect("group 0");
        let before = tail(&text[..whole.start()], 48);
        let after = head(&text[whole.end()..], 48);
        let year_after = AFTER_SUMMIT
            .captures(after)
            .and_then(|a| a["year"].parse().ok());
        // An ordinal counts editions of a summit ("10th NALS", "49th G7
        // Summit"), not of anything else ("this first G7 Leaders' document").
        let names_a_summit = |filler: bool| {
            filler || SUMMIT_WORD.is_match(whole.as_str()) || SUMMIT_WORD.is_match(head(after, 24))
        };
        let (year_before, edition) = match BEFORE_SUMMIT.captures(before) {
            Some(b) => (
                b.name("year").and_then(|y| y.as_str().parse().ok()),
                b.name("ord")
                    .and_then(|o| ordinal_value(o.as_str()))
                    .filter(|_| names_a_summit(b.name("filler").is_some()))
                    .filter(|_| !NOT_EDITION_AFTER.is_match(after)),
            ),
            None => (None, None),
        };
        let year = year_before
            .or(year_after)
            .or_else(|| edition.and_then(|e| series.year_of_edition(e)));
        let sentence = sentence_around(text, whole.start(), whole.end());
        let other = OTHER_SUMMIT_BEFORE.is_match(tail(before, 30))
            || OTHER_SUMMIT_SENTENCE.is_match(sentence);
        let in_passing = series.is_group && !GROUP_MEETING.is_match(sentence);
        out.push(SummitMention {
            series,
            start: whole.start(),
            end: whole.end(),
            year,
            other,
            in_passing,
        });
    }
    out
}

/// The canonical name of a summit mention, e.g. "10th North American
/// Leaders' Summit" -> `NALS 2023`, "NALS 2022" -> `NALS 2022`, "Ninth
/// Summit of the Americas" -> `Summit of the Americas 2022`. The year comes
/// from the mention (a year next to the name, or an edition number); without
/// one the result is `None`.
pub fn canonical_summit(text: &str) -> Option<String> {
    let mentions = summit_mentions(text);
    let first = mentions.first()?;
    let year = mentions
        .iter()
        .filter(|m| std::ptr::eq(m.series, first.series))
        .find_map(|m| m.year)?;
    Some(
        Summit {
            series: first.series,
            year,
        }
        .to_string(),
    )
}

/// A summit of a series in a year.
#[derive(Debug, Clone, Copy)]
struct Summit {
    series: &'static Series,
    year: i32,
}

impl std::fmt::Display for Summit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.series.name, self.year)
    }
}

/// "Today" in the sentence that names the summit: "Today, President Biden
/// met with … for the North American Leaders' Summit."
static TODAY: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)\btoday\b|\bhoy\b|\baujourd['’]hui\b|\bheute\b|\boggi\b"));

/// The day of a summit held on one known day, when the opening says the
/// leaders meet for it "today".
fn summit_day_today(summit: &Summit, opening: &str) -> Option<String> {
    let day = summit
        .series
        .single_days
        .iter()
        .find(|d| d.starts_with(&summit.year.to_string()))?;
    let today = summit_mentions(opening)
        .iter()
        .filter(|m| std::ptr::eq(m.series, summit.series) && !m.other)
        .any(|m| TODAY.is_match(sentence_around(opening, m.start, m.end)));
    today.then(|| day.to_string())
}

/// The opening up to the end of its second paragraph (a block of more than
/// twelve words), with the short header blocks before it: where a document
/// names its own summit.
fn first_paragraphs(opening: &str) -> &str {
    let mut n_paragraphs = 0;
    let mut offset = 0;
    for block in opening.split_inclusive("\n\n") {
        offset += block.len();
        if more_words_than(block, 12) {
            n_paragraphs += 1;
            if n_paragraphs == 2 {
                break;
            }
        }
    }
    &opening[..offset]
}

/// The document's summit: the first mention in the title, else the first
/// in the opening that is not of another summit; its year from a mention of
/// the same series there, else the document's date, else the one edition
/// held in or just before the first near-term year the text looks ahead to.
fn infer_summit(
    title: Option<&str>,
    opening: &str,
    text: &str,
    date_year: Option<i32>,
) -> Option<Summit> {
    let mentions: Vec<SummitMention> = title
        .map(summit_mentions)
        .unwrap_or_default()
        .into_iter()
        .chain(
            summit_mentions(first_paragraphs(opening))
                .into_iter()
                .filter(|m| !m.other && !m.in_passing),
        )
        .collect();
    let series = mentions.first()?.series;
    let same = || mentions.iter().filter(|m| std::ptr::eq(m.series, series));
    let year = same()
        .find_map(|m| m.year)
        .or_else(|| date_year.filter(|&y| series.possible_in(y)))
        .or_else(|| {
            let ahead = LOOKING_AHEAD
                .captures_iter(text)
                .filter_map(|c| c.name("y1").or(c.name("y2"))?.as_str().parse::<i32>().ok())
                .min()?;
            let held: Vec<i32> = [ahead - 1, ahead]
                .into_iter()
                .filter(|&y| series.held_in(y))
                .collect();
            match held.as_slice() {
                [year] => Some(*year),
                _ => None,
            }
        })?;
    Some(Summit { series, year })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`n_words`] a character at a time.
    fn n_words_by_characters(text: &str) -> usize {
        text.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count()
    }

    /// [`collapse_whitespace`] a character at a time.
    fn collapse_whitespace_by_characters(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut space = false;
        for c in text.chars() {
            if c.is_whitespace() {
                space = true;
            } else if !matches!(c, '\u{200b}' | '\u{2060}' | '\u{feff}' | '\u{ad}') {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
        out
    }
    use std::path::{Path, PathBuf};

    /// The opening is the first 40 lines, cut at 4,000 bytes (at a
    /// character boundary): texts of short and long lines, of few and many,
    /// with a character of two or three bytes across the cut.
    #[test]
    fn the_opening_is_the_first_lines_at_most_so_many_bytes() {
        let by_lines = |text: &str| {
            let end = text
                .match_indices('\n')
                .nth(OPENING_LINES - 1)
                .map_or(text.len(), |(i, _)| i);
            text[..text.floor_char_boundary(end.min(OPENING_BYTES))].to_string()
        };
        for line_len in [0, 1, 60, 99, 100, 101, 150, 5000] {
            for lines in [1, 39, 40, 41, 200] {
                for filler in ["x", "é", "€"] {
                    let line = filler.repeat(line_len / filler.len());
                    let text = vec![line.as_str(); lines].join("\n");
                    assert_eq!(
                        opening(&text),
                        by_lines(&text),
                        "{line_len} x {lines} {filler}"
                    );
                    let ended = format!("{text}\n");
                    assert_eq!(
                        opening(&ended),
                        by_lines(&ended),
                        "{line_len} x {lines} {filler}"
                    );
                }
            }
        }
    }

    fn summit_name(summit: Option<Summit>) -> Option<String> {
        summit.map(|s| s.to_string())
    }

    fn fixtures_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/meta")
    }

    /// Infers metadata the way `prepare` does for text and Markdown.
    fn infer_file(path: &Path) -> Metadata {
        let original = std::fs::read_to_string(path).expect("fixture is UTF-8 text");
        let (front_matter, body_start) = crate::frontmatter::split(&original);
        let cleaned = crate::clean::clean_text(&original, body_start);
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        infer(&MetaInput {
            file_name,
            front_matter: &front_matter,
            text: &cleaned.text,
            page: None,
        })
    }

    /// Every `NAME.txt` / `NAME.md` under `test_data/meta` against the
    /// `NAME.expected` beside it (refresh with `UPDATE_EXPECT=1`).
    #[test]
    fn fixtures() {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
            .expect("fixtures folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "md")))
            .filter(|p| {
                !p.file_stem()
                    .is_some_and(|s| s.eq_ignore_ascii_case("readme"))
            })
            .collect();
        paths.sort();
        assert!(paths.len() >= 10, "fixtures are missing");
        for path in paths {
            let meta = infer_file(&path);
            expect_test::expect_file![path.with_extension("expected")].assert_debug_eq(&meta);
        }
    }

    /// The five NALS documents of the shared corpus, copied as fixtures.
    #[test]
    fn nals_corpus_documents() {
        let cases = [
            ("nals_000.txt", "US", "NALS 2021", Some("2021-11-18")),
            ("nals_001.txt", "MX", "NALS 2023", Some("2023-01-10")),
            ("nals_002.md", "US", "NALS 2021", Some("2021-11-18")),
            ("nals_003.txt", "CA", "NALS 2023", Some("2023-01-10")),
            ("nals_004.txt", "US", "NALS 2023", None),
        ];
        for (name, issuer, summit, date) in cases {
            let meta = infer_file(&fixtures_dir().join(name));
            assert_eq!(meta.issuer.as_deref(), Some(issuer), "{name}");
            assert_eq!(meta.summit.as_deref(), Some(summit), "{name}");
            assert_eq!(meta.date.as_deref(), date, "{name}");
            assert_eq!(meta.language.as_deref(), Some("en"), "{name}");
        }
    }

    #[test]
    fn parse_date_reads_common_formats() {
        let cases = [
            ("2023-01-10", "2023-01-10"),
            ("2021-11-18 20:55:21-05:00", "2021-11-18"),
            ("2021-11-18T20:55:21Z", "2021-11-18"),
            ("January 10, 2023", "2023-01-10"),
            ("10 January 2023", "2023-01-10"),
            ("Jan. 10, 2023", "2023-01-10"),
            ("Sept. 9, 2023", "2023-09-09"),
            ("01/11/2023", "2023-01-11"),
            ("25/12/2023", "2023-12-25"),
            ("11 de enero de 2023", "2023-01-11"),
            ("Ciudad de México, 1º de diciembre de 2024", "2024-12-01"),
            ("le 10 janvier 2023", "2023-01-10"),
            ("10 janvier 2023", "2023-01-10"),
            ("le 1er août 2023", "2023-08-01"),
            ("10. Januar 2023", "2023-01-10"),
            ("México City, January 10, 2023.", "2023-01-10"),
            (
                "Presidencia de la República | 11 de enero de 2023 | Comunicado",
                "2023-01-11",
            ),
        ];
        for (text, iso) in cases {
            assert_eq!(parse_date(text).as_deref(), Some(iso), "{text}");
        }
        for text in [
            "",
            "2023",
            "13/13/2023",
            "February 30, 2023",
            "January 2023",
            "99 de enero de 2023",
            "10 mayo",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    proptest::proptest! {
        /// A text that is only an ISO date is read as the patterns read it
        /// (dates and not dates: years out of range, months and days too
        /// large, 29 February of other years).
        #[test]
        fn iso_dates_alone_are_read_as_the_patterns_read_them(
            before in r"[ \t\n\u{a0}]{0,2}",
            (year, month, day) in (1890u32..2110, 0u32..14, 0u32..33),
            after in r"[ \t\n\u{2003}]{0,2}",
        ) {
            let text = format!("{before}{year:04}-{month:02}-{day:02}{after}");
            let by_patterns = dates_in(&text, false).into_iter().next().map(|d| d.iso);
            proptest::prop_assert_eq!(iso_date_alone(&text), Some(by_patterns));
        }

        /// Scores settled for so many more points keep their winner
        /// whatever points the text then gives, each country at most so
        /// many (as the subjects of the opening's sentences give them).
        #[test]
        fn settled_scores_keep_their_winner(
            before in proptest::collection::vec((0usize..5, 0u32..200), 0..6),
            text in proptest::collection::vec((0usize..7, 1u32..=MAX_TEXT_POINTS), 0..8),
        ) {
            const CODES: [&str; 7] = ["US", "CA", "MX", "GB", "FR", "DE", "JP"];
            let mut scores = Scores::default();
            for &(code, points) in &before {
                scores.add(CODES[code], points);
            }
            if scores.settled(MAX_TEXT_POINTS) {
                let winner = scores.clone().winner();
                proptest::prop_assert!(winner.is_some());
                let mut text_points: Vec<(&'static str, u32)> = Vec::new();
                for &(code, points) in &text {
                    match text_points.iter_mut().find(|(c, _)| *c == CODES[code]) {
                        Some((_, p)) => *p = (*p + points).min(MAX_TEXT_POINTS),
                        None => text_points.push((CODES[code], points)),
                    }
                }
                for (code, points) in text_points {
                    scores.add(code, points);
                }
                proptest::prop_assert_eq!(scores.winner(), winner);
            }
        }

        /// Summit names are found, with their groups, where the pattern as
        /// written finds them, in texts of names touched by letters that
        /// are not ASCII, and with the letters that fold to ASCII ones.
        #[test]
        fn summit_names_are_the_matches_of_the_pattern_as_written(
            text in "((NALS|nals|G7|G-7|g20|G20|CLAN|SLNA|north american leaders|\
                North American Leaders’ Summit|leaders of North America|Group of Seven|\
                Cumbre de Líderes de América del Norte|Summit of the Americas|México|é|ü|\
                Ⅻ|²|’|“|—|\u{17F}|\u{212A}|NAL\u{17F}|north american leader\u{17F}|the|and|7|20)[ ,.;é’-]{0,2}){0,16}"
        ) {
            let groups = |c: &regex::Captures<'_>| -> Vec<Option<(usize, usize)>> {
                c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect()
            };
            let found: Vec<_> = summit_names(&text, usize::MAX).iter().map(groups).collect();
            let expected: Vec<_> = SUMMIT_NAME
                .unicode()
                .captures_iter(&text)
                .map(|c| groups(&c))
                .collect();
            proptest::prop_assert_eq!(found, expected);
        }

        /// A text's first block is blank when collapsed exactly when
        /// collapsing leaves nothing, and has as many words with a letter
        /// as when collapsed.
        #[test]
        fn blocks_are_blank_and_counted_as_when_collapsed(
            text in "[a-zA-Z .,\t\n\x0B\u{85}\u{a0}\u{2003}\u{200b}\u{2060}\u{feff}\u{ad}’éß-]{0,80}"
        ) {
            let collapsed = collapse_whitespace(&text);
            proptest::prop_assert_eq!(is_blank_when_collapsed(&text), collapsed.is_empty());
            proptest::prop_assert_eq!(n_words(&text), n_words(&collapsed));
        }

        /// White space is collapsed, and words with a letter counted, as a
        /// character at a time in texts beyond ASCII: white space,
        /// invisible joiners, quotes, letters.
        #[test]
        fn texts_collapse_as_by_characters(
            text in "[a-zA-Z .,\t\n\x0B\u{85}\u{a0}\u{2003}\u{3000}\u{200b}\u{2060}\u{feff}\u{ad}’“”éß\u{1F600}-]{0,80}"
        ) {
            proptest::prop_assert_eq!(
                collapse_whitespace(&text),
                collapse_whitespace_by_characters(&text)
            );
            proptest::prop_assert_eq!(n_words(&text), n_words_by_characters(&text));
            for (n, piece) in [(0, 1), (1, 2), (2, 3), (3, 7), (5, 1), (12, 4), (12, 256)] {
                proptest::prop_assert_eq!(
                    more_words_than_by(&text, n, piece),
                    n_words(&text) > n,
                    "{} words in pieces of {}", n, piece
                );
            }
            for n in 0..14 {
                proptest::prop_assert_eq!(more_words_than(&text, n), n_words(&text) > n);
            }
        }

        /// White space is collapsed, and words with a letter counted, in
        /// ASCII texts as a character at a time.
        #[test]
        fn ascii_texts_collapse_and_count_as_by_characters(
            text in "[a-zA-Z0-9 .,'#*_|\t\n\r\x0B\x0C\x1C\x1F-]{0,80}"
        ) {
            proptest::prop_assert_eq!(
                collapse_whitespace(&text),
                collapse_whitespace_by_characters(&text)
            );
            proptest::prop_assert_eq!(n_words(&text), n_words_by_characters(&text));
        }
    }

    #[test]
    fn narrowed_patterns_find_what_the_patterns_find() {
        let texts = [
            "Today, President Biden met with Prime Minister Trudeau of Canada — the 10th North American Leaders’ Summit (NALS 2023) — in Mexico City on January 10, 2023.",
            "We’ll host the G7 Summit in 2024; the last G-20 “leaders” meeting was held 15-16 November 2022 at 2023/01/10.",
            "FACT SHEET: the Roadmap for 2030 and the Joint Statement of U.S. President Joseph R. Biden, Jr.",
        ];
        let patterns: [&Pattern; 8] = [
            &SUMMIT_NAME,
            &BEFORE_SUMMIT,
            &AFTER_SUMMIT,
            &QUALIFIED_BEFORE,
            &MONTH_FIRST_DATE,
            &DAY_FIRST_DATE,
            &LOOKING_AHEAD,
            &MEETING_VERB,
        ];
        for text in texts {
            assert!(has_only_ascii_words(text), "{text}");
            for pattern in patterns {
                for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                    let haystack = &text[..end];
                    let found = |regex: &Regex| -> Vec<_> {
                        regex.find_iter(haystack).map(|m| m.range()).collect()
                    };
                    assert_eq!(
                        found(pattern.unicode()),
                        found(&pattern.ascii),
                        "{haystack}"
                    );
                }
            }
        }
        assert!(!has_only_ascii_words("México"));
        assert!(!has_only_ascii_words("the ½ mark"));
    }

    #[test]
    fn typographic_marks_are_neither_words_nor_numbers() {
        for mark in TYPOGRAPHIC_MARKS {
            assert!(!mark.is_ascii(), "{mark:?}");
            assert!(!NON_ASCII_WORD.is_match(&mark.to_string()), "{mark:?}");
        }
        assert!(has_only_ascii_words("The U.S.–Mexico “Clean Energy” Plan…"));
        assert!(has_only_ascii_words("a\u{a0}Plan ’"));
        assert!(!has_only_ascii_words("“México” Plan"));
        assert!(!has_only_ascii_words("’ ½"));
        // A mark beyond the list goes to the pattern, which knows it.
        assert!(has_only_ascii_words("a ‹Plan› ’"));
        assert!(!has_only_ascii_words("’ ‹Plan› é"));
    }

    #[test]
    fn numeric_dates_follow_the_language() {
        assert_eq!(dates_in("01/11/2023", true)[0].iso, "2023-11-01");
        assert_eq!(dates_in("01/11/2023", false)[0].iso, "2023-01-11");
    }

    #[test]
    fn summits_no_table_knows_come_from_the_title() {
        let cases = [
            (
                "Fact Sheet: Quad Leaders’ Summit",
                Some("Quad Leaders' Summit 2021"),
            ),
            ("U.S.-EU Summit Statement", Some("U.S.-EU Summit 2021")),
            (
                "FACT SHEET: President Biden’s Leaders Summit on Climate",
                Some("Leaders Summit on Climate 2021"),
            ),
            (
                "Readout of President Biden’s Participation in the U.S.-ASEAN Summit",
                Some("U.S.-ASEAN Summit 2021"),
            ),
            (
                "ASEAN-U.S. Special Summit 2022, Joint Vision Statement",
                Some("ASEAN-U.S. Special Summit 2022"),
            ),
            ("Remarks at the summit", None),
            ("Statement on climate", None),
        ];
        for (title, expected) in cases {
            assert_eq!(
                summit_named_in_title(title, Some(2021)).as_deref(),
                expected,
                "{title}"
            );
        }
        assert_eq!(
            summit_named_in_title("Quad Summit", None),
            None,
            "no year, no summit"
        );
    }

    #[test]
    fn canonical_summit_names_and_years() {
        let cases = [
            ("10th North American Leaders' Summit", Some("NALS 2023")),
            (
                "the tenth North American Leaders’ Summit (NALS)",
                Some("NALS 2023"),
            ),
            ("9th North American Leaders Summit", Some("NALS 2021")),
            ("eighth North American Leaders’ Summit", Some("NALS 2016")),
            ("2023 North American Leaders' Summit", Some("NALS 2023")),
            ("NALS 2022", Some("NALS 2022")),
            ("nals 2023", Some("NALS 2023")),
            (
                "X Cumbre de Líderes de América del Norte",
                Some("NALS 2023"),
            ),
            (
                "dixième Sommet des leaders nord-américains",
                Some("NALS 2023"),
            ),
            ("49th G7 Summit", Some("G7 2023")),
            ("le 49e sommet du G7", Some("G7 2023")),
            ("G-7 Summit 2023", Some("G7 2023")),
            ("this first G7 Leaders' document", None),
            ("Italy's G7 Presidency in 2024", None),
            ("Group of Seven 2024", Some("G7 2024")),
            ("18th G20 Summit", Some("G20 2023")),
            ("G20 2022", Some("G20 2022")),
            (
                "Ninth Summit of the Americas",
                Some("Summit of the Americas 2022"),
            ),
            (
                "Summit of the Americas 2018",
                Some("Summit of the Americas 2018"),
            ),
            (
                "the first North American Leaders’ Summit (NALS) since 2016",
                None,
            ),
            ("North American Leaders' Summit", None),
            ("11th North American Leaders' Summit", None),
            ("the Summit for Democracy", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(canonical_summit(text).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn summit_year_comes_from_the_date_or_what_the_text_looks_ahead_to() {
        let opening = "The North American Leaders' Summit strengthens our partnership.";
        assert_eq!(
            summit_name(infer_summit(None, opening, opening, Some(2021))).as_deref(),
            Some("NALS 2021")
        );
        // No NALS was held in 2022: the date does not make one up.
        assert_eq!(
            summit_name(infer_summit(None, opening, opening, Some(2022))),
            None
        );
        let text = format!("{opening} A forum will meet in early 2023.");
        assert_eq!(
            summit_name(infer_summit(None, opening, &text, None)).as_deref(),
            Some("NALS 2023")
        );
        // G7 summits are yearly: "early 2024" could be written in 2023 or 2024.
        let g7 = "G7 leaders met today. Talks resume in early 2024.";
        assert_eq!(summit_name(infer_summit(None, g7, g7, None)), None);
    }

    #[test]
    fn future_and_past_summits_are_not_the_documents() {
        let text =
            "We will meet again next year in Mexico for NALS 2022.\n\nWe built on the last NALS.";
        assert_eq!(
            summit_name(infer_summit(None, text, text, Some(2021))),
            None
        );
        let text =
            "Joint Statement by North American Leaders\n\nWe will meet next year for NALS 2022.";
        assert_eq!(
            summit_name(infer_summit(None, text, text, Some(2021))).as_deref(),
            Some("NALS 2021")
        );
    }

    #[test]
    fn issuer_from_hosts() {
        let cases = [
            ("https://www.whitehouse.gov/briefing-room/x/", Some("US")),
            ("https://www.state.gov/x", Some("US")),
            ("https://pm.gc.ca/en/news", Some("CA")),
            ("https://www.canada.ca/en.html", Some("CA")),
            ("https://www.gob.mx/presidencia/prensa/x", Some("MX")),
            ("https://www.gov.uk/government/news/x", Some("GB")),
            ("https://www.elysee.fr/emmanuel-macron/x", Some("FR")),
            ("https://www.diplomatie.gouv.fr/fr/", Some("FR")),
            ("https://www.bundesregierung.de/breg-de", Some("DE")),
            ("https://www.governo.it/it/articolo/x", Some("IT")),
            ("https://www.mofa.go.jp/x", Some("JP")),
            ("https://www.kantei.go.jp:443/jp/", Some("JP")),
            ("https://ec.europa.eu/commission/presscorner", Some("EU")),
            ("whitehouse.gov", Some("US")),
            ("https://www.g7italy.it/en/", None),
            ("https://gov.example.com/", None),
            ("not a url", None),
        ];
        for (url, code) in cases {
            assert_eq!(issuer_from_url(url), code, "{url}");
        }
    }

    #[test]
    fn government_self_names() {
        let cases = [
            (
                "Presidency of the Republic of the United Mexican States",
                Some("MX"),
            ),
            ("Gobierno de México", Some("MX")),
            ("Government of Canada", Some("CA")),
            ("Prime Minister of Canada", Some("CA")),
            ("Gouvernement du Canada", Some("CA")),
            ("The White House", Some("US")),
            ("Présidence de la République française", Some("FR")),
            // The longest names, the second with a curly apostrophe.
            ("Foreign, Commonwealth & Development Office", Some("GB")),
            ("PRIME MINISTER’S OFFICE, 10 DOWNING STREET", Some("GB")),
            ("Prime Minister Trudeau visits the White House", None),
            (
                "Roadmap: Key deliverables of the 10th North American Leaders' Summit",
                None,
            ),
        ];
        for (line, code) in cases {
            assert_eq!(self_name(line), code, "{line}");
        }
    }

    #[test]
    fn the_host_is_the_one_who_met_with_the_others() {
        let issuer = |text: &str| {
            let front_matter = BTreeMap::new();
            let input = MetaInput {
                file_name: "x.txt",
                front_matter: &front_matter,
                text,
                page: None,
            };
            infer_issuer(&input, None, None)
        };
        let us = "Today, President Biden met with Prime Minister Justin Trudeau of Canada and President Andrés Manuel López Obrador of Mexico.";
        assert_eq!(issuer(us).as_deref(), Some("US"));
        let mx = "President Andrés Manuel López Obrador met with U.S. President Joseph R. Biden and Prime Minister Justin Trudeau of Canada.";
        assert_eq!(issuer(mx).as_deref(), Some("MX"));
        let ca = "Today the Prime Minister, Justin Trudeau, met with President Joseph R. Biden of the United States of America.";
        assert_eq!(issuer(ca).as_deref(), Some("CA"));
        let es = "El presidente Andrés Manuel López Obrador se reunió con el presidente de los Estados Unidos, Joseph R. Biden.";
        assert_eq!(issuer(es).as_deref(), Some("MX"));
        let joint = "Joint Statement by President Biden, Prime Minister Trudeau and President López Obrador\n\nWe, the leaders of North America, met today.";
        assert_eq!(issuer(joint), None);
        assert_eq!(
            issuer("Prime Minister Trudeau met with President Biden."),
            Some("CA".to_string())
        );
    }

    #[test]
    fn kinds() {
        let cases = [
            (
                "FACT SHEET: Key deliverables of the 2021 NALS",
                DocKind::FactSheet,
            ),
            (
                "Roadmap: Key deliverables of the 10th NALS",
                DocKind::Roadmap,
            ),
            ("Hoja de ruta: entregables clave", DocKind::Roadmap),
            ("G7 Clean Energy Economy Action Plan", DocKind::Roadmap),
            (
                "Joint Statement by President Biden and President Macron",
                DocKind::JointStatement,
            ),
            (
                "Declaración de Los Ángeles sobre Migración y Protección",
                DocKind::JointStatement,
            ),
            (
                "Déclaration des chefs d'État et de gouvernement du G7",
                DocKind::JointStatement,
            ),
            ("Carbis Bay G7 Summit Communiqué", DocKind::JointStatement),
            ("G7 Leaders’ statement on Syria", DocKind::JointStatement),
            (
                "Comunicado conjunto de México y Canadá",
                DocKind::JointStatement,
            ),
            (
                "President Joseph R. Biden, Jr. Approves Alaska Disaster Declaration",
                DocKind::Other,
            ),
            (
                "Readout of President Biden's Meeting with G7 Leaders",
                DocKind::Other,
            ),
            (
                "Readout of the Roundtable on the Trucking Action Plan",
                DocKind::Other,
            ),
            (
                "Statement by President Biden on the Joint Declaration",
                DocKind::Other,
            ),
            ("Communiqué de presse", DocKind::Other),
        ];
        for (title, expected) in cases {
            assert_eq!(detect_kind(Some(title), ""), expected, "{title}");
        }
        let we = "We, the Leaders of the Group of Seven, met today.";
        assert_eq!(detect_kind(None, we), DocKind::JointStatement);
        let header =
            "The following is the text of a Joint Statement by North American\nLeaders:\n\nWe met.";
        assert_eq!(detect_kind(None, header), DocKind::JointStatement);
    }

    #[test]
    fn languages() {
        let en = "The leaders of the three countries met today and agreed to work together on the climate and the economy.";
        let es = "Los líderes de los tres países se reunieron hoy y acordaron trabajar juntos por el clima y la economía de la región.";
        let fr = "Les dirigeants des trois pays se sont réunis aujourd'hui et ont convenu de travailler ensemble pour le climat et l'économie.";
        let de = "Die Staats- und Regierungschefs der drei Länder haben sich heute getroffen und wollen auch für das Klima und die Wirtschaft zusammenarbeiten.";
        assert_eq!(detect_language(en), Some("en"));
        assert_eq!(detect_language(es), Some("es"));
        assert_eq!(detect_language(fr), Some("fr"));
        assert_eq!(detect_language(de), Some("de"));
        assert_eq!(detect_language("Thank you."), None);
    }

    /// [`detect_language`] as its documentation states it: the whole head
    /// lowercased, split at every character that is not alphabetic, each
    /// word counted for every list that holds it.
    fn detect_language_plainly(text: &str) -> Option<&'static str> {
        let lower = head(text, 20_000).to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .collect();
        if words.len() < 12 {
            return None;
        }
        let mut counts: Vec<(usize, &'static str)> = STOP_WORDS
            .iter()
            .map(|(lang, list)| (words.iter().filter(|w| list.contains(w)).count(), *lang))
            .collect();
        counts.sort_by_key(|&(count, _)| std::cmp::Reverse(count));
        (counts[0].0 >= 3 && counts[0].0 > counts[1].0).then_some(counts[0].1)
    }

    proptest::proptest! {
        /// Reading a byte at a time gives what the plain reading gives, on
        /// texts of stop words of every list, longer words, letters beyond
        /// ASCII (capitals among them, the final sigma, 'İ' that lowercases
        /// to two characters), digits and marks.
        #[test]
        fn languages_are_detected_as_plainly_stated(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Strategy::prop_map(
                        proptest::sample::select(
                            STOP_WORDS.iter().flat_map(|(_, words)| words.iter().copied()).collect::<Vec<_>>(),
                        ),
                        |word: &str| word.to_string(),
                    ),
                    r"[A-Za-z]{1,10}",
                    r"[a-zA-Z]{0,3}[éÉàÀüÜßçÇñÑİΣσςΆ][a-zA-Z]{0,6}",
                    r"THE|Der|LOS|Été|ÉTÉ|MÁS|más|Também|nuestros|WHICH",
                ],
                0..40,
            ),
            separators in proptest::collection::vec(r"[ ,.\n0-9'’\-\u{a0}]{1,2}", 40),
        ) {
            let mut text = String::new();
            for (piece, separator) in pieces.iter().zip(&separators) {
                text.push_str(piece);
                text.push_str(separator);
            }
            proptest::prop_assert_eq!(detect_language(&text), detect_language_plainly(&text));
        }
    }

    #[test]
    fn titles() {
        assert_eq!(
            title_from_text("# FACT SHEET: A  title\u{a0}here\n\nBody text.\n").as_deref(),
            Some("FACT SHEET: A title here")
        );
        let text = "Presidency of the Republic of the United Mexican States\n\nRoadmap: Key deliverables\n\nThe leaders met.\n";
        assert_eq!(
            title_from_text(text).as_deref(),
            Some("Roadmap: Key deliverables")
        );
        // A hard-wrapped paragraph has no title.
        assert_eq!(
            title_from_text(
                "The following is the text of a Joint Statement by\nNorth American Leaders:\n"
            ),
            None
        );
        let front_matter = BTreeMap::new();
        let page = PageInfo {
            title: Some("FACT SHEET: Deliverables | The White House".into()),
            ..PageInfo::default()
        };
        let input = MetaInput {
            file_name: "x.html",
            front_matter: &front_matter,
            text: "Body.",
            page: Some(&page),
        };
        assert_eq!(
            infer_title(&input).as_deref(),
            Some("FACT SHEET: Deliverables")
        );
    }

    #[test]
    fn page_metadata_is_used() {
        let front_matter = BTreeMap::new();
        let page = PageInfo {
            title: Some("Déclaration conjointe".into()),
            language: Some("fr-CA".into()),
            url: Some("https://pm.gc.ca/fr/nouvelles/declarations/2023/01/10/x".into()),
            date: Some("2023-01-10T18:00:00-05:00".into()),
            site_name: Some("Premier ministre du Canada".into()),
        };
        let input = MetaInput {
            file_name: "x.html",
            front_matter: &front_matter,
            text: "Texte.",
            page: Some(&page),
        };
        let meta = infer(&input);
        assert_eq!(meta.issuer.as_deref(), Some("CA"));
        assert_eq!(meta.date.as_deref(), Some("2023-01-10"));
        assert_eq!(meta.language.as_deref(), Some("fr"));
        assert_eq!(meta.kind, Some(DocKind::JointStatement));
        assert_eq!(meta.source_url.as_deref(), page.url.as_deref());
    }

    /// Hostile text: every prefix, cut at each character boundary, must not
    /// panic.
    #[test]
    fn never_panics_on_hostile_text() {
        let hostile = "# Ｆ\u{a0}ACT\u{200b} SHEET\n\n\u{feff}— 10th NALS 2023 le 1er août 20\u{301}23 | 99/99/9999 | 31/02/2023 \
                       Presidency of the Republic of the 😀 United Mexican States.\n\nPresident Biden. U.S. President \
                       Joseph R. Biden of\nX Cumbre de Líderes de América del Norte — in early 2023 — ç'est la G-7\u{0}\r\n\n\n";
        let front_matter = BTreeMap::new();
        for (i, _) in hostile.char_indices().chain([(hostile.len(), ' ')]) {
            let text = &hostile[..i];
            let _ = parse_date(text);
            let _ = canonical_summit(text);
            let _ = infer(&MetaInput {
                file_name: text,
                front_matter: &front_matter,
                text,
                page: None,
            });
        }
    }
}
