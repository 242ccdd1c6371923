use proptest::prelude::*;

use super::*;
use crate::{
    calendar::MINUTE_MS,
    call::CallError,
    incident::{is_open, IncidentTitle},
    person::Contact,
    resolution::ResolutionCode,
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

    fn apply(&mut self, change: Change, by: &Acting, now_ms: i64) -> Result<Event, ChangeError> {
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
