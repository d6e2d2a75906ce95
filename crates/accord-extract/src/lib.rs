//! Segmentation and commitment extraction.
//!
//! [`extract`] reads the cleaned text of one document and returns the
//! commitments it finds, with offsets into that text, plus diagnostics. It
//! does no IO and never fails: messy text yields fewer commitments and more
//! diagnostics, not an error.
#![deny(missing_docs)]

pub mod attributes;
pub mod classify;
pub mod lexicon;
pub mod segment;

use accord_model::{Strength, Target, Theme};

/// What extraction knows about the document besides its text.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The summit, canonical (`NALS 2023`), if known.
    pub summit: Option<String>,
    /// The document's date, for resolving "next year".
    pub date: Option<chrono::NaiveDate>,
}

/// A commitment found in the cleaned text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The commitment's words, markup stripped.
    pub text: String,
    /// Start byte in the cleaned text.
    pub start: usize,
    /// End byte in the cleaned text.
    pub end: usize,
    /// The heading it sits under.
    pub section: Option<String>,
    /// Member codes of who commits.
    pub actors: Vec<String>,
    /// How firm.
    pub strength: Strength,
    /// Theme.
    pub theme: Theme,
    /// Quantified targets.
    pub targets: Vec<Target>,
    /// Due date, ISO year, year-month or date.
    pub deadline: Option<String>,
    /// Named initiatives and bodies.
    pub initiatives: Vec<String>,
    /// Confidence in [0, 1].
    pub confidence: f64,
}

/// The result of extraction.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    /// Commitments in document order.
    pub commitments: Vec<Found>,
    /// Units considered.
    pub n_units: usize,
    /// Remarks about the text (e.g. no sentence structure found).
    pub diagnostics: Vec<String>,
}

/// Extracts the commitments of one document's cleaned text.
pub fn extract(text: &str, context: &Context) -> Extraction {
    extract_segmented(text, &segment::segment(text), context)
}

/// [`extract`] over the text already segmented (`segmented` is
/// [`segment::segment`] of `text`), for a caller that needs the units too.
pub fn extract_segmented(
    text: &str,
    segmented: &segment::Segmented,
    context: &Context,
) -> Extraction {
    let members = context
        .summit
        .as_deref()
        .map(lexicon::summit_members)
        .unwrap_or_default();
    let acronyms = attributes::Acronyms::new(attributes::acronym_definitions(text));
    let mut out = Extraction {
        n_units: segmented.units.len(),
        ..Extraction::default()
    };
    let mut previous: Option<(&segment::Unit, classify::Verdict)> = None;
    for unit in &segmented.units {
        let verdict = classify::classify(unit).or_else(|| {
            // "This includes …" right after a commitment spells out what it
            // holds: part of the promise, though it has no cue word.
            let (prev, verdict) = previous.as_ref()?;
            let follows = prev.block == unit.block && prev.position + 1 == unit.position;
            (follows
                && !unit.text.ends_with(':')
                && accord_model::has_words(&unit.text, 5)
                && classify::is_elaboration(&unit.text))
            .then(|| classify::Verdict {
                strength: verdict.strength,
                confidence: (verdict.confidence - 0.2).max(classify::THRESHOLD),
            })
        });
        let Some(verdict) = verdict else {
            previous = None;
            continue;
        };
        previous = Some((unit, verdict.clone()));
        let section = unit.section.as_deref();
        out.commitments.push(Found {
            actors: attributes::actors(&unit.text, &members),
            theme: attributes::theme(&unit.text, section),
            targets: attributes::targets(&unit.text),
            deadline: attributes::deadline(&unit.text, context.date),
            initiatives: attributes::initiatives(&unit.text, &acronyms),
            strength: verdict.strength,
            confidence: verdict.confidence,
            text: unit.text.clone(),
            start: unit.start,
            end: unit.end,
            section: unit.section.as_deref().map(String::from),
        });
    }
    if segmented.units.is_empty() {
        out.diagnostics
            .push("no sentences or list items found".into());
    }
    out
}
