//! Is a unit a commitment, and how firm? The G7 Research Group's sense: a
//! discrete, specific, publicly expressed statement of intent to act in the
//! future. Judged from the unit's cue phrases (modal "will", commit verbs,
//! soft and reaffirming verbs), its grammatical opening (a deliverable
//! bullet opens with an action verb), its list's lead-in, and signs of
//! background (statistics, history, praise, values).

use crate::lexicon::verb_base;
use crate::segment::{Unit, UnitKind};
use accord_model::Strength;
use regex::Regex;
use std::cell::OnceCell;
use std::sync::LazyLock;

/// The verdict on one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// How firm it is.
    pub strength: Strength,
    /// Confidence in [0, 1] that it is a commitment.
    pub confidence: f64,
}

/// Units whose confidence reaches this are kept.
pub const THRESHOLD: f64 = 0.5;

/// What a sentence whose subject is the summit's members gains; nothing
/// else raises a sentence's score once its cue is weighed.
const MEMBER_SUBJECT_BONUS: f64 = 0.25;

use crate::lexicon::{re, Pattern, Scanned, Words};

/// Firm cues: the members bind themselves.
const FIRM_PATTERN: &str = r"(?i)\b(will|shall|commit(s|ted|ting)?\s+(to|ourselves|themselves)|are\s+committed\s+to|(we|leaders|they|countries|governments|also|and|have|has)\s+pledged?|pledge[sd]?\s+(to|that|support|funding|\$)|pledging|agree[sd]?\s+(to|on|that)|agreed|resolved\s+to|decided?\s+to|undertak(e|es|ing)\s+to|intend[s]?\s+to|intention\s+to|plan[s]?\s+to|are\s+going\s+to|announc(e|es|ed|ing)|launch(es|ing)?|establish(es|ing)?|are\s+(taking|working|partnering|investing|providing|developing|launching|expanding|increasing|establishing|creating|deploying|committing)|is\s+(taking|working|partnering|investing|providing|designing|developing|launching|expanding|increasing|establishing|creating|deploying)|need\s+to\s+work|determined\s+to\s+(take|work|act|strengthen|advance|pursue))\b|(?-u:\b)(comprometemos|comprometen|comprometieron|comprometió|compromete|acordaron|acordamos|acuerdan|s['’]engagent|s['’]engage|nous\s+engageons|avons\s+convenu|ont\s+convenu|conviennent)|\w{3,}(rán|remos|eront|erons|iront|irons|dront|drons)(?-u:\b)";

/// "that will", "which will": a modal inside a relative clause describes
/// an effect, not a promise.
static RELATIVE_WILL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(that|which|who|what|this|it)\s+will\b"));

/// Soft cues: aspiration and study.
const SOFT_PATTERN: &str = r"(?i)\b(seek(s|ing)?\s+to|look(s|ing)?\s+forward\s+to|explor(e|es|ing)\b|consider(s|ing)?\b|stud(y|ies|ying)\b|look(s|ing)?\s+at\s+ways|aim(s|ing)?\s+to|striv(e|es|ing)\s+to|encourage[sd]?\b|invite[sd]?\b|hope\s+to|aspire\s+to|work(ing)?\s+toward|support(s)?\s+(the|multilateral|efforts|a|an|their|our)\b|welcome[sd]?|call(s|ing)?\s+(on|for|upon)|urge[sd]?|(are|is)\s+looking\s+to)\b";

/// "will explore", "will consider": a firm modal over a soft verb.
static SOFT_MODAL: LazyLock<Pattern<Scanned>> = LazyLock::new(|| {
    Pattern::scanning(
        r"(?i)\b(will|to|plan\s+to|intend\s+to)\s+(also\s+|further\s+|jointly\s+)?(explore|consider|study|seek|look\s+at|assess|evaluate|discuss)\b",
    )
});

/// Reaffirming cues: "reaffirm our commitment", "continue to".
const REAFFIRM_PATTERN: &str = r"(?i)\b((reaffirm|affirm|reiterat|recommit|renew)(s|ed|ing|e|es)?\s+(our|their|its|the|a)?\s*(shared\s+|strong\s+|full\s+|continued\s+|unwavering\s+|collective\s+|firm\s+|trilateral\s+|g\d+\s+)?(commitment|support|pledge|resolve|determination|intention|efforts?|work|call|dedication|endorsement)|remain(s)?\s+(firmly\s+|fully\s+|strongly\s+)?committed|continu(e|es|ing)\s+(to|our|their|working|the|collaborat)|stand\s+firm\s+in\s+our\s+commitment|will\s+continue)";

/// The firm, soft and reaffirming cues, each looked for on its own: a
/// search that stops at the first match costs less than one pass of a
/// set that must read every unit to its end to tell all three (extract
/// 1,523 -> 1,461 M instructions over 1,500 White House files).
static FIRM: LazyLock<Pattern> = LazyLock::new(|| Pattern::new(FIRM_PATTERN));
static SOFT: LazyLock<Pattern> = LazyLock::new(|| Pattern::new(SOFT_PATTERN));
static REAFFIRM: LazyLock<Pattern> = LazyLock::new(|| Pattern::new(REAFFIRM_PATTERN));
/// Any of the cues: most units have none, which one search tells.
static ANY_CUE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        "(?:{FIRM_PATTERN})|(?:{SOFT_PATTERN})|(?:{REAFFIRM_PATTERN})"
    ))
});

/// Background: past achievements, statistics, descriptions of the world.
static BACKGROUND: LazyLock<Pattern<Scanned>> = LazyLock::new(|| {
    Pattern::scanning(
        r"(?i)^(since\b|in\s+(19|20)\d\d\b|last\s+year\b|over\s+the\s+(past|last)\b|to\s+date\b|so\s+far\b|already\b|today,?\s+(president|prime|the\s+prime|the\s+president)\b.*\bmet\b|home\s+to\b|together,\s+we\s+are\b|as\s+a\s+result\b|according\s+to\b|for\s+example\b|for\s+instance\b|as\s+we\s+(gathered|met|meet|gather)\b|(\w+\s+){1,3}ago\b|(earlier|last)\s+(this\s+)?(week|month|year)\b|yesterday\b|in\s+(january|february|march|april|may|june|july|august|september|october|november|december)(\s+(19|20)\d\d)?,)",
    )
});

/// Cues that look forward whatever the opening says.
static FUTURE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)\b(will|shall|commit(s)?\s+to|pledge(s)?\s+to|intend(s)?\s+to|plan(s)?\s+to)\b",
    )
});

/// Words that make the subject of a sentence an actor.
static ACTOR_WORD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(we|they|he|she|leaders?|countries|nations|governments?|partners|ministers?|officials|members|parties|agenc(y|ies)|department|administration|president|secretary|chancellor|group|collaboration|cooperation|dialogue|forum|commission|council|initiative|partnership|each|both|all|our|us)\b",
    )
});

/// Verbs in the past tense that report what was done, not what will be.
static PAST_REPORT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)\b(has|have|had)\s+(been\s+)?(grown|created|led|provided|invested|delivered|achieved|reached|made|helped|allowed|signed|joined|seen|become|taken|worked|built|used)\b",
    )
});

/// Lead-ins that promise the list under them.
static COMMIT_LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(\bby:?$|\bto:$|\bwill\b|\bcommit|\bpledg|\bagree|\bannounc|\binclud(e|es|ing):?$|\bfollowing\b|\bdeliverables?\b|\blaunch|\bintend|\bplan\b|\bactions?\b|\binitiatives?\b|\bsteps?\b|\bmeasures?\b|\bthrough:$|\bincluding:$|comprometi|comprometen|compromete|acordaron|acuerdan|s['’]engag|engagent|convenu|\s(a|à)\s?:$)",
    )
});

/// Lead-ins that introduce background lists.
static BACKGROUND_LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)(\bsince\b|\bhas\s+(already\s+)?(delivered|achieved|taken|made|led)\b|\bhave\s+(already\s+)?(delivered|achieved|taken|made)\b|\bresults?\b|\bprogress\b|\bachievements?\b|\bhighlights\b|\bin\s+(19|20)\d\d,|\bparticipants\b|\battendees\b|\bmembers\s+(are|include)\b)",
    )
});

/// Openings that report a view: what follows "that" is its content.
static RECOGNIZE_THAT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)^(\w+\s+){0,3}?(we|leaders|they)\s+(also\s+)?(recognize|recognise|acknowledge|note|believe|know|understand|stress|underline|underscore|emphasize|emphasise|highlight|agree|are\s+convinced|are\s+aware)\s+that\b",
    )
});

/// A member subject promising inside a clause.
static MEMBER_PROMISE: LazyLock<Pattern<Scanned>> = LazyLock::new(|| {
    Pattern::scanning(
        r"(?i)\b(we|our\s+countries|our\s+governments|leaders|the\s+\w+\s+countries)\b[^.;]{0,40}?\b(will|shall|commit|pledge|intend|plan\s+to|are\s+committed)",
    )
});

/// A member subject reaffirming inside the sentence ("…, and we reaffirm").
static MEMBER_REAFFIRM: LazyLock<Pattern<Scanned>> = LazyLock::new(|| {
    Pattern::scanning(
        r"(?i)\b(we|leaders|they|our\s+countries|our\s+governments)\s+(also\s+|further\s+|again\s+)?(reaffirm|affirm|reiterate|remain|continue|renew|recommit)",
    )
});

/// Statements of value, vision or praise.
static VALUES: LazyLock<Pattern<Scanned>> = LazyLock::new(|| {
    Pattern::scanning(
        r"(?i)^(we\s+(share|recognize|acknowledge|note|believe|are\s+(proud|deeply|more\s+than|closely|an?\b)|know|understand|value)|our\s+(vision|highest\s+priority|countries\s+are|diversity)|the\s+\w+\s+is\s+an?\b|this\s+position\b|it\s+is\b)",
    )
});

/// Judges one unit. `None` when it is not a commitment at all.
pub fn classify(unit: &Unit) -> Option<Verdict> {
    let text = unit.text.as_str();
    // Words are counted only as far as a rule asks: most units are
    // sentences without a cue, for which four words are enough.
    let has_words = |n| accord_model::has_words(text, n);
    if !has_words(4) || text.ends_with('?') {
        return None;
    }
    let first_word = text.split_whitespace().next().unwrap_or("");
    // Which compilation of each pattern serves the unit, told once.
    let words = Words::of(text);
    let opens_with_action = verb_base(first_word).is_some() && !first_word.ends_with("ed");
    // Each cue is looked for when first asked about, then remembered: a
    // unit that ends early, or has a firm cue, is not read for them all.
    let (firm_cue, soft_cue, reaffirm_cue) = (OnceCell::new(), OnceCell::new(), OnceCell::new());
    let any_cue = OnceCell::new();
    let any = || *any_cue.get_or_init(|| ANY_CUE.regex_for(words).is_match(text));
    let firm = || {
        *firm_cue.get_or_init(|| {
            any()
                && FIRM.regex_for(words).find_iter(text).any(|m| {
                    !(m.as_str().eq_ignore_ascii_case("will") && is_relative_will(text, m.start()))
                })
        })
    };
    let soft = || *soft_cue.get_or_init(|| any() && SOFT.regex_for(words).is_match(text));
    let reaffirm =
        || *reaffirm_cue.get_or_init(|| any() && REAFFIRM.regex_for(words).is_match(text));
    // Found when a verdict needs it (most units get none).
    let strength = || {
        if reaffirm()
            && (!text.to_lowercase().contains("will ") || first_word_is_reaffirm(first_word))
        {
            Strength::Reaffirmation
        } else if firm() && !SOFT_MODAL.regex_for(words).is_match(text) {
            Strength::Firm
        } else if soft() || (opens_with_action && is_soft_verb(first_word)) {
            Strength::Soft
        } else if reaffirm() {
            Strength::Reaffirmation
        } else {
            Strength::Firm
        }
    };
    let background =
        || BACKGROUND.regex_for(words).is_match(text) && !FUTURE.regex_for(words).is_match(text);
    let past = || !firm() && !reaffirm() && PAST_REPORT.regex_for(words).is_match(text);
    match unit.kind {
        UnitKind::Bullet => {
            if text.ends_with(':') && !has_words(40) {
                return None;
            }
            let lead_in = unit.lead_in.as_deref().unwrap_or("");
            let lead_promises = !lead_in.is_empty()
                && COMMIT_LEAD_IN.is_match(lead_in)
                && !BACKGROUND_LEAD_IN.is_match(lead_in);
            let lead_background =
                !lead_in.is_empty() && BACKGROUND_LEAD_IN.is_match(lead_in) && !lead_promises;
            let mut score: f64 = 0.2;
            if lead_promises {
                score += 0.35;
            }
            if opens_with_action {
                score += 0.35;
            }
            if firm() || reaffirm() {
                score += 0.3;
            } else if soft() {
                score += 0.2;
            }
            if starts_with_amount(text) {
                score += 0.25;
            }
            if lead_background || background() || past() {
                score -= 0.4;
            }
            if !has_words(6) {
                score -= 0.2;
            }
            let score = score.clamp(0.0, 0.98);
            (score >= THRESHOLD).then(|| Verdict {
                strength: strength(),
                confidence: round(score),
            })
        }
        UnitKind::Sentence => {
            if text.ends_with(':') || unit.introduces {
                return None;
            }
            let mut score: f64 = if firm() {
                0.6
            } else if reaffirm() {
                0.55
            } else if soft() {
                0.45
            } else if opens_with_action && !first_word.ends_with("ing") {
                // An imperative sentence in a list-like paragraph.
                0.3
            } else {
                0.0
            };
            // Nothing below adds more than a member subject's 0.25: a
            // sentence without a cue is no commitment, whatever else it has.
            if score + MEMBER_SUBJECT_BONUS < THRESHOLD {
                return None;
            }
            if background() || past() && !soft() {
                return None;
            }
            if has_member_subject(text, words) {
                score += MEMBER_SUBJECT_BONUS;
            } else if weak_subject(text) || effect_only(text) {
                score -= 0.25;
            }
            if VALUES.regex_for(words).is_match(text) && !firm() {
                score -= 0.3;
            }
            if let Some(m) = RECOGNIZE_THAT.regex_for(words).find(text) {
                // "We recognize that X will be necessary": the modal belongs to
                // what is recognised; only "… that we will …" promises.
                if !MEMBER_PROMISE.regex_for(words).is_match(&text[m.end()..]) {
                    return None;
                }
            }
            if reaffirm()
                && !firm()
                && !soft()
                && !has_member_subject(text, words)
                && !MEMBER_REAFFIRM.regex_for(words).is_match(text)
            {
                // "The threat continues to escalate": no one commits.
                return None;
            }
            if has_words(81) {
                score -= 0.1;
            }
            let score = score.clamp(0.0, 0.95);
            (score >= THRESHOLD).then(|| Verdict {
                strength: strength(),
                confidence: round(score),
            })
        }
    }
}

/// "This includes …", "These will include …", "This effort involves …":
/// a sentence that spells out the one before it.
pub fn is_elaboration(text: &str) -> bool {
    static ELABORATION: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^(this|these|that|such|the)\s+(\w+\s+){0,2}?(will\s+)?(also\s+)?(include|includes|including|involve|involves|cover|covers|encompass|encompasses|comprise|comprises|consist|consists)\b",
        )
    });
    ELABORATION.is_match(text)
}

/// True when the "will" at `at` closes a relative clause ("… that will").
fn is_relative_will(text: &str, at: usize) -> bool {
    let from = text[..at]
        .char_indices()
        .rev()
        .nth(12)
        .map_or(0, |(i, _)| i);
    RELATIVE_WILL
        .find_iter(&text[from..])
        .any(|m| from + m.end() == at + 4)
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn first_word_is_reaffirm(word: &str) -> bool {
    matches!(
        verb_base(word),
        Some("reaffirm" | "reiterate" | "continue" | "renew" | "recommit" | "affirm")
    )
}

fn is_soft_verb(word: &str) -> bool {
    matches!(
        verb_base(word),
        Some(
            "explore"
                | "consider"
                | "study"
                | "seek"
                | "encourage"
                | "discuss"
                | "assess"
                | "evaluate"
        )
    )
}

fn starts_with_amount(text: &str) -> bool {
    let t = text.trim_start_matches(['*', '_']);
    t.starts_with('$')
        || t.starts_with('€')
        || t.starts_with('£')
        || t.starts_with("US$")
        || t.starts_with("C$")
}

/// Opening words that name the summit's members as the actor, at the
/// start of a text.
const MEMBER_SUBJECT: &str = r"(?i)^(we|our\s+(three\s+|two\s+|\w+\s+)?(countries|nations|governments|leaders|cities)|the\s+(three\s+|two\s+|g7\s+|g20\s+)?(leaders|countries|nations|governments|parties|members|partners)|leaders|they|(the\s+)?(united\s+states|u\.s\.|canada|mexico|méxico|president|prime\s+minister|government)|mexico|canada|g7|g20|together)(\b|\s|$)";

/// Characters before the first comma, at most, for a [`MEMBER_SUBJECT`]
/// after it to open the sentence ("In 2025, we will …"); one word may be
/// longer.
const OPENING_PHRASE: usize = 80;

/// Whether the summit's members are the subject: a [`MEMBER_SUBJECT`] at
/// the start, or after an opening phrase (one word, or at most
/// [`OPENING_PHRASE`] characters) and the first comma; `words` are those
/// of `text`.
///
/// What `^(\w+,\s+|[^,]{0,80},\s+)?` before the subject finds, as two
/// searches: the bounded phrase in the pattern made a large automaton,
/// slow to run.
fn has_member_subject(text: &str, words: Words) -> bool {
    static SUBJECT: LazyLock<Pattern> = LazyLock::new(|| Pattern::new(MEMBER_SUBJECT));
    static WORD: LazyLock<Regex> = LazyLock::new(|| re(r"^\w+$"));
    let subject_at = |at: &str| SUBJECT.regex_for(words).is_match(at);
    if subject_at(text) {
        return true;
    }
    let Some(comma) = text.find(',') else {
        return false;
    };
    let (opening, after) = (&text[..comma], &text[comma + 1..]);
    let subject = after.trim_start();
    subject.len() < after.len()
        && (opening.chars().nth(OPENING_PHRASE).is_none() || WORD.is_match(opening))
        && subject_at(subject)
}

/// "Port expansion will enhance the sector": a "will" whose subject names
/// no actor (no actor word, no proper name after the first word) states an
/// expected effect, not a promise.
fn effect_only(text: &str) -> bool {
    static WILL: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bwill\b"));
    let Some(m) = WILL.find(text) else {
        return false;
    };
    let subject = &text[..m.start()];
    if subject.contains(',') || ACTOR_WORD.is_match(subject) {
        return false;
    }
    !subject
        .split_whitespace()
        .skip(1)
        .any(|w| w.starts_with(|c: char| c.is_uppercase()))
}

/// Subjects that point back to something said before ("This will…").
static WEAK_SUBJECT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(this|it|that|these|those|which|such|there)\b"));

fn weak_subject(text: &str) -> bool {
    WEAK_SUBJECT.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The members are found the subject where the pattern with the
        /// opening phrase written into it (`^(\w+,\s+|[^,]{0,80},\s+)?`)
        /// finds them.
        #[test]
        fn member_subjects_are_found_where_the_pattern_with_the_opening_finds_them(
            words in proptest::collection::vec(
                "we|We|our|three|countries|the|THE|leaders|united|states|u\\.s\\.|canada|\
                 México|mexico|g7|G20|together|they|prime|minister|government|partners|\
                 [a-z]{1,12}|[a-z]{30,60}|weé|é|Σ|[0-9]{1,4}|_",
                0..16,
            ),
            gaps in proptest::collection::vec("[ ,\n]| |\u{a0}|\u{2003}|, |,  |,|-|\\.", 16),
        ) {
            let text: String = words.iter().zip(&gaps).map(|(w, g)| format!("{w}{g}")).collect();
            proptest::prop_assert_eq!(
                has_member_subject(&text, Words::of(&text)),
                with_opening().is_match(&text),
                "{:?}",
                text
            );
        }
    }

    #[test]
    fn members_are_the_subject_after_an_opening_word_or_a_short_phrase() {
        let phrase = |n: usize, c: &str| format!("{} {}", c.repeat(n / 2), c.repeat(n - n / 2 - 1));
        let cases = [
            ("We will act.".to_string(), true),
            ("In 2025, we will act.".to_string(), true),
            ("In 2025,we will act.".to_string(), false),
            ("In 2025, \u{2003}they will act.".to_string(), true),
            (format!("{}, we will act.", phrase(80, "x")), true),
            (format!("{}, we will act.", phrase(81, "x")), false),
            (format!("{}, we will act.", phrase(80, "é")), true),
            (format!("{}, we will act.", phrase(81, "é")), false),
            (format!("{}, we will act.", "é".repeat(120)), true),
            (format!("{}, we, act.", "x".repeat(20)), true),
            ("Trade, and then, we will act.".to_string(), false),
        ];
        for (text, expected) in cases {
            assert_eq!(
                has_member_subject(&text, Words::of(&text)),
                expected,
                "{text:?}"
            );
            assert_eq!(with_opening().is_match(&text), expected, "{text:?}");
        }
    }

    /// [`MEMBER_SUBJECT`] with the opening phrase before it written into
    /// the pattern.
    fn with_opening() -> Regex {
        re(&format!(
            "(?i)^(\\w+,\\s+|[^,]{{0,{OPENING_PHRASE}}},\\s+)?({})",
            MEMBER_SUBJECT.trim_start_matches("(?i)^")
        ))
    }

    /// The one search for any cue finds one exactly when a cue's own
    /// pattern does: firm, soft, reaffirming, in English, Spanish and
    /// French, in any case, and none.
    #[test]
    fn any_cue_is_found_when_a_cue_is() {
        let texts = [
            "We will launch a fund.",
            "The leaders WILL meet again.",
            "We seek to expand trade.",
            "We reaffirm our commitment to the partnership.",
            "Los líderes se comprometieron a reducir las emisiones.",
            "Nous nous engageons à agir, et ils lanceront un fonds.",
            "Ambos países fortalecerán la cooperación.",
            "The President met the Prime Minister in Ottawa.",
            "Trade grew by 5 percent last year.",
            "willing partners, shallow waters, pledgeless",
            "",
        ];
        let mut found = 0;
        for text in texts {
            let each = [&FIRM, &SOFT, &REAFFIRM]
                .iter()
                .any(|p| p.regex(text).is_match(text));
            assert_eq!(ANY_CUE.regex(text).is_match(text), each, "{text:?}");
            found += usize::from(each);
        }
        assert_eq!(found, 7);
    }

    fn sentence(text: &str) -> Unit {
        Unit {
            kind: UnitKind::Sentence,
            text: text.into(),
            start: 0,
            end: text.len(),
            section: None,
            lead_in: None,
            block: 0,
            position: 1,
            depth: 0,
            introduces: false,
        }
    }

    #[test]
    fn firm_soft_and_background() {
        let v = classify(&sentence(
            "We will also study making future vaccines in North America.",
        ))
        .unwrap();
        assert_eq!(v.strength, Strength::Soft);
        let v = classify(&sentence("We will convene a meeting of leaders in 2024.")).unwrap();
        assert_eq!(v.strength, Strength::Firm);
        assert!(classify(&sentence(
            "Since signing our first trade agreement in 1994, trade has grown over 250 percent."
        ))
        .is_none());
        assert!(classify(&sentence("Together, we are an economic powerhouse.")).is_none());
        assert!(classify(&sentence(
            "Port expansion and investment in cold storage will enhance the agricultural sector."
        ))
        .is_none());
        assert!(classify(&sentence(
            "Two weeks ago, the agency announced that it committed $150 million."
        ))
        .is_none());
        assert!(classify(&sentence(
            "Since its launch, leaders have started to work towards the goal."
        ))
        .is_none());
        assert!(classify(&sentence(
            "Trilateral collaboration on the conservation of nature will continue."
        ))
        .is_some());
        assert!(classify(&sentence(
            "We recognize that public investment will be necessary to achieve these goals."
        ))
        .is_none());
        assert!(classify(&sentence(
            "We stress that, in driving the clean energy economy, we will cooperate openly."
        ))
        .is_some());
        assert!(classify(&sentence(
            "Ransomware is a global challenge, and the threat continues to escalate."
        ))
        .is_none());
        let v = classify(&sentence(
            "We reaffirm our commitment to advance respect for workers' rights.",
        ))
        .unwrap();
        assert_eq!(v.strength, Strength::Reaffirmation);
        let v = classify(&sentence(
            "The three countries will explore ways to strengthen our supply chains.",
        ))
        .unwrap();
        assert_eq!(v.strength, Strength::Soft);
    }
}
