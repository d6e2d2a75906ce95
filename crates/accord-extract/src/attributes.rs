//! What a commitment carries besides its text: actors, quantified targets,
//! deadline, named initiatives and theme.

use crate::lexicon::MEMBER_NAMES;
use accord_model::{Target, Theme};
use chrono::Datelike;
use regex::Regex;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use crate::lexicon::{re, scan, Pattern, Scanned};

/// Who commits. Named members in the opening clause ("Mexico and Canada
/// commit to…", "Canada and the U.S. will…") win; otherwise the summit's
/// `members` (all of them) when the subject is collective ("we", "the
/// leaders") or absent.
pub fn actors(text: &str, members: &[&str]) -> Vec<String> {
    // The clause before the first commitment verb is where the subject is.
    static VERB: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(will|shall|commit|commits|committed|pledge|pledged|agree|agreed|intend|plan|plans|are|is|have|has|seek|collaborate|sharing|share|reaffirm|support|welcome)\b",
        )
    });
    let head = match VERB.find(text) {
        Some(m) => &text[..m.start()],
        None => "",
    };
    let head_lower = head.to_lowercase();
    // The names that occur in the head at all, in one pass; then only
    // those are checked for word boundaries.
    static NAMES: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(MEMBER_NAMES.iter().flat_map(|member| member.names))
            .expect("valid names")
    });
    let mut occurs = vec![false; NAMES.patterns_len()];
    for m in NAMES.find_overlapping_iter(&head_lower) {
        occurs[m.pattern().as_usize()] = true;
    }
    // "Canada and Mexico sharing best practices with the U.S." names the
    // actors before the verb; "The Governments of the United States and
    // Canada will collaborate with the Government of Mexico" names two.
    let mut named = Vec::new();
    let mut first_name = 0;
    for member in MEMBER_NAMES {
        let ids = first_name..first_name + member.names.len();
        first_name = ids.end;
        if member
            .names
            .iter()
            .zip(&occurs[ids])
            .any(|(name, &occurs)| occurs && contains_name(&head_lower, name))
            && !named.contains(&member.code.to_string())
        {
            // "North America", "Latin America" are not the US.
            named.push(member.code.to_string());
        }
    }
    named.retain(|code| {
        code != "US"
            || !head_lower.contains("north america")
            || head_lower.contains("united states")
            || head_lower.contains("u.s.")
    });
    let collective = head_lower.split(|c: char| !c.is_alphanumeric()).any(|w| {
        matches!(
            w,
            "we" | "three" | "leaders" | "countries" | "nations" | "all"
        )
    });
    if !named.is_empty() && !collective {
        named.sort();
        return named;
    }
    let mut all: Vec<String> = members.iter().map(|m| m.to_string()).collect();
    all.sort();
    all
}

fn contains_name(haystack: &str, name: &str) -> bool {
    let mut from = 0;
    while let Some(i) = haystack[from..].find(name) {
        let start = from + i;
        let end = start + name.len();
        let before_ok = haystack[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = haystack[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return true;
        }
        from = end;
    }
    false
}

static TARGET: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?ix)
        (?P<phrase>
          (?P<pre>(at\s+least|up\s+to|more\s+than|over|nearly|approximately|about|some)\s+)?
          (
            (?P<cur>US\$|C\$|CAD\s?\$?|\$|€|£|¥)\s?(?P<amount>\d[\d,]*(\.\d+)?)\s*(?P<scale>trillion|billion|million|thousand|bn|m\b)?
          | (?P<num>\d[\d,]*(\.\d+)?)\s*(?P<pct>%|\s?percent\b|\s?per\s+cent\b)
          | (?P<count>\d[\d,]*(\.\d+)?)\s*(?P<cscale>million|billion|thousand)?\s+(?:[a-z\-]+\s+){0,2}?(?P<noun>(metric\s+)?tonnes|tons|hectares|acres|gigawatts|GW|MW|megawatts|kilometers|km|miles|jobs|people|refugees|migrants|workers|students|doses|vaccines|trees|homes|chargers|vehicles|visas|scholarships|participants)\b
          )
        )",
    )
});

static NET_ZERO: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(net[- ]zero|carbon[- ]neutral(ity)?|climate[- ]neutral(ity)?)\b"));
static HALF: LazyLock<Scanned> = LazyLock::new(|| {
    scan(r"(?i)\b(in\s+half|by\s+half|halve|halving|double|doubling|triple|tripling)\b")
});
static BY_YEAR: LazyLock<Pattern<Scanned>> = LazyLock::new(|| {
    Pattern::scanning(
        r"(?i)\b(by|before|until|through|no\s+later\s+than)\s+(the\s+end\s+of\s+)?(?P<year>(19|20)\d\d)\b",
    )
});
static BASELINE: LazyLock<Pattern<Scanned>> = LazyLock::new(|| {
    Pattern::scanning(
        r"(?i)\b(from|below|above|compared\s+(to|with)|relative\s+to|over|versus|vs\.?)\s+(the\s+)?(?P<year>(19|20)\d\d)(\s+levels?|\s+baseline)?\b|\b(?P<year2>(19|20)\d\d)\s+(levels?|baseline)\b",
    )
});
static REDUCE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(reduc\w*|cut\w*|lower\w*|decreas\w*|phas\w*\s+(out|down)|halv\w*|eliminat\w*|curb\w*|limit\w*)\b",
    )
});
static INCREASE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(increas\w*|expand\w*|doubl\w*|tripl\w*|rais\w*|mobiliz\w*|provid\w*|invest\w*|grow\w*|boost\w*|scal\w*\s+up|deploy\w*|train\w*|welcom\w*|resettl\w*|fund\w*|allocat\w*|contribut\w*|commit\w*)\b",
    )
});
static REACH: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(conserv\w*|protect\w*|reach\w*|achiev\w*|ensur\w*|restor\w*|plant\w*)\b")
});

/// Quantified targets in the text: percentages, amounts of money, counted
/// quantities, net-zero and halving goals, with baseline and target years.
/// A number with no target verb near it ("100,000 overdose deaths") is a
/// statistic and is skipped.
pub fn targets(text: &str) -> Vec<Target> {
    let mut out = Vec::new();
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return out;
    }
    // Clauses: targets and their years are read within one clause.
    for clause in clauses(text) {
        // What every target of the clause shares, looked for once (at the
        // first target that needs it): a clause of thousands of numbers
        // searched it again for each.
        let reduces = OnceCell::new();
        let clause_years = OnceCell::new();
        let years = || *clause_years.get_or_init(|| (baseline_year(clause), target_year(clause)));
        // Every target has a digit: a clause without one is not searched.
        let found = has_digit(clause).then(|| TARGET.regex(clause).captures_iter(clause));
        for caps in found.into_iter().flatten() {
            let whole = caps.name("phrase").expect("phrase group");
            let (value, unit) = if let Some(amount) = caps.name("amount") {
                let scale = scale(caps.name("scale").map(|m| m.as_str()));
                let unit = match caps.name("cur").map(|m| m.as_str().trim()) {
                    Some("C$") | Some("CAD") | Some("CAD$") | Some("CAD $") => "CAD",
                    Some("€") => "EUR",
                    Some("£") => "GBP",
                    Some("¥") => "JPY",
                    _ => "USD",
                };
                (parse_number(amount.as_str()) * scale, unit.to_string())
            } else if let Some(num) = caps.name("num") {
                (parse_number(num.as_str()), "percent".to_string())
            } else if let Some(count) = caps.name("count") {
                let scale = scale(caps.name("cscale").map(|m| m.as_str()));
                let noun = caps
                    .name("noun")
                    .map(|m| m.as_str().to_lowercase())
                    .unwrap_or_default();
                (parse_number(count.as_str()) * scale, normalise_unit(&noun))
            } else {
                continue;
            };
            // A year-like bare count ("2030 people") is not a target.
            let before = &clause[..whole.start()];
            let direction = direction(before).unwrap_or_else(|| {
                if *reduces.get_or_init(|| REDUCE.is_match(clause)) {
                    "reduce"
                } else {
                    "other"
                }
            });
            if direction == "other"
                && unit != "percent"
                && !unit.chars().all(|c| c.is_ascii_uppercase())
            {
                continue;
            }
            let phrase_end = phrase_extent(clause, whole.end());
            let phrase = clause[phrase_start(clause, whole.start())..phrase_end]
                .trim()
                .to_string();
            out.push(Target {
                value,
                unit,
                direction: direction.to_string(),
                baseline_year: years().0,
                target_year: years().1,
                phrase,
            });
        }
        if let Some(m) = NET_ZERO.find(clause) {
            if let Some(year) = years().1 {
                out.push(Target {
                    value: 0.0,
                    unit: "net emissions".into(),
                    direction: "reach".into(),
                    baseline_year: None,
                    target_year: Some(year),
                    phrase: clause[phrase_start(clause, m.start())..phrase_extent(clause, m.end())]
                        .trim()
                        .to_string(),
                });
            }
        }
        if let Some(m) = HALF.find(clause) {
            let word = clause[m.range()].to_lowercase();
            let (value, direction) = if word.contains("half") || word.starts_with("halv") {
                (50.0, "reduce")
            } else if word.starts_with("doubl") {
                (200.0, "increase")
            } else {
                (300.0, "increase")
            };
            if years().1.is_some() || direction == "reduce" {
                out.push(Target {
                    value,
                    unit: "percent of baseline".into(),
                    direction: direction.into(),
                    baseline_year: years().0,
                    target_year: years().1,
                    phrase: clause[phrase_start(clause, m.start())..phrase_extent(clause, m.end())]
                        .trim()
                        .to_string(),
                });
            }
        }
    }
    out
}

/// Whether `text` may hold a digit as [`TARGET`] reads it (`\d`, Unicode
/// decimal digits): any numeric character counts, so no clause that the
/// pattern could match is left out.
fn has_digit(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
        || (!text.is_ascii() && text.chars().any(char::is_numeric))
}

/// Splits text into clauses at ";", " and " before a verb is not attempted:
/// sentences and semicolons only.
fn clauses(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == ';'
            || (c == '.'
                && text[i + 1..].starts_with(' ')
                && text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|p| p.is_lowercase()))
        {
            out.push(&text[start..i]);
            start = i + 1;
        }
    }
    out.push(&text[start..]);
    out
}

/// Where a target's phrase starts: at the target verb right before the
/// number ("conserve 30%", "cut … in half"), else at the number's own
/// words ("at least 15%").
fn phrase_start(clause: &str, at: usize) -> usize {
    let before = &clause[..at];
    // The last six words, read from the end.
    let words = before
        .split_whitespace()
        .rev()
        .map(|w| (w.as_ptr() as usize - before.as_ptr() as usize, w));
    for (i, word) in words.take(6) {
        if REDUCE.is_match(word) || INCREASE.is_match(word) || REACH.is_match(word) {
            // Only a verb close to the number, with no clause break between.
            if !before[i..].contains(',') {
                return i;
            }
        }
    }
    at
}

/// A year expression that may follow a target's number: "by 2030", "from
/// 2020 levels", "by the end of 2025".
const YEAR_TAIL: &str = r"(?i)\b(by|from|below|above|compared\s+(to|with)|relative\s+to|in)\s+(the\s+end\s+of\s+)?(19|20)\d\d(\s+(levels?|baseline))?";

/// Characters before a [`YEAR_TAIL`], at most, for it to belong to the
/// phrase before.
const YEAR_TAIL_GAP: usize = 90;

/// Bytes a [`YEAR_TAIL`] spans at most ("compared with the end of 2030
/// baseline" is 38; a unit's words are one space apart), with room to
/// spare.
const YEAR_TAIL_ROOM: usize = 128;

/// Where a target's phrase ends: after the year expressions that follow
/// the number in the same clause ("… by 2030 from 2020 levels"), each
/// within [`YEAR_TAIL_GAP`] characters of the one before and with no comma
/// or semicolon between.
///
/// What `^[^,;]{0,90}?` before the expression would find, searched
/// without it: the leftmost expression, kept when it starts in that
/// reach. (The bounded gap in the pattern made its automaton build new
/// states for most clauses.)
fn phrase_extent(clause: &str, end: usize) -> usize {
    static TAIL: LazyLock<Pattern<Scanned>> = LazyLock::new(|| Pattern::scanning(YEAR_TAIL));
    let mut last = end;
    loop {
        let rest = &clause[last..];
        let reach = rest
            .char_indices()
            .nth(YEAR_TAIL_GAP)
            .map_or(rest.len(), |(i, _)| i);
        let reach = rest[..reach].find([',', ';']).unwrap_or(reach);
        // Looked for where it may start and as far beyond as the longest
        // expression reaches, not to the clause's end: a clause of
        // thousands of numbers was read to its end for each.
        let window = &rest[..rest.ceil_char_boundary(reach + YEAR_TAIL_ROOM)];
        let Some(m) = TAIL.regex(window).find(window) else {
            return last;
        };
        if m.start() > reach {
            return last;
        }
        last += m.end();
    }
}

fn scale(word: Option<&str>) -> f64 {
    match word.map(str::to_lowercase).as_deref() {
        Some("trillion") => 1e12,
        Some("billion") | Some("bn") => 1e9,
        Some("million") | Some("m") => 1e6,
        Some("thousand") => 1e3,
        _ => 1.0,
    }
}

fn parse_number(text: &str) -> f64 {
    text.replace(',', "").parse().unwrap_or(0.0)
}

fn normalise_unit(noun: &str) -> String {
    match noun {
        "tons" | "tonnes" | "metric tonnes" | "metric tons" => "tonnes".into(),
        "gw" | "gigawatts" => "GW".into(),
        "mw" | "megawatts" => "MW".into(),
        "km" | "kilometers" => "km".into(),
        other => other.to_string(),
    }
}

/// The direction of a target from the target verb closest before its
/// number, among the twelve words before it; `None` when there is none
/// (the caller then asks whether any verb of the clause reduces).
fn direction(before: &str) -> Option<&'static str> {
    for word in before.split_whitespace().rev().take(12) {
        if REDUCE.is_match(word) {
            return Some("reduce");
        }
        if REACH.is_match(word) {
            return Some("reach");
        }
        if INCREASE.is_match(word) {
            return Some("increase");
        }
    }
    None
}

fn target_year(clause: &str) -> Option<i32> {
    BY_YEAR
        .regex(clause)
        .captures_iter(clause)
        .filter_map(|c| clause[c.get_group_by_name("year")?.range()].parse().ok())
        .max()
}

fn baseline_year(clause: &str) -> Option<i32> {
    let baseline = BASELINE.regex(clause);
    let mut caps = baseline.create_captures();
    baseline.captures(clause, &mut caps);
    let year = caps
        .get_group_by_name("year")
        .or_else(|| caps.get_group_by_name("year2"))?;
    clause[year.range()].parse().ok()
}

static DEADLINE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?ix)\b(
        (by|before|until|no\s+later\s+than)\s+(the\s+)?(end\s+of\s+)?(?P<month>january|february|march|april|may|june|july|august|september|october|november|december)?\s*(?P<year>(19|20)\d\d)
      | (by|before)\s+the\s+end\s+of\s+(?P<rel>this|next)\s+year
      | (in|during)\s+(?P<early>early|mid|late)[-\s](?P<year2>(19|20)\d\d)
      | (in|during)\s+(?P<year3>(20)\d\d)\b
      | (?P<rel2>next|this)\s+year
      | within\s+(?P<n>\d+|one|two|three|four|five|ten)\s+years
    )",
    )
});

/// The date by which the commitment is due, resolved against the
/// document's `date` ("next year"). The earliest date named wins.
pub fn deadline(text: &str, date: Option<chrono::NaiveDate>) -> Option<String> {
    let doc_year = date.map(|d| d.year());
    let mut best: Option<(i32, u32, String)> = None;
    if !text.bytes().any(|b| b.is_ascii_digit()) && !text.contains(" year") {
        return None;
    }
    for caps in DEADLINE.regex(text).captures_iter(text) {
        let found = if let Some(year) = caps
            .name("year")
            .and_then(|y| y.as_str().parse::<i32>().ok())
        {
            match caps.name("month") {
                Some(m) => {
                    let month = month_number(m.as_str());
                    (year, month, format!("{year}-{month:02}"))
                }
                None => (year, 12, year.to_string()),
            }
        } else if let Some(rel) = caps.name("rel").or_else(|| caps.name("rel2")) {
            let Some(y) = doc_year else { continue };
            let year = if rel.as_str().eq_ignore_ascii_case("next") {
                y + 1
            } else {
                y
            };
            (year, 12, year.to_string())
        } else if let Some(year) = caps
            .name("year2")
            .and_then(|y| y.as_str().parse::<i32>().ok())
        {
            let month = match caps
                .name("early")
                .map(|m| m.as_str().to_lowercase())
                .as_deref()
            {
                Some("early") => 6,
                Some("mid") => 9,
                _ => 12,
            };
            (
                year,
                month,
                if month == 12 {
                    year.to_string()
                } else {
                    format!("{year}-{month:02}")
                },
            )
        } else if let Some(year) = caps
            .name("year3")
            .and_then(|y| y.as_str().parse::<i32>().ok())
        {
            // "in 2023" names a year of action only when it is not the past.
            if doc_year.is_some_and(|d| year < d) {
                continue;
            }
            (year, 12, year.to_string())
        } else if let Some(n) = caps.name("n") {
            let Some(y) = doc_year else { continue };
            let n = match n.as_str() {
                "one" => 1,
                "two" => 2,
                "three" => 3,
                "four" => 4,
                "five" => 5,
                "ten" => 10,
                digits => digits.parse().unwrap_or(0),
            };
            (y + n, 12, (y + n).to_string())
        } else {
            continue;
        };
        if best
            .as_ref()
            .is_none_or(|b| (found.0, found.1) < (b.0, b.1))
        {
            best = Some(found);
        }
    }
    best.map(|b| b.2)
}

fn month_number(name: &str) -> u32 {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(name))
        .map_or(12, |i| i as u32 + 1)
}

/// Acronym definitions in a text: "North American Drug Dialogue (NADD)"
/// gives `NADD -> North American Drug Dialogue`. The long form is the run
/// of capitalised (and joining) words before the parenthesis, back to the
/// word that starts with the acronym's first letter, never across a comma.
pub fn acronym_definitions(text: &str) -> BTreeMap<String, String> {
    static DEF: LazyLock<Regex> = LazyLock::new(|| re(r"\(([A-Z][A-Za-z0-9&\-]{1,11})\)"));
    let mut out = BTreeMap::new();
    for caps in DEF.captures_iter(text) {
        let m = caps.get(0).expect("match");
        let acronym = &caps[1];
        let letters: Vec<char> = acronym.chars().filter(|c| c.is_ascii_uppercase()).collect();
        if letters.len() < 2 {
            continue;
        }
        let before = text[..m.start()].trim_end();
        let mut taken: Vec<&str> = Vec::new();
        for w in before.split_whitespace().rev().take(letters.len() + 6) {
            if !taken.is_empty() && w.ends_with([',', ';', ':', '.']) {
                break;
            }
            let first = w.chars().next().unwrap_or(' ');
            if first.is_uppercase() || first.is_ascii_digit() || is_joining(w) {
                taken.push(w);
            } else {
                break;
            }
        }
        taken.reverse();
        // Start at the word that begins with the acronym's first letter.
        let first_letter = letters[0];
        let start = taken
            .iter()
            .position(|w| w.starts_with(first_letter))
            .unwrap_or(0);
        let long: Vec<&str> = taken[start..]
            .iter()
            .copied()
            .skip_while(|w| is_joining(w))
            .collect();
        if long.len() < 2 {
            continue;
        }
        let name = long
            .join(" ")
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_string();
        out.entry(acronym.to_string()).or_insert(name);
    }
    out
}

/// A document's acronym definitions ([`acronym_definitions`]), with their
/// long forms normalised once for the whole document, at the first name
/// that needs them (a document defining thousands of acronyms had them
/// normalised again for each of its commitments).
#[derive(Debug, Default)]
pub struct Acronyms {
    definitions: BTreeMap<String, String>,
    /// Normalised long form -> its acronym (the first in the order of
    /// acronyms, when two share a long form).
    long_forms: OnceCell<HashMap<String, String>>,
}

impl Acronyms {
    /// The definitions of a document.
    pub fn new(definitions: BTreeMap<String, String>) -> Acronyms {
        Acronyms {
            definitions,
            long_forms: OnceCell::new(),
        }
    }

    /// The acronym whose long form, normalised, is `normal`.
    fn of_long_form(&self, normal: &str) -> Option<&str> {
        let long_forms = self.long_forms.get_or_init(|| {
            let mut long_forms = HashMap::new();
            for (acronym, long) in &self.definitions {
                long_forms
                    .entry(normalise_name(long))
                    .or_insert_with(|| acronym.clone());
            }
            long_forms
        });
        long_forms.get(normal).map(String::as_str)
    }
}

/// A commitment's names of initiatives are at most this many (those of the
/// White House corpus, at most 19): the names found are compared with each
/// other, and a sentence of thousands would take their square.
const MAX_NAMES: usize = 64;

/// Words that join the words of a name ("Partnership for Prosperity").
const JOINING: [&str; 11] = [
    "of", "on", "for", "and", "the", "in", "to", "de", "la", "del", "&",
];

/// Whether `word`, lowercased, is one of [`JOINING`]. They are ASCII, and
/// no character beyond ASCII lowercases to their letters (the Kelvin sign
/// gives "k", which none has): only an ASCII word can be one, compared
/// without regard to ASCII case.
fn is_joining(word: &str) -> bool {
    word.len() <= 3 && JOINING.iter().any(|j| word.eq_ignore_ascii_case(j))
}

/// Named initiatives, bodies and agreements in the text: defined acronyms
/// ("… (NAPAPI)"), acronyms defined elsewhere in the document, well-known
/// bodies, and capitalised names of programmes ("Global Methane Pledge",
/// "Trilateral Working Group on …"). A name spelled like the long form of
/// a defined acronym is given with its acronym, so that one initiative has
/// one name.
pub fn initiatives(text: &str, acronyms: &Acronyms) -> Vec<String> {
    let document_acronyms = &acronyms.definitions;
    static ACRONYM: LazyLock<Regex> = LazyLock::new(|| re(r"\b[A-Z][A-Z0-9&\-]{1,10}s?\b"));
    // A name is found in two steps, as one pattern (`NAME` then `OF_TAIL`)
    // would find it: the part up to its kind ("… Plan"), then, from there,
    // what it is of or for ("… for the Americas"). Each pattern alone has a
    // small reverse automaton; the two in one made the search for a
    // match's start build new states for most names.
    // Anchored at the end of a `NAME` match; it may match nothing.
    static OF_TAIL: LazyLock<Pattern> = LazyLock::new(|| {
        Pattern::new(
            r"^(?:\s+(?:for|on|of|to|against|in)\s+(?:the\s+)?[A-Z][\w’'\-]*(?:\s+(?:(?:and|of|on|in|the|for|against)\s+)*[A-Z][\w’'\-]*){0,6}\b)?",
        )
    });
    let mut out: Vec<String> = Vec::new();
    fn push(out: &mut Vec<String>, name: String) {
        let name = name.trim().to_string();
        if !name.is_empty()
            && out.len() < MAX_NAMES
            && !out
                .iter()
                .any(|o| o.eq_ignore_ascii_case(&name) || o.contains(&name))
        {
            out.push(name);
        }
    }
    for m in ACRONYM.find_iter(text) {
        let acronym = m.as_str().trim_end_matches('s');
        if let Some(long) = document_acronyms.get(acronym) {
            push(&mut out, format!("{long} ({acronym})"));
        } else if is_known_body(acronym) {
            push(&mut out, acronym.to_string());
        }
    }
    // A name ends in its kind: most texts hold none, and are not searched.
    if !holds_a_kind(text) {
        return out;
    }
    let (name_re, tail_re) = (NAME.regex(text), OF_TAIL.regex(text));
    let mut at = 0;
    while let Some(m) = name_re.find_at(text, at) {
        let end = m.end() + tail_re.find(&text[m.end()..]).map_or(0, |t| t.end());
        at = end;
        let name = trim_name(&text[m.start()..end]);
        if name.split_whitespace().count() < 2 {
            continue;
        }
        match acronyms.of_long_form(&normalise_name(name)) {
            Some(acronym) => push(
                &mut out,
                format!("{} ({acronym})", document_acronyms[acronym]),
            ),
            None => push(&mut out, name.to_string()),
        }
    }
    out
}

/// A capitalised name of a kind of initiative, up to its kind: up to nine
/// capitalised words or numbers, joining words between them, and the kind.
static NAME: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?:\b[A-Z][\w’'\-]*|\b\d+K?)(?:\s+(?:(?:of|on|for|and|the|in)\s+)*(?:[A-Z][\w’'\-]*|\d+K?)){{0,8}}?\s+(?:{})\b",
        NAME_KINDS.join("|")
    ))
});

/// The kinds of named initiatives, as patterns (case matters): a name ends
/// in one ("Global Methane Pledge").
const NAME_KINDS: [&str; 37] = [
    "Plan",
    "Pledge",
    "Dialogue",
    "Group",
    "Fund",
    "Partnership",
    "Initiative",
    "Strategy",
    "Agreement",
    "Coalition",
    "Commission",
    "Program",
    "Programme",
    "Forum",
    "Framework",
    "Mechanism",
    "Declaration",
    "Compact",
    "Alliance",
    "Summit",
    "Council",
    "Project",
    "Center",
    "Centre",
    "Network",
    "Workplan",
    "Map",
    "Agenda",
    "Roadmap",
    "Accord",
    "Convention",
    "Charter",
    "Facility",
    r"Task\s+Force",
    "Platform",
    "Corridor",
    "Club",
];

/// Whether `text` holds the first word of one of [`NAME_KINDS`], as
/// written: every name found in `initiatives` does. Each starts with a
/// capital; only the words that start at one are compared (a few per
/// text, against the kinds of that letter).
fn holds_a_kind(text: &str) -> bool {
    /// Per capital letter, the first words of the kinds that start with
    /// it; and the capitals that start one, as bits (a byte is tested with
    /// one shift, and the loop that steps over the others stays tight).
    static BY_LETTER: LazyLock<([Vec<&'static str>; 26], u32)> = LazyLock::new(|| {
        let mut by_letter: [Vec<&'static str>; 26] = Default::default();
        let mut initials = 0u32;
        for kind in NAME_KINDS {
            let word = kind.split('\\').next().unwrap_or(kind);
            let letter = word.as_bytes()[0] - b'A';
            by_letter[usize::from(letter)].push(word);
            initials |= 1 << letter;
        }
        (by_letter, initials)
    });
    let (by_letter, initials) = (&BY_LETTER.0, BY_LETTER.1);
    let is_initial = |b: u8| b.is_ascii_uppercase() && initials & 1 << (b - b'A') != 0;
    let mut rest = text.as_bytes();
    while let Some(i) = rest.iter().position(|&b| is_initial(b)) {
        let kinds = &by_letter[usize::from(rest[i] - b'A')];
        if kinds
            .iter()
            .any(|word| rest[i..].starts_with(word.as_bytes()))
        {
            return true;
        }
        rest = &rest[i + 1..];
    }
    false
}

/// Drops an opening verb, determiner or place before a name: "Revising the
/// North American Plan" names "North American Plan"; "Americas to the
/// Equal Rights Coalition" names "Equal Rights Coalition".
fn trim_name(name: &str) -> &str {
    let mut name = name;
    while let Some((first, rest)) = name.split_once(' ') {
        let lower = first.to_lowercase();
        if crate::lexicon::verb_base(first).is_some()
            || matches!(
                lower.as_str(),
                "the"
                    | "a"
                    | "an"
                    | "our"
                    | "their"
                    | "its"
                    | "this"
                    | "new"
                    | "of"
                    | "and"
                    | "to"
                    | "in"
                    | "on"
                    | "for"
            )
        {
            name = rest;
        } else {
            break;
        }
    }
    // A name after "… in the" / "… to the" / "… of the" before the keyword.
    for joint in [" to the ", " and the "] {
        if let Some(at) = name.find(joint) {
            let tail = &name[at + joint.len()..];
            if tail.split_whitespace().count() >= 2 && !name[..at].contains(" for ") {
                return tail;
            }
        }
    }
    name
}

/// The keys under which the ledger knows an initiative: its acronym, and
/// its long form without case, punctuation or joining words. "North
/// American Drug Dialogue (NADD)" has `acronym:NADD` and `name:north
/// american drug dialogue`; "North American Drug Dialogue" only the latter.
pub fn initiative_keys(name: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let (long, acronym) = match name.strip_suffix(')').and_then(|n| n.rsplit_once(" (")) {
        Some((long, acronym)) => (long, Some(acronym)),
        None => (name, None),
    };
    if let Some(acronym) = acronym {
        keys.push(["acronym:", acronym].concat());
    }
    let normal = normalise_name(long);
    if !normal.is_empty() {
        keys.push(["name:", normal.as_str()].concat());
    }
    keys
}

/// The words of `name` (runs of alphanumeric characters) lowercased,
/// without joining words, separated by single spaces.
fn normalise_name(name: &str) -> String {
    // An ASCII name is lowercased once its words are joined (an ASCII
    // character is alphanumeric when its lowercase is, and joining words
    // are told without case); another first, as a copy.
    let lower = if name.is_ascii() {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(name.to_lowercase())
    };
    let mut out = String::with_capacity(lower.len());
    let mut push = |word: &str| {
        if !word.is_empty() && !is_joining(word) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    };
    if lower.is_ascii() {
        // A byte at a time: an ASCII character is alphanumeric when its
        // byte is.
        let mut start = 0;
        for (i, b) in lower.bytes().enumerate() {
            if !b.is_ascii_alphanumeric() {
                push(&lower[start..i]);
                start = i + 1;
            }
        }
        push(&lower[start..]);
    } else {
        lower.split(|c: char| !c.is_alphanumeric()).for_each(push);
    }
    out.make_ascii_lowercase();
    out
}

fn is_known_body(acronym: &str) -> bool {
    matches!(
        acronym,
        "USMCA"
            | "NAFTA"
            | "WHO"
            | "ICAO"
            | "UNHCR"
            | "IOM"
            | "COVAX"
            | "UN"
            | "OECD"
            | "IMF"
            | "WTO"
            | "NATO"
            | "G7"
            | "G20"
            | "APEC"
            | "OAS"
            | "IDB"
            | "UNFCCC"
            | "COP"
            | "IEA"
            | "ILO"
            | "FAO"
            | "WFP"
            | "UNICEF"
            | "UNDP"
            | "IAEA"
            | "NORAD"
            | "SAWP"
            | "PNR"
            | "CEC"
    )
}

/// Theme keywords, scored over the text and the section heading.
const THEME_WORDS: &[(Theme, &[&str])] = &[
    (
        Theme::Health,
        &[
            "health",
            "pandemic",
            "vaccine",
            "covid",
            "influenza",
            "medical",
            "disease",
            "hospital",
            "napapi",
            "covax",
            "who academy",
            "telehealth",
            "medicaid",
            "medicare",
        ],
    ),
    (
        Theme::ClimateEnvironment,
        &[
            "climate",
            "methane",
            "emission",
            "greenhouse",
            "carbon",
            "nature",
            "biodiversity",
            "conserv",
            "ocean",
            "deforestation",
            "environment",
            "adaptation",
            "waste",
            "net-zero",
            "pollution",
            "wildfire",
            "decarboni",
        ],
    ),
    (
        Theme::Energy,
        &[
            "energy",
            "hydrogen",
            "renewable",
            "electric vehicle",
            "ev charg",
            "grid",
            "nuclear power",
            "clean power",
            "fuel",
            "zero-emission",
        ],
    ),
    (
        Theme::EconomyCompetitiveness,
        &[
            "competitive",
            "economic",
            "economy",
            "trade",
            "investment",
            "sme",
            "enterprise",
            "entrepreneur",
            "regulatory",
            "growth",
            "business",
            "usmca",
            "prosperity",
            "innovation",
            "anticompetitive",
            "macroeconom",
            "socioeconom",
        ],
    ),
    (
        Theme::SupplyChains,
        &[
            "supply chain",
            "semiconductor",
            "critical mineral",
            "manufactur",
            "biomanufactur",
        ],
    ),
    (
        Theme::LabourWorkforce,
        &[
            "workforce",
            "worker",
            "labor",
            "labour",
            "skills",
            "training",
            "education",
            "student",
            "job",
            "steelworker",
            "autoworker",
        ],
    ),
    (
        Theme::Migration,
        &[
            "migra",
            "refugee",
            "asylum",
            "displacement",
            "pathway",
            "seasonal agricultural",
            "visa",
            "los angeles declaration",
            "unhcr",
            "immigra",
            "emigra",
        ],
    ),
    (
        Theme::SecurityCrime,
        &[
            "security",
            "crime",
            "criminal",
            "trafficking",
            "smuggling",
            "defense",
            "defence",
            "terroris",
            "passenger",
            "firearm",
            "arms",
            "border",
            "exploitation",
            "emergency management",
            "disaster",
            "counterterror",
        ],
    ),
    (
        Theme::Drugs,
        &[
            "drug",
            "fentanyl",
            "overdose",
            "opioid",
            "narcotic",
            "nadd",
            "substance use",
            "counternarcotic",
        ],
    ),
    (
        Theme::Cyber,
        &[
            "cyber",
            "ransomware",
            "digital",
            "information and communication technolog",
        ],
    ),
    (
        Theme::EquityInclusion,
        &[
            "equity",
            "inclusion",
            "indigenous",
            "racial",
            "racism",
            "gender",
            "women",
            "lgbtq",
            "discrimination",
            "diversity",
            "marginalized",
            "xenophobia",
            "transgender",
            "nondiscriminat",
            "inequit",
        ],
    ),
    (
        Theme::DemocracyRights,
        &[
            "democra",
            "human rights",
            "corruption",
            "rule of law",
            "freedom of expression",
            "governance",
            "press freedom",
        ],
    ),
    (
        Theme::Development,
        &[
            "development",
            "food security",
            "food insecurity",
            "poverty",
            "humanitarian",
            "root causes",
            "aid",
            "infrastructure",
            "usaid",
        ],
    ),
];

/// The theme of a commitment: the best keyword score, with the section
/// heading counting double. A keyword counts where a word starts with it
/// ("aid", "aiding"; "terroris" in "terrorism"), not inside a word ("said",
/// "farms", "sme" in "assessment"): words that join a prefix to a keyword
/// ("immigration", "counterterrorism", "USAID") are keywords of their own.
pub fn theme(text: &str, section: Option<&str>) -> Theme {
    static KEYWORDS: LazyLock<(aho_corasick::AhoCorasick, Vec<Theme>)> = LazyLock::new(|| {
        let (words, themes): (Vec<&str>, Vec<Theme>) = THEME_WORDS
            .iter()
            .flat_map(|(theme, words)| words.iter().map(move |w| (*w, *theme)))
            .unzip();
        let automaton = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(words)
            .expect("valid keywords");
        (automaton, themes)
    });
    let (automaton, themes) = &*KEYWORDS;
    let mut scores = [0usize; Theme::ALL.len()];
    let mut count = |haystack: &str, weight: usize| {
        let bytes = haystack.as_bytes();
        for m in automaton.find_overlapping_iter(haystack) {
            // A byte beyond ASCII before it is part of a letter.
            let inside_a_word = m
                .start()
                .checked_sub(1)
                .is_some_and(|i| bytes[i].is_ascii_alphanumeric() || !bytes[i].is_ascii());
            if inside_a_word {
                continue;
            }
            let theme = themes[m.pattern().as_usize()];
            scores[Theme::ALL.iter().position(|t| *t == theme).unwrap_or(0)] += weight;
        }
    };
    count(text, 3);
    count(section.unwrap_or(""), 2);
    let mut best = (0usize, Theme::Other);
    for (i, score) in scores.iter().enumerate() {
        if *score > best.0 {
            best = (*score, Theme::ALL[i]);
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_keywords_count_only_at_the_start_of_a_word() {
        let cases = [
            (
                "We will provide aid to displaced families.",
                Theme::Development,
            ),
            ("The ministers said they will meet again.", Theme::Other),
            ("Leaders will visit farms next spring.", Theme::Other),
            ("We will fight terrorism together.", Theme::SecurityCrime),
            ("We will expand cybersecurity cooperation.", Theme::Cyber),
            ("L'aide arrivera en mars.", Theme::Development),
            ("USAID will open a mission in Fiji.", Theme::Development),
            ("We will cut the immigration backlog.", Theme::Migration),
            (
                "We will deepen counterterrorism cooperation.",
                Theme::SecurityCrime,
            ),
            ("We will complete the assessment together.", Theme::Other),
        ];
        for (text, expected) in cases {
            assert_eq!(theme(text, None), expected, "{text}");
        }
    }

    proptest::proptest! {
        /// A phrase ends where the year expressions found with the gap
        /// written into the pattern (`^[^,;]{0,90}?`) end: the gap of at
        /// most 90 characters without a comma or semicolon, the leftmost
        /// expression after it.
        #[test]
        fn year_tails_end_where_the_pattern_with_its_gap_ends(
            words in proptest::collection::vec(
                "by|from|in|below|above|By|IN|compared|to|with|relative|the|end|of|\
                 levels?|baseline|2030|1990|2020|20|19|[0-9]{1,5}|٢٠٣٠|[a-z]{1,12}|é|Σ|’",
                0..40,
            ),
            gaps in proptest::collection::vec("[ ,;\n]| |\u{a0}|\u{2003}|, |; |-", 40),
            end in 0usize..80,
        ) {
            let clause: String = words.iter().zip(&gaps).map(|(w, g)| format!("{w}{g}")).collect();
            let end = (end.min(clause.len())..=clause.len())
                .find(|&i| clause.is_char_boundary(i))
                .expect("the end is a boundary");
            proptest::prop_assert_eq!(
                phrase_extent(&clause, end),
                extent_with_gap(&clause, end),
                "{:?}",
                clause
            );
        }

        /// Names are normalised as splitting their lowercased text at
        /// every character that is not alphanumeric and joining the words
        /// kept would.
        #[test]
        fn names_are_normalised_as_split_and_joined(
            ascii in "([A-Za-z0-9]{1,6}|[ ,.&'()-]|of|the|And|DE){0,20}",
            wide in "([A-Za-z0-9]{1,6}|[ ,.&'’()-]|of|the|and|de|é|Ü|İ|Σ|²|\u{a0}){0,20}"
        ) {
            for name in [ascii, wide] {
                let expected = name
                    .to_lowercase()
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty() && !super::is_joining(w))
                    .collect::<Vec<_>>()
                    .join(" ");
                proptest::prop_assert_eq!(super::normalise_name(&name), expected);
            }
        }
    }

    proptest::proptest! {
        /// A text that holds no kind has no name: not searching it misses
        /// none.
        #[test]
        fn a_text_that_holds_no_kind_has_no_name(
            words in proptest::collection::vec(
                "Plan|Planning|plan|Task|Force|Task Force|TaskForce|Club|Map|Maps|Centre|\
                 Programme|Workplan|Summit|North|American|Global|Methane|of|the|and|for|\
                 2030|30K|[A-Z][a-z]{0,8}|[a-z]{1,8}|É[a-z]{0,3}|[A-Z]’s",
                0..16,
            ),
            gaps in proptest::collection::vec("[ ,.\\n]| |\u{a0}|  |-", 16),
        ) {
            let text: String = words.iter().zip(&gaps).map(|(w, g)| format!("{w}{g}")).collect();
            let name = NAME.regex(&text).find(&text);
            proptest::prop_assert!(holds_a_kind(&text) || name.is_none(), "{:?}", text);
            // The words generated do make names.
            if let Some(name) = name {
                proptest::prop_assert!(holds_a_kind(name.as_str()));
            }
        }
    }

    #[test]
    fn a_year_expression_belongs_to_the_phrase_within_90_characters_and_no_comma() {
        // (gap before "by 2030", whether the phrase takes it)
        let cases = [
            ("é".repeat(89) + " ", true),
            ("é".repeat(88) + " ", true),
            ("é".repeat(90) + " ", false),
            ("x".repeat(89) + " ", true),
            ("x".repeat(90) + " ", false),
            (" and, ".to_string(), false),
            (" and; ".to_string(), false),
            (" and ".to_string(), true),
        ];
        for (gap, kept) in cases {
            let clause = format!("cut 30%{gap}by 2030 here");
            let end = "cut 30%".len();
            let expected = if kept {
                end + gap.len() + "by 2030".len()
            } else {
                end
            };
            assert_eq!(phrase_extent(&clause, end), expected, "{clause:?}");
            assert_eq!(extent_with_gap(&clause, end), expected, "{clause:?}");
        }
    }

    /// [`phrase_extent`] with the gap before each year expression written
    /// into the pattern.
    fn extent_with_gap(clause: &str, end: usize) -> usize {
        let gapped = re(&format!(
            "(?i)^[^,;]{{0,{YEAR_TAIL_GAP}}}?{}",
            YEAR_TAIL.trim_start_matches("(?i)")
        ));
        let mut last = end;
        while let Some(m) = gapped.find(&clause[last..]) {
            last += m.end();
        }
        last
    }

    #[test]
    fn joining_words_are_told_as_lowercasing_would() {
        // No character beyond ASCII lowercases to letters of the joining
        // words only: a word with one is never one of them.
        let letters: String = JOINING.concat();
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            if !c.is_ascii() {
                assert!(
                    c.to_lowercase().any(|l| !letters.contains(l)),
                    "{c:?} lowercases to letters of the joining words"
                );
            }
        }
        let by_lowercasing = |w: &str| JOINING.contains(&w.to_lowercase().as_str());
        for w in [
            "of", "OF", "Of", "oF", "and", "AND", "The", "DEL", "&", "de", "La", "off", "o", "",
            "\u{212A}", "İn", "Ｏf", "to ", "fór", "ands",
        ] {
            assert_eq!(is_joining(w), by_lowercasing(w), "{w:?}");
        }
    }

    #[test]
    fn actors_from_the_subject() {
        let all = ["CA", "MX", "US"];
        assert_eq!(
            actors(
                "Mexico and Canada commit to repay vaccine loans from the United States",
                &all
            ),
            vec!["CA", "MX"]
        );
        assert_eq!(
            actors(
                "Canada and the U.S. will collaborate with Mexico's joint initiative",
                &all
            ),
            vec!["CA", "US"]
        );
        assert_eq!(
            actors("We will continue our dialogue", &all),
            vec!["CA", "MX", "US"]
        );
        assert_eq!(
            actors("Strengthen North American supply chains", &all),
            vec!["CA", "MX", "US"]
        );
    }

    #[test]
    fn targets_and_deadlines() {
        let t = targets("Committing to reduce methane emissions from the solid waste and wastewater sector by at least 15% by 2030 from 2020 levels");
        assert_eq!(t.len(), 1);
        assert_eq!(
            (t[0].value, t[0].unit.as_str(), t[0].direction.as_str()),
            (15.0, "percent", "reduce")
        );
        assert_eq!(
            (t[0].baseline_year, t[0].target_year),
            (Some(2020), Some(2030))
        );
        let t = targets("to cut food loss and waste in half by 2030");
        assert_eq!((t[0].value, t[0].target_year), (50.0, Some(2030)));
        assert!(targets("more than 100,000 drug overdose deaths last year").is_empty());
        let date = chrono::NaiveDate::from_ymd_opt(2021, 11, 18);
        assert_eq!(
            deadline(
                "Developing a plan by the end of 2025 to cut waste in half by 2030",
                date
            )
            .as_deref(),
            Some("2025")
        );
        assert_eq!(
            deadline("We will meet next year in Mexico", date).as_deref(),
            Some("2022")
        );
        assert_eq!(
            deadline("participation in early 2023", date).as_deref(),
            Some("2023-06")
        );
    }

    #[test]
    fn initiative_keys_join_spellings() {
        assert_eq!(
            initiative_keys("North American Drug Dialogue (NADD)"),
            vec!["acronym:NADD", "name:north american drug dialogue"]
        );
        assert_eq!(
            initiative_keys("Global Methane Pledge"),
            vec!["name:global methane pledge"]
        );
        assert_eq!(
            initiative_keys("North American Dialogue on Drugs (NADD)")[0],
            "acronym:NADD"
        );
    }

    #[test]
    fn acronyms_resolve() {
        let defs = acronym_definitions("continue the North American Dialogue on Drugs (NADD) and update our North American Animal and Pandemic Influenza Plan (NAPAPI).");
        assert_eq!(defs["NADD"], "North American Dialogue on Drugs");
        assert_eq!(
            defs["NAPAPI"],
            "North American Animal and Pandemic Influenza Plan"
        );
    }
}
