//! Word lists the extractor reads: action verbs, cue phrases, member
//! names. They describe English statement language in general, never one
//! document.

use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::sync::LazyLock;

/// Compiles one of the extractor's built-in patterns. Word boundaries are
/// ASCII (`(?-u:\b)`), which keeps matching on the fast DFA engines; the
/// patterns' words are ASCII.
pub(crate) fn re(pattern: &str) -> regex::Regex {
    // A lazy DFA cache large enough for the cue patterns not to be rebuilt
    // over and over on a large corpus.
    regex::RegexBuilder::new(&ascii_boundaries(pattern))
        .dfa_size_limit(DFA_CACHE)
        .build()
        .expect("valid built-in pattern")
}

/// Bytes of lazy DFA cache per compiled pattern, at most.
const DFA_CACHE: usize = 64 << 20;

/// Compiles a built-in pattern as [`re`] does, to be searched without a
/// prefilter: the lazy DFA reads the text from the start.
///
/// A prefilter looks for the literals a match must begin with and starts
/// the automaton at each. For patterns that begin with short, common
/// words ("by", "in", "from", "will", "we"), the literals are found every
/// few words and each restart costs more than reading on would. The same
/// matches are found either way; which patterns are compiled so was
/// measured (`HALF` reads the White House commitments in 0.42 of the
/// time, `BASELINE` in 0.15; patterns with rare openings, such as
/// "net zero", are faster with the prefilter and keep [`re`]).
pub(crate) fn scan(pattern: &str) -> Scanned {
    use regex_automata::{meta, util::syntax, MatchKind};
    // The configuration `regex::RegexBuilder` gives, but the prefilter.
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(10 << 20))
                .hybrid_cache_capacity(DFA_CACHE)
                .match_kind(MatchKind::LeftmostFirst)
                .utf8_empty(true)
                .auto_prefilter(false),
        )
        .syntax(syntax::Config::new().utf8(true))
        .build(&ascii_boundaries(pattern))
        .expect("valid built-in pattern")
}

/// A pattern compiled with [`scan`].
pub(crate) type Scanned = regex_automata::meta::Regex;

/// `pattern` with its word boundaries made ASCII.
fn ascii_boundaries(pattern: &str) -> String {
    pattern.replace(r"\b", r"(?-u:\b)")
}

/// A built-in pattern compiled twice with [`re`] (or [`scan`]): as
/// written, and with its classes `\w`, `\s` and `\d` narrowed to ASCII.
///
/// Unicode classes make a large automaton, slow to build and to run; the
/// narrow one finds the same matches in any text whose non-ASCII
/// characters are neither word characters nor white space (curly quotes,
/// dashes and currency signs are fine), and serves those texts. The
/// pattern as written is compiled at the first text that needs it
/// (compiling is most of the work of a one-file ingest).
pub(crate) struct Pattern<R = regex::Regex> {
    written: String,
    unicode: std::sync::OnceLock<R>,
    ascii: R,
    compile: fn(&str) -> R,
}

impl Pattern {
    /// Compiles `pattern` (which must not use `\W`, `\S` or `\D`) with [`re`].
    pub(crate) fn new(pattern: &str) -> Pattern {
        Pattern::with(pattern, re)
    }
}

impl Pattern<Scanned> {
    /// Compiles `pattern` (which must not use `\W`, `\S` or `\D`) with
    /// [`scan`]: searched without a prefilter.
    pub(crate) fn scanning(pattern: &str) -> Self {
        Pattern::with(pattern, scan)
    }
}

impl<R> Pattern<R> {
    fn with(pattern: &str, compile: fn(&str) -> R) -> Self {
        let ascii = pattern
            .replace(r"\w", "[0-9A-Za-z_]")
            // The space spelled out: a verbose pattern ignores a blank.
            .replace(r"\s", r"[\t\n\x0B\x0C\r\x20]")
            .replace(r"\d", "[0-9]");
        Pattern {
            written: pattern.to_string(),
            unicode: std::sync::OnceLock::new(),
            ascii: compile(&ascii),
            compile,
        }
    }

    /// The compiled pattern that finds the same matches in `haystack`, the
    /// faster one when it may.
    pub(crate) fn regex(&self, haystack: &str) -> &R {
        self.regex_for(Words::of(haystack))
    }

    /// The compiled pattern that finds the same matches in a text with
    /// these [`Words`] (or in any part of it): a text told once serves
    /// every pattern run on it.
    pub(crate) fn regex_for(&self, words: Words) -> &R {
        match words {
            Words::Ascii => &self.ascii,
            Words::Wide => self.unicode(),
        }
    }

    /// The pattern as written, compiled.
    fn unicode(&self) -> &R {
        self.unicode.get_or_init(|| (self.compile)(&self.written))
    }
}

/// Whether the word and space characters (`\w`, `\s`) of a text are all
/// ASCII, which tells which compilation of a [`Pattern`] serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Words {
    /// All ASCII: a [`Pattern`] narrowed to ASCII finds what it finds as
    /// written.
    Ascii,
    /// Some beyond ASCII.
    Wide,
}

impl Words {
    /// The words of `text`.
    pub(crate) fn of(text: &str) -> Words {
        if has_only_ascii_words(text) {
            Words::Ascii
        } else {
            Words::Wide
        }
    }
}

/// True when every word and space character of `text` (`\w`, `\s`) is
/// ASCII: then a [`Pattern`] narrowed to ASCII finds what it finds as
/// written.
///
/// Most statements go beyond ASCII only for typographic marks
/// ([`TYPOGRAPHIC_MARKS`]): those are stepped over, and the pattern is run
/// only from the first other character beyond ASCII, if any.
fn has_only_ascii_words(text: &str) -> bool {
    accord_model::first_non_ascii_beyond(text, &TYPOGRAPHIC_MARKS)
        .is_none_or(|i| !WIDE.is_match(&text[i..]))
}

/// A word or space character beyond ASCII.
static WIDE: LazyLock<regex::Regex> = LazyLock::new(|| re(r"[[\w\s]&&[^\x00-\x7F]]"));

/// Characters beyond ASCII that statements are full of and that are
/// neither word characters nor white space: quotes, dashes, the ellipsis,
/// the bullet, the euro sign (a test checks each against [`WIDE`]).
const TYPOGRAPHIC_MARKS: [char; 10] = ['‘', '’', '“', '”', '–', '—', '…', '•', '€', '·'];

/// Base forms of verbs that open a deliverable or name a concrete action
/// ("Strengthen …", "Organizing …"). Inflected forms are derived by
/// [`verb_base`].
pub const ACTION_VERBS: &[&str] = &[
    "accelerate",
    "achieve",
    "add",
    "address",
    "adopt",
    "advance",
    "affirm",
    "align",
    "allocate",
    "announce",
    "apply",
    "assess",
    "assist",
    "award",
    "bolster",
    "boost",
    "bring",
    "build",
    "champion",
    "close",
    "collaborate",
    "combat",
    "commit",
    "complete",
    "conduct",
    "conserve",
    "consider",
    "continue",
    "contribute",
    "convene",
    "cooperate",
    "coordinate",
    "counter",
    "create",
    "cut",
    "deepen",
    "defend",
    "deliver",
    "deploy",
    "design",
    "develop",
    "devote",
    "digitize",
    "direct",
    "discuss",
    "double",
    "drive",
    "electrify",
    "eliminate",
    "empower",
    "enable",
    "encourage",
    "end",
    "engage",
    "enhance",
    "ensure",
    "establish",
    "evaluate",
    "exchange",
    "expand",
    "expedite",
    "explore",
    "extend",
    "facilitate",
    "fight",
    "finalize",
    "finance",
    "focus",
    "form",
    "foster",
    "fund",
    "further",
    "grow",
    "harmonize",
    "help",
    "hold",
    "host",
    "identify",
    "implement",
    "improve",
    "increase",
    "initiate",
    "institute",
    "integrate",
    "intensify",
    "introduce",
    "invest",
    "issue",
    "join",
    "launch",
    "lead",
    "leverage",
    "lower",
    "maintain",
    "make",
    "map",
    "mobilize",
    "modernize",
    "monitor",
    "negotiate",
    "offer",
    "open",
    "operationalize",
    "organize",
    "partner",
    "phase",
    "pilot",
    "plan",
    "pledge",
    "prepare",
    "preserve",
    "prevent",
    "prioritize",
    "promote",
    "protect",
    "provide",
    "publish",
    "pursue",
    "raise",
    "reaffirm",
    "recommit",
    "reduce",
    "reform",
    "reinforce",
    "reiterate",
    "release",
    "remove",
    "renew",
    "repay",
    "resettle",
    "respond",
    "restart",
    "restore",
    "resume",
    "revise",
    "review",
    "revitalize",
    "safeguard",
    "scale",
    "secure",
    "seek",
    "set",
    "share",
    "shore",
    "simplify",
    "speed",
    "spur",
    "stand",
    "standardize",
    "start",
    "step",
    "streamline",
    "strengthen",
    "study",
    "submit",
    "support",
    "sustain",
    "tackle",
    "take",
    "target",
    "train",
    "transition",
    "undertake",
    "unlock",
    "update",
    "upgrade",
    "use",
    "welcome",
    "work",
    "counter",
    "deter",
    "disrupt",
    "dismantle",
    "expand",
    "welcome",
    "uphold",
    "advocate",
    "commission",
    "convene",
    "co-host",
    "co-lead",
    "cohost",
    "endorse",
    "enlarge",
    "equip",
    "stop",
    "save",
    "cap",
    "ban",
    "close",
    "track",
];

/// Base form of an inflected action verb ("organizing" -> "organize",
/// "committed" -> "commit", "strengthens" -> "strengthen"), if the word is
/// one of [`ACTION_VERBS`].
///
/// One look-up among the inflected forms of the verbs ([`INFLECTED`]),
/// which hold every word [`base_of`] recognises, each with its base.
pub fn verb_base(word: &str) -> Option<&'static str> {
    // An ASCII word without capitals is its own lowercase; with capitals,
    // its ASCII lowercase.
    let w = if !word.is_ascii() {
        Cow::Owned(word.to_lowercase())
    } else if word.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(word.to_ascii_lowercase())
    } else {
        Cow::Borrowed(word)
    };
    let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
    INFLECTED.get(w).copied()
}

/// Suffixes an inflected verb ends with, and what each replaced.
const SUFFIXES: [(&str, &str); 9] = [
    ("ing", ""),
    ("ing", "e"),
    ("ed", ""),
    ("ed", "e"),
    ("d", ""),
    ("es", ""),
    ("s", ""),
    ("ies", "y"),
    ("ied", "y"),
];

/// Every word [`base_of`] finds a verb for, with that verb: each verb
/// itself; each suffix put in place of what it replaced; each suffix after
/// the final consonant doubled ("committing"). A word `base_of`
/// recognises is one of these by the way it is recognised, and its verb
/// is the one `base_of` gives, so the look-up answers as `base_of` would.
static INFLECTED: LazyLock<FxHashMap<String, &'static str>> = LazyLock::new(|| {
    let mut forms = FxHashMap::default();
    let mut add = |form: String| {
        if let Some(base) = base_of(&form) {
            forms.insert(form, base);
        }
    };
    for verb in ACTION_VERBS {
        add(verb.to_string());
        let last = verb.chars().next_back().expect("a verb has letters");
        for (suffix, replaced) in SUFFIXES {
            if let Some(stem) = verb.strip_suffix(replaced) {
                add(format!("{stem}{suffix}"));
            }
            add(format!("{verb}{last}{suffix}"));
        }
    }
    forms
});

/// The verb of a lowercase word trimmed of punctuation, found by trying
/// candidates in order: the word itself, then each suffix stripped (with
/// what it replaced added back), then with a doubled final consonant
/// undone. What [`INFLECTED`] is made of.
fn base_of(w: &str) -> Option<&'static str> {
    static VERBS: LazyLock<FxHashSet<&'static str>> =
        LazyLock::new(|| ACTION_VERBS.iter().copied().collect());
    let known = |candidate: &str| VERBS.get(candidate).copied();
    if let Some(verb) = known(w) {
        return Some(verb);
    }
    let mut candidate = String::with_capacity(w.len() + 1);
    for (suffix, add) in SUFFIXES {
        if let Some(stem) = w.strip_suffix(suffix) {
            candidate.clear();
            candidate.push_str(stem);
            candidate.push_str(add);
            if let Some(verb) = known(&candidate) {
                return Some(verb);
            }
            // doubled consonant: "committing" -> "commit"
            let mut chars = stem.chars();
            if let (Some(a), Some(b)) = (chars.next_back(), chars.next_back()) {
                if a == b {
                    if let Some(verb) = known(&stem[..stem.len() - a.len_utf8()]) {
                        return Some(verb);
                    }
                }
            }
        }
    }
    None
}

/// Words that open a sentence about members acting: pronouns and nouns for
/// the summit's members collectively.
pub const COLLECTIVE_SUBJECTS: &[&str] = &[
    "we",
    "our",
    "us",
    "leaders",
    "leader",
    "countries",
    "nations",
    "governments",
    "government",
    "partners",
    "members",
    "they",
    "ministers",
    "administration",
    "parties",
    "allies",
    "g7",
    "g20",
    "g-7",
    "g-20",
    "president",
    "prime",
    "chancellor",
    "both",
    "all",
    "trilateral",
    "bilateral",
    "together",
    "each",
];

/// A member of a summit and the ways texts name it.
pub struct MemberName {
    /// ISO code.
    pub code: &'static str,
    /// Lowercase names; multiword names are matched as phrases.
    pub names: &'static [&'static str],
}

/// Names of the governments that take part in the summits Accord follows.
pub const MEMBER_NAMES: &[MemberName] = &[
    MemberName {
        code: "US",
        names: &[
            "united states",
            "u.s.",
            "us",
            "usa",
            "united states of america",
            "american",
            "washington",
        ],
    },
    MemberName {
        code: "CA",
        names: &["canada", "canadian", "ottawa"],
    },
    MemberName {
        code: "MX",
        names: &["mexico", "méxico", "mexican", "mexican states"],
    },
    MemberName {
        code: "GB",
        names: &["united kingdom", "u.k.", "uk", "britain", "british"],
    },
    MemberName {
        code: "FR",
        names: &["france", "french"],
    },
    MemberName {
        code: "DE",
        names: &["germany", "german"],
    },
    MemberName {
        code: "IT",
        names: &["italy", "italian"],
    },
    MemberName {
        code: "JP",
        names: &["japan", "japanese"],
    },
    MemberName {
        code: "EU",
        names: &["european union", "eu", "e.u."],
    },
    MemberName {
        code: "CN",
        names: &["china", "chinese", "prc"],
    },
    MemberName {
        code: "IN",
        names: &["india", "indian"],
    },
    MemberName {
        code: "BR",
        names: &["brazil", "brazilian"],
    },
    MemberName {
        code: "AR",
        names: &["argentina", "argentine"],
    },
    MemberName {
        code: "AU",
        names: &["australia", "australian"],
    },
    MemberName {
        code: "ID",
        names: &["indonesia", "indonesian"],
    },
    MemberName {
        code: "KR",
        names: &["republic of korea", "south korea", "korea", "rok"],
    },
    MemberName {
        code: "RU",
        names: &["russia", "russian federation"],
    },
    MemberName {
        code: "SA",
        names: &["saudi arabia"],
    },
    MemberName {
        code: "ZA",
        names: &["south africa"],
    },
    MemberName {
        code: "TR",
        names: &["türkiye", "turkey"],
    },
    MemberName {
        code: "AU",
        names: &["african union"],
    },
];

/// The members of a summit, from its canonical name (`NALS 2023` ->
/// CA, MX, US). Empty when the summit is unknown.
pub fn summit_members(summit: &str) -> Vec<&'static str> {
    let s = summit.to_ascii_uppercase();
    if s.starts_with("NALS") {
        vec!["CA", "MX", "US"]
    } else if s.starts_with("G7") {
        vec!["CA", "FR", "DE", "IT", "JP", "GB", "US", "EU"]
    } else if s.starts_with("G20") {
        vec![
            "AR", "AU", "BR", "CA", "CN", "FR", "DE", "IN", "ID", "IT", "JP", "KR", "MX", "RU",
            "SA", "ZA", "TR", "GB", "US", "EU",
        ]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowed_patterns_find_what_the_patterns_find() {
        let pattern = Pattern::new(r"\b[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*\s+Plan\b|\d+\s*%");
        let text =
            "The U.S.–Mexico “Clean Energy” Plan and the Women’s Economic Security Plan, 30 %";
        assert!(std::ptr::eq(pattern.regex(text), &pattern.ascii));
        let found =
            |regex: &regex::Regex| -> Vec<_> { regex.find_iter(text).map(|m| m.range()).collect() };
        assert_eq!(found(pattern.unicode()), found(&pattern.ascii));
        assert!(std::ptr::eq(
            pattern.regex("México Plan"),
            pattern.unicode()
        ));
        assert!(std::ptr::eq(
            pattern.regex("a\u{a0}Plan"),
            pattern.unicode()
        ));
    }

    #[test]
    fn typographic_marks_are_neither_words_nor_spaces() {
        for mark in TYPOGRAPHIC_MARKS {
            assert!(!mark.is_ascii(), "{mark:?}");
            assert!(!WIDE.is_match(&mark.to_string()), "{mark:?}");
        }
        assert!(has_only_ascii_words("The U.S.–Mexico “Clean Energy” Plan…"));
        assert!(!has_only_ascii_words("“México” Plan"));
        assert!(!has_only_ascii_words("a\u{a0}Plan ’"));
        // A mark beyond the list goes to the pattern, which knows it.
        assert!(has_only_ascii_words("a ‹Plan›"));
        assert!(!has_only_ascii_words("a ‹Plan› é"));
    }

    #[test]
    fn narrowed_verbose_patterns_keep_their_spaces() {
        // In a verbose pattern blanks are ignored, inside classes too.
        let pattern = Pattern::new(r"(?x) \d+ \s+ (?P<noun> apples | pears )");
        let text = "3 apples and 40\tpears";
        assert!(std::ptr::eq(pattern.regex(text), &pattern.ascii));
        let found =
            |regex: &regex::Regex| -> Vec<_> { regex.find_iter(text).map(|m| m.range()).collect() };
        assert_eq!(found(&pattern.ascii), vec![0..8, 13..21]);
        assert_eq!(found(pattern.unicode()), found(&pattern.ascii));
    }

    #[test]
    fn verb_forms_resolve() {
        assert_eq!(verb_base("Organizing"), Some("organize"));
        assert_eq!(verb_base("committing"), Some("commit"));
        assert_eq!(verb_base("Strengthens"), Some("strengthen"));
        assert_eq!(verb_base("Combatting"), Some("combat"));
        assert_eq!(verb_base("studied"), Some("study"));
        assert_eq!(verb_base("Building"), Some("build"));
        assert_eq!(verb_base("Today"), None);
    }

    /// The look-up among inflected forms answers as the candidates tried
    /// in order do, for the verbs with every ending, cut short, with a
    /// letter doubled, and capitalised or in quotes.
    #[test]
    fn inflected_forms_give_the_base_the_candidates_give() {
        let endings = [
            "", "s", "es", "ed", "d", "ing", "ies", "ied", "e", "y", "er", "ings", "ment", "ly",
        ];
        let mut recognised = 0;
        for verb in ACTION_VERBS {
            let last = verb.chars().next_back().unwrap();
            let stems = [
                verb.to_string(),
                verb[..verb.len() - 1].to_string(),
                verb[..verb.len().saturating_sub(2)].to_string(),
                format!("{verb}{last}"),
            ];
            for stem in &stems {
                for ending in endings {
                    let word = format!("{stem}{ending}");
                    let expected = base_of(&word);
                    recognised += usize::from(expected.is_some());
                    assert_eq!(verb_base(&word), expected, "{word}");
                    let mut capital = word.clone();
                    capital[..1].make_ascii_uppercase();
                    assert_eq!(verb_base(&capital), expected, "{capital}");
                    assert_eq!(verb_base(&capital.to_uppercase()), expected, "{capital}");
                    assert_eq!(verb_base(&format!("“{capital},")), expected, "{capital}");
                }
            }
        }
        assert!(recognised > ACTION_VERBS.len() * 5, "{recognised}");
    }

    proptest::proptest! {
        #[test]
        fn any_word_gets_the_base_the_candidates_give(word in "[a-z]{0,6}(ing|ed|d|es|s|ies|ied)?") {
            proptest::prop_assert_eq!(verb_base(&word), base_of(&word));
        }
    }
}
