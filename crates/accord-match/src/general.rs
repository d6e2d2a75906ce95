//! General statements: commitments that name nothing concrete to deliver.
//!
//! "We stand firm in our commitment to achieving racial justice, equity,
//! and inclusion for all" is a statement of intent or values; "working
//! toward a trilateral plan for racial equity and inclusion" promises a
//! plan. Research groups code only the second kind as a discrete, specific
//! commitment to follow up, so matching treats the first kind with care:
//! two general statements on one topic share words without being one
//! commitment.

use crate::Item;

/// Nouns of concrete deliverables: what a specific commitment creates,
/// convenes, funds or adopts. Their plurals count too ("meetings",
/// "exchanges"), except where the plural is the generic word of summit
/// prose ("share strategies", "implementing strategies"): those are listed
/// in [`SINGULAR_ONLY`].
const DELIVERABLES: &[&str] = &[
    "agreement",
    "alliance",
    "campaign",
    "center",
    "centre",
    "certification",
    "charger",
    "coalition",
    "code",
    "commission",
    "committee",
    "conference",
    "convening",
    "convention",
    "corridor",
    "council",
    "course",
    "database",
    "declaration",
    "dialogue",
    "dose",
    "exchange",
    "exercise",
    "facility",
    "fellowship",
    "forum",
    "framework",
    "fund",
    "grant",
    "group",
    "guide",
    "hub",
    "initiative",
    "inventory",
    "loan",
    "map",
    "mapping",
    "market",
    "mechanism",
    "meeting",
    "memorandum",
    "network",
    "office",
    "pact",
    "partnership",
    "pilot",
    "plan",
    "platform",
    "portal",
    "program",
    "programme",
    "project",
    "protocol",
    "registry",
    "report",
    "roadmap",
    "roundtable",
    "sanction",
    "scholarship",
    "secretariat",
    "seminar",
    "standard",
    "strategy",
    "study",
    "summit",
    "task force",
    "toolkit",
    "training",
    "treaty",
    "vaccine",
    "visa",
    "website",
    "workshop",
];

/// Deliverables whose plural is generic prose rather than a deliverable.
const SINGULAR_ONLY: &[&str] = &["strategy", "study"];

/// True when a commitment names no initiative, acronym, number or concrete
/// deliverable: a general statement of intent or values.
pub(crate) fn is_general(item: &Item, markers: &[String]) -> bool {
    if !item.initiatives.is_empty()
        || !markers.is_empty()
        || item.text.chars().any(|c| c.is_ascii_digit())
    {
        return false;
    }
    !names_deliverable(&item.text.to_lowercase())
}

/// Whether a lowercase text names a deliverable: one of its words is a
/// noun of [`DELIVERABLES`] or a form of it ([`is_deliverable_word`]), or
/// it holds one of the nouns of two words.
fn names_deliverable(lower: &str) -> bool {
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(is_deliverable_word)
        || DELIVERABLES
            .iter()
            .any(|noun| noun.contains(' ') && lower.contains(noun))
}

/// Whether a lowercase word is a deliverable's noun ([`DELIVERABLES`], of
/// one word), its "-ing" form, or its plural in "-s" or "-es" (but for
/// [`SINGULAR_ONLY`]): the word with each of those endings taken off is
/// looked up, not compared with every noun.
fn is_deliverable_word(word: &str) -> bool {
    use std::sync::LazyLock;
    static NOUNS: LazyLock<rustc_hash::FxHashSet<&str>> = LazyLock::new(|| {
        DELIVERABLES
            .iter()
            .copied()
            .filter(|noun| !noun.contains(' '))
            .collect()
    });
    [("", false), ("ing", false), ("s", true), ("es", true)]
        .into_iter()
        .any(|(ending, plural)| {
            word.strip_suffix(ending).is_some_and(|noun| {
                NOUNS.contains(noun) && !(plural && SINGULAR_ONLY.contains(&noun))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `words` name a deliverable, as the rule is stated: some
    /// word is a noun followed by nothing, "ing", or (for nouns whose
    /// plural counts) "s" or "es".
    fn names_deliverable_by_rule(lower: &str) -> bool {
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        DELIVERABLES.iter().any(|noun| {
            if noun.contains(' ') {
                return lower.contains(noun);
            }
            let plural_counts = !SINGULAR_ONLY.contains(noun);
            words.iter().any(|w| {
                w.strip_prefix(noun).is_some_and(|rest| {
                    rest.is_empty()
                        || rest == "ing"
                        || (plural_counts && matches!(rest, "s" | "es"))
                })
            })
        })
    }

    proptest::proptest! {
        /// Looking each word up with its endings taken off tells what
        /// comparing it with every noun tells.
        #[test]
        fn deliverables_are_found_as_the_rule_states(
            words in proptest::collection::vec(
                "(plan|strateg|study|studies|stud|task|force|fund|group|map|hub|dose|x|é)(s|es|ing|ies|y|e|ning)?",
                0..8,
            ),
            separators in proptest::collection::vec("[ ,.-]{1,2}", 8),
        ) {
            let mut lower = String::new();
            for (word, separator) in words.iter().zip(&separators) {
                lower.push_str(word);
                lower.push_str(separator);
            }
            proptest::prop_assert_eq!(
                names_deliverable(&lower),
                names_deliverable_by_rule(&lower),
                "{:?}",
                lower
            );
        }
    }

    fn general(text: &str, initiatives: &[&str]) -> bool {
        let item = Item {
            id: String::new(),
            document_id: String::new(),
            summit: None,
            text: text.into(),
            initiatives: initiatives.iter().map(|s| s.to_string()).collect(),
        };
        is_general(&item, &crate::text::markers(&item.text, &item.initiatives))
    }

    #[test]
    fn statements_of_values_are_general() {
        for text in [
            "We stand firm in our commitment to achieving racial justice, equity, and inclusion for all.",
            "As democratic leaders, we reaffirm our commitment to protect human rights.",
            "We invite the private sector and civil society to join us in implementing the commitments we make today.",
            "We will continue implementing strategies to strengthen our regional security against shared threats.",
        ] {
            assert!(general(text, &[]), "{text}");
        }
    }

    #[test]
    fn deliverables_names_and_numbers_are_specific() {
        for (text, initiatives) in [
            (
                "Our countries will work toward a trilateral plan for racial equity and inclusion.",
                &[][..],
            ),
            (
                "We intend to develop a North American strategy to reduce methane emissions.",
                &[],
            ),
            (
                "Convening regular meetings of indigenous women leaders.",
                &[],
            ),
            ("Conserve 30 percent of lands and waters by 2030.", &[]),
            ("Revising the NAPAPI to respond to health threats.", &[]),
            (
                "Expanding membership of the Global Equality Fund.",
                &["Global Equality Fund"],
            ),
        ] {
            assert!(!general(text, initiatives), "{text}");
        }
    }
}
