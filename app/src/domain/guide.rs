//! Guided troubleshooting: decision trees a reporter walks before (or
//! instead of) logging a ticket. The trees are data, imported from a
//! versioned JSON document and validated here; walking one is a list of
//! answers, from which the diagnosis, the category and a suggested impact
//! and urgency follow.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{
    incident::Kind,
    priority::{Impact, Urgency},
};

/// The document format this release reads and writes.
pub const FORMAT: u32 = 1;
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

/// Everything wrong with a set; empty when it can be used.
pub fn validate(set: &GuideSet) -> Vec<GuideError> {
    let mut problems = Vec::new();
    if set.format != FORMAT {
        problems.push(GuideError::UnsupportedFormat(set.format));
    }
    if set.guides.is_empty() {
        problems.push(GuideError::NoGuides);
    }
    if set.guides.len() > MAX_GUIDES {
        problems.push(GuideError::TooManyGuides(set.guides.len()));
    }
    let mut ids = BTreeSet::new();
    for guide in &set.guides {
        if !ids.insert(guide.id.as_str()) {
            problems.push(GuideError::DuplicateGuide(guide.id.clone()));
        }
        validate_guide(guide, &mut problems);
    }
    problems
}

fn valid_id(id: &str) -> bool {
    (1..=40).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn validate_guide(guide: &Guide, problems: &mut Vec<GuideError>) {
    let name = || guide.id.clone();
    if !valid_id(&guide.id) {
        problems.push(GuideError::BadId(guide.id.clone()));
    }
    if guide.nodes.len() > MAX_NODES {
        problems.push(GuideError::TooManyNodes {
            guide: name(),
            count: guide.nodes.len(),
        });
        return;
    }
    let mut text = |place: &str, field: &'static str, value: &str, required: bool| {
        if required && value.trim().is_empty() {
            problems.push(GuideError::Empty {
                guide: name(),
                place: place.to_owned(),
                field,
            });
        } else if value.chars().count() > TEXT_MAX_CHARS {
            problems.push(GuideError::TooLong {
                guide: name(),
                place: place.to_owned(),
                field,
            });
        }
    };
    text("its heading", "title", &guide.title, true);
    text("its heading", "hint", &guide.hint, false);
    for (id, node) in &guide.nodes {
        let place = format!("step {id:?}");
        match node {
            Node::Question {
                text: question,
                help,
                answers,
            } => {
                text(&place, "question", question, true);
                text(&place, "help", help.as_deref().unwrap_or_default(), false);
                for answer in answers {
                    text(&place, "answer label", &answer.label, true);
                }
            }
            Node::Fix { title, steps } => {
                text(&place, "fix title", title, true);
                for step in steps {
                    text(&place, "fix step", step, true);
                }
            }
            Node::Report { advice } => {
                for line in advice {
                    text(&place, "advice", line, true);
                }
            }
        }
    }
    for (id, node) in &guide.nodes {
        match node {
            Node::Question { answers, .. } if answers.is_empty() => {
                problems.push(GuideError::DeadEnd {
                    guide: name(),
                    node: id.clone(),
                })
            }
            Node::Question { answers, .. } if answers.len() > MAX_ANSWERS => {
                problems.push(GuideError::TooManyAnswers {
                    guide: name(),
                    node: id.clone(),
                })
            }
            Node::Fix { steps, .. } if steps.is_empty() => problems.push(GuideError::EmptyFix {
                guide: name(),
                node: id.clone(),
            }),
            _ => {}
        }
        if let Node::Question { answers, .. } = node {
            for answer in answers {
                if !guide.nodes.contains_key(&answer.next) {
                    problems.push(GuideError::UnknownNode {
                        guide: name(),
                        node: id.clone(),
                        answer: answer.label.clone(),
                        next: answer.next.clone(),
                    });
                }
            }
        }
    }
    let Some(start) = guide.nodes.get(&guide.start) else {
        problems.push(GuideError::UnknownStart {
            guide: name(),
            start: guide.start.clone(),
        });
        return;
    };
    if guide.kind == Kind::SecurityIncident && !matches!(start, Node::Report { .. }) {
        problems.push(GuideError::SecurityGuideAsksQuestions(name()));
    }
    if let Some(path) = find_cycle(guide) {
        problems.push(GuideError::Cycle {
            guide: name(),
            path,
        });
    }
    let reached = reachable(guide);
    for id in guide.nodes.keys() {
        if !reached.contains(id.as_str()) {
            problems.push(GuideError::Unreachable {
                guide: name(),
                node: id.clone(),
            });
        }
    }
}

fn next_steps<'a>(guide: &'a Guide, id: &str) -> impl Iterator<Item = &'a str> {
    let answers = match guide.nodes.get(id) {
        Some(Node::Question { answers, .. }) => answers.as_slice(),
        _ => &[],
    };
    answers
        .iter()
        .map(|a| a.next.as_str())
        .filter(|next| guide.nodes.contains_key(*next))
}

/// A loop reachable from the start, as the steps that form it, if there is one.
fn find_cycle(guide: &Guide) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit<'a>(
        guide: &'a Guide,
        id: &'a str,
        marks: &mut BTreeMap<&'a str, Mark>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        match marks.get(id) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let from = stack.iter().position(|s| *s == id).unwrap_or(0);
                let mut path: Vec<String> = stack[from..].iter().map(|s| (*s).to_owned()).collect();
                path.push(id.to_owned());
                return Some(path);
            }
            None => {}
        }
        marks.insert(id, Mark::Open);
        stack.push(id);
        for next in next_steps(guide, id) {
            if let Some(cycle) = visit(guide, next, marks, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        marks.insert(id, Mark::Done);
        None
    }
    // Nodes are bounded by MAX_NODES, so the recursion depth is too.
    let mut marks = BTreeMap::new();
    let mut stack = Vec::new();
    visit(guide, &guide.start, &mut marks, &mut stack)
}

fn reachable(guide: &Guide) -> BTreeSet<&str> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![guide.start.as_str()];
    while let Some(id) = todo.pop() {
        if guide.nodes.contains_key(id) && seen.insert(id) {
            todo.extend(next_steps(guide, id));
        }
    }
    seen
}

/// "Just me / my team / the whole company": impact in the reporter's words.
pub fn impact_words(impact: Impact) -> &'static str {
    match impact {
        Impact::Low => "Just me",
        Impact::Medium => "My team",
        Impact::High => "The whole company",
    }
}

/// "I can work around it / I'm blocked": urgency in the reporter's words.
pub fn urgency_words(urgency: Urgency) -> &'static str {
    match urgency {
        Urgency::Low => "I can work around it",
        Urgency::Medium => "It slows me down",
        Urgency::High => "I'm blocked",
    }
}

/// What a reporter says before answering anything: it affects them, and it
/// gets in the way without stopping them.
pub const DEFAULT_IMPACT: Impact = Impact::Low;
pub const DEFAULT_URGENCY: Urgency = Urgency::Medium;

/// One question and the answer given, as recorded on the ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagnosisStep {
    pub question: String,
    pub answer: String,
}

/// Why a walk cannot go on as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WalkError {
    #[error("That guide no longer exists; please start again.")]
    UnknownGuide,
    #[error("That answer is not one of the choices; please start again.")]
    UnknownAnswer,
}

/// Where a reporter is in a guide: the answers given so far, by index.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Walk {
    pub answers: Vec<usize>,
}

/// The walk replayed against its guide: each question with the answer chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replayed<'a> {
    pub taken: Vec<(&'a str, &'a Node, &'a Answer)>,
    pub current_id: &'a str,
    pub current: &'a Node,
}

impl Walk {
    /// Follows the answers from the guide's start; an index that is not a
    /// choice (the guide changed since) is refused.
    pub fn replay<'a>(&self, guide: &'a Guide) -> Result<Replayed<'a>, WalkError> {
        let mut id = guide.start.as_str();
        let mut node = guide.nodes.get(id).ok_or(WalkError::UnknownGuide)?;
        let mut taken = Vec::with_capacity(self.answers.len());
        for &choice in &self.answers {
            let Node::Question { answers, .. } = node else {
                return Err(WalkError::UnknownAnswer);
            };
            let answer = answers.get(choice).ok_or(WalkError::UnknownAnswer)?;
            taken.push((id, node, answer));
            id = answer.next.as_str();
            node = guide.nodes.get(id).ok_or(WalkError::UnknownAnswer)?;
        }
        Ok(Replayed {
            taken,
            current_id: id,
            current: node,
        })
    }

    pub fn answer(&self, choice: usize) -> Walk {
        let mut answers = self.answers.clone();
        answers.push(choice);
        Walk { answers }
    }

    /// One question back; at the start, stays there.
    pub fn back(&self) -> Walk {
        let mut answers = self.answers.clone();
        answers.pop();
        Walk { answers }
    }
}

impl Replayed<'_> {
    /// The questions and answers, as the ticket's initial diagnosis.
    pub fn diagnosis(&self) -> Vec<DiagnosisStep> {
        self.taken
            .iter()
            .filter_map(|(_, node, answer)| match node {
                Node::Question { text, .. } => Some(DiagnosisStep {
                    question: text.clone(),
                    answer: answer.label.clone(),
                }),
                _ => None,
            })
            .collect()
    }

    /// Impact and urgency the answers point to; a later answer overrides
    /// an earlier one, and unanswered ones keep the defaults.
    pub fn suggested(&self) -> (Impact, Urgency) {
        suggest(self.taken.iter().map(|(_, _, answer)| *answer))
    }

    /// The narrowest category named on the way, else the guide's own.
    pub fn category<'g>(&'g self, guide: &'g Guide) -> Option<&'g str> {
        self.taken
            .iter()
            .rev()
            .find_map(|(_, _, answer)| answer.category.as_deref())
            .or(guide.category.as_deref())
    }

    /// (questions answered, most questions still ahead): for a progress bar.
    pub fn progress(&self, guide: &Guide) -> (usize, usize) {
        (self.taken.len(), questions_ahead(guide, self.current_id))
    }

    /// The step ids passed through, for the deflection record.
    pub fn path(&self) -> Vec<String> {
        self.taken
            .iter()
            .map(|(id, _, _)| (*id).to_owned())
            .chain([self.current_id.to_owned()])
            .collect()
    }
}

/// The answer → impact/urgency mapping on its own.
pub fn suggest<'a>(answers: impl IntoIterator<Item = &'a Answer>) -> (Impact, Urgency) {
    answers
        .into_iter()
        .fold((DEFAULT_IMPACT, DEFAULT_URGENCY), |(impact, urgency), a| {
            (a.impact.unwrap_or(impact), a.urgency.unwrap_or(urgency))
        })
}

/// The most questions between `id` and any leaf. The guide is acyclic
/// once validated; a cycle here would only make the count stop at the bound.
pub fn questions_ahead(guide: &Guide, id: &str) -> usize {
    fn depth(guide: &Guide, id: &str, budget: usize) -> usize {
        if budget == 0 {
            return 0;
        }
        match guide.nodes.get(id) {
            Some(Node::Question { answers, .. }) => {
                1 + answers
                    .iter()
                    .map(|a| depth(guide, &a.next, budget - 1))
                    .max()
                    .unwrap_or(0)
            }
            _ => 0,
        }
    }
    depth(guide, id, MAX_NODES)
}

/// A fix article from the guides that matches the words typed so far: the
/// "known fixes" offered beside similar tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownFix {
    pub guide_id: String,
    pub guide_title: String,
    pub title: String,
    pub steps: Vec<String>,
}

/// Fix articles sharing the most significant words with `text`, best
/// first, at most `limit`.
pub fn known_fixes(set: &GuideSet, text: &str, limit: usize) -> Vec<KnownFix> {
    let words = significant_words(text);
    if words.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, KnownFix)> = set
        .guides
        .iter()
        .flat_map(|guide| {
            guide.nodes.values().filter_map(move |node| match node {
                Node::Fix { title, steps } => Some((guide, title, steps)),
                _ => None,
            })
        })
        .filter_map(|(guide, title, steps)| {
            let haystack =
                significant_words(&format!("{} {title} {}", guide.title, steps.join(" ")));
            let score = words.intersection(&haystack).count();
            (score > 0).then(|| {
                (
                    score,
                    KnownFix {
                        guide_id: guide.id.clone(),
                        guide_title: guide.title.clone(),
                        title: title.clone(),
                        steps: steps.clone(),
                    },
                )
            })
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.title.cmp(&b.1.title)));
    scored.into_iter().take(limit).map(|(_, fix)| fix).collect()
}

/// Words too common in problem descriptions to say which fix is meant.
const COMMON_WORDS: &[&str] = &[
    "and", "are", "but", "can", "cannot", "does", "doesn", "don", "for", "from", "get", "has",
    "have", "how", "isn", "it's", "its", "just", "keeps", "not", "now", "out", "the", "this",
    "that", "too", "very", "was", "what", "when", "why", "will", "with", "won", "work", "working",
    "you", "your",
];

/// Words of three letters or more (so "VPN" and "ERP" count), lowercased,
/// without the common ones.
fn significant_words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .filter(|w| !COMMON_WORDS.contains(&w.as_str()))
        .collect()
}

#[cfg(test)]
mod tests;
