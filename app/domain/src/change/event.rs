//! The events of a ticket's log: what happened, in the words a timeline shows.

use serde::{Deserialize, Serialize};

use crate::{
    call::{self, CallChannel},
    incident::AssigneeRef,
    kind::Kind,
    lifecycle::State,
    priority::{Impact, Priority, Urgency},
    resolution::ResolutionCode,
    sla::{Promise, SlaStatus},
    tier::Tier,
};

/// What happened, as stored in the event log's `data` column. The tag is
/// also stored as the event's `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    Reported {
        ticket: Kind,
        title: String,
        priority: Priority,
        tier: Tier,
    },
    Assigned {
        assignee_id: i64,
        assignee: String,
        previous: Option<String>,
        /// `assigned`, when the assignment also moved the ticket out of `new`.
        entered: Option<State>,
    },
    StateChanged {
        from: State,
        to: State,
        /// The resolution note, cancel reason or reopen comment.
        note: Option<String>,
        /// How it was resolved; events from before codes existed have none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<ResolutionCode>,
    },
    Reprioritised {
        impact: Impact,
        urgency: Urgency,
        from: Priority,
        to: Priority,
    },
    PriorityOverridden {
        from: Priority,
        to: Priority,
        reason: String,
    },
    TierChanged {
        from: Tier,
        to: Tier,
        reason: String,
    },
    Commented {
        text: String,
        internal: bool,
    },
    Recategorised {
        from: Option<String>,
        to: Option<String>,
    },
    Reclassified {
        from: Kind,
        to: Kind,
    },
    CallScheduled {
        at_ms: i64,
        minutes: u32,
        channel: CallChannel,
        note: Option<String>,
        /// The desk's time zone and its offset at the call, so the
        /// timeline reads the time as the desk's clock does.
        zone: String,
        offset_minutes: i32,
    },
    /// A promise at risk (75 % of its time used) or broken, recorded by the
    /// SLA watcher. A broken first response alerts the tier's lead.
    SlaAlert {
        promise: Promise,
        status: SlaStatus,
        priority: Priority,
        tier: Tier,
        due_ms: i64,
        lead: Option<AssigneeRef>,
    },
}

impl Event {
    /// The stored `kind` of the event: its serde tag.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Reported { .. } => "reported",
            Event::Assigned { .. } => "assigned",
            Event::StateChanged { .. } => "state_changed",
            Event::Reprioritised { .. } => "reprioritised",
            Event::PriorityOverridden { .. } => "priority_overridden",
            Event::TierChanged { .. } => "tier_changed",
            Event::Commented { .. } => "commented",
            Event::Recategorised { .. } => "recategorised",
            Event::Reclassified { .. } => "reclassified",
            Event::CallScheduled { .. } => "call_scheduled",
            Event::SlaAlert { .. } => "sla_alert",
        }
    }

    /// The call this event scheduled, if it is one.
    pub fn call(&self) -> Option<call::Call> {
        match self {
            Event::CallScheduled {
                at_ms,
                minutes,
                channel,
                note,
                ..
            } => Some(call::Call {
                at_ms: *at_ms,
                minutes: *minutes,
                channel: channel.clone(),
                note: note.clone(),
            }),
            _ => None,
        }
    }

    /// True for what only annotates a ticket (the SLA watcher's marks): a
    /// writer who missed it overwrites nothing, so it is no conflict.
    pub fn changes_nothing(&self) -> bool {
        matches!(self, Event::SlaAlert { .. })
    }

    /// The state the ticket entered through this event, if it changed.
    pub fn entered_state(&self) -> Option<State> {
        match self {
            Event::Reported { .. } => Some(State::New),
            Event::Assigned { entered, .. } => *entered,
            Event::StateChanged { to, .. } => Some(*to),
            _ => None,
        }
    }

    /// One line for a timeline or a conflict message.
    pub fn summary(&self) -> String {
        match self {
            Event::Reported { priority, tier, .. } => format!("reported, {priority} at {tier}"),
            Event::Assigned { assignee, .. } => format!("assigned to {assignee}"),
            Event::StateChanged { from, to, .. } => format!("moved from {from} to {to}"),
            Event::Reprioritised { from, to, .. } | Event::PriorityOverridden { from, to, .. } => {
                format!("priority changed from {from} to {to}")
            }
            Event::TierChanged { from, to, .. } => format!("moved from {from} to {to}"),
            Event::Commented { internal: true, .. } => "an internal note was added".to_owned(),
            Event::Commented { .. } => "a comment was added".to_owned(),
            Event::Recategorised { to: Some(to), .. } => format!("category changed to {to}"),
            Event::Recategorised { to: None, .. } => "category removed".to_owned(),
            Event::Reclassified { to, .. } => format!("reclassified as {}", kind_words(*to)),
            Event::CallScheduled {
                at_ms,
                minutes,
                offset_minutes,
                zone,
                ..
            } => format!(
                "a call was scheduled for {}",
                call::when_words(*at_ms, *minutes, *offset_minutes, zone)
            ),
            Event::SlaAlert {
                promise,
                status,
                priority,
                tier,
                lead,
                ..
            } => {
                let mut line = format!(
                    "{} target {} ({priority} at {tier})",
                    promise.label(),
                    status.words()
                );
                match (promise, status, lead) {
                    (_, _, Some(lead)) => {
                        line.push_str(&format!("; {}, the {tier} lead, was alerted", lead.name))
                    }
                    (_, SlaStatus::Breached, None) => {
                        line.push_str(&format!("; {tier} has no lead to alert"))
                    }
                    _ => {}
                }
                line
            }
        }
    }

    /// Whether the reporter sees this event on their ticket (a scheduled
    /// call is for them to attend, so they do).
    pub fn visible_to_reporter(&self) -> bool {
        !matches!(
            self,
            Event::Commented { internal: true, .. } | Event::SlaAlert { .. }
        )
    }
}

/// "an incident", "a service request": for sentences.
pub fn kind_words(kind: Kind) -> &'static str {
    kind_in_words(kind, words::Lang::En)
}

/// "an incident", "une demande de service": a ticket's kind in `lang`.
pub fn kind_in_words(kind: Kind, lang: words::Lang) -> &'static str {
    use words::lifecycle as says;
    match kind {
        Kind::Incident => says::kind_incident(lang),
        Kind::ServiceRequest => says::kind_service_request(lang),
        Kind::SecurityIncident => says::kind_security_incident(lang),
    }
}
