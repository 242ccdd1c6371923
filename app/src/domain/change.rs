//! Everything that can happen to a ticket after it is logged: who may do it,
//! what it changes, and the event it records. Storage applies the returned
//! incident and appends the returned event in one transaction; it never
//! decides anything itself.

use serde::{Deserialize, Serialize};

use super::{
    calendar::{Calendar, MINUTE_MS},
    call::{self, CallChannel, CallError},
    incident::{parse_text, AssigneeRef, CategoryRef, Incident, Kind, NewIncident, TextTooLong},
    lifecycle::{transition, Actor, State, Transition, TransitionError},
    person::{Person, Role},
    priority::{Impact, Priority, PriorityMatrix, Urgency},
    resolution::ResolutionCode,
    sla::{self, Promise, SlaPolicy, SlaStatus, StateChange},
    tier::{change_tier, initial_tier, EscalationError, Tier},
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
    match kind {
        Kind::Incident => "an incident",
        Kind::ServiceRequest => "a service request",
        Kind::SecurityIncident => "a security incident",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error(transparent)]
    Lifecycle(#[from] TransitionError),
    #[error(transparent)]
    Tier(#[from] EscalationError),
    #[error(transparent)]
    Text(#[from] TextTooLong),
    #[error(transparent)]
    Call(#[from] CallError),
    #[error("A {0} ticket can no longer be changed; please log a new one.")]
    Finished(State),
    #[error("Only the service desk can {0}.")]
    AgentsOnly(&'static str),
    #[error("An {agent} agent cannot change a ticket at {at}.")]
    AboveYourTier { agent: Tier, at: Tier },
    #[error("Choose who the ticket is assigned to.")]
    AssigneeMissing,
    #[error("There is no person with id {0}.")]
    NoSuchPerson(i64),
    #[error("There is no category with id {0}.")]
    NoSuchCategory(i64),
    #[error("{0} is not an agent, so tickets cannot be assigned to them.")]
    NotAnAgent(String),
    #[error("{name} works at {tier}; this ticket is at {at}. Move the ticket first, or pick someone at {at} or above.")]
    AssigneeBelowTier { name: String, tier: Tier, at: Tier },
    #[error("Security incidents are handled by the security team only; {0} is not in it.")]
    SecurityTeamOnly(String),
    #[error("The ticket is already assigned to {0}.")]
    AlreadyAssigned(String),
    #[error("Please write something before sending.")]
    EmptyComment,
    #[error("Only the service desk can add internal notes.")]
    InternalNoteByReporter,
    #[error("Please give a reason for overriding the priority.")]
    OverrideReasonRequired,
    #[error("Nothing to change: {0}.")]
    Unchanged(String),
    #[error("A security incident stays one, and other tickets cannot become one; log a new security report instead.")]
    SecurityKindFixed,
    #[error("Only Frontline's SLA watcher records SLA alerts.")]
    SystemOnly,
    #[error("The {} target is not {}.", .promise.label(), .status.words())]
    SlaNotDue { promise: Promise, status: SlaStatus },
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

/// The SLA alert for `promise` at `status`, if the clock agrees and it was
/// not recorded before (only the system makes it: see [`authorise`]). A
/// missed promise goes to the tier's lead (hierarchical escalation), when
/// the lead may work on the ticket.
fn mark_sla(
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::{
        calendar::MINUTE_MS,
        incident::{is_open, IncidentTitle},
        person::Contact,
    };

    const T0: i64 = 1_790_000_000_000;
    const HOUR: i64 = 60 * MINUTE_MS;

    fn new_incident(kind: Kind, impact: Impact, urgency: Urgency) -> NewIncident {
        NewIncident {
            kind,
            title: IncidentTitle::parse("VPN drops every hour").expect("valid"),
            description: "Since Monday.".to_owned(),
            symptoms: String::new(),
            reporter: Contact::new("Ada Lovelace", "ada@example.org", "").expect("valid"),
            reporter_id: None,
            service: Some("VPN".to_owned()),
            category_id: None,
            impact,
            urgency,
            diagnosis: Vec::new(),
            started: None,
        }
    }

    fn reported(kind: Kind, impact: Impact, urgency: Urgency) -> Incident {
        let mut incident = report(
            &new_incident(kind, impact, urgency),
            None,
            T0,
            &Rules::default(),
        )
        .incident;
        incident.id = 1;
        incident
    }

    /// Everyone the tests can assign: 1 L1, 2 L2, 3 L3 in the security
    /// team, 4 admin, 5 a reporter, 6 L3 outside the security team.
    fn people() -> Vec<Person> {
        let agent = |tier, security_team| Role::Agent {
            tier,
            security_team,
        };
        [
            agent(Tier::L1, false),
            agent(Tier::L2, false),
            agent(Tier::L3, true),
            Role::Admin,
            Role::Reporter,
            agent(Tier::L3, false),
        ]
        .into_iter()
        .zip(1..)
        .map(|(role, id)| Person {
            id,
            name: format!("Person {id}"),
            email: format!("person{id}@example.org"),
            phone: None,
            role,
        })
        .collect()
    }

    fn person(id: i64) -> Person {
        people()
            .into_iter()
            .find(|p| p.id == id)
            .expect("in the directory")
    }

    fn acting(person: &Person) -> Acting {
        Acting {
            person_id: Some(person.id),
            name: person.name.clone(),
            actor: person.role.actor(),
        }
    }

    fn reporter() -> Acting {
        Acting {
            person_id: None,
            name: "Ada Lovelace".to_owned(),
            actor: Actor::Reporter,
        }
    }

    /// Applies changes in order, keeping the history as storage would.
    struct Ticket {
        incident: Incident,
        history: Vec<StateChange>,
        events: Vec<Event>,
        /// The lead of every tier, when set.
        lead: Option<Person>,
    }

    impl Ticket {
        fn new(incident: Incident) -> Self {
            let history = vec![StateChange {
                at_ms: incident.reported_at_ms,
                state: State::New,
            }];
            Self {
                incident,
                history,
                events: Vec::new(),
                lead: None,
            }
        }

        fn apply(
            &mut self,
            change: Change,
            by: &Acting,
            now_ms: i64,
        ) -> Result<Event, ChangeError> {
            let found = Found {
                assignee: match change {
                    Change::Assign { assignee_id } => {
                        people().into_iter().find(|p| p.id == assignee_id)
                    }
                    _ => None,
                },
                category: None,
                lead: self.lead.clone(),
                marked: sla_marks(&self.events),
            };
            let decision = decide(
                &self.incident,
                &change,
                by,
                &found,
                &self.history,
                now_ms,
                &Rules::default(),
            )?;
            if let Some(state) = decision.event.entered_state() {
                self.history.push(StateChange {
                    at_ms: now_ms,
                    state,
                });
            }
            self.incident = decision.incident;
            self.events.push(decision.event.clone());
            Ok(decision.event)
        }
    }

    #[test]
    fn a_missed_resolution_stays_missed_at_its_due_time() {
        // P2: resolution due 8 h after the report.
        let mut ticket = Ticket::new(reported(Kind::Incident, Impact::Medium, Urgency::High));
        let due = T0 + 8 * HOUR;
        let l1 = acting(&person(1));
        for (i, at) in [T0 + 9 * HOUR, T0 + 12 * HOUR, T0 + 30 * HOUR]
            .into_iter()
            .enumerate()
        {
            let change = if i == 0 {
                Change::Assign { assignee_id: 1 }
            } else {
                Change::Comment {
                    text: format!("Still on it ({i})"),
                    internal: i == 1,
                }
            };
            ticket.apply(change, &l1, at).expect("accepted");
            assert_eq!(
                ticket.incident.resolution_due_ms,
                Some(due),
                "after the change at {at}"
            );
        }
    }

    #[test]
    fn a_report_gets_priority_tier_and_due_times() {
        let incident = reported(Kind::Incident, Impact::Medium, Urgency::High);
        assert_eq!(incident.priority, Priority::P2);
        assert_eq!(incident.tier, Tier::L1);
        assert_eq!(incident.state, State::New);
        assert_eq!(incident.version, 1);
        assert_eq!(incident.response_due_ms, Some(T0 + HOUR));
        assert_eq!(incident.resolution_due_ms, Some(T0 + 8 * HOUR));

        let critical = reported(Kind::Incident, Impact::High, Urgency::High);
        assert_eq!((critical.priority, critical.tier), (Priority::P1, Tier::L3));
        let breach = reported(Kind::SecurityIncident, Impact::Low, Urgency::Low);
        assert_eq!(breach.tier, Tier::L3);
        assert_eq!(breach.reference(), "SEC-000001");
    }

    #[test]
    fn assigning_a_new_ticket_moves_it_and_counts_as_first_response() {
        let dana = person(1);
        let mut ticket = Ticket::new(reported(Kind::Incident, Impact::Medium, Urgency::Medium));
        let event = ticket
            .apply(
                Change::Assign {
                    assignee_id: dana.id,
                },
                &acting(&dana),
                T0 + 10 * MINUTE_MS,
            )
            .expect("assigned");
        assert_eq!(event.entered_state(), Some(State::Assigned));
        assert_eq!(ticket.incident.state, State::Assigned);
        assert_eq!(ticket.incident.version, 2);
        assert_eq!(
            ticket.incident.first_response_at_ms,
            Some(T0 + 10 * MINUTE_MS)
        );
        assert_eq!(ticket.incident.response_due_ms, None);
        assert_eq!(
            ticket.apply(
                Change::Assign {
                    assignee_id: dana.id
                },
                &acting(&dana),
                T0 + HOUR
            ),
            Err(ChangeError::AlreadyAssigned("Person 1".to_owned()))
        );
    }

    #[test]
    fn assignees_must_be_agents_at_the_tickets_tier() {
        let lead = person(6);
        let l1 = person(1);
        let mut critical = Ticket::new(reported(Kind::Incident, Impact::High, Urgency::High));
        assert!(matches!(
            critical.apply(Change::Assign { assignee_id: l1.id }, &acting(&lead), T0),
            Err(ChangeError::AssigneeBelowTier {
                tier: Tier::L1,
                at: Tier::L3,
                ..
            })
        ));
        let someone = person(5);
        assert_eq!(
            critical.apply(
                Change::Assign {
                    assignee_id: someone.id
                },
                &acting(&lead),
                T0
            ),
            Err(ChangeError::NotAnAgent("Person 5".to_owned()))
        );
        let mut breach = Ticket::new(reported(Kind::SecurityIncident, Impact::Low, Urgency::Low));
        assert_eq!(
            breach.apply(
                Change::Assign {
                    assignee_id: lead.id
                },
                &acting(&lead),
                T0
            ),
            Err(ChangeError::SecurityTeamOnly("Person 6".to_owned()))
        );
        let responder = person(3);
        assert!(breach
            .apply(
                Change::Assign {
                    assignee_id: responder.id
                },
                &acting(&lead),
                T0
            )
            .is_ok());
    }

    #[test]
    fn pending_pauses_the_resolution_clock_and_resuming_restarts_it() {
        let dana = person(1);
        let by = acting(&dana);
        let mut ticket = Ticket::new(reported(Kind::Incident, Impact::Medium, Urgency::Medium)); // P3: 24 h
        ticket
            .apply(
                Change::Assign {
                    assignee_id: dana.id,
                },
                &by,
                T0,
            )
            .expect("assign");
        ticket
            .apply(Change::Move(Transition::StartWork), &by, T0 + HOUR)
            .expect("start");
        ticket
            .apply(Change::Move(Transition::AwaitReporter), &by, T0 + 2 * HOUR)
            .expect("hold");
        assert_eq!(ticket.incident.resolution_due_ms, None);
        // Ten hours later the reporter answers: those ten hours do not count.
        ticket
            .apply(
                Change::Move(Transition::Resume),
                &reporter(),
                T0 + 12 * HOUR,
            )
            .expect("resume");
        assert_eq!(
            ticket.incident.resolution_due_ms,
            Some(T0 + 12 * HOUR + 22 * HOUR)
        );
    }

    #[test]
    fn resolving_records_the_note_and_reopening_clears_it() {
        let dana = person(1);
        let by = acting(&dana);
        let mut ticket = Ticket::new(reported(Kind::Incident, Impact::Low, Urgency::Low));
        ticket
            .apply(
                Change::Assign {
                    assignee_id: dana.id,
                },
                &by,
                T0,
            )
            .expect("assign");
        ticket
            .apply(Change::Move(Transition::StartWork), &by, T0)
            .expect("start");
        ticket
            .apply(
                Change::Move(Transition::Resolve {
                    note: " Reissued the VPN certificate. ".to_owned(),
                    code: Some(ResolutionCode::Solved),
                }),
                &by,
                T0 + HOUR,
            )
            .expect("resolve");
        assert_eq!(
            ticket.incident.resolution.as_deref(),
            Some("Reissued the VPN certificate.")
        );
        assert_eq!(ticket.incident.resolved_at_ms, Some(T0 + HOUR));
        assert_eq!(ticket.incident.resolution_due_ms, None);
        ticket
            .apply(
                Change::Move(Transition::Reopen {
                    comment: "Still drops.".to_owned(),
                }),
                &reporter(),
                T0 + 2 * HOUR,
            )
            .expect("reopen");
        assert_eq!(ticket.incident.state, State::InProgress);
        assert_eq!(ticket.incident.resolution, None);
        assert_eq!(ticket.incident.resolved_at_ms, None);
        ticket
            .apply(
                Change::Move(Transition::Resolve {
                    note: "New profile.".to_owned(),
                    code: Some(ResolutionCode::Solved),
                }),
                &by,
                T0 + 3 * HOUR,
            )
            .expect("resolve again");
        ticket
            .apply(Change::Move(Transition::Close), &reporter(), T0 + 4 * HOUR)
            .expect("close");
        assert_eq!(
            ticket.apply(
                Change::Comment {
                    text: "thanks".to_owned(),
                    internal: false
                },
                &reporter(),
                T0 + 5 * HOUR
            ),
            Err(ChangeError::Finished(State::Closed))
        );
    }

    #[test]
    fn overriding_priority_needs_a_reason_and_reprioritising_clears_it() {
        let dana = person(1);
        let by = acting(&dana);
        let mut ticket = Ticket::new(reported(Kind::Incident, Impact::Low, Urgency::Low));
        assert_eq!(
            ticket.apply(
                Change::OverridePriority {
                    priority: Priority::P2,
                    reason: " ".to_owned()
                },
                &by,
                T0
            ),
            Err(ChangeError::OverrideReasonRequired)
        );
        ticket
            .apply(
                Change::OverridePriority {
                    priority: Priority::P2,
                    reason: "CEO's laptop".to_owned(),
                },
                &by,
                T0,
            )
            .expect("override");
        assert_eq!(ticket.incident.priority, Priority::P2);
        assert_eq!(
            ticket.incident.priority_reason.as_deref(),
            Some("CEO's laptop")
        );
        assert_eq!(ticket.incident.resolution_due_ms, Some(T0 + 8 * HOUR));
        ticket
            .apply(
                Change::Reprioritise {
                    impact: Impact::Medium,
                    urgency: Urgency::Medium,
                },
                &by,
                T0,
            )
            .expect("reprioritise");
        assert_eq!(
            (
                ticket.incident.priority,
                ticket.incident.priority_reason.clone()
            ),
            (Priority::P3, None)
        );
        assert!(matches!(
            ticket.apply(
                Change::Reprioritise {
                    impact: Impact::Medium,
                    urgency: Urgency::Medium
                },
                &by,
                T0
            ),
            Err(ChangeError::Unchanged(_))
        ));
    }

    #[test]
    fn escalation_records_the_reason_and_frees_the_ticket_for_the_next_tier() {
        let dana = person(1);
        let by = acting(&dana);
        let mut ticket = Ticket::new(reported(Kind::Incident, Impact::Medium, Urgency::Medium));
        ticket
            .apply(
                Change::Assign {
                    assignee_id: dana.id,
                },
                &by,
                T0,
            )
            .expect("assign");
        let event = ticket
            .apply(
                Change::ChangeTier {
                    to: Tier::L2,
                    reason: "Needs a network engineer.".to_owned(),
                },
                &by,
                T0,
            )
            .expect("escalate");
        assert_eq!(event.summary(), "moved from L1 to L2");
        assert_eq!(ticket.incident.tier, Tier::L2);
        assert_eq!(ticket.incident.assignee, None);
        // Dana is L1: the ticket is now above her tier.
        assert_eq!(
            ticket.apply(Change::Recategorise { category_id: None }, &by, T0),
            Err(ChangeError::AboveYourTier {
                agent: Tier::L1,
                at: Tier::L2
            })
        );
    }

    #[test]
    fn reporters_comment_but_do_not_triage() {
        let mut ticket = Ticket::new(reported(Kind::Incident, Impact::Medium, Urgency::Medium));
        assert_eq!(
            ticket.apply(
                Change::Reprioritise {
                    impact: Impact::High,
                    urgency: Urgency::High
                },
                &reporter(),
                T0
            ),
            Err(ChangeError::AgentsOnly("change the priority"))
        );
        assert_eq!(
            ticket.apply(
                Change::Comment {
                    text: "x".to_owned(),
                    internal: true
                },
                &reporter(),
                T0
            ),
            Err(ChangeError::InternalNoteByReporter)
        );
        assert_eq!(
            ticket.apply(
                Change::Comment {
                    text: "  ".to_owned(),
                    internal: false
                },
                &reporter(),
                T0
            ),
            Err(ChangeError::EmptyComment)
        );
        ticket
            .apply(
                Change::Comment {
                    text: "It also happens on Wi-Fi.".to_owned(),
                    internal: false,
                },
                &reporter(),
                T0,
            )
            .expect("comment");
        // A reporter's own comment is not a response from the desk.
        assert_eq!(ticket.incident.first_response_at_ms, None);
    }

    #[test]
    fn identification_reclassifies_but_never_into_or_out_of_security() {
        let l1 = acting(&person(1));
        let mut ticket = Ticket::new(reported(Kind::Incident, Impact::Low, Urgency::Low));
        let event = ticket
            .apply(
                Change::Reclassify {
                    to: Kind::ServiceRequest,
                },
                &l1,
                T0 + MINUTE_MS,
            )
            .expect("L1 identifies");
        assert_eq!(
            event,
            Event::Reclassified {
                from: Kind::Incident,
                to: Kind::ServiceRequest
            }
        );
        assert_eq!(ticket.incident.reference(), "REQ-000001");
        assert_eq!(event.summary(), "reclassified as a service request");
        // It does not count as hearing from the desk.
        assert_eq!(ticket.incident.first_response_at_ms, None);
        assert!(matches!(
            ticket.apply(
                Change::Reclassify {
                    to: Kind::ServiceRequest
                },
                &l1,
                T0 + 2 * MINUTE_MS
            ),
            Err(ChangeError::Unchanged(_))
        ));
        assert_eq!(
            ticket.apply(
                Change::Reclassify {
                    to: Kind::SecurityIncident
                },
                &l1,
                T0 + 2 * MINUTE_MS
            ),
            Err(ChangeError::SecurityKindFixed)
        );
        assert_eq!(
            ticket.apply(
                Change::Reclassify { to: Kind::Incident },
                &reporter(),
                T0 + 2 * MINUTE_MS
            ),
            Err(ChangeError::AgentsOnly("reclassify tickets"))
        );
        let mut breach = Ticket::new(reported(Kind::SecurityIncident, Impact::Low, Urgency::Low));
        assert_eq!(
            breach.apply(
                Change::Reclassify { to: Kind::Incident },
                &acting(&person(3)),
                T0
            ),
            Err(ChangeError::SecurityKindFixed)
        );
    }

    #[test]
    fn events_round_trip_through_json_with_their_kind() {
        let event = Event::StateChanged {
            from: State::InProgress,
            to: State::Resolved,
            note: Some("Fixed".to_owned()),
            code: Some(ResolutionCode::Solved),
        };
        let json = serde_json::to_value(&event).expect("serialises");
        assert_eq!(json["kind"], event.kind());
        assert_eq!(serde_json::from_value::<Event>(json).ok(), Some(event));
    }

    fn mark(promise: Promise, status: SlaStatus) -> Change {
        Change::MarkSla { promise, status }
    }

    #[test]
    fn a_missed_first_response_is_marked_once_and_alerts_the_tiers_lead() {
        // P2 at L1: first response within 1 h, resolution within 8 h.
        let mut ticket = Ticket::new(reported(Kind::Incident, Impact::Medium, Urgency::High));
        ticket.lead = Some(person(2));
        let system = Acting::system();
        assert_eq!(
            ticket.apply(
                mark(Promise::FirstResponse, SlaStatus::Warning),
                &system,
                T0 + 44 * MINUTE_MS
            ),
            Err(ChangeError::SlaNotDue {
                promise: Promise::FirstResponse,
                status: SlaStatus::Warning
            })
        );
        let warning = ticket
            .apply(
                mark(Promise::FirstResponse, SlaStatus::Warning),
                &system,
                T0 + 45 * MINUTE_MS,
            )
            .expect("75 % of the hour is used");
        assert!(
            matches!(warning, Event::SlaAlert { lead: None, .. }),
            "a warning alerts nobody"
        );
        assert_eq!(
            warning.summary(),
            "first response target at risk (P2 high at L1)"
        );

        let breach = ticket
            .apply(
                mark(Promise::FirstResponse, SlaStatus::Breached),
                &system,
                T0 + HOUR,
            )
            .expect("the hour is up");
        assert_eq!(
            breach,
            Event::SlaAlert {
                promise: Promise::FirstResponse,
                status: SlaStatus::Breached,
                priority: Priority::P2,
                tier: Tier::L1,
                due_ms: T0 + HOUR,
                lead: Some(AssigneeRef {
                    id: 2,
                    name: "Person 2".to_owned()
                }),
            }
        );
        assert_eq!(
            breach.summary(),
            "first response target missed (P2 high at L1); Person 2, the L1 lead, was alerted"
        );
        assert!(!breach.visible_to_reporter(), "the desk's own alarm");
        assert_eq!(ticket.incident.version, 3);
        assert_eq!(
            ticket.incident.first_response_at_ms, None,
            "an alert is not an answer"
        );

        assert!(matches!(
            ticket.apply(
                mark(Promise::FirstResponse, SlaStatus::Breached),
                &system,
                T0 + 2 * HOUR
            ),
            Err(ChangeError::Unchanged(_))
        ));
        // A new priority is a new promise, marked again when it is missed.
        ticket
            .apply(
                Change::OverridePriority {
                    priority: Priority::P1,
                    reason: "Whole floor down".to_owned(),
                },
                &acting(&person(3)),
                T0 + 2 * HOUR,
            )
            .expect("overridden");
        // (An override is no answer to the reporter: the first response is still owed.)
        let again = ticket
            .apply(
                mark(Promise::FirstResponse, SlaStatus::Breached),
                &system,
                T0 + 2 * HOUR,
            )
            .expect("missed at P1 too");
        assert!(matches!(
            again,
            Event::SlaAlert {
                priority: Priority::P1,
                ..
            }
        ));
        // A public reply is: no first response is left to mark.
        ticket
            .apply(
                Change::Comment {
                    text: "On it.".to_owned(),
                    internal: false,
                },
                &acting(&person(3)),
                T0 + 3 * HOUR,
            )
            .expect("answered");
        assert_eq!(
            ticket.apply(
                mark(Promise::FirstResponse, SlaStatus::Warning),
                &system,
                T0 + 3 * HOUR
            ),
            Err(ChangeError::SlaNotDue {
                promise: Promise::FirstResponse,
                status: SlaStatus::Warning
            })
        );
    }

    #[test]
    fn a_missed_resolution_alerts_the_tiers_lead_too() {
        // P2 at L1: resolution within 8 h; answered at once, never resolved.
        let mut ticket = Ticket::new(reported(Kind::Incident, Impact::Medium, Urgency::High));
        ticket.lead = Some(person(2));
        let l1 = acting(&person(1));
        ticket
            .apply(Change::Assign { assignee_id: 1 }, &l1, T0 + MINUTE_MS)
            .expect("assigned");
        let system = Acting::system();
        let warning = ticket
            .apply(
                mark(Promise::Resolution, SlaStatus::Warning),
                &system,
                T0 + 7 * HOUR,
            )
            .expect("at risk");
        assert!(matches!(warning, Event::SlaAlert { lead: None, .. }));
        let missed = ticket
            .apply(
                mark(Promise::Resolution, SlaStatus::Breached),
                &system,
                T0 + 9 * HOUR,
            )
            .expect("missed");
        assert_eq!(
            missed.summary(),
            "resolution target missed (P2 high at L1); Person 2, the L1 lead, was alerted"
        );
        // Without a lead, the alert says there is none.
        let mut alone = Ticket::new(reported(Kind::Incident, Impact::Medium, Urgency::High));
        let missed = alone
            .apply(
                mark(Promise::Resolution, SlaStatus::Breached),
                &system,
                T0 + 9 * HOUR,
            )
            .expect("missed");
        assert_eq!(
            missed.summary(),
            "resolution target missed (P2 high at L1); L1 has no lead to alert"
        );
    }

    #[test]
    fn sla_alerts_come_only_from_the_system_and_only_to_leads_who_may_work_the_ticket() {
        let system = Acting::system();
        let mut ticket = Ticket::new(reported(Kind::Incident, Impact::Medium, Urgency::High));
        assert_eq!(
            ticket.apply(
                mark(Promise::FirstResponse, SlaStatus::Breached),
                &acting(&person(4)),
                T0 + 2 * HOUR
            ),
            Err(ChangeError::SystemOnly)
        );
        assert_eq!(
            ticket.apply(
                mark(Promise::FirstResponse, SlaStatus::Ok),
                &system,
                T0 + 2 * HOUR
            ),
            Err(ChangeError::SlaNotDue {
                promise: Promise::FirstResponse,
                status: SlaStatus::Ok
            })
        );
        // No lead set: the alert says so.
        let breach = ticket
            .apply(
                mark(Promise::FirstResponse, SlaStatus::Breached),
                &system,
                T0 + 2 * HOUR,
            )
            .expect("missed");
        assert_eq!(
            breach.summary(),
            "first response target missed (P2 high at L1); L1 has no lead to alert"
        );

        // A breach goes only to a lead in the security team.
        let mut breach = Ticket::new(reported(Kind::SecurityIncident, Impact::Low, Urgency::Low));
        breach.lead = Some(person(6));
        let event = breach
            .apply(
                mark(Promise::FirstResponse, SlaStatus::Breached),
                &system,
                T0 + 4 * HOUR,
            )
            .expect("missed");
        assert!(matches!(event, Event::SlaAlert { lead: None, .. }));

        // Waiting on the reporter stops the resolution clock: nothing to mark.
        let mut waiting = Ticket::new(reported(Kind::Incident, Impact::Medium, Urgency::High));
        let l1 = acting(&person(1));
        waiting
            .apply(Change::Assign { assignee_id: 1 }, &l1, T0)
            .expect("assigned");
        waiting
            .apply(Change::Move(Transition::StartWork), &l1, T0)
            .expect("started");
        waiting
            .apply(Change::Move(Transition::AwaitReporter), &l1, T0)
            .expect("waiting");
        assert!(waiting
            .apply(
                mark(Promise::Resolution, SlaStatus::Breached),
                &system,
                T0 + 100 * HOUR
            )
            .is_err());
    }

    fn call_at(at_ms: i64, channel: CallChannel) -> Change {
        Change::ScheduleCall {
            at_ms,
            minutes: 30,
            channel,
            note: "Walk through the VPN settings together.".to_owned(),
        }
    }

    fn by_phone() -> CallChannel {
        CallChannel::Phone {
            number: "+44 20 7946 0958".to_owned(),
        }
    }

    #[test]
    fn the_desk_schedules_a_call_the_reporter_sees() {
        let l1 = acting(&person(1));
        let mut ticket = Ticket::new(reported(Kind::Incident, Impact::Medium, Urgency::Medium));
        let event = ticket
            .apply(call_at(T0 + 2 * HOUR, by_phone()), &l1, T0 + HOUR)
            .expect("L1 schedules");
        assert!(event.visible_to_reporter());
        assert_eq!(event.kind(), "call_scheduled");
        assert_eq!(event.entered_state(), None);
        assert_eq!(
            event.summary(),
            "a call was scheduled for Mon 21 Sep 2026, 16:13–16:43 (UTC)"
        );
        assert_eq!(
            event.call().map(|c| (c.at_ms, c.minutes, c.channel)),
            Some((T0 + 2 * HOUR, 30, by_phone()))
        );
        // Talking to the reporter is a response from the desk.
        assert_eq!(ticket.incident.first_response_at_ms, Some(T0 + HOUR));
        let json = serde_json::to_value(&event).expect("serialises");
        assert_eq!(json["channel"]["via"], "phone");
        assert_eq!(serde_json::from_value::<Event>(json).ok(), Some(event));
    }

    #[test]
    fn calls_follow_the_desks_rules() {
        let l1 = acting(&person(1));
        let mut ticket = Ticket::new(reported(Kind::Incident, Impact::Medium, Urgency::Medium));
        assert_eq!(
            ticket.apply(call_at(T0 + HOUR, by_phone()), &reporter(), T0),
            Err(ChangeError::AgentsOnly("schedule calls"))
        );
        assert_eq!(
            ticket.apply(call_at(T0 - HOUR, by_phone()), &l1, T0),
            Err(ChangeError::Call(CallError::InThePast))
        );
        let javascript = CallChannel::Video {
            link: "javascript:alert(1)".to_owned(),
        };
        assert_eq!(
            ticket.apply(call_at(T0 + HOUR, javascript), &l1, T0),
            Err(ChangeError::Call(CallError::BadLink))
        );
        let mut urgent = Ticket::new(reported(Kind::Incident, Impact::High, Urgency::High));
        assert_eq!(
            urgent.apply(call_at(T0 + HOUR, by_phone()), &l1, T0),
            Err(ChangeError::AboveYourTier {
                agent: Tier::L1,
                at: Tier::L3
            })
        );
        ticket
            .apply(
                Change::Move(Transition::Cancel {
                    reason: "Duplicate of INC-000002".to_owned(),
                }),
                &l1,
                T0,
            )
            .expect("cancel");
        assert_eq!(
            ticket.apply(call_at(T0 + HOUR, by_phone()), &l1, T0),
            Err(ChangeError::Finished(State::Cancelled))
        );
    }

    #[test]
    fn resolution_codes_are_recorded_and_old_shapes_still_read() {
        let dana = person(1);
        let by = acting(&dana);
        let mut ticket = Ticket::new(reported(Kind::Incident, Impact::Low, Urgency::Low));
        ticket
            .apply(Change::Assign { assignee_id: 1 }, &by, T0)
            .expect("assign");
        ticket
            .apply(Change::Move(Transition::StartWork), &by, T0)
            .expect("start");
        let event = ticket
            .apply(
                Change::Move(Transition::Resolve {
                    note: "Told Ada where the setting is.".to_owned(),
                    code: Some(ResolutionCode::UserError),
                }),
                &by,
                T0,
            )
            .expect("resolve");
        assert!(matches!(
            event,
            Event::StateChanged {
                code: Some(ResolutionCode::UserError),
                ..
            }
        ));
        // Events and requests from before codes existed.
        let old: Event = serde_json::from_str(
            r#"{"kind":"state_changed","from":"in_progress","to":"resolved","note":"Fixed"}"#,
        )
        .expect("old event");
        assert!(matches!(old, Event::StateChanged { code: None, .. }));
        let old: Change =
            serde_json::from_str(r#"{"Move":{"Resolve":{"note":"Fixed"}}}"#).expect("old change");
        assert_eq!(
            old,
            Change::Move(Transition::Resolve {
                note: "Fixed".to_owned(),
                code: None
            })
        );
    }

    // ---- properties over random sequences of changes ----

    fn change() -> impl Strategy<Value = Change> {
        let text = prop_oneof![Just(String::new()), Just("because".to_owned())];
        let impact = prop_oneof![Just(Impact::Low), Just(Impact::Medium), Just(Impact::High)];
        let urgency = prop_oneof![
            Just(Urgency::Low),
            Just(Urgency::Medium),
            Just(Urgency::High)
        ];
        let tier = prop_oneof![Just(Tier::L1), Just(Tier::L2), Just(Tier::L3)];
        let step = prop_oneof![
            Just(Transition::Assign),
            Just(Transition::StartWork),
            Just(Transition::AwaitReporter),
            Just(Transition::Resume),
            Just(Transition::Close),
            text.clone().prop_map(|note| Transition::Resolve {
                note,
                code: Some(ResolutionCode::Workaround)
            }),
            text.clone()
                .prop_map(|comment| Transition::Reopen { comment }),
            text.clone()
                .prop_map(|reason| Transition::Cancel { reason }),
        ];
        prop_oneof![
            4 => step.prop_map(Change::Move),
            2 => (1..8i64).prop_map(|assignee_id| Change::Assign { assignee_id }),
            1 => (impact, urgency).prop_map(|(impact, urgency)| Change::Reprioritise { impact, urgency }),
            1 => (0..5usize, text.clone()).prop_map(|(p, reason)| Change::OverridePriority { priority: Priority::ALL[p], reason }),
            1 => (tier, text.clone()).prop_map(|(to, reason)| Change::ChangeTier { to, reason }),
            1 => (text, any::<bool>()).prop_map(|(text, internal)| Change::Comment { text, internal }),
            1 => prop_oneof![Just(Kind::Incident), Just(Kind::ServiceRequest), Just(Kind::SecurityIncident)]
                .prop_map(|to| Change::Reclassify { to }),
            1 => (-HOUR..(100 * 24 * HOUR), 0u32..300).prop_map(|(ahead, minutes)| Change::ScheduleCall {
                // Relative to T0; the sequence's clock moves on, so some land in the past.
                at_ms: T0 + ahead,
                minutes,
                channel: CallChannel::Phone { number: "555 0100".to_owned() },
                note: String::new(),
            }),
            1 => (any::<bool>(), 0..3usize).prop_map(|(first, s)| Change::MarkSla {
                promise: if first { Promise::FirstResponse } else { Promise::Resolution },
                status: [SlaStatus::Ok, SlaStatus::Warning, SlaStatus::Breached][s],
            }),
        ]
    }

    fn by() -> impl Strategy<Value = Acting> {
        prop_oneof![
            Just(reporter()),
            Just(Acting::system()),
            (0..6usize).prop_map(|i| acting(&people()[i])),
        ]
    }

    proptest! {
        #[test]
        fn any_sequence_keeps_the_ticket_consistent(
            kind in prop_oneof![Just(Kind::Incident), Just(Kind::ServiceRequest), Just(Kind::SecurityIncident)],
            steps in prop::collection::vec((change(), by(), 0..(6 * HOUR)), 0..40),
            lead in prop::option::of(0..6usize),
        ) {
            let mut ticket = Ticket::new(reported(kind, Impact::Medium, Urgency::Medium));
            ticket.lead = lead.map(|i| people()[i].clone());
            let mut now = T0;
            for (change, by, gap) in steps {
                now += gap;
                let before = ticket.incident.clone();
                match ticket.apply(change, &by, now) {
                    Ok(event) => {
                        let after = &ticket.incident;
                        if let Some(call) = event.call() {
                            prop_assert!(call.at_ms > now);
                            let from_desk = matches!(by.actor, Actor::Agent { .. } | Actor::Admin);
                            prop_assert!(from_desk);
                        }
                        if let Event::SlaAlert { status, lead, .. } = &event {
                            prop_assert_eq!(by.actor, Actor::System);
                            prop_assert!(*status != SlaStatus::Ok);
                            let marks = sla_marks(&ticket.events);
                            let mut unique = marks.clone();
                            unique.sort_by_key(|m| (m.promise as u8, m.status, m.priority));
                            unique.dedup();
                            prop_assert_eq!(unique.len(), marks.len(), "each mark once");
                            if let Some(lead) = lead {
                                prop_assert!(check_assignee(&before, &person(lead.id)).is_ok());
                            }
                            let mut unchanged = after.clone();
                            unchanged.version = before.version;
                            prop_assert_eq!(&unchanged, &before, "a mark changes nothing but the version");
                        }
                        prop_assert_eq!(after.version, before.version + 1);
                        prop_assert!(!before.state.is_final());
                        if let Some(entered) = event.entered_state() {
                            prop_assert_eq!(entered, after.state);
                        } else {
                            prop_assert_eq!(before.state, after.state);
                        }
                    }
                    Err(_) => prop_assert_eq!(&before, &ticket.incident),
                }
                let i = &ticket.incident;
                prop_assert_eq!(i.resolved_at_ms.is_some(), matches!(i.state, State::Resolved | State::Closed) && i.resolution.is_some());
                prop_assert_eq!(i.closed_at_ms.is_some(), i.state.is_final());
                prop_assert_eq!(i.resolution_due_ms.is_some(), sla::resolution_clock_runs(i.state));
                prop_assert!(i.response_due_ms.is_none() || (i.first_response_at_ms.is_none() && is_open(i.state)));
                if i.priority_reason.is_none() {
                    prop_assert_eq!(i.priority, Rules::default().matrix.priority(i.impact, i.urgency));
                }
                if kind == Kind::SecurityIncident {
                    prop_assert_eq!(i.tier, Tier::L3);
                }
                if let Some(assignee) = &i.assignee {
                    prop_assert!(person(assignee.id).role.tier().is_some_and(|t| t >= i.tier));
                }
            }
        }
    }
}
