//! Why the domain refused a change, in a sentence the person can act on.

use crate::{
    call::CallError,
    escalation::EscalationError,
    incident::TextTooLong,
    lifecycle::{State, TransitionError},
    sla::{Promise, SlaStatus},
    tier::Tier,
};

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
