//! The small fixed vocabularies: commitment strength and theme.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How firm a commitment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// "commit", "will", "pledge", "agree", "launch", "establish".
    Firm,
    /// "explore", "consider", "study", "seek", "look at ways".
    Soft,
    /// "reaffirm", "reiterate", "continue".
    Reaffirmation,
}

impl Strength {
    /// Every strength, in display order.
    pub const ALL: [Strength; 3] = [Strength::Firm, Strength::Soft, Strength::Reaffirmation];

    /// The snake_case name used in the store and in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Firm => "firm",
            Strength::Soft => "soft",
            Strength::Reaffirmation => "reaffirmation",
        }
    }

    /// Parses [`Strength::as_str`] back.
    pub fn parse(name: &str) -> Option<Strength> {
        Strength::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl fmt::Display for Strength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The theme taxonomy. Documented in `docs/themes.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Pandemics, vaccines, health systems.
    Health,
    /// Climate change, emissions, nature, oceans.
    ClimateEnvironment,
    /// Energy, clean power, hydrogen, grids.
    Energy,
    /// Trade, investment, competitiveness, SMEs, regulation.
    EconomyCompetitiveness,
    /// Supply chains, critical minerals, semiconductors.
    SupplyChains,
    /// Workers, skills, labour rights, education.
    LabourWorkforce,
    /// Migration, refugees, asylum, labour mobility.
    Migration,
    /// Security, crime, trafficking, defence, borders.
    SecurityCrime,
    /// Drugs, overdoses, fentanyl.
    Drugs,
    /// Cyber security, digital.
    Cyber,
    /// Equity, inclusion, Indigenous peoples, gender, LGBTQI+.
    EquityInclusion,
    /// Democracy, human rights, governance.
    DemocracyRights,
    /// Development cooperation, aid, food security.
    Development,
    /// Anything else.
    Other,
}

impl Theme {
    /// Every theme, in display order.
    pub const ALL: [Theme; 14] = [
        Theme::Health,
        Theme::ClimateEnvironment,
        Theme::Energy,
        Theme::EconomyCompetitiveness,
        Theme::SupplyChains,
        Theme::LabourWorkforce,
        Theme::Migration,
        Theme::SecurityCrime,
        Theme::Drugs,
        Theme::Cyber,
        Theme::EquityInclusion,
        Theme::DemocracyRights,
        Theme::Development,
        Theme::Other,
    ];

    /// The snake_case name used in the store and in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Health => "health",
            Theme::ClimateEnvironment => "climate_environment",
            Theme::Energy => "energy",
            Theme::EconomyCompetitiveness => "economy_competitiveness",
            Theme::SupplyChains => "supply_chains",
            Theme::LabourWorkforce => "labour_workforce",
            Theme::Migration => "migration",
            Theme::SecurityCrime => "security_crime",
            Theme::Drugs => "drugs",
            Theme::Cyber => "cyber",
            Theme::EquityInclusion => "equity_inclusion",
            Theme::DemocracyRights => "democracy_rights",
            Theme::Development => "development",
            Theme::Other => "other",
        }
    }

    /// Parses [`Theme::as_str`] back.
    pub fn parse(name: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
