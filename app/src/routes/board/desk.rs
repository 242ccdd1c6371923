//! The board's state in the browser and the one way cards change: `act`
//! shows the expected result at once, sends the change, and then keeps the
//! server's answer, rolls back, or (on a conflict) takes the fresh card.

use leptos::prelude::*;

use domain::{
    board::{plan_drop, MoveError, Plan, Words},
    change::Change,
    lifecycle::{Actor, State, Transition},
    person::Role,
    sla::SlaPolicy,
    tier::Tier,
};

use domain::models::{BoardFilter, BoardView, IncidentSummary};

use super::cards::Cards;
use crate::{
    error::AppError,
    functions::incidents::{card as fresh_card, change_incident},
};

/// A step waiting for the agent's words (a reason, a note).
#[derive(Debug, Clone, PartialEq)]
pub struct Asking {
    pub card: IncidentSummary,
    pub words: Words,
}

#[derive(Clone, Copy)]
pub struct Desk {
    pub cards: Cards,
    pub me: i64,
    pub role: Role,
    pub my_name: StoredValue<String>,
    pub policy: StoredValue<SlaPolicy>,
    pub now: Signal<i64>,
    /// The card being dragged, if one is.
    pub dragging: RwSignal<Option<i64>>,
    pub asking: RwSignal<Option<Asking>>,
    /// The last refusal or conflict, said in an alert.
    pub problem: RwSignal<Option<String>>,
    /// The last thing done, said politely to screen readers.
    pub status: RwSignal<String>,
    /// The column shown on a narrow screen.
    pub column: RwSignal<State>,
}

impl Desk {
    pub fn new(
        view: BoardView,
        filter: Memo<BoardFilter>,
        my_name: String,
        now: Signal<i64>,
        column: State,
    ) -> Self {
        Self {
            cards: Cards::new(view.cards, filter, view.me),
            me: view.me,
            role: view.role,
            my_name: StoredValue::new(my_name),
            policy: StoredValue::new(view.policy),
            now,
            dragging: RwSignal::new(None),
            asking: RwSignal::new(None),
            problem: RwSignal::new(None),
            status: RwSignal::new(String::new()),
            column: RwSignal::new(column),
        }
    }

    pub fn actor(&self) -> Actor {
        self.role.actor()
    }

    /// A card from the live stream or the server: kept unless we already
    /// hold a newer version of it.
    pub fn receive(&self, card: IncidentSummary) {
        self.cards.receive(card);
    }

    /// The card's menu takes the focus (after a move re-renders it, or when
    /// a dialog about it closes).
    pub fn focus(&self, id: i64) {
        if let Some(held) = self.cards.get(id) {
            held.focus.set(true);
        }
    }

    fn set_sending(&self, id: i64, sending: bool) {
        if let Some(held) = self.cards.get(id) {
            held.sending.set(sending);
        }
    }

    fn say_problem(&self, reference: &str, message: String) {
        self.problem.set(Some(format!("{reference}: {message}")));
    }

    /// A plan from the domain: sent, asked about, or refused in words.
    pub fn follow(&self, card: &IncidentSummary, plan: Result<Plan, MoveError>) {
        match plan {
            Ok(Plan::Send(change)) => self.act(card.clone(), change),
            Ok(Plan::Ask(words)) => self.asking.set(Some(Asking {
                card: card.clone(),
                words,
            })),
            Err(refused) => self.say_problem(&card.reference, refused.to_string()),
        }
    }

    /// A card dropped on a column and/or lane.
    pub fn dropped(&self, card: &IncidentSummary, column: Option<State>, lane: Option<Tier>) {
        if let Some(plan) = plan_drop(
            card.kind,
            card.state,
            card.tier,
            column,
            lane,
            self.me,
            self.actor(),
        ) {
            self.follow(card, plan);
        }
    }

    /// Shows the change at once, sends it, and settles on the server's answer.
    pub fn act(&self, card: IncidentSummary, change: Change) {
        let desk = *self;
        desk.problem.set(None);
        let expected = predict(&card, &change, desk.me, &desk.my_name.get_value());
        desk.cards.predict(expected);
        desk.set_sending(card.id, true);
        desk.focus(card.id);
        leptos::task::spawn_local(async move {
            let answer = change_incident(card.reference.clone(), card.version, change).await;
            desk.set_sending(card.id, false);
            match answer {
                Ok(changed) => {
                    desk.status.set(format!(
                        "{} is now {}, at {}.",
                        changed.reference,
                        changed.state.label(),
                        changed.tier
                    ));
                    desk.receive(changed);
                }
                Err(AppError::Conflict(message)) => {
                    desk.say_problem(&card.reference, message);
                    desk.cards.restore(card.clone());
                    // Someone else was first: show the ticket as it now is.
                    if let Ok(now) = fresh_card(card.reference.clone()).await {
                        desk.receive(now);
                    }
                }
                Err(refused) => {
                    desk.cards.restore(card.clone());
                    desk.say_problem(&card.reference, refused.to_string());
                }
            }
        });
    }
}

/// What the board shows while a change is on its way: the state, tier and
/// assignee it will most likely have. The server's answer replaces it.
fn predict(card: &IncidentSummary, change: &Change, me: i64, my_name: &str) -> IncidentSummary {
    let mut next = card.clone();
    match change {
        Change::Assign { assignee_id } => {
            next.assignee_id = Some(*assignee_id);
            if *assignee_id == me {
                next.assignee = Some(my_name.to_owned());
            }
            if next.state == State::New {
                next.state = State::Assigned;
            }
        }
        Change::Move(step) => {
            if let Some(to) = step.target(card.state) {
                next.state = to;
            }
            if matches!(step, Transition::AwaitReporter) {
                next.resolution_due_ms = None;
            }
        }
        Change::ChangeTier { to, .. } => {
            if *to > card.tier {
                next.assignee = None;
                next.assignee_id = None;
            }
            next.tier = *to;
        }
        _ => {}
    }
    next
}
