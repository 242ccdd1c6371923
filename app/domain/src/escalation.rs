//! Which tier works a ticket: where a new one starts, who may lead a tier,
//! and functional escalation between tiers.

use crate::{
    kind::Kind,
    lifecycle::{Actor, State},
    person::{Person, Role},
    priority::Priority,
    tier::Tier,
};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LeadError {
    #[error("{0} is not an agent, so they cannot lead a tier.")]
    NotAnAgent(String),
    #[error("{name} works at {works}; the {tier} lead must work at {tier} or above.")]
    BelowTier {
        name: String,
        works: Tier,
        tier: Tier,
    },
}

/// Who may lead a tier (and be alerted when its tickets go unanswered): an
/// agent who can work every ticket of that tier.
pub fn check_lead(tier: Tier, person: &Person) -> Result<(), LeadError> {
    match person.role {
        Role::Agent { tier: works, .. } if works >= tier => Ok(()),
        Role::Agent { tier: works, .. } => Err(LeadError::BelowTier {
            name: person.name.clone(),
            works,
            tier,
        }),
        Role::Reporter | Role::Admin => Err(LeadError::NotAnAgent(person.name.clone())),
    }
}

/// Where a new ticket starts: P1 and security incidents go straight to the
/// specialists, everything else to the service desk.
pub fn initial_tier(kind: Kind, priority: Priority) -> Tier {
    if kind == Kind::SecurityIncident || priority == Priority::P1 {
        Tier::L3
    } else {
        Tier::L1
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EscalationError {
    #[error("Please give a reason for moving the ticket from {from} to {to}.")]
    ReasonRequired { from: Tier, to: Tier },
    #[error("The ticket is already at {0}.")]
    SameTier(Tier),
    #[error("A {0} ticket can no longer change tier.")]
    Finished(State),
    #[error("Only agents and admins can move a ticket between tiers.")]
    NotAnAgent,
    #[error("An {agent} agent cannot move a ticket that is at {at}.")]
    AboveYourTier { agent: Tier, at: Tier },
    #[error("Security incidents stay with L3.")]
    SecurityStaysAtL3,
}

/// Moves a ticket to another tier: up is an escalation, down a de-escalation.
/// Both need a reason, which is recorded with the event.
///
/// An agent may move only tickets at or below their own tier (L1 may hand a
/// ticket to L2, or straight to L3 for a clear specialist case); security
/// incidents never leave L3.
pub fn change_tier(
    actor: Actor,
    kind: Kind,
    state: State,
    from: Tier,
    to: Tier,
    reason: &str,
) -> Result<Tier, EscalationError> {
    if state.is_final() {
        return Err(EscalationError::Finished(state));
    }
    if from == to {
        return Err(EscalationError::SameTier(from));
    }
    if kind == Kind::SecurityIncident {
        return Err(EscalationError::SecurityStaysAtL3);
    }
    match actor {
        Actor::Admin => {}
        Actor::Agent { tier } => {
            if from > tier {
                return Err(EscalationError::AboveYourTier {
                    agent: tier,
                    at: from,
                });
            }
        }
        Actor::Reporter | Actor::System => return Err(EscalationError::NotAnAgent),
    }
    if reason.trim().is_empty() {
        return Err(EscalationError::ReasonRequired { from, to });
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    const L1_AGENT: Actor = Actor::Agent { tier: Tier::L1 };
    const L2_AGENT: Actor = Actor::Agent { tier: Tier::L2 };

    #[test]
    fn a_lead_is_an_agent_at_the_tier_or_above() {
        let person = |role| Person {
            id: 7,
            name: "Lee Lead".to_owned(),
            email: "lee@example.org".to_owned(),
            phone: None,
            role,
        };
        let l2 = person(Role::Agent {
            tier: Tier::L2,
            security_team: false,
        });
        assert_eq!(check_lead(Tier::L1, &l2), Ok(()));
        assert_eq!(check_lead(Tier::L2, &l2), Ok(()));
        assert_eq!(
            check_lead(Tier::L3, &l2).map_err(|e| e.to_string()),
            Err("Lee Lead works at L2; the L3 lead must work at L3 or above.".to_owned())
        );
        assert_eq!(
            check_lead(Tier::L1, &person(Role::Admin)),
            Err(LeadError::NotAnAgent("Lee Lead".to_owned()))
        );
        assert!(check_lead(Tier::L1, &person(Role::Reporter)).is_err());
    }

    #[test]
    fn routing_sends_p1_and_security_to_l3() {
        assert_eq!(initial_tier(Kind::Incident, Priority::P1), Tier::L3);
        assert_eq!(initial_tier(Kind::SecurityIncident, Priority::P4), Tier::L3);
        assert_eq!(initial_tier(Kind::Incident, Priority::P2), Tier::L1);
        assert_eq!(initial_tier(Kind::ServiceRequest, Priority::P3), Tier::L1);
    }

    #[test]
    fn escalation_needs_a_reason() {
        let err = change_tier(
            L1_AGENT,
            Kind::Incident,
            State::InProgress,
            Tier::L1,
            Tier::L2,
            "  ",
        )
        .expect_err("no reason");
        assert_eq!(
            err.to_string(),
            "Please give a reason for moving the ticket from L1 to L2."
        );
        assert_eq!(
            change_tier(
                L1_AGENT,
                Kind::Incident,
                State::InProgress,
                Tier::L1,
                Tier::L2,
                "needs AD access"
            ),
            Ok(Tier::L2)
        );
    }

    #[test]
    fn agents_move_only_what_is_within_their_tier() {
        assert_eq!(
            change_tier(
                L1_AGENT,
                Kind::Incident,
                State::Assigned,
                Tier::L2,
                Tier::L1,
                "simple fix"
            ),
            Err(EscalationError::AboveYourTier {
                agent: Tier::L1,
                at: Tier::L2
            })
        );
        assert_eq!(
            change_tier(
                L2_AGENT,
                Kind::Incident,
                State::Assigned,
                Tier::L2,
                Tier::L1,
                "password reset only"
            ),
            Ok(Tier::L1)
        );
        assert_eq!(
            change_tier(
                Actor::Admin,
                Kind::Incident,
                State::New,
                Tier::L3,
                Tier::L1,
                "misrouted"
            ),
            Ok(Tier::L1)
        );
        assert_eq!(
            change_tier(
                Actor::Reporter,
                Kind::Incident,
                State::New,
                Tier::L1,
                Tier::L2,
                "hurry"
            ),
            Err(EscalationError::NotAnAgent)
        );
    }

    #[test]
    fn finished_and_security_tickets_keep_their_tier() {
        assert_eq!(
            change_tier(
                Actor::Admin,
                Kind::Incident,
                State::Closed,
                Tier::L1,
                Tier::L2,
                "late"
            ),
            Err(EscalationError::Finished(State::Closed))
        );
        assert_eq!(
            change_tier(
                Actor::Admin,
                Kind::SecurityIncident,
                State::New,
                Tier::L3,
                Tier::L1,
                "x"
            ),
            Err(EscalationError::SecurityStaysAtL3)
        );
        assert_eq!(
            change_tier(
                Actor::Admin,
                Kind::Incident,
                State::New,
                Tier::L2,
                Tier::L2,
                "x"
            ),
            Err(EscalationError::SameTier(Tier::L2))
        );
    }
}
