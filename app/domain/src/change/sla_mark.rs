//! The SLA watcher's alerts in a ticket's log: which are already there, and
//! whether a new one is due.

use super::{check_assignee, ChangeError, Event, Found, Rules};
use crate::{
    incident::{AssigneeRef, Incident},
    priority::Priority,
    sla::{self, Promise, SlaStatus},
};

/// One SLA alert already in a ticket's log. A promise is marked once per
/// status and priority: a new priority is a new promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SlaMark {
    pub promise: Promise,
    pub status: SlaStatus,
    pub priority: Priority,
}

/// The SLA marks among a ticket's events.
pub fn sla_marks<'a>(events: impl IntoIterator<Item = &'a Event>) -> Vec<SlaMark> {
    events
        .into_iter()
        .filter_map(|event| match event {
            Event::SlaAlert {
                promise,
                status,
                priority,
                ..
            } => Some(SlaMark {
                promise: *promise,
                status: *status,
                priority: *priority,
            }),
            _ => None,
        })
        .collect()
}

/// The SLA alert for `promise` at `status`, if the clock agrees and it was
/// not recorded before (only the system makes it: see [`authorise`]). A
/// missed promise goes to the tier's lead (hierarchical escalation), when
/// the lead may work on the ticket.
pub(super) fn mark_sla(
    current: &Incident,
    promise: Promise,
    status: SlaStatus,
    found: &Found,
    now_ms: i64,
    rules: &Rules,
) -> Result<Event, ChangeError> {
    let alarm = sla::alarms(
        current.state,
        current.priority,
        current.response_due_ms,
        current.resolution_due_ms,
        &rules.policy,
        now_ms,
    )
    .into_iter()
    .find(|a| a.promise == promise && a.status >= status && status != SlaStatus::Ok)
    .ok_or(ChangeError::SlaNotDue { promise, status })?;
    let mark = SlaMark {
        promise,
        status,
        priority: current.priority,
    };
    if found.marked.contains(&mark) {
        return Err(ChangeError::Unchanged(format!(
            "the {} target was already marked {}",
            promise.label(),
            status.words()
        )));
    }
    // Hierarchical escalation: a missed promise, of either kind, alerts the lead.
    let lead = match status {
        SlaStatus::Breached => found
            .lead
            .as_ref()
            .filter(|lead| check_assignee(current, lead).is_ok())
            .map(|lead| AssigneeRef {
                id: lead.id,
                name: lead.name.clone(),
            }),
        _ => None,
    };
    Ok(Event::SlaAlert {
        promise,
        status,
        priority: current.priority,
        tier: current.tier,
        due_ms: alarm.due_ms,
        lead,
    })
}
