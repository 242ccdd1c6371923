//! The cards a board holds, kept so that a change to one card costs the
//! same on a board of ten cards or of two thousand: each card lives in its
//! own signals (only its own view re-renders), and a lane's list of ids
//! changes only when a card enters or leaves it.

use std::collections::{BTreeMap, HashMap};

use leptos::{prelude::*, reactive::owner::Owner};

use domain::{lifecycle::State, models::BoardFilter, models::IncidentSummary, tier::Tier};

/// One card and what the board knows about it besides its data.
#[derive(Clone, Copy)]
pub struct Held {
    pub card: RwSignal<IncidentSummary>,
    /// A change of this card is on its way to the server.
    pub sending: RwSignal<bool>,
    /// How far the card has been dragged, while it is.
    pub offset: RwSignal<Option<(f64, f64)>>,
    /// The card's menu takes the focus when the card next renders.
    pub focus: RwSignal<bool>,
    /// Arrival order: lanes list their cards in it (the server sends the
    /// most urgent first).
    rank: u64,
}

type Place = (State, Tier);

#[derive(Clone, Copy)]
pub struct Cards {
    held: StoredValue<HashMap<i64, Held>>,
    lanes: StoredValue<HashMap<Place, RwSignal<Vec<i64>>>>,
    /// Category paths of the held cards, with how many cards have each.
    categories: RwSignal<BTreeMap<String, usize>>,
    /// How many cards are held; changes when one arrives.
    roster: RwSignal<usize>,
    filter: Memo<BoardFilter>,
    me: i64,
    /// Signals of cards that arrive later belong to the board, not to
    /// whatever task received them.
    owner: StoredValue<Option<Owner>>,
}

impl Cards {
    pub fn new(cards: Vec<IncidentSummary>, filter: Memo<BoardFilter>, me: i64) -> Self {
        let lanes = State::ALL
            .into_iter()
            .flat_map(|state| Tier::ALL.map(|tier| ((state, tier), RwSignal::new(Vec::new()))))
            .collect();
        let this = Self {
            held: StoredValue::new(HashMap::with_capacity(cards.len())),
            lanes: StoredValue::new(lanes),
            categories: RwSignal::new(BTreeMap::new()),
            roster: RwSignal::new(0),
            filter,
            me,
            owner: StoredValue::new(Owner::current()),
        };
        for card in cards {
            this.receive(card);
        }
        this
    }

    pub fn get(&self, id: i64) -> Option<Held> {
        self.held.with_value(|held| held.get(&id).copied())
    }

    /// The ids in one lane, in arrival order.
    pub fn lane(&self, state: State, tier: Tier) -> Vec<i64> {
        self.lane_signal((state, tier))
            .map(|lane| lane.get())
            .unwrap_or_default()
    }

    /// How many cards the column shows in the given lanes.
    pub fn count(&self, state: State, tiers: &[Tier]) -> usize {
        tiers
            .iter()
            .filter_map(|tier| self.lane_signal((state, *tier)))
            .map(|lane| lane.with(Vec::len))
            .sum()
    }

    /// Every category path on the board, with the top level of each.
    pub fn categories(&self) -> Vec<String> {
        self.categories
            .with(|paths| paths.keys().cloned().collect())
    }

    /// Tracks arrivals, for views that look cards up by id.
    pub fn track_roster(&self) {
        self.roster.track();
    }

    /// Keeps `card` unless a newer version of it is held.
    pub fn receive(&self, card: IncidentSummary) {
        match self.get(card.id) {
            Some(held) => {
                if held.card.with_untracked(|c| c.version <= card.version) {
                    self.replace(held, card);
                }
            }
            None => self.arrive(card),
        }
    }

    /// Shows `card` as it is expected to become, whatever version is held.
    pub fn predict(&self, card: IncidentSummary) {
        if let Some(held) = self.get(card.id) {
            self.replace(held, card);
        }
    }

    /// Puts `card` back as it was, unless a newer version arrived meanwhile.
    pub fn restore(&self, card: IncidentSummary) {
        if let Some(held) = self.get(card.id) {
            if held.card.with_untracked(|c| c.version == card.version) {
                self.replace(held, card);
            }
        }
    }

    /// Lays every lane out again for a new filter.
    pub fn rearrange(&self) {
        let mut placed: HashMap<Place, Vec<(u64, i64)>> = HashMap::new();
        self.held.with_value(|held| {
            for (id, h) in held {
                if let Some(place) = h.card.with_untracked(|c| self.place(c)) {
                    placed.entry(place).or_default().push((h.rank, *id));
                }
            }
        });
        self.lanes.with_value(|lanes| {
            for (place, lane) in lanes {
                let mut ids = placed.remove(place).unwrap_or_default();
                ids.sort_unstable();
                let ids: Vec<i64> = ids.into_iter().map(|(_, id)| id).collect();
                if lane.with_untracked(|held| *held != ids) {
                    lane.set(ids);
                }
            }
        });
    }

    fn arrive(&self, card: IncidentSummary) {
        let place = self.place(&card);
        let category = card.category.clone();
        let id = card.id;
        let make = || Held {
            card: RwSignal::new(card),
            sending: RwSignal::new(false),
            offset: RwSignal::new(None),
            focus: RwSignal::new(false),
            rank: self.held.with_value(|held| held.len() as u64),
        };
        let held = match self.owner.get_value() {
            Some(owner) => owner.with(make),
            None => make(),
        };
        self.held.update_value(|all| {
            all.insert(id, held);
        });
        if let Some(place) = place {
            self.enter(place, held);
        }
        self.count_category(category.as_deref(), 1);
        self.roster.update(|n| *n += 1);
    }

    fn replace(&self, held: Held, card: IncidentSummary) {
        let (before, category) = held
            .card
            .with_untracked(|c| (self.place(c), c.category.clone()));
        let after = self.place(&card);
        if category != card.category {
            self.count_category(category.as_deref(), -1);
            self.count_category(card.category.as_deref(), 1);
        }
        held.card.set(card);
        if before != after {
            if let Some(lane) = before.and_then(|place| self.lane_signal(place)) {
                let id = held.card.with_untracked(|c| c.id);
                lane.update(|ids| ids.retain(|held| *held != id));
            }
            if let Some(place) = after {
                self.enter(place, held);
            }
        }
    }

    /// Adds a card to a lane in arrival order.
    fn enter(&self, place: Place, held: Held) {
        let Some(lane) = self.lane_signal(place) else {
            return;
        };
        let id = held.card.with_untracked(|c| c.id);
        let rank = |id: &i64| self.get(*id).map_or(u64::MAX, |h| h.rank);
        lane.update(|ids| {
            let at = ids.partition_point(|other| rank(other) < held.rank);
            ids.insert(at, id);
        });
    }

    fn count_category(&self, path: Option<&str>, by: isize) {
        let Some(path) = path else { return };
        // "Network › VPN" also offers "Network".
        let top = path.split(" › ").next().unwrap_or_default();
        for key in [top, path]
            .into_iter()
            .take(if top == path { 1 } else { 2 })
        {
            let known = self
                .categories
                .with_untracked(|paths| paths.get(key).copied())
                .unwrap_or(0);
            let now = known.saturating_add_signed(by);
            if (known == 0) != (now == 0) {
                // The list of choices changes: tell the filter.
                self.categories.update(|paths| {
                    if now == 0 {
                        paths.remove(key);
                    } else {
                        paths.insert(key.to_owned(), now);
                    }
                });
            } else if now > 0 {
                self.categories.update_untracked(|paths| {
                    paths.insert(key.to_owned(), now);
                });
            }
        }
    }

    fn place(&self, card: &IncidentSummary) -> Option<Place> {
        self.filter
            .with_untracked(|f| f.matches(card, self.me))
            .then_some((card.state, card.tier))
    }

    fn lane_signal(&self, place: Place) -> Option<RwSignal<Vec<i64>>> {
        self.lanes.with_value(|lanes| lanes.get(&place).copied())
    }
}

#[cfg(test)]
mod tests {
    use leptos::reactive::owner::Owner;

    use super::*;
    use domain::{kind::Kind, priority::Priority};

    fn card(id: i64, state: State, tier: Tier, version: i64) -> IncidentSummary {
        IncidentSummary {
            id,
            reference: format!("INC-{id:06}"),
            kind: Kind::Incident,
            title: format!("Ticket {id}"),
            state,
            priority: Priority::P3,
            tier,
            assignee: None,
            service: None,
            reported_at_ms: 0,
            response_due_ms: None,
            resolution_due_ms: None,
            version,
            updated_at_ms: 0,
            reporter_id: None,
            assignee_id: None,
            category: Some("Network › VPN".to_owned()),
        }
    }

    /// A board on its own reactive owner, which the caller keeps alive.
    fn board(
        cards: Vec<IncidentSummary>,
        filter: BoardFilter,
    ) -> (Owner, Cards, RwSignal<BoardFilter>) {
        let owner = Owner::new();
        owner.set();
        let chosen = RwSignal::new(filter);
        let filter = Memo::new(move |_| chosen.get());
        (owner, Cards::new(cards, filter, 7), chosen)
    }

    #[test]
    fn lanes_keep_arrival_order_and_a_change_moves_one_card() {
        let (_owner, cards, _) = board(
            vec![
                card(3, State::New, Tier::L1, 1),
                card(1, State::New, Tier::L1, 1),
                card(2, State::Assigned, Tier::L1, 1),
            ],
            BoardFilter::default(),
        );
        assert_eq!(cards.lane(State::New, Tier::L1), vec![3, 1]);
        assert_eq!(cards.lane(State::Assigned, Tier::L1), vec![2]);
        assert_eq!(cards.count(State::New, &Tier::ALL), 2);

        // Card 3 is assigned: it leaves "new" and joins "assigned" in its
        // arrival place, before card 2 that came after it.
        cards.receive(card(3, State::Assigned, Tier::L1, 2));
        assert_eq!(cards.lane(State::New, Tier::L1), vec![1]);
        assert_eq!(cards.lane(State::Assigned, Tier::L1), vec![3, 2]);

        // Escalated: another lane of the same column.
        cards.receive(card(2, State::Assigned, Tier::L2, 2));
        assert_eq!(cards.lane(State::Assigned, Tier::L1), vec![3]);
        assert_eq!(cards.lane(State::Assigned, Tier::L2), vec![2]);
        assert_eq!(cards.count(State::Assigned, &Tier::ALL), 2);
        assert_eq!(cards.count(State::Assigned, &[Tier::L1]), 1);

        // A ticket the board did not hold arrives at the end of its lane.
        cards.receive(card(9, State::New, Tier::L1, 1));
        assert_eq!(cards.lane(State::New, Tier::L1), vec![1, 9]);
    }

    #[test]
    fn an_older_version_never_replaces_a_newer_one() {
        let (_owner, cards, _) = board(
            vec![card(1, State::InProgress, Tier::L1, 5)],
            BoardFilter::default(),
        );
        cards.receive(card(1, State::New, Tier::L1, 4));
        let held = cards.get(1).expect("held");
        assert_eq!(held.card.get_untracked().version, 5);
        assert_eq!(cards.lane(State::InProgress, Tier::L1), vec![1]);
        assert!(cards.lane(State::New, Tier::L1).is_empty());
    }

    #[test]
    fn a_prediction_is_shown_then_restored_unless_newer_news_came() {
        let before = card(1, State::Assigned, Tier::L1, 3);
        let (_owner, cards, _) = board(vec![before.clone()], BoardFilter::default());

        cards.predict(card(1, State::InProgress, Tier::L1, 3));
        assert_eq!(cards.lane(State::InProgress, Tier::L1), vec![1]);
        cards.restore(before.clone());
        assert_eq!(cards.lane(State::Assigned, Tier::L1), vec![1]);
        assert!(cards.lane(State::InProgress, Tier::L1).is_empty());

        // Someone else's change arrived meanwhile: the rollback keeps it.
        cards.predict(card(1, State::InProgress, Tier::L1, 3));
        cards.receive(card(1, State::Pending, Tier::L1, 4));
        cards.restore(before);
        assert_eq!(cards.lane(State::Pending, Tier::L1), vec![1]);
        assert!(cards.lane(State::Assigned, Tier::L1).is_empty());
    }

    #[test]
    fn a_filter_lays_the_lanes_out_again() {
        let (_owner, cards, chosen) = board(
            vec![
                card(1, State::New, Tier::L1, 1),
                card(2, State::New, Tier::L2, 1),
                card(3, State::New, Tier::L1, 1),
            ],
            BoardFilter::default(),
        );
        chosen.set(BoardFilter {
            tier: Some(Tier::L2),
            ..BoardFilter::default()
        });
        cards.rearrange();
        assert!(cards.lane(State::New, Tier::L1).is_empty());
        assert_eq!(cards.lane(State::New, Tier::L2), vec![2]);

        // A card that leaves the filter while it is on leaves the board.
        cards.receive(card(2, State::New, Tier::L1, 2));
        assert!(cards.lane(State::New, Tier::L2).is_empty());

        chosen.set(BoardFilter::default());
        cards.rearrange();
        assert_eq!(cards.lane(State::New, Tier::L1), vec![1, 2, 3]);
    }

    #[test]
    fn category_choices_follow_the_cards() {
        let mut printer = card(2, State::New, Tier::L1, 1);
        printer.category = Some("Hardware › Printer".to_owned());
        let (_owner, cards, _) = board(
            vec![card(1, State::New, Tier::L1, 1), printer.clone()],
            BoardFilter::default(),
        );
        assert_eq!(
            cards.categories(),
            ["Hardware", "Hardware › Printer", "Network", "Network › VPN"]
        );
        // Recategorised: the last printer ticket is gone from the choices.
        printer.category = Some("Network".to_owned());
        printer.version = 2;
        cards.receive(printer);
        assert_eq!(cards.categories(), ["Network", "Network › VPN"]);
    }
}
