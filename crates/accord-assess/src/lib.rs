//! Compliance: what the ledger's assessments add up to, and where the
//! evidence for them may be.
//!
//! - [`scorecard`]: compliance per member, theme and summit, the member ×
//!   commitment matrix, and deadlines passed without full compliance.
//! - [`evidence`]: passages of later documents that may report on a
//!   commitment (suggestions an analyst accepts or rejects).
//! - [`report`]: a scorecard as Markdown and CSV.
//! - [`sheet`]: the assessments spreadsheet (CSV), written and read back
//!   in the same columns.
#![deny(missing_docs)]

pub mod evidence;
pub mod report;
pub mod scorecard;
pub mod sheet;
