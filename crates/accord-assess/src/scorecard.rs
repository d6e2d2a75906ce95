//! Scorecards: compliance per member, per theme and per summit, computed
//! from the current assessments the way the research groups report it.
//!
//! Each scored assessment counts once: the average of its scores (-1, 0,
//! +1) and the same as a percentage, `(average + 1) / 2 × 100`. An
//! assessment without a score (status only) is listed but not averaged.
//! A commitment whose deadline has passed is flagged for every member it
//! names whose current score is not +1 (assessed or not).

use accord_model::Commitment;
use accord_store::assess::{Assessment, Status};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Average compliance of a group of assessments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compliance {
    /// The member, theme or summit.
    pub key: String,
    /// Scored assessments in the group.
    pub scored: usize,
    /// Of which +1, 0 and -1.
    pub full: usize,
    /// Partial (0).
    pub partial: usize,
    /// No compliance (-1).
    pub none: usize,
    /// Mean score in [-1, 1].
    pub average: f64,
    /// `(average + 1) / 2 × 100`.
    pub percent: f64,
}

impl Compliance {
    fn of(key: &str, scores: &[i64]) -> Compliance {
        let scored = scores.len();
        let average = if scored == 0 {
            0.0
        } else {
            scores.iter().sum::<i64>() as f64 / scored as f64
        };
        Compliance {
            key: key.to_string(),
            scored,
            full: scores.iter().filter(|&&s| s == 1).count(),
            partial: scores.iter().filter(|&&s| s == 0).count(),
            none: scores.iter().filter(|&&s| s == -1).count(),
            average,
            percent: percent(average),
        }
    }
}

/// `(average + 1) / 2 × 100`: the research groups' compliance percentage.
pub fn percent(average: f64) -> f64 {
    (average + 1.0) / 2.0 * 100.0
}

/// One cell of the member × commitment matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// The current score, if scored.
    pub score: Option<i64>,
    /// The current status.
    pub status: Status,
    /// The revision it is at.
    pub revision: i64,
}

/// One line of the matrix: a commitment and each member's cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// The commitment.
    pub commitment_id: String,
    /// Its text.
    pub text: String,
    /// Its summit.
    pub summit: String,
    /// Its theme.
    pub theme: String,
    /// Its deadline, if any.
    pub deadline: Option<String>,
    /// One cell per member of [`Scorecard::members`], `None` if not assessed.
    pub cells: Vec<Option<Cell>>,
    /// Mean over its scored cells, if any.
    pub average: Option<f64>,
}

/// A deadline passed without full compliance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overdue {
    /// The commitment.
    pub commitment_id: String,
    /// Its text.
    pub text: String,
    /// Its deadline.
    pub deadline: String,
    /// The member.
    pub member: String,
    /// The member's current score, if assessed.
    pub score: Option<i64>,
}

/// Compliance tables of a set of commitments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    /// The members that appear, in order.
    pub members: Vec<String>,
    /// Every assessed commitment.
    pub lines: Vec<Line>,
    /// Per member.
    pub by_member: Vec<Compliance>,
    /// Per theme.
    pub by_theme: Vec<Compliance>,
    /// Per summit.
    pub by_summit: Vec<Compliance>,
    /// All scored assessments together.
    pub overall: Compliance,
    /// Deadlines passed without +1, latest deadline first.
    pub overdue: Vec<Overdue>,
}

/// The last day a deadline (`2025`, `2025-06`, `2025-06-30`) allows.
pub fn due_date(deadline: &str) -> String {
    match deadline.len() {
        4 => format!("{deadline}-12-31"),
        7 => format!("{deadline}-31"),
        _ => deadline.to_string(),
    }
}

impl Scorecard {
    /// Builds the scorecard of `commitments` (with their summits: document
    /// id → summit) from the current `assessments`, flagging deadlines
    /// before `today` (ISO date). Assessments of commitments not given are
    /// ignored.
    pub fn build(
        commitments: &[&Commitment],
        summit_of: &HashMap<String, String>,
        assessments: &[Assessment],
        today: &str,
    ) -> Scorecard {
        let by_commitment: HashMap<&str, &Commitment> =
            commitments.iter().map(|c| (c.id.as_str(), *c)).collect();
        let mut current: BTreeMap<(&str, &str), &Assessment> = BTreeMap::new();
        for a in assessments {
            if !by_commitment.contains_key(a.commitment_id.as_str()) {
                continue;
            }
            let key = (a.commitment_id.as_str(), a.member.as_str());
            if current.get(&key).is_none_or(|b| b.revision < a.revision) {
                current.insert(key, a);
            }
        }
        let members: Vec<String> = current
            .keys()
            .map(|(_, m)| m.to_string())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let summit = |c: &Commitment| {
            summit_of
                .get(&c.document_id)
                .cloned()
                .unwrap_or_else(|| "(no summit)".into())
        };

        let mut lines = Vec::new();
        let mut scores_member: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        let mut scores_theme: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        let mut scores_summit: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        let mut all = Vec::new();
        let assessed: BTreeSet<&str> = current.keys().map(|(c, _)| *c).collect();
        for c in commitments
            .iter()
            .filter(|c| assessed.contains(c.id.as_str()))
        {
            let mut cells = Vec::new();
            let mut line_scores = Vec::new();
            for m in &members {
                let cell = current.get(&(c.id.as_str(), m.as_str())).map(|a| Cell {
                    score: a.score,
                    status: a.status,
                    revision: a.revision,
                });
                if let Some(score) = cell.as_ref().and_then(|c| c.score) {
                    line_scores.push(score);
                    scores_member.entry(m.clone()).or_default().push(score);
                    scores_theme
                        .entry(c.theme.as_str().to_string())
                        .or_default()
                        .push(score);
                    scores_summit.entry(summit(c)).or_default().push(score);
                    all.push(score);
                }
                cells.push(cell);
            }
            lines.push(Line {
                commitment_id: c.id.clone(),
                text: c.text.clone(),
                summit: summit(c),
                theme: c.theme.as_str().to_string(),
                deadline: c.deadline.clone(),
                average: (!line_scores.is_empty())
                    .then(|| line_scores.iter().sum::<i64>() as f64 / line_scores.len() as f64),
                cells,
            });
        }

        let mut overdue = Vec::new();
        for c in commitments {
            let Some(deadline) = c.deadline.as_deref() else {
                continue;
            };
            if due_date(deadline).as_str() >= today {
                continue;
            }
            let mut named: BTreeSet<String> =
                c.actors.iter().map(|a| a.to_ascii_uppercase()).collect();
            named.extend(
                current
                    .keys()
                    .filter(|(id, _)| *id == c.id)
                    .map(|(_, m)| m.to_string()),
            );
            for member in named {
                let score = current
                    .get(&(c.id.as_str(), member.as_str()))
                    .and_then(|a| a.score);
                if score != Some(1) {
                    overdue.push(Overdue {
                        commitment_id: c.id.clone(),
                        text: c.text.clone(),
                        deadline: deadline.to_string(),
                        member,
                        score,
                    });
                }
            }
        }
        overdue.sort_by(|a, b| {
            due_date(&b.deadline)
                .cmp(&due_date(&a.deadline))
                .then_with(|| a.commitment_id.cmp(&b.commitment_id))
                .then_with(|| a.member.cmp(&b.member))
        });

        let table = |m: BTreeMap<String, Vec<i64>>| {
            m.iter()
                .map(|(k, v)| Compliance::of(k, v))
                .collect::<Vec<_>>()
        };
        Scorecard {
            members,
            lines,
            by_member: table(scores_member),
            by_theme: table(scores_theme),
            by_summit: table(scores_summit),
            overall: Compliance::of("all", &all),
            overdue,
        }
    }
}
