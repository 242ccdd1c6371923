//! Everything that can happen to a ticket after it is logged: who may do it,
//! what it changes, and the event it records. Storage applies the returned
//! incident and appends the returned event in one transaction; it never
//! decides anything itself.

mod error;
mod event;
mod sla_mark;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use error::ChangeError;
pub use event::{kind_in_words, kind_words, Event};
use sla_mark::mark_sla;
pub use sla_mark::{sla_marks, SlaMark};

use crate::{
    calendar::{Calendar, MINUTE_MS},
    call::{self, CallChannel},
    escalation::{change_tier, initial_tier},
    incident::{parse_text, AssigneeRef, CategoryRef, Incident, NewIncident},
    kind::Kind,
    lifecycle::{transition, Actor, State, Transition},
    person::{Person, Role},
    priority::{Impact, Priority, PriorityMatrix, Urgency},
    sla::{self, Promise, SlaPolicy, SlaStatus, StateChange},
    tier::Tier,
};

/// The desk's configurable rules, in one place.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Rules {
    pub matrix: PriorityMatrix,
    pub policy: SlaPolicy,
    pub calendar: Calendar,
}

/// Who makes a change, as recorded in the event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acting {
    /// The account, when there is one (the system and unauthenticated
    /// reporters have none).
    pub person_id: Option<i64>,
    pub name: String,
    pub actor: Actor,
}

impl Acting {
    pub fn system() -> Self {
        Self {
            person_id: None,
            name: "Frontline".to_owned(),
            actor: Actor::System,
        }
    }
}

/// What someone asks to do to a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    /// A lifecycle step other than assignment.
    Move(Transition),
    /// Assign or reassign; from `new` this also moves the ticket to `assigned`.
    Assign {
        assignee_id: i64,
    },
    Reprioritise {
        impact: Impact,
        urgency: Urgency,
    },
    OverridePriority {
        priority: Priority,
        reason: String,
    },
    ChangeTier {
        to: Tier,
        reason: String,
    },
    Comment {
        text: String,
        internal: bool,
    },
    Recategorise {
        category_id: Option<i64>,
    },
    /// Identification: an incident is really a service request, or back.
    Reclassify {
        to: Kind,
    },
    /// A phone or video call with the reporter, at `at_ms` for `minutes`.
    ScheduleCall {
        at_ms: i64,
        minutes: u32,
        channel: CallChannel,
        /// What the call is for; may be empty.
        #[serde(default)]
        note: String,
    },
    /// The SLA watcher records that a promise is at risk or broken. Only
    /// the system makes it, and only when the clock says so.
    MarkSla {
        promise: Promise,
        status: SlaStatus,
    },
}

/// The records a change names by id, looked up by storage in the same
/// transaction so the decision sees them as they are now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub assignee: Option<Person>,
    pub category: Option<CategoryRef>,
    /// The lead of the ticket's tier, for an SLA alert.
    pub lead: Option<Person>,
    /// What the SLA watcher already recorded on this ticket.
    pub marked: Vec<SlaMark>,
}

/// The outcome of an accepted change: the ticket as it now is, and the event
/// to append. `incident.version` is already one higher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub incident: Incident,
    pub event: Event,
}

/// A new ticket, before storage gives it an id (0 here): priority from the
/// matrix, tier from the routing rule, due times from the policy.
pub fn report(
    new: &NewIncident,
    category: Option<CategoryRef>,
    now_ms: i64,
    rules: &Rules,
) -> Decision {
    let priority = rules.matrix.priority(new.impact, new.urgency);
    let tier = initial_tier(new.kind, priority);
    let mut incident = Incident {
        id: 0,
        version: 1,
        kind: new.kind,
        title: new.title.as_str().to_owned(),
        description: new.description.clone(),
        symptoms: new.symptoms.clone(),
        reporter: new.reporter.clone(),
        reporter_id: new.reporter_id,
        service: new.service.clone(),
        category,
        impact: new.impact,
        urgency: new.urgency,
        diagnosis: new.diagnosis.clone(),
        started: new.started.clone(),
        priority,
        priority_reason: None,
        tier,
        state: State::New,
        assignee: None,
        resolution: None,
        reported_at_ms: now_ms,
        first_response_at_ms: None,
        resolved_at_ms: None,
        closed_at_ms: None,
        response_due_ms: None,
        resolution_due_ms: None,
        updated_at_ms: now_ms,
    };
    let history = [StateChange {
        at_ms: now_ms,
        state: State::New,
    }];
    set_due_times(&mut incident, &history, now_ms, rules);
    Decision {
        event: Event::Reported {
            ticket: new.kind,
            title: incident.title.clone(),
            priority,
            tier,
        },
        incident,
    }
}

/// Decides one change to `current`. `history` is the ticket's state history
/// so far (from its events), used for the SLA clock; `found` holds the
/// records the change names.
/// Whether `by` may make `change` on `current` at all. Decided before
/// anything the change names (an assignee, a category) is looked up, so
/// that a refusal never tells whether that exists.
pub fn authorise(current: &Incident, change: &Change, by: &Acting) -> Result<(), ChangeError> {
    if current.state.is_final() {
        return Err(ChangeError::Finished(current.state));
    }
    match change {
        Change::Assign { .. } => may_work_on(current, by, "assign tickets"),
        Change::Recategorise { .. } => may_work_on(current, by, "change the category"),
        Change::MarkSla { .. } if by.actor != Actor::System => Err(ChangeError::SystemOnly),
        _ => Ok(()),
    }
}

pub fn decide(
    current: &Incident,
    change: &Change,
    by: &Acting,
    found: &Found,
    history: &[StateChange],
    now_ms: i64,
    rules: &Rules,
) -> Result<Decision, ChangeError> {
    authorise(current, change, by)?;
    let mut next = current.clone();
    let event = match change {
        Change::Move(Transition::Assign) => return Err(ChangeError::AssigneeMissing),
        Change::Move(step) => {
            let to = transition(current.state, step, by.actor, current.tier)?;
            let note = match step {
                Transition::Resolve { note, .. } => Some(parse_text("resolution note", note)?),
                Transition::Cancel { reason } => Some(parse_text("reason", reason)?),
                Transition::Reopen { comment } => Some(parse_text("comment", comment)?),
                _ => None,
            };
            next.state = to;
            match to {
                State::Resolved => {
                    next.resolved_at_ms = Some(now_ms);
                    next.resolution = note.clone();
                }
                State::Closed | State::Cancelled => next.closed_at_ms = Some(now_ms),
                _ => {}
            }
            if matches!(step, Transition::Reopen { .. }) {
                next.resolved_at_ms = None;
                next.resolution = None;
            }
            let code = match step {
                Transition::Resolve { code, .. } => *code,
                _ => None,
            };
            Event::StateChanged {
                from: current.state,
                to,
                note,
                code,
            }
        }
        Change::Assign { assignee_id } => {
            let assignee = found
                .assignee
                .as_ref()
                .filter(|p| p.id == *assignee_id)
                .ok_or(ChangeError::NoSuchPerson(*assignee_id))?;
            check_assignee(current, assignee)?;
            if current.assignee.as_ref().map(|a| a.id) == Some(assignee.id) {
                return Err(ChangeError::AlreadyAssigned(assignee.name.clone()));
            }
            let entered = if current.state == State::New {
                Some(transition(
                    current.state,
                    &Transition::Assign,
                    by.actor,
                    current.tier,
                )?)
            } else {
                None
            };
            if let Some(state) = entered {
                next.state = state;
            }
            next.assignee = Some(AssigneeRef {
                id: assignee.id,
                name: assignee.name.clone(),
            });
            Event::Assigned {
                assignee_id: assignee.id,
                assignee: assignee.name.clone(),
                previous: current.assignee.as_ref().map(|a| a.name.clone()),
                entered,
            }
        }
        Change::Reprioritise { impact, urgency } => {
            may_work_on(current, by, "change the priority")?;
            let to = rules.matrix.priority(*impact, *urgency);
            if (*impact, *urgency) == (current.impact, current.urgency)
                && current.priority_reason.is_none()
            {
                return Err(ChangeError::Unchanged(format!(
                    "impact and urgency are already {} and {}",
                    impact.code(),
                    urgency.code()
                )));
            }
            next.impact = *impact;
            next.urgency = *urgency;
            next.priority = to;
            next.priority_reason = None;
            Event::Reprioritised {
                impact: *impact,
                urgency: *urgency,
                from: current.priority,
                to,
            }
        }
        Change::OverridePriority { priority, reason } => {
            may_work_on(current, by, "override the priority")?;
            let reason = parse_text("reason", reason)?;
            if reason.is_empty() {
                return Err(ChangeError::OverrideReasonRequired);
            }
            if *priority == current.priority {
                return Err(ChangeError::Unchanged(format!(
                    "the priority is already {priority}"
                )));
            }
            next.priority = *priority;
            next.priority_reason = Some(reason.clone());
            Event::PriorityOverridden {
                from: current.priority,
                to: *priority,
                reason,
            }
        }
        Change::ChangeTier { to, reason } => {
            let reason = parse_text("reason", reason)?;
            let to = change_tier(
                by.actor,
                current.kind,
                current.state,
                current.tier,
                *to,
                &reason,
            )?;
            next.tier = to;
            // The assignee may no longer be allowed to work on it; the new
            // tier's queue picks it up.
            if to > current.tier {
                next.assignee = None;
            }
            Event::TierChanged {
                from: current.tier,
                to,
                reason,
            }
        }
        Change::Comment { text, internal } => {
            let text = parse_text("comment", text)?;
            if text.is_empty() {
                return Err(ChangeError::EmptyComment);
            }
            if *internal && matches!(by.actor, Actor::Reporter | Actor::System) {
                return Err(ChangeError::InternalNoteByReporter);
            }
            Event::Commented {
                text,
                internal: *internal,
            }
        }
        Change::Recategorise { category_id } => {
            let category = match category_id {
                None => None,
                Some(id) => Some(
                    found
                        .category
                        .clone()
                        .filter(|c| c.id == *id)
                        .ok_or(ChangeError::NoSuchCategory(*id))?,
                ),
            };
            if current.category.as_ref().map(|c| c.id) == category.as_ref().map(|c| c.id) {
                return Err(ChangeError::Unchanged(
                    "the ticket is already in that category".to_owned(),
                ));
            }
            next.category = category.clone();
            Event::Recategorised {
                from: current.category.as_ref().map(|c| c.path.clone()),
                to: category.as_ref().map(|c| c.path.clone()),
            }
        }
        Change::Reclassify { to } => {
            may_work_on(current, by, "reclassify tickets")?;
            if current.kind == Kind::SecurityIncident || *to == Kind::SecurityIncident {
                return Err(ChangeError::SecurityKindFixed);
            }
            if *to == current.kind {
                return Err(ChangeError::Unchanged(format!(
                    "the ticket is already {}",
                    kind_words(*to)
                )));
            }
            next.kind = *to;
            Event::Reclassified {
                from: current.kind,
                to: *to,
            }
        }
        Change::ScheduleCall {
            at_ms,
            minutes,
            channel,
            note,
        } => {
            may_work_on(current, by, "schedule calls")?;
            let call = call::plan(*at_ms, *minutes, channel, note, now_ms)?;
            let zone = rules.calendar.zone();
            Event::CallScheduled {
                offset_minutes: call::offset_minutes_at(&zone, call.at_ms),
                zone: zone.name().to_owned(),
                at_ms: call.at_ms,
                minutes: call.minutes,
                channel: call.channel,
                note: call.note,
            }
        }
        Change::MarkSla { promise, status } => {
            mark_sla(current, *promise, *status, found, now_ms, rules)?
        }
    };

    next.version = current.version + 1;
    if event.changes_nothing() {
        // An annotation: the ticket stays exactly as it was, due times included.
        return Ok(Decision {
            incident: next,
            event,
        });
    }
    if next.first_response_at_ms.is_none() && counts_as_first_response(&event, by.actor) {
        next.first_response_at_ms = Some(now_ms);
    }
    next.updated_at_ms = now_ms;
    let mut history = history.to_vec();
    if let Some(state) = event.entered_state() {
        history.push(StateChange {
            at_ms: now_ms,
            state,
        });
    }
    set_due_times(&mut next, &history, now_ms, rules);
    Ok(Decision {
        incident: next,
        event,
    })
}

/// The reporter hears from the desk: a reply, an assignment or a state change
/// made by a person on the desk. Internal notes and reclassification do not count.
fn counts_as_first_response(event: &Event, actor: Actor) -> bool {
    let from_desk = matches!(actor, Actor::Agent { .. } | Actor::Admin);
    let heard = match event {
        Event::Commented { internal, .. } => !internal,
        Event::Assigned { .. } | Event::StateChanged { .. } | Event::CallScheduled { .. } => true,
        _ => false,
    };
    from_desk && heard
}

fn may_work_on(current: &Incident, by: &Acting, what: &'static str) -> Result<(), ChangeError> {
    match by.actor {
        Actor::Admin => Ok(()),
        Actor::Agent { tier } if tier >= current.tier => Ok(()),
        Actor::Agent { tier } => Err(ChangeError::AboveYourTier {
            agent: tier,
            at: current.tier,
        }),
        Actor::Reporter | Actor::System => Err(ChangeError::AgentsOnly(what)),
    }
}

/// Whether `assignee` may be given `current`: an agent at or above its
/// tier, in the security team for a security incident.
pub fn check_assignee(current: &Incident, assignee: &Person) -> Result<(), ChangeError> {
    let Role::Agent { tier, .. } = assignee.role else {
        return Err(ChangeError::NotAnAgent(assignee.name.clone()));
    };
    if current.kind == Kind::SecurityIncident && !assignee.role.in_security_team() {
        return Err(ChangeError::SecurityTeamOnly(assignee.name.clone()));
    }
    if tier < current.tier {
        return Err(ChangeError::AssigneeBelowTier {
            name: assignee.name.clone(),
            tier,
            at: current.tier,
        });
    }
    Ok(())
}

/// Due times follow from the history and the current priority, so they are
/// recomputed on every change rather than adjusted.
fn set_due_times(incident: &mut Incident, history: &[StateChange], now_ms: i64, rules: &Rules) {
    let target = rules.policy.target(incident.priority);
    let calendar: &Calendar = &rules.calendar;
    incident.response_due_ms = (incident.first_response_at_ms.is_none() && incident.is_open())
        .then(|| {
            calendar.add_working_ms(
                incident.reported_at_ms,
                target.first_response_minutes * MINUTE_MS,
            )
        });
    incident.resolution_due_ms = sla::resolution_due_at(
        history,
        target.resolution_minutes,
        incident.state,
        now_ms,
        calendar,
    );
}

/// The state history the SLA clock needs, from a ticket's events in order.
pub fn state_history<'a>(events: impl IntoIterator<Item = (&'a Event, i64)>) -> Vec<StateChange> {
    events
        .into_iter()
        .filter_map(|(event, at_ms)| {
            event
                .entered_state()
                .map(|state| StateChange { at_ms, state })
        })
        .collect()
}
