//! The board's data and its filter. The filter lives in the URL so a view can
//! be shared; the browser applies it to the cards it holds, so a card that a
//! live change moves into (or out of) the view appears (or leaves) at once.

use serde::{Deserialize, Serialize};

use super::{IncidentSummary, TimelineEntry};
use crate::{
    change::Event,
    kind::Kind,
    lifecycle::State,
    person::Role,
    priority::Priority,
    sla::{Promise, SlaPolicy, SlaStatus},
    tier::Tier,
};

/// Everything one board load returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardView {
    pub server_now_ms: i64,
    /// The newest event already reflected in `cards`: the live stream resumes after it.
    pub last_event_id: i64,
    pub cards: Vec<IncidentSummary>,
    /// More open tickets exist than the board loads (the most urgent come first).
    pub open_capped_at: Option<i64>,
    /// For the countdowns' warning thresholds.
    pub policy: SlaPolicy,
    pub me: i64,
    pub role: Role,
    /// Missed targets of the last days, newest first; the board lists
    /// those whose ticket still waits for what was promised.
    pub alerts: Vec<LeadAlert>,
}

/// A ticket that missed its first-response or resolution target, as the
/// SLA watcher recorded it, with the tier lead it alerted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadAlert {
    pub event_id: i64,
    pub incident_id: i64,
    pub promise: Promise,
    pub priority: Priority,
    pub tier: Tier,
    pub due_ms: i64,
    pub lead_id: Option<i64>,
    pub lead_name: Option<String>,
    pub at_ms: i64,
}

impl LeadAlert {
    /// The alert an event is, if it is a missed target.
    pub fn from_entry(entry: &TimelineEntry) -> Option<Self> {
        match &entry.event {
            Event::SlaAlert {
                promise,
                status: SlaStatus::Breached,
                priority,
                tier,
                due_ms,
                lead,
            } => Some(Self {
                event_id: entry.id,
                incident_id: entry.incident_id,
                promise: *promise,
                priority: *priority,
                tier: *tier,
                due_ms: *due_ms,
                lead_id: lead.as_ref().map(|l| l.id),
                lead_name: lead.as_ref().map(|l| l.name.clone()),
                at_ms: entry.at_ms,
            }),
            _ => None,
        }
    }

    /// Still worth showing beside `card`: nobody has answered yet, or it
    /// is not resolved yet.
    pub fn still_open(&self, card: &IncidentSummary) -> bool {
        card.id == self.incident_id
            && match self.promise {
                Promise::FirstResponse => card.response_due_ms.is_some(),
                Promise::Resolution => !matches!(
                    card.state,
                    State::Resolved | State::Closed | State::Cancelled
                ),
            }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum AssigneeFilter {
    #[default]
    Anyone,
    Me,
    Unassigned,
}

impl AssigneeFilter {
    pub fn code(self) -> &'static str {
        match self {
            AssigneeFilter::Anyone => "anyone",
            AssigneeFilter::Me => "me",
            AssigneeFilter::Unassigned => "unassigned",
        }
    }

    pub fn from_code(code: &str) -> Self {
        match code {
            "me" => AssigneeFilter::Me,
            "unassigned" => AssigneeFilter::Unassigned,
            _ => AssigneeFilter::Anyone,
        }
    }
}

/// Which cards the board shows. Unknown or malformed URL values are ignored
/// (the board shows more, never an error page).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BoardFilter {
    pub tier: Option<Tier>,
    pub priority: Option<Priority>,
    /// A category path or its start: `Network` also shows `Network › VPN`.
    pub category: Option<String>,
    pub assignee: AssigneeFilter,
    pub kind: Option<Kind>,
    /// Words that must all appear in the reference or title.
    pub text: String,
    /// Also recently closed and cancelled tickets.
    pub finished: bool,
}

impl BoardFilter {
    /// From the URL's query parameters, by name.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let value = |name: &str| {
            get(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        Self {
            tier: value("tier").and_then(|v| {
                Tier::ALL
                    .into_iter()
                    .find(|t| t.code().eq_ignore_ascii_case(&v))
            }),
            priority: value("priority").and_then(|v| {
                Priority::ALL.into_iter().find(|p| {
                    p.to_string()
                        .get(..2)
                        .is_some_and(|c| c.eq_ignore_ascii_case(&v))
                })
            }),
            category: value("category").map(|v| v.chars().take(200).collect()),
            assignee: value("assignee")
                .map_or_else(AssigneeFilter::default, |v| AssigneeFilter::from_code(&v)),
            kind: value("kind").and_then(|v| Kind::from_code(&v)),
            text: value("q")
                .map(|v| v.chars().take(200).collect())
                .unwrap_or_default(),
            finished: value("finished").is_some_and(|v| v == "1" || v == "true"),
        }
    }

    /// The query string (without `?`) that gives this filter back; empty for the default.
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(tier) = self.tier {
            pairs.push(("tier", tier.code().to_owned()));
        }
        if let Some(priority) = self.priority {
            pairs.push(("priority", priority_code(priority)));
        }
        if let Some(category) = &self.category {
            pairs.push(("category", category.clone()));
        }
        if self.assignee != AssigneeFilter::Anyone {
            pairs.push(("assignee", self.assignee.code().to_owned()));
        }
        if let Some(kind) = self.kind {
            pairs.push(("kind", kind.code().to_owned()));
        }
        if !self.text.trim().is_empty() {
            pairs.push(("q", self.text.trim().to_owned()));
        }
        if self.finished {
            pairs.push(("finished", "1".to_owned()));
        }
        pairs
            .into_iter()
            .map(|(name, value)| format!("{name}={}", encode(&value)))
            .collect::<Vec<_>>()
            .join("&")
    }

    pub fn matches(&self, card: &IncidentSummary, me: i64) -> bool {
        let words_match = self.text.split_whitespace().all(|word| {
            let word = word.to_lowercase();
            card.reference.to_lowercase().contains(&word)
                || card.title.to_lowercase().contains(&word)
        });
        self.tier.is_none_or(|t| card.tier == t)
            && self.priority.is_none_or(|p| card.priority == p)
            && self.kind.is_none_or(|k| card.kind == k)
            && self.category.as_deref().is_none_or(|wanted| {
                card.category
                    .as_deref()
                    .is_some_and(|path| path == wanted || path.starts_with(&format!("{wanted} › ")))
            })
            && match self.assignee {
                AssigneeFilter::Anyone => true,
                AssigneeFilter::Me => card.assignee_id == Some(me),
                AssigneeFilter::Unassigned => card.assignee_id.is_none(),
            }
            && (self.finished || !card.state.is_final())
            && words_match
    }
}

/// "P1" for P1 critical.
pub fn priority_code(priority: Priority) -> String {
    priority.to_string().chars().take(2).collect()
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::lifecycle::State;

    fn card() -> IncidentSummary {
        IncidentSummary {
            id: 4,
            reference: "INC-4".into(),
            kind: Kind::Incident,
            title: "VPN drops every hour".into(),
            state: State::InProgress,
            priority: Priority::P2,
            tier: Tier::L2,
            assignee: Some("Dana Reyes".into()),
            service: None,
            reported_at_ms: 0,
            response_due_ms: None,
            resolution_due_ms: Some(1),
            version: 3,
            updated_at_ms: 0,
            reporter_id: Some(9),
            assignee_id: Some(7),
            category: Some("Network › VPN".into()),
        }
    }

    fn decode(value: &str) -> String {
        let bytes = value.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&value[i + 1..i + 3], 16).expect("hex"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("utf-8")
    }

    fn parse(query: &str) -> BoardFilter {
        let pairs: Vec<(String, String)> = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_owned(), decode(v)))
            .collect();
        BoardFilter::from_query(|name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn each_filter_narrows() {
        let card = card();
        assert!(BoardFilter::default().matches(&card, 1));
        let with = |f: BoardFilter| f.matches(&card, 7);
        assert!(with(BoardFilter {
            tier: Some(Tier::L2),
            ..Default::default()
        }));
        assert!(!with(BoardFilter {
            tier: Some(Tier::L1),
            ..Default::default()
        }));
        assert!(!with(BoardFilter {
            priority: Some(Priority::P1),
            ..Default::default()
        }));
        assert!(with(BoardFilter {
            category: Some("Network".into()),
            ..Default::default()
        }));
        assert!(!with(BoardFilter {
            category: Some("Net".into()),
            ..Default::default()
        }));
        assert!(with(BoardFilter {
            assignee: AssigneeFilter::Me,
            ..Default::default()
        }));
        assert!(!BoardFilter {
            assignee: AssigneeFilter::Me,
            ..Default::default()
        }
        .matches(&card, 8));
        assert!(!with(BoardFilter {
            assignee: AssigneeFilter::Unassigned,
            ..Default::default()
        }));
        assert!(!with(BoardFilter {
            kind: Some(Kind::ServiceRequest),
            ..Default::default()
        }));
        assert!(with(BoardFilter {
            text: "vpn HOUR".into(),
            ..Default::default()
        }));
        assert!(with(BoardFilter {
            text: "inc-4".into(),
            ..Default::default()
        }));
        assert!(!with(BoardFilter {
            text: "vpn printer".into(),
            ..Default::default()
        }));
        let closed = IncidentSummary {
            state: State::Closed,
            ..card.clone()
        };
        assert!(!BoardFilter::default().matches(&closed, 7));
        assert!(BoardFilter {
            finished: true,
            ..Default::default()
        }
        .matches(&closed, 7));
    }

    #[test]
    fn the_url_gives_the_filter_back() {
        let filter = BoardFilter {
            tier: Some(Tier::L3),
            priority: Some(Priority::P1),
            category: Some("Network › VPN".into()),
            assignee: AssigneeFilter::Unassigned,
            kind: Some(Kind::ServiceRequest),
            text: "a&b=c 100%".into(),
            finished: true,
        };
        let query = filter.to_query();
        assert!(
            query.starts_with("tier=L3&priority=P1&category=Network%20%E2%80%BA%20VPN"),
            "{query}"
        );
        assert_eq!(parse(&query), filter);
        assert_eq!(BoardFilter::default().to_query(), "");
    }

    #[test]
    fn nonsense_in_the_url_is_ignored() {
        let filter = parse("tier=L9&priority=urgent&assignee=bob&kind=pizza&finished=maybe");
        assert_eq!(filter, BoardFilter::default());
    }

    proptest! {
        #[test]
        fn any_text_survives_the_url(text in "\\PC{0,40}", category in "\\PC{1,30}") {
            let filter = BoardFilter {
                text: text.trim().to_owned(),
                category: Some(category.trim().to_owned()).filter(|c| !c.is_empty()),
                ..Default::default()
            };
            prop_assert_eq!(parse(&filter.to_query()), filter);
        }
    }
}
