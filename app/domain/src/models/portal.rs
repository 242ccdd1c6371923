use serde::{Deserialize, Serialize};

use crate::{
    guide::{GuideSet, KnownFix},
    kind::Kind,
    priority::{Impact, Urgency},
};

use super::IncidentSummary;

/// The guides in use, with the version a walk refers back to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideCatalog {
    pub version: i64,
    pub set: GuideSet,
}

/// A walk through one guide, as the browser reports it: the server replays
/// it against that version of the guides rather than trusting any text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideWalk {
    pub version: i64,
    pub guide_id: String,
    /// A form sends no field at all for no answers.
    #[serde(default)]
    pub answers: Vec<usize>,
}

/// Everything the report form sends. A field the form does not show (the
/// security path has no symptoms) arrives empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProblemReport {
    /// `None` when the reporter skipped the questions.
    pub walk: Option<GuideWalk>,
    pub title: String,
    pub description: String,
    pub symptoms: String,
    /// The day it started, `2026-11-27` from a date input, or empty.
    pub started_day: String,
    /// The time that day, `09:30` from a time input, or empty.
    pub started_time: String,
    pub service: String,
    pub phone: String,
    pub impact: Option<Impact>,
    pub urgency: Option<Urgency>,
}

/// What the reporter sees once the ticket is logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportReceipt {
    pub reference: String,
    pub kind: Kind,
    pub server_now_ms: i64,
    pub response_due_ms: Option<i64>,
    /// What to do right now (the security guide's advice).
    pub advice: Vec<String>,
}

/// Resolved tickets and fix articles like the title being typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Similar {
    pub incidents: Vec<SimilarIncident>,
    pub fixes: Vec<KnownFix>,
}

/// A resolved ticket the reporter may see, with how it was fixed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimilarIncident {
    pub summary: IncidentSummary,
    pub resolution: Option<String>,
}

/// How often one suggested fix solved the problem, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeflectionCount {
    pub guide_id: String,
    pub fix_title: String,
    pub count: i64,
    pub last_at_ms: i64,
}
