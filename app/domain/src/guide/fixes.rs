//! Known fixes: the guides' fix articles offered beside similar tickets.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{GuideSet, Node};

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
