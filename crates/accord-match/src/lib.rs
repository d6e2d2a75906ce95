//! Matching commitments: which commitments of one summit's versions are the
//! same commitment ([`align`]), and which later commitments continue,
//! expand or repeat earlier summits' ones ([`link`]).
//!
//! Both work on [`Item`]s (a commitment with what matching needs to know of
//! it) and do no IO. Candidates come from an inverted index over
//! distinctive terms, never from all pairs of the store; a pair is scored by
//! the cosine of TF-IDF vectors of stemmed content words, with a bonus for
//! shared named initiatives (acronyms) and shared numbers.
#![deny(missing_docs)]

mod align;
mod general;
mod link;
mod text;

pub use align::{align, AlignOptions};
pub use link::{link, link_aligned, LinkKind, LinkOptions};
pub use text::{Corpus, Counting, Gathering, Probe, Spread, Statistics, Term};

/// A commitment as matching sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Commitment id.
    pub id: String,
    /// Its document.
    pub document_id: String,
    /// The document's summit, canonical (`NALS 2023`); items without one
    /// are neither aligned nor linked.
    pub summit: Option<String>,
    /// The commitment's text.
    pub text: String,
    /// Named initiatives found in it.
    pub initiatives: Vec<String>,
}

/// A scored pair of commitments.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// For alignment, one commitment; for links, the later one.
    pub a: String,
    /// For alignment, the other; for links, the earlier one.
    pub b: String,
    /// Score in [0, 1].
    pub score: f64,
    /// For links: continues, expands or repeats.
    pub kind: Option<LinkKind>,
}

/// The series of a summit (`NALS 2023` -> `NALS`) and its year.
pub fn summit_series(summit: &str) -> (String, Option<i32>) {
    let year = summit
        .split_whitespace()
        .filter_map(|w| w.parse::<i32>().ok())
        .find(|y| (1900..2200).contains(y));
    let series: Vec<&str> = summit
        .split_whitespace()
        .filter(|w| w.parse::<i32>().is_err())
        .collect();
    (series.join(" "), year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, document: &str, summit: &str, text: &str) -> Item {
        Item {
            id: id.into(),
            document_id: document.into(),
            summit: Some(summit.into()),
            text: text.into(),
            initiatives: vec![],
        }
    }

    fn ledger() -> Vec<Item> {
        vec![
            item("us21-1", "us21", "NALS 2021", "Review and update our North American Animal and Pandemic Influenza Plan (NAPAPI)."),
            item("us21-2", "us21", "NALS 2021", "Restart the Trilateral Trafficking in Persons Working Group to combat labor and sex trafficking."),
            item("us21-3", "us21", "NALS 2021", "Create a North American methane and black carbon strategy to reduce methane emissions."),
            item("ca23-1", "ca23", "NALS 2023", "Revising the North American Plan for Animal and Pandemic Influenza (NAPAPI) to respond to health threats."),
            item("ca23-2", "ca23", "NALS 2023", "Restarting the Trilateral Working Group on Trafficking in Persons to share best practices on trafficking."),
            item("ca23-3", "ca23", "NALS 2023", "Convening a roundtable for policy experts to discuss cyber security policy."),
            item("us23-1", "us23", "NALS 2023", "Revising the North American Plan for Animal and Pandemic Influenza (NAPAPI) to strengthen our ability to respond."),
            item("us23-2", "us23", "NALS 2023", "Resuming the North American Strategy to Combat Trafficking in Persons dialogue against labor and sexual trafficking."),
            item("us23-3", "us23", "NALS 2023", "Developing a Food Loss and Waste Reduction Action Plan by the end of 2025."),
            item("g7-1", "g7", "G7 2023", "Revising the Pandemic Influenza Plan of the G7 and NAPAPI."),
        ]
    }

    fn pairs(found: &[Pair]) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> =
            found.iter().map(|p| (p.a.as_str(), p.b.as_str())).collect();
        out.sort();
        out
    }

    #[test]
    fn align_pairs_versions_of_one_summit_only() {
        let items = ledger();
        let corpus = Corpus::new(&items);
        let found = align(&items, &corpus, &AlignOptions::default());
        assert_eq!(
            pairs(&found),
            vec![("ca23-1", "us23-1"), ("ca23-2", "us23-2")]
        );
    }

    #[test]
    fn links_go_to_earlier_summits_of_the_same_series() {
        let items = ledger();
        let corpus = Corpus::new(&items);
        let found = link(&items, &corpus, &LinkOptions::default());
        assert_eq!(
            pairs(&found),
            vec![
                ("ca23-1", "us21-1"),
                ("ca23-2", "us21-2"),
                ("us23-1", "us21-1"),
                ("us23-2", "us21-2")
            ]
        );
        let restart = found.iter().find(|p| p.a == "ca23-2").unwrap();
        assert_eq!(restart.kind, Some(LinkKind::Repeats));
        assert_eq!(summit_series("NALS 2023"), ("NALS".to_string(), Some(2023)));
    }

    /// A later commitment linked into two documents of one earlier summit
    /// keeps both links only when the earlier summit's alignment does not
    /// tell the two apart (regression: prose restating a principle was
    /// linked beside the fact-sheet commitment the later one continues).
    #[test]
    fn links_into_one_summit_go_to_one_commitment() {
        let items = vec![
            item("fs-1", "fs21", "NALS 2021", "Expand the Global Equality Fund to protect LGBTQI activists and human rights defenders."),
            item("fs-2", "fs21", "NALS 2021", "Restart the working group on trafficking in persons to combat sex trafficking and forced labor."),
            item("js-1", "js21", "NALS 2021", "We remain committed to combat sex trafficking and all violence against LGBTQI persons."),
            item("later", "us23", "NALS 2023", "Expanding the Global Equality Fund and combating violence against LGBTQI activists and human rights defenders."),
        ];
        let corpus = Corpus::new(&items);
        let aligned = |a: &str, b: &str| Pair {
            a: a.into(),
            b: b.into(),
            score: 0.5,
            kind: None,
        };
        let links = |same: &[Pair]| {
            let found = link_aligned(&items, &corpus, &LinkOptions::default(), same);
            let mut earlier: Vec<String> = found.into_iter().map(|p| p.b).collect();
            earlier.sort();
            earlier
        };
        // Nothing tells them apart, or they are one commitment: both kept.
        assert_eq!(links(&[]), vec!["fs-1", "js-1"]);
        assert_eq!(links(&[aligned("fs-1", "js-1")]), vec!["fs-1", "js-1"]);
        // The prose is the other fact-sheet commitment's version.
        assert_eq!(links(&[aligned("fs-2", "js-1")]), vec!["fs-1"]);
    }

    fn pair(a: &str, b: &str, score: f64) -> Pair {
        Pair {
            a: a.into(),
            b: b.into(),
            score,
            kind: None,
        }
    }

    /// Of two sentences of a joint statement on racial equity, the fact
    /// sheet's bullet is the version of the one that promises a plan, not
    /// of the one that states a value (though it shares more words).
    #[test]
    fn a_general_statement_is_not_the_version_of_a_specific_one() {
        let items = vec![
            item("fs-1", "fs21", "NALS 2021", "Reaffirming their shared commitment to advancing racial equity and justice, and committing to develop a North American partnership for racial equity and inclusion."),
            item("fs-2", "fs21", "NALS 2021", "Hold a trilateral meeting of cybersecurity experts to tackle ransomware."),
            item("js-1", "js21", "NALS 2021", "We stand firm in our commitment to achieving racial justice, equity, and inclusion for all."),
            item("js-2", "js21", "NALS 2021", "To that end, our countries will enhance collaboration by working toward a North American plan for racial equity and inclusion."),
            item("js-3", "js21", "NALS 2021", "We will convene experts to counter ransomware attacks."),
        ];
        let corpus = Corpus::new(&items);
        assert!(corpus.is_general(2) && !corpus.is_general(3));
        assert!(corpus.similarity(0, 2) > corpus.similarity(0, 3));
        let found = align(&items, &corpus, &AlignOptions::default());
        assert_eq!(pairs(&found), vec![("fs-1", "js-2"), ("fs-2", "js-3")]);
    }

    /// Two general statements on one topic are linked across summits only
    /// when close; a specific commitment on the same topic is linked.
    #[test]
    fn general_statements_are_linked_only_when_close() {
        let items = vec![
            item("js21-1", "js21", "NALS 2021", "As democratic leaders, we reaffirm our commitment to protect human rights, especially of the most vulnerable communities."),
            item("fs21-1", "fs21", "NALS 2021", "Protect the human rights of LGBTQI+ persons by pledging a trilateral commitment to the Global Equality Fund."),
            item("mx23-1", "mx23", "NALS 2023", "To combat discrimination, the three countries will guide their actions to benefit vulnerable communities and protect their rights."),
            item("us23-1", "us23", "NALS 2023", "Combatting violence against LGBTQI+ individuals by expanding membership of the Global Equality Fund."),
        ];
        let corpus = Corpus::new(&items);
        let general_link = corpus.similarity(2, 0);
        assert!((0.25..0.45).contains(&general_link), "{general_link}");
        let found = link(&items, &corpus, &LinkOptions::default());
        assert_eq!(pairs(&found), vec![("us23-1", "fs21-1")]);
    }

    /// The versions of one later commitment follow up the same earlier
    /// commitment, though one of them says it in fewer of its words.
    #[test]
    fn versions_of_a_commitment_follow_up_the_same_commitments() {
        let items = vec![
            item("us21-1", "us21", "NALS 2021", "Commit to convene a meeting of indigenous women leaders as part of the trilateral working group on violence against indigenous women and girls, which seeks to increase access to justice."),
            item("us21-2", "us21", "NALS 2021", "Hold a trilateral meeting of cybersecurity experts to tackle ransomware."),
            item("us23-1", "us23", "NALS 2023", "Combatting violence against indigenous women and girls, including by convening indigenous women leaders from all three countries."),
            item("ca23-1", "ca23", "NALS 2023", "Supporting the convening of indigenous women leaders from all three countries to discuss priorities in areas of political, economic and social development."),
            item("ca23-2", "ca23", "NALS 2023", "Convening a roundtable for policy experts to discuss cyber security policy."),
        ];
        let corpus = Corpus::new(&items);
        let own = corpus.similarity(3, 0);
        assert!((0.15..0.25).contains(&own), "{own}");
        let same = [pair("ca23-1", "us23-1", 0.65)];
        let found = link_aligned(&items, &corpus, &LinkOptions::default(), &same);
        let mut earlier_of_ca = found
            .iter()
            .filter(|p| p.a == "ca23-1")
            .map(|p| p.b.as_str());
        assert_eq!(earlier_of_ca.next(), Some("us21-1"));
        // Without the alignment, its own words are too few.
        let alone = link_aligned(&items, &corpus, &LinkOptions::default(), &[]);
        assert!(!alone.iter().any(|p| p.a == "ca23-1"));
    }
}
