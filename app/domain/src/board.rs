//! What a move on the board means. Dropping a card in another column is a
//! lifecycle step (or, from `new`, taking the ticket); dropping it in another
//! tier's lane is an escalation. The lifecycle and tier rules decide, so the
//! board refuses a forbidden move at once with the same sentence the server
//! would give, and the server checks again whatever the browser sends.

use crate::{
    change::Change,
    escalation::{change_tier, EscalationError},
    kind::Kind,
    lifecycle::{transition, Actor, State, Transition, TransitionError},
    models::IncidentSummary,
    resolution::ResolutionCode,
    tier::Tier,
};

/// The columns, left to right; closed and cancelled only when asked for.
pub const OPEN_COLUMNS: [State; 5] = [
    State::New,
    State::Assigned,
    State::InProgress,
    State::Pending,
    State::Resolved,
];
pub const FINISHED_COLUMNS: [State; 2] = [State::Closed, State::Cancelled];

/// The desk's name for a column (reporters read "waiting on you" for pending).
pub fn column_label(state: State) -> &'static str {
    match state {
        State::Pending => "waiting on the reporter",
        other => other.label(),
    }
}

/// The words a step needs from the agent before it can be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    ResolutionNote,
    CancelReason,
    ReopenComment,
    EscalationReason(Tier),
}

impl Words {
    /// The question the board asks.
    pub fn prompt(self) -> String {
        match self {
            Words::ResolutionNote => "How was it resolved?".to_owned(),
            Words::CancelReason => "Why is it cancelled?".to_owned(),
            Words::ReopenComment => "What is still wrong?".to_owned(),
            Words::EscalationReason(to) => format!("Why move it to {to}?"),
        }
    }
}

/// What the board sends, or asks for first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    Send(Change),
    Ask(Words),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    #[error("A ticket that is {from} cannot go straight to {to}.", to = column_label(*.to))]
    NoSuchStep { from: State, to: State },
    #[error("The card is already there.")]
    Nowhere,
    #[error(transparent)]
    Lifecycle(#[from] TransitionError),
    #[error(transparent)]
    Tier(#[from] EscalationError),
    #[error("Only an open ticket held by someone else, at or below your tier, can be taken.")]
    NotToTake,
}

/// The lifecycle step that leads from `from` to `to`, with placeholder words
/// where it needs some (only used to ask the lifecycle who may take it).
fn step_between(from: State, to: State) -> Option<Transition> {
    let filler = || "—".to_owned();
    [
        Transition::Assign,
        Transition::StartWork,
        Transition::AwaitReporter,
        Transition::Resume,
        Transition::Resolve {
            note: filler(),
            code: None,
        },
        Transition::Close,
        Transition::Reopen { comment: filler() },
        Transition::Cancel { reason: filler() },
    ]
    .into_iter()
    .find(|step| step.target(from) == Some(to))
}

/// Moving a card from column `from` to column `to`, by `actor` (account `me`),
/// on a ticket at `tier`.
pub fn plan_state_move(
    from: State,
    to: State,
    me: i64,
    actor: Actor,
    tier: Tier,
) -> Result<Plan, MoveError> {
    if from == to {
        return Err(MoveError::Nowhere);
    }
    let step = step_between(from, to).ok_or(MoveError::NoSuchStep { from, to })?;
    transition(from, &step, actor, tier)?;
    Ok(match step {
        Transition::Assign => Plan::Send(Change::Assign { assignee_id: me }),
        Transition::Resolve { .. } => Plan::Ask(Words::ResolutionNote),
        Transition::Cancel { .. } => Plan::Ask(Words::CancelReason),
        Transition::Reopen { .. } => Plan::Ask(Words::ReopenComment),
        other => Plan::Send(Change::Move(other)),
    })
}

/// Moving a card into another tier's lane: an escalation (or a step back
/// down), which always needs a reason.
pub fn plan_tier_move(
    kind: Kind,
    state: State,
    from: Tier,
    to: Tier,
    actor: Actor,
) -> Result<Plan, MoveError> {
    if from == to {
        return Err(MoveError::Nowhere);
    }
    change_tier(actor, kind, state, from, to, "—")?;
    Ok(Plan::Ask(Words::EscalationReason(to)))
}

/// Dropping a card: into another column it is a state move (whichever lane
/// it lands in); within its own column, into another lane, an escalation.
/// `None` when it was dropped where it already was.
#[allow(clippy::too_many_arguments)]
pub fn plan_drop(
    kind: Kind,
    state: State,
    tier: Tier,
    column: Option<State>,
    lane: Option<Tier>,
    me: i64,
    actor: Actor,
) -> Option<Result<Plan, MoveError>> {
    match (column.filter(|c| *c != state), lane.filter(|l| *l != tier)) {
        (Some(to), _) => Some(plan_state_move(state, to, me, actor, tier)),
        (None, Some(to)) => Some(plan_tier_move(kind, state, tier, to, actor)),
        (None, None) => None,
    }
}

/// The change to send once the agent has given the words a plan asked for
/// (and, for a resolution, its code).
pub fn with_words(words: Words, text: String, code: Option<ResolutionCode>) -> Change {
    match words {
        Words::ResolutionNote => Change::Move(Transition::Resolve { note: text, code }),
        Words::CancelReason => Change::Move(Transition::Cancel { reason: text }),
        Words::ReopenComment => Change::Move(Transition::Reopen { comment: text }),
        Words::EscalationReason(to) => Change::ChangeTier { to, reason: text },
    }
}

/// One entry of a card's "Move…" menu, as a form sends it (`state-in_progress`,
/// `tier-L2`, `take`): the board's menu and the server's answer to a plain
/// form post both plan it here, so they agree on what is offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardMove {
    To(State),
    Tier(Tier),
    Take,
}

impl CardMove {
    pub fn code(self) -> String {
        match self {
            CardMove::To(state) => format!("state-{}", state.code()),
            CardMove::Tier(tier) => format!("tier-{}", tier.code()),
            CardMove::Take => "take".to_owned(),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        if code == "take" {
            return Some(CardMove::Take);
        }
        code.strip_prefix("state-")
            .and_then(State::from_code)
            .map(CardMove::To)
            .or_else(|| {
                code.strip_prefix("tier-")
                    .and_then(Tier::from_code)
                    .map(CardMove::Tier)
            })
    }
}

/// What `wanted` does to `card` for `actor` (account `me`): sent, asked
/// about, or refused in words.
pub fn plan_card_move(
    card: &IncidentSummary,
    wanted: CardMove,
    me: i64,
    actor: Actor,
) -> Result<Plan, MoveError> {
    match wanted {
        CardMove::To(to) => plan_state_move(card.state, to, me, actor, card.tier),
        CardMove::Tier(to) => plan_tier_move(card.kind, card.state, card.tier, to, actor),
        CardMove::Take if may_take(card, me, actor) => {
            Ok(Plan::Send(Change::Assign { assignee_id: me }))
        }
        CardMove::Take => Err(MoveError::NotToTake),
    }
}

/// Every move the card's menu offers, in its order: the columns left to
/// right, the tiers, then taking it.
pub fn card_moves(card: &IncidentSummary, me: i64, actor: Actor) -> Vec<(CardMove, Plan)> {
    OPEN_COLUMNS
        .into_iter()
        .chain(FINISHED_COLUMNS)
        .map(CardMove::To)
        .chain(Tier::ALL.into_iter().map(CardMove::Tier))
        .chain([CardMove::Take])
        .filter_map(|wanted| {
            plan_card_move(card, wanted, me, actor)
                .ok()
                .map(|plan| (wanted, plan))
        })
        .collect()
}

/// Taking ("Assign to me") is offered on an open ticket someone else (or
/// nobody) holds, when the agent works at or above its tier. A new ticket is
/// taken by moving it to "assigned", which the menu already offers.
pub fn may_take(card: &IncidentSummary, me: i64, actor: Actor) -> bool {
    let open = matches!(
        card.state,
        State::Assigned | State::InProgress | State::Pending
    );
    let tier_allows = match actor {
        Actor::Admin => true,
        Actor::Agent { tier } => tier >= card.tier,
        Actor::Reporter | Actor::System => false,
    };
    open && tier_allows && card.assignee_id != Some(me)
}

/// Initials for a card's assignee: "Dana Reyes" → "DR".
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const L1: Actor = Actor::Agent { tier: Tier::L1 };
    const L2: Actor = Actor::Agent { tier: Tier::L2 };

    fn summary(state: State, tier: Tier, assignee_id: Option<i64>) -> IncidentSummary {
        IncidentSummary {
            id: 1,
            reference: "INC-000001".to_owned(),
            kind: Kind::Incident,
            title: "Printer jams".to_owned(),
            state,
            priority: crate::priority::Priority::P3,
            tier,
            assignee: None,
            service: None,
            reported_at_ms: 0,
            response_due_ms: None,
            resolution_due_ms: None,
            version: 1,
            updated_at_ms: 0,
            reporter_id: None,
            assignee_id,
            category: None,
        }
    }

    #[test]
    fn a_card_menu_offers_what_the_domain_allows_in_order() {
        let card = summary(State::Assigned, Tier::L1, Some(9));
        let offered: Vec<CardMove> = card_moves(&card, 7, L1)
            .into_iter()
            .map(|(m, _)| m)
            .collect();
        assert_eq!(
            offered,
            [
                CardMove::To(State::InProgress),
                CardMove::To(State::Cancelled),
                CardMove::Tier(Tier::L2),
                CardMove::Tier(Tier::L3),
                CardMove::Take,
            ]
        );
        assert!(offered.contains(&CardMove::Take));
        assert!(offered.contains(&CardMove::To(State::InProgress)));
        // Nobody takes a ticket they hold, or one above their tier.
        assert!(
            !card_moves(&summary(State::Assigned, Tier::L1, Some(7)), 7, L1)
                .iter()
                .any(|(m, _)| *m == CardMove::Take)
        );
        assert_eq!(
            plan_card_move(
                &summary(State::InProgress, Tier::L2, None),
                CardMove::Take,
                7,
                L1
            ),
            Err(MoveError::NotToTake)
        );
        assert_eq!(
            plan_card_move(&card, CardMove::Take, 7, L1),
            Ok(Plan::Send(Change::Assign { assignee_id: 7 }))
        );
    }

    #[test]
    fn a_card_move_is_planned_like_a_drop() {
        let card = summary(State::InProgress, Tier::L1, Some(7));
        assert_eq!(
            plan_card_move(&card, CardMove::Tier(Tier::L2), 7, L1),
            Ok(Plan::Ask(Words::EscalationReason(Tier::L2)))
        );
        assert_eq!(
            plan_card_move(&card, CardMove::To(State::Resolved), 7, L1),
            Ok(Plan::Ask(Words::ResolutionNote))
        );
        assert_eq!(
            plan_card_move(&card, CardMove::To(State::InProgress), 7, L1),
            Err(MoveError::Nowhere)
        );
    }

    #[test]
    fn card_move_codes_round_trip() {
        let all = OPEN_COLUMNS
            .into_iter()
            .chain(FINISHED_COLUMNS)
            .map(CardMove::To)
            .chain(Tier::ALL.into_iter().map(CardMove::Tier))
            .chain([CardMove::Take]);
        for wanted in all {
            assert_eq!(CardMove::from_code(&wanted.code()), Some(wanted));
        }
        for junk in ["", "state-", "tier-L4", "state-open", "Take", "tier-l2 "] {
            assert_eq!(CardMove::from_code(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn taking_a_new_ticket_assigns_it_to_me() {
        assert_eq!(
            plan_state_move(State::New, State::Assigned, 7, L1, Tier::L1),
            Ok(Plan::Send(Change::Assign { assignee_id: 7 }))
        );
    }

    #[test]
    fn steps_without_words_are_sent_at_once() {
        assert_eq!(
            plan_state_move(State::Assigned, State::InProgress, 7, L1, Tier::L1),
            Ok(Plan::Send(Change::Move(Transition::StartWork)))
        );
        assert_eq!(
            plan_state_move(State::Pending, State::InProgress, 7, L1, Tier::L1),
            Ok(Plan::Send(Change::Move(Transition::Resume)))
        );
    }

    #[test]
    fn resolving_cancelling_and_reopening_ask_for_words() {
        assert_eq!(
            plan_state_move(State::InProgress, State::Resolved, 7, L1, Tier::L1),
            Ok(Plan::Ask(Words::ResolutionNote))
        );
        assert_eq!(
            plan_state_move(State::New, State::Cancelled, 7, L1, Tier::L1),
            Ok(Plan::Ask(Words::CancelReason))
        );
        assert_eq!(
            plan_state_move(State::Resolved, State::InProgress, 7, L1, Tier::L1),
            Ok(Plan::Ask(Words::ReopenComment))
        );
        assert_eq!(
            with_words(Words::CancelReason, "Duplicate of INC-4".to_owned(), None),
            Change::Move(Transition::Cancel {
                reason: "Duplicate of INC-4".to_owned()
            })
        );
    }

    #[test]
    fn a_forbidden_move_says_why() {
        let refused = plan_state_move(State::New, State::Resolved, 7, L1, Tier::L1);
        assert_eq!(
            refused,
            Err(MoveError::NoSuchStep {
                from: State::New,
                to: State::Resolved
            })
        );
        assert_eq!(
            refused.map_err(|e| e.to_string()),
            Err("A ticket that is new cannot go straight to resolved.".to_owned())
        );
        // Agents never close: the reporter confirms, or the grace period ends.
        assert!(matches!(
            plan_state_move(State::Resolved, State::Closed, 7, L1, Tier::L1),
            Err(MoveError::Lifecycle(TransitionError::NotPermitted { .. }))
        ));
        // An L1 agent cannot work an L2 ticket.
        assert!(matches!(
            plan_state_move(State::Assigned, State::InProgress, 7, L1, Tier::L2),
            Err(MoveError::Lifecycle(TransitionError::AboveYourTier { .. }))
        ));
    }

    #[test]
    fn another_lane_is_an_escalation_with_a_reason() {
        assert_eq!(
            plan_tier_move(Kind::Incident, State::InProgress, Tier::L1, Tier::L2, L1),
            Ok(Plan::Ask(Words::EscalationReason(Tier::L2)))
        );
        assert_eq!(
            with_words(
                Words::EscalationReason(Tier::L2),
                "Needs a network engineer".into(),
                None
            ),
            Change::ChangeTier {
                to: Tier::L2,
                reason: "Needs a network engineer".into()
            }
        );
        assert_eq!(
            plan_tier_move(Kind::Incident, State::InProgress, Tier::L2, Tier::L2, L2),
            Err(MoveError::Nowhere)
        );
    }

    #[test]
    fn a_drop_moves_by_column_first_then_by_lane() {
        let drop = |column, lane| {
            plan_drop(
                Kind::Incident,
                State::Assigned,
                Tier::L1,
                column,
                lane,
                7,
                L1,
            )
        };
        assert_eq!(drop(Some(State::Assigned), Some(Tier::L1)), None);
        assert_eq!(drop(None, None), None);
        assert_eq!(
            drop(Some(State::InProgress), Some(Tier::L3)),
            Some(Ok(Plan::Send(Change::Move(Transition::StartWork))))
        );
        assert_eq!(
            drop(Some(State::Assigned), Some(Tier::L2)),
            Some(Ok(Plan::Ask(Words::EscalationReason(Tier::L2))))
        );
        assert!(matches!(drop(Some(State::Closed), None), Some(Err(_))));
    }

    #[test]
    fn initials_of_names() {
        assert_eq!(initials("Dana Reyes"), "DR");
        assert_eq!(initials("  lou  "), "L");
        assert_eq!(initials("Ana María de la Cruz"), "AM");
        assert_eq!(initials(""), "");
    }

    proptest! {
        /// The plan never contradicts the lifecycle: whatever it sends or
        /// asks words for is a step the lifecycle allows, with those words.
        #[test]
        fn plans_agree_with_the_lifecycle(
            from in prop::sample::select(State::ALL.to_vec()),
            to in prop::sample::select(State::ALL.to_vec()),
            actor_tier in prop::sample::select(Tier::ALL.to_vec()),
            ticket_tier in prop::sample::select(Tier::ALL.to_vec()),
        ) {
            let actor = Actor::Agent { tier: actor_tier };
            match plan_state_move(from, to, 1, actor, ticket_tier) {
                Ok(Plan::Send(Change::Move(step))) => {
                    prop_assert_eq!(transition(from, &step, actor, ticket_tier), Ok(to));
                }
                Ok(Plan::Send(Change::Assign { .. })) => {
                    prop_assert_eq!((from, to), (State::New, State::Assigned));
                }
                Ok(Plan::Ask(words)) => {
                    let Change::Move(step) = with_words(words, "because".into(), Some(ResolutionCode::Solved)) else {
                        return Err(TestCaseError::fail("a column move asked for an escalation reason"));
                    };
                    prop_assert_eq!(transition(from, &step, actor, ticket_tier), Ok(to));
                }
                Ok(other) => return Err(TestCaseError::fail(format!("unexpected plan {other:?}"))),
                Err(_) => {
                    // Refused: no step with any words gets there.
                    for words in ["because", "x"] {
                        let w = words.to_owned();
                        for step in [
                            Transition::Assign, Transition::StartWork, Transition::AwaitReporter,
                            Transition::Resume, Transition::Resolve { note: w.clone(), code: None },
                            Transition::Close, Transition::Reopen { comment: w.clone() },
                            Transition::Cancel { reason: w.clone() },
                        ] {
                            prop_assert_ne!(transition(from, &step, actor, ticket_tier), Ok(to));
                        }
                    }
                }
            }
        }
    }
}
