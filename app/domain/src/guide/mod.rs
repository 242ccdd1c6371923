//! Guided troubleshooting: decision trees a reporter walks before (or
//! instead of) logging a ticket. The trees are data, imported from a
//! versioned JSON document and validated here; walking one is a list of
//! answers, from which the diagnosis, the category and a suggested impact
//! and urgency follow.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

mod fixes;
mod validate;
mod walk;

pub use fixes::{known_fixes, KnownFix};
pub use validate::validate;
pub use walk::{
    impact_in_words, impact_words, questions_ahead, suggest, urgency_in_words, urgency_words,
    DiagnosisStep, Replayed, Walk, WalkError, DEFAULT_IMPACT, DEFAULT_URGENCY,
};

use crate::{
    kind::Kind,
    priority::{Impact, Urgency},
};

/// The document format this release reads and writes.
pub const FORMAT: u32 = 1;
/// The guides shipped with Frontline, imported when a database has none.
pub const DEFAULT_GUIDES: &str = include_str!("../../guides/default.json");
/// Bounds that keep a document (and the page showing it) reasonable.
pub const MAX_GUIDES: usize = 50;
pub const MAX_NODES: usize = 200;
pub const MAX_ANSWERS: usize = 8;
pub const TEXT_MAX_CHARS: usize = 2_000;
/// The longest a document may be, in bytes, before it is even parsed.
pub const DOCUMENT_MAX_BYTES: usize = 512 * 1024;

/// A whole set of guides, as imported and exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideSet {
    pub format: u32,
    pub guides: Vec<Guide>,
}

/// One decision tree, offered as a choice on "Report a problem".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    /// Stable key: lowercase letters, digits and dashes (`network`).
    pub id: String,
    /// The choice's label: "Network or VPN".
    pub title: String,
    /// A line under the label: "No internet, Wi-Fi drops, VPN will not connect".
    pub hint: String,
    /// The category path a ticket from this guide gets (`Network › VPN`);
    /// an answer may name a narrower one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `security_incident` for the data-breach path.
    #[serde(default = "default_kind", skip_serializing_if = "is_incident")]
    pub kind: Kind,
    pub start: String,
    pub nodes: BTreeMap<String, Node>,
}

fn default_kind() -> Kind {
    Kind::Incident
}

fn is_incident(kind: &Kind) -> bool {
    *kind == Kind::Incident
}

/// A step of a guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Node {
    /// A yes/no or multiple-choice question.
    Question {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        help: Option<String>,
        answers: Vec<Answer>,
    },
    /// A suggested fix: "This fixed it" deflects, "Still broken" goes on to the form.
    Fix { title: String, steps: Vec<String> },
    /// Straight to the report form; `advice` is what to do right now.
    Report {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        advice: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub label: String,
    pub next: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<Impact>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<Urgency>,
    /// A narrower category than the guide's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// One problem found in a document, worded for the admin who imports it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuideError {
    #[error("The file is not a guide document: {0}")]
    Syntax(String),
    #[error("The file is {0} bytes; guide documents are limited to 512 KiB.")]
    TooLarge(usize),
    #[error("The file is in format {0}, but this version of Frontline reads format {FORMAT}.")]
    UnsupportedFormat(u32),
    #[error("The file holds no guides.")]
    NoGuides,
    #[error("The file holds {0} guides; the limit is {MAX_GUIDES}.")]
    TooManyGuides(usize),
    #[error("Guide id {0:?} must be 1–40 lowercase letters, digits or dashes.")]
    BadId(String),
    #[error("Two guides have the id {0:?}.")]
    DuplicateGuide(String),
    #[error("Guide {guide:?} has {count} steps; the limit is {MAX_NODES}.")]
    TooManyNodes { guide: String, count: usize },
    #[error("Guide {guide:?}, {place}: the {field} is empty.")]
    Empty {
        guide: String,
        place: String,
        field: &'static str,
    },
    #[error("Guide {guide:?}, {place}: the {field} is longer than {TEXT_MAX_CHARS} characters.")]
    TooLong {
        guide: String,
        place: String,
        field: &'static str,
    },
    #[error("Guide {guide:?} starts at {start:?}, which is not one of its steps.")]
    UnknownStart { guide: String, start: String },
    #[error("Guide {guide:?}, step {node:?}: the answer {answer:?} leads to {next:?}, which is not one of its steps.")]
    UnknownNode {
        guide: String,
        node: String,
        answer: String,
        next: String,
    },
    #[error("Guide {guide:?} goes round in a circle: {}.", .path.join(" → "))]
    Cycle { guide: String, path: Vec<String> },
    #[error("Guide {guide:?}, step {node:?}: a question needs at least one answer, or the reporter is stuck there.")]
    DeadEnd { guide: String, node: String },
    #[error("Guide {guide:?}, step {node:?}: a question may offer at most {MAX_ANSWERS} answers.")]
    TooManyAnswers { guide: String, node: String },
    #[error("Guide {guide:?}, step {node:?}: a fix needs at least one step to try.")]
    EmptyFix { guide: String, node: String },
    #[error("Guide {guide:?}, step {node:?} is never reached from the start.")]
    Unreachable { guide: String, node: String },
    #[error("A guide for a security incident must start with a report step, so the reporter is not held up by questions (guide {0:?}).")]
    SecurityGuideAsksQuestions(String),
}

/// Parses and validates a document. Every problem is reported, not just the first.
pub fn parse(document: &str) -> Result<GuideSet, Vec<GuideError>> {
    if document.len() > DOCUMENT_MAX_BYTES {
        return Err(vec![GuideError::TooLarge(document.len())]);
    }
    // The format number is read first, so a newer file says so instead of
    // failing on a field this version does not know.
    #[derive(Deserialize)]
    struct Header {
        format: Option<u32>,
    }
    let header: Header =
        serde_json::from_str(document).map_err(|e| vec![GuideError::Syntax(e.to_string())])?;
    match header.format {
        Some(FORMAT) => {}
        Some(other) => return Err(vec![GuideError::UnsupportedFormat(other)]),
        None => {
            return Err(vec![GuideError::Syntax(
                "the \"format\" field is missing".to_owned(),
            )])
        }
    }
    let set: GuideSet =
        serde_json::from_str(document).map_err(|e| vec![GuideError::Syntax(e.to_string())])?;
    let problems = validate(&set);
    if problems.is_empty() {
        Ok(set)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests;
