//! Who may see and do what. Every server function asks these questions
//! before it reads or writes; storage turns a [`Scope`] into its WHERE clause.

use serde::{Deserialize, Serialize};

use crate::{
    change::{Acting, Event},
    incident::Incident,
    kind::Kind,
    lifecycle::Actor,
    person::{Person, Role},
};

/// Which tickets someone may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// Admins and the security team.
    Everything,
    /// Agents outside the security team: suspected data breaches stay need-to-know.
    ExceptSecurity,
    /// A reporter: only the tickets they reported.
    ReportedBy(i64),
}

impl Scope {
    pub fn of(person: &Person) -> Self {
        match person.role {
            Role::Admin => Scope::Everything,
            Role::Agent { security_team, .. } => {
                if security_team {
                    Scope::Everything
                } else {
                    Scope::ExceptSecurity
                }
            }
            Role::Reporter => Scope::ReportedBy(person.id),
        }
    }

    /// True when a ticket of this kind, reported by `reporter_id`, is in scope.
    pub fn includes(self, kind: Kind, reporter_id: Option<i64>) -> bool {
        match self {
            Scope::Everything => true,
            Scope::ExceptSecurity => kind != Kind::SecurityIncident,
            Scope::ReportedBy(id) => reporter_id == Some(id),
        }
    }

    pub fn includes_incident(self, incident: &Incident) -> bool {
        self.includes(incident.kind, incident.reporter_id)
    }
}

/// Internal notes are for the desk; a reporter sees the public timeline only.
pub fn may_read(role: Role, event: &Event) -> bool {
    may_read_as(role.actor(), event)
}

/// [`may_read`] for whoever makes a change: the same rule decides what a
/// conflict sentence may tell them about the events they missed.
pub fn may_read_as(actor: Actor, event: &Event) -> bool {
    !matches!(actor, Actor::Reporter) || event.visible_to_reporter()
}

/// What a writer who read a ticket before `since` happened missed that
/// matters, or `None` when nothing they could see was changed (the SLA
/// watcher's marks, or notes they may not read): their write then
/// overwrites nothing and goes ahead. `Some` lists only the events they
/// may see, oldest first; it is empty when they named a version the
/// ticket never had.
pub fn missed_by<T>(actor: Actor, since: &[T], event: impl Fn(&T) -> &Event) -> Option<Vec<&T>> {
    let seen: Vec<&T> = since
        .iter()
        .filter(|e| may_read_as(actor, event(e)))
        .collect();
    let overwritten = since.is_empty() || seen.iter().any(|e| !event(e).changes_nothing());
    overwritten.then_some(seen)
}

/// The board, search across everyone's tickets and the directory are desk tools.
pub fn works_the_desk(role: Role) -> bool {
    matches!(role, Role::Agent { .. } | Role::Admin)
}

/// Logging a ticket for someone else (a phone call, a walk-up) is desk work;
/// a reporter logs their own.
pub fn may_log_for_others(role: Role) -> bool {
    works_the_desk(role)
}

/// How a signed-in person acts on a ticket they may see: reporters as the
/// reporter, agents with their tier, admins as admins. The lifecycle then
/// decides what each may do.
pub fn acting(person: &Person) -> Acting {
    Acting {
        person_id: Some(person.id),
        name: person.name.clone(),
        actor: match person.role {
            Role::Reporter => Actor::Reporter,
            role => role.actor(),
        },
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::tier::Tier;

    fn person(id: i64, role: Role) -> Person {
        Person {
            id,
            name: format!("Person {id}"),
            email: format!("p{id}@example.org"),
            phone: None,
            role,
        }
    }

    fn roles() -> Vec<Role> {
        let mut roles = vec![Role::Reporter, Role::Admin];
        for tier in Tier::ALL {
            for security_team in [false, true] {
                roles.push(Role::Agent {
                    tier,
                    security_team,
                });
            }
        }
        roles
    }

    #[test]
    fn reporters_see_their_own_tickets_only() {
        let ada = Scope::of(&person(7, Role::Reporter));
        assert!(ada.includes(Kind::Incident, Some(7)));
        assert!(ada.includes(Kind::SecurityIncident, Some(7)));
        assert!(!ada.includes(Kind::Incident, Some(8)));
        assert!(!ada.includes(Kind::Incident, None));
    }

    #[test]
    fn security_incidents_need_the_security_team_or_an_admin() {
        for role in roles() {
            let sees = Scope::of(&person(1, role)).includes(Kind::SecurityIncident, Some(99));
            let expected = matches!(role, Role::Admin) || role.in_security_team();
            assert_eq!(sees, expected, "{role:?}");
        }
    }

    #[test]
    fn internal_notes_are_hidden_from_reporters_only() {
        let note = Event::Commented {
            text: "Checked the switch logs".to_owned(),
            internal: true,
        };
        let reply = Event::Commented {
            text: "Please restart".to_owned(),
            internal: false,
        };
        for role in roles() {
            assert_eq!(may_read(role, &note), role != Role::Reporter, "{role:?}");
            assert!(may_read(role, &reply));
        }
    }

    #[test]
    fn a_conflict_tells_a_writer_only_what_they_may_see() {
        use crate::{
            priority::Priority,
            sla::{Promise, SlaStatus},
        };
        let note = Event::Commented {
            text: "Grace: the firewall again".to_owned(),
            internal: true,
        };
        let mark = Event::SlaAlert {
            promise: Promise::FirstResponse,
            status: SlaStatus::Breached,
            priority: Priority::P1,
            tier: Tier::L3,
            due_ms: 0,
            lead: None,
        };
        let reply = Event::Commented {
            text: "Please restart".to_owned(),
            internal: false,
        };
        let l1 = Actor::Agent { tier: Tier::L1 };
        let same = |e: &Event| e.clone();
        let missed = |actor, since: &[Event]| {
            missed_by(actor, since, |e| e)
                .map(|seen| seen.into_iter().map(same).collect::<Vec<_>>())
        };
        // Hidden events alone overwrite nothing the reporter saw.
        assert_eq!(missed(Actor::Reporter, &[note.clone(), mark.clone()]), None);
        // With a public reply between them, the reporter hears of the reply only.
        assert_eq!(
            missed(
                Actor::Reporter,
                &[note.clone(), reply.clone(), mark.clone()]
            ),
            Some(vec![reply.clone()])
        );
        // The desk hears of everything, marks included, once something changed.
        assert_eq!(
            missed(l1, &[note.clone(), mark.clone()]),
            Some(vec![note.clone(), mark.clone()])
        );
        // Marks alone are no conflict for anyone.
        assert_eq!(missed(l1, std::slice::from_ref(&mark)), None);
        // A version the ticket never had is a conflict with nothing to tell.
        assert_eq!(missed(Actor::Reporter, &[]), Some(vec![]));
    }

    #[test]
    fn reporters_act_as_reporters_and_agents_with_their_tier() {
        assert_eq!(acting(&person(1, Role::Reporter)).actor, Actor::Reporter);
        let l2 = Role::Agent {
            tier: Tier::L2,
            security_team: false,
        };
        assert_eq!(
            acting(&person(2, l2)).actor,
            Actor::Agent { tier: Tier::L2 }
        );
        assert_eq!(acting(&person(3, Role::Admin)).actor, Actor::Admin);
        assert_eq!(acting(&person(3, Role::Admin)).person_id, Some(3));
    }

    proptest! {
        /// Whatever the role, the scope never shows someone else's ticket to
        /// a reporter, and never hides a ticket from an admin.
        #[test]
        fn scopes_nest(id in 1i64..50, reporter in proptest::option::of(1i64..50), security in any::<bool>(), pick in 0usize..8) {
            let role = roles()[pick];
            let kind = if security { Kind::SecurityIncident } else { Kind::Incident };
            let sees = Scope::of(&person(id, role)).includes(kind, reporter);
            prop_assert!(Scope::of(&person(id, Role::Admin)).includes(kind, reporter));
            if role == Role::Reporter {
                prop_assert_eq!(sees, reporter == Some(id));
            }
            if !security && works_the_desk(role) {
                prop_assert!(sees);
            }
        }
    }
}
