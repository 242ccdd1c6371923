//! Walking a guide: the answers given so far, what they diagnose, and the
//! impact and urgency they suggest.

use super::*;
use crate::priority::{Impact, Urgency};

/// "Just me / my team / the whole company": impact in the reporter's words.
pub fn impact_words(impact: Impact) -> &'static str {
    impact_in_words(impact, words::Lang::En)
}

/// Impact in the reporter's words, in `lang`.
pub fn impact_in_words(impact: Impact, lang: words::Lang) -> &'static str {
    use words::report as says;
    match impact {
        Impact::Low => says::impact_low(lang),
        Impact::Medium => says::impact_medium(lang),
        Impact::High => says::impact_high(lang),
    }
}

/// "I can work around it / I'm blocked": urgency in the reporter's words.
pub fn urgency_words(urgency: Urgency) -> &'static str {
    urgency_in_words(urgency, words::Lang::En)
}

/// Urgency in the reporter's words, in `lang`.
pub fn urgency_in_words(urgency: Urgency, lang: words::Lang) -> &'static str {
    use words::report as says;
    match urgency {
        Urgency::Low => says::urgency_low(lang),
        Urgency::Medium => says::urgency_medium(lang),
        Urgency::High => says::urgency_high(lang),
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
