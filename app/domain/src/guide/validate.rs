//! Whether an imported guide set can be used: ids, links, answers, text
//! lengths, and no question that leads back to itself.

use std::collections::BTreeSet;

use super::*;

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
