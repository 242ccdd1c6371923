//! The ticket lifecycle: which state changes exist, who may make them, and
//! what each one requires. Every client goes through [`transition`].
//!
//! `new → assigned → in_progress ⇄ pending → resolved → closed`, plus
//! `cancelled` from any open state, and a reopen from `resolved`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{resolution::ResolutionCode, tier::Tier};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    New,
    Assigned,
    InProgress,
    /// Waiting on the reporter; the SLA clock is paused.
    Pending,
    Resolved,
    Closed,
    Cancelled,
}

impl State {
    pub const ALL: [State; 7] = [
        State::New,
        State::Assigned,
        State::InProgress,
        State::Pending,
        State::Resolved,
        State::Closed,
        State::Cancelled,
    ];

    /// Closed and cancelled tickets never change again.
    pub fn is_final(self) -> bool {
        matches!(self, State::Closed | State::Cancelled)
    }

    /// How the state reads in English, as logs and the command line say it.
    pub fn label(self) -> &'static str {
        self.words(words::Lang::En)
    }

    /// How the state reads to a person, in their language.
    pub fn words(self, lang: words::Lang) -> &'static str {
        use words::lifecycle as says;
        match self {
            State::New => says::state_new(lang),
            State::Assigned => says::state_assigned(lang),
            State::InProgress => says::state_in_progress(lang),
            State::Pending => says::state_pending(lang),
            State::Resolved => says::state_resolved(lang),
            State::Closed => says::state_closed(lang),
            State::Cancelled => says::state_cancelled(lang),
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Who asks for a change. `Reporter` is the person who reported *this*
/// ticket (whether someone may see a ticket at all is decided before the
/// lifecycle is asked); `System` is a background job such as auto-close.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Actor {
    Reporter,
    Agent { tier: Tier },
    Admin,
    System,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Transition {
    Assign,
    StartWork,
    AwaitReporter,
    Resume,
    /// `code` is how it was resolved; older clients and events have none.
    Resolve {
        note: String,
        #[serde(default)]
        code: Option<ResolutionCode>,
    },
    Close,
    Reopen {
        comment: String,
    },
    Cancel {
        reason: String,
    },
}

impl Transition {
    fn verb(&self) -> &'static str {
        match self {
            Transition::Assign => "assign",
            Transition::StartWork => "start work on",
            Transition::AwaitReporter => "put on hold",
            Transition::Resume => "resume",
            Transition::Resolve { .. } => "resolve",
            Transition::Close => "close",
            Transition::Reopen { .. } => "reopen",
            Transition::Cancel { .. } => "cancel",
        }
    }

    /// The same, as in "cannot be …".
    fn done(&self) -> &'static str {
        match self {
            Transition::Assign => "assigned",
            Transition::StartWork => "worked on",
            Transition::AwaitReporter => "put on hold",
            Transition::Resume => "resumed",
            Transition::Resolve { .. } => "resolved",
            Transition::Close => "closed",
            Transition::Reopen { .. } => "reopened",
            Transition::Cancel { .. } => "cancelled",
        }
    }

    /// The state this change leads to, when it is allowed from `from` at all.
    pub fn target(&self, from: State) -> Option<State> {
        use State::*;
        match (self, from) {
            (Transition::Assign, New) => Some(Assigned),
            (Transition::StartWork, Assigned) => Some(InProgress),
            (Transition::AwaitReporter, InProgress) => Some(Pending),
            (Transition::Resume, Pending) => Some(InProgress),
            (Transition::Resolve { .. }, InProgress | Pending) => Some(Resolved),
            (Transition::Close, Resolved) => Some(Closed),
            (Transition::Reopen { .. }, Resolved) => Some(InProgress),
            (Transition::Cancel { .. }, New | Assigned | InProgress | Pending) => Some(Cancelled),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("A ticket that is {from} cannot be {done}.")]
    NotFromState { from: State, done: &'static str },
    #[error("You cannot {verb} this ticket: {why}")]
    NotPermitted {
        verb: &'static str,
        why: &'static str,
    },
    #[error("An {agent} agent cannot work on a ticket at {at}; it would need to be moved to {agent} first.")]
    AboveYourTier { agent: Tier, at: Tier },
    #[error("Please describe how the problem was resolved.")]
    ResolutionNoteRequired,
    #[error("Please say why the ticket is cancelled.")]
    CancelReasonRequired,
    #[error("Please say what is still wrong, so the desk can pick it up again.")]
    ReopenCommentRequired,
}

/// Decides one state change: from `from`, asked by `actor`, on a ticket at
/// `ticket_tier`. Returns the new state or a sentence saying why not.
pub fn transition(
    from: State,
    change: &Transition,
    actor: Actor,
    ticket_tier: Tier,
) -> Result<State, TransitionError> {
    let to = change.target(from).ok_or(TransitionError::NotFromState {
        from,
        done: change.done(),
    })?;

    authorize(change, from, actor, ticket_tier)?;

    match change {
        Transition::Resolve { note, .. } if note.trim().is_empty() => {
            Err(TransitionError::ResolutionNoteRequired)
        }
        Transition::Cancel { reason } if reason.trim().is_empty() => {
            Err(TransitionError::CancelReasonRequired)
        }
        Transition::Reopen { comment } if comment.trim().is_empty() => {
            Err(TransitionError::ReopenCommentRequired)
        }
        _ => Ok(to),
    }
}

fn authorize(
    change: &Transition,
    from: State,
    actor: Actor,
    ticket_tier: Tier,
) -> Result<(), TransitionError> {
    let verb = change.verb();
    let denied = |why| Err(TransitionError::NotPermitted { verb, why });
    match actor {
        Actor::Admin => Ok(()),
        Actor::Agent { tier } => {
            if matches!(change, Transition::Close) {
                return denied("a resolved ticket is closed by its reporter's confirmation or automatically after the grace period.");
            }
            if tier < ticket_tier {
                return Err(TransitionError::AboveYourTier {
                    agent: tier,
                    at: ticket_tier,
                });
            }
            Ok(())
        }
        Actor::Reporter => match change {
            // Replying to a question, confirming or refusing the fix, withdrawing.
            Transition::Resume | Transition::Close | Transition::Reopen { .. } => Ok(()),
            Transition::Cancel { .. } if matches!(from, State::New | State::Assigned) => Ok(()),
            Transition::Cancel { .. } => {
                denied("work has started; ask the agent to cancel it if it is no longer needed.")
            }
            _ => denied("that is done by the service desk."),
        },
        Actor::System => match change {
            Transition::Close | Transition::Resume => Ok(()),
            _ => denied("background jobs only close resolved tickets and resume answered ones."),
        },
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const L1: Actor = Actor::Agent { tier: Tier::L1 };
    const L3: Actor = Actor::Agent { tier: Tier::L3 };

    fn resolve(note: &str) -> Transition {
        Transition::Resolve {
            note: note.to_owned(),
            code: Some(ResolutionCode::Solved),
        }
    }

    #[test]
    fn the_happy_path() {
        let mut state = State::New;
        for (change, actor) in [
            (Transition::Assign, L1),
            (Transition::StartWork, L1),
            (Transition::AwaitReporter, L1),
            (Transition::Resume, Actor::Reporter),
            (resolve("Reset the VPN profile."), L1),
            (Transition::Close, Actor::Reporter),
        ] {
            state = transition(state, &change, actor, Tier::L1).expect("allowed");
        }
        assert_eq!(state, State::Closed);
    }

    #[test]
    fn resolving_needs_a_note() {
        assert_eq!(
            transition(State::InProgress, &resolve("  "), L1, Tier::L1),
            Err(TransitionError::ResolutionNoteRequired)
        );
    }

    #[test]
    fn cancelling_needs_a_reason_and_reopening_a_comment() {
        let cancel = Transition::Cancel {
            reason: String::new(),
        };
        assert_eq!(
            transition(State::New, &cancel, L1, Tier::L1),
            Err(TransitionError::CancelReasonRequired)
        );
        let reopen = Transition::Reopen {
            comment: "\n".to_owned(),
        };
        assert_eq!(
            transition(State::Resolved, &reopen, Actor::Reporter, Tier::L1),
            Err(TransitionError::ReopenCommentRequired)
        );
        let reopen = Transition::Reopen {
            comment: "Still drops at 5 pm.".to_owned(),
        };
        assert_eq!(
            transition(State::Resolved, &reopen, Actor::Reporter, Tier::L1),
            Ok(State::InProgress)
        );
    }

    #[test]
    fn final_states_are_final() {
        for from in [State::Closed, State::Cancelled] {
            for change in all_changes() {
                assert!(transition(from, &change, Actor::Admin, Tier::L1).is_err());
            }
        }
    }

    #[test]
    fn refusals_read_as_sentences() {
        assert_eq!(
            transition(
                State::Closed,
                &Transition::Reopen {
                    comment: "x".into()
                },
                Actor::Reporter,
                Tier::L1
            )
            .expect_err("closed is final")
            .to_string(),
            "A ticket that is closed cannot be reopened."
        );
        assert_eq!(
            transition(State::InProgress, &resolve("done"), L1, Tier::L3)
                .expect_err("L1 cannot work an L3 ticket")
                .to_string(),
            "An L1 agent cannot work on a ticket at L3; it would need to be moved to L1 first."
        );
    }

    #[test]
    fn agents_do_not_close_for_the_reporter() {
        assert!(matches!(
            transition(State::Resolved, &Transition::Close, L3, Tier::L1),
            Err(TransitionError::NotPermitted { verb: "close", .. })
        ));
        assert_eq!(
            transition(State::Resolved, &Transition::Close, Actor::System, Tier::L1),
            Ok(State::Closed)
        );
    }

    #[test]
    fn reporters_withdraw_only_before_work_starts() {
        let withdraw = Transition::Cancel {
            reason: "Fixed itself".into(),
        };
        assert_eq!(
            transition(State::New, &withdraw, Actor::Reporter, Tier::L1),
            Ok(State::Cancelled)
        );
        assert!(matches!(
            transition(State::InProgress, &withdraw, Actor::Reporter, Tier::L1),
            Err(TransitionError::NotPermitted { .. })
        ));
        assert!(matches!(
            transition(State::New, &Transition::Assign, Actor::Reporter, Tier::L1),
            Err(TransitionError::NotPermitted { .. })
        ));
    }

    /// The lifecycle as the design draws it; nothing else may ever happen.
    const EDGES: &[(State, State)] = &[
        (State::New, State::Assigned),
        (State::Assigned, State::InProgress),
        (State::InProgress, State::Pending),
        (State::Pending, State::InProgress),
        (State::InProgress, State::Resolved),
        (State::Pending, State::Resolved),
        (State::Resolved, State::Closed),
        (State::Resolved, State::InProgress),
        (State::New, State::Cancelled),
        (State::Assigned, State::Cancelled),
        (State::InProgress, State::Cancelled),
        (State::Pending, State::Cancelled),
    ];

    fn all_changes() -> Vec<Transition> {
        vec![
            Transition::Assign,
            Transition::StartWork,
            Transition::AwaitReporter,
            Transition::Resume,
            resolve("Replaced the toner."),
            Transition::Close,
            Transition::Reopen {
                comment: "Still broken".into(),
            },
            Transition::Cancel {
                reason: "Duplicate of INC-000042".into(),
            },
        ]
    }

    fn change() -> impl Strategy<Value = Transition> {
        let words =
            prop::collection::vec(prop::char::range('a', 'z'), 1..12).prop_map(String::from_iter);
        let text = prop_oneof![Just(String::new()), Just("  ".to_owned()), words];
        prop_oneof![
            Just(Transition::Assign),
            Just(Transition::StartWork),
            Just(Transition::AwaitReporter),
            Just(Transition::Resume),
            text.clone()
                .prop_map(|note| Transition::Resolve { note, code: None }),
            Just(Transition::Close),
            text.clone()
                .prop_map(|comment| Transition::Reopen { comment }),
            text.prop_map(|reason| Transition::Cancel { reason }),
        ]
    }

    fn tier() -> impl Strategy<Value = Tier> {
        prop::sample::select(Tier::ALL.to_vec())
    }

    fn actor() -> impl Strategy<Value = Actor> {
        prop_oneof![
            Just(Actor::Reporter),
            Just(Actor::Admin),
            Just(Actor::System),
            tier().prop_map(|tier| Actor::Agent { tier }),
        ]
    }

    proptest! {
        #[test]
        fn no_sequence_leaves_the_drawn_lifecycle(
            steps in prop::collection::vec((change(), actor()), 0..40),
            ticket_tier in tier(),
        ) {
            let mut state = State::New;
            for (change, actor) in &steps {
                // A refusal changes nothing: the state stays as it was.
                if let Ok(next) = transition(state, change, *actor, ticket_tier) {
                    prop_assert!(EDGES.contains(&(state, next)), "{state:?} -> {next:?} by {change:?}");
                    prop_assert!(!state.is_final());
                    if let Transition::Resolve { note, .. } = change {
                        prop_assert!(!note.trim().is_empty());
                    }
                    if let Actor::Agent { tier } = actor {
                        prop_assert!(*tier >= ticket_tier);
                    }
                    state = next;
                }
            }
        }
    }

    #[test]
    fn every_drawn_edge_is_reachable() {
        for &(from, to) in EDGES {
            let reached = all_changes()
                .iter()
                .any(|c| transition(from, c, Actor::Admin, Tier::L1) == Ok(to));
            assert!(reached, "{from:?} -> {to:?}");
        }
    }
}
