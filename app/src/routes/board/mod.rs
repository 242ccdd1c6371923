//! The live agent board: a column per lifecycle state, a lane per tier
//! inside each column. Cards move by dragging (pointer events, so mouse and
//! touch alike), by their "Move…" menu, or by keyboard through that menu.
//! Every move goes through the domain's plan, is shown at once, and is
//! rolled back if the server refuses it; every other board hears of it
//! through the live stream.

mod alerts;
mod card;
mod cards;
mod desk;
mod filters;
mod words;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use domain::{
    access::works_the_desk,
    board::{column_label, FINISHED_COLUMNS, OPEN_COLUMNS},
    lifecycle::State,
    person::Person,
    tier::Tier,
};

use domain::models::{BoardFilter, BoardView};

use crate::{
    components::{
        error_notice, follow_live_events, island_chunks, refreshed, refusal_in_address, signed_in,
        use_seconds_ticker, LiveNotice,
    },
    error::AppError,
    functions::{
        incidents::{board, MoveCard},
        wire::{load, Loaded},
    },
};
use desk::Desk;

/// The board page: the filter from the address and the cards, loaded on the
/// server outside `signed_in`'s render; its live part is an island the
/// portal never downloads.
#[component]
pub fn BoardRoute() -> impl IntoView {
    let query = use_query_map();
    // Before the board is live its controls are one plain form: a pressed
    // button's value comes after the hidden field that carries the current
    // one, so the last value of a name wins (as `get` reads it).
    let last = move |name: &str| query.with(|q| q.get(name));
    let filter = Memo::new(move |_| BoardFilter::from_query(last));
    let finished = Memo::new(move |_| filter.with(|f| f.finished));
    let loaded = load(move || finished.get(), |finished| board(Some(finished)));
    let now = move |name: &str| query.with_untracked(|q| q.get(name));
    let place = Place {
        column: now("column")
            .and_then(|code| State::from_code(&code))
            .unwrap_or(State::New),
        dismissed: query.with_untracked(|q| {
            q.get_all("dismiss")
                .unwrap_or_default()
                .iter()
                .filter_map(|id| id.parse().ok())
                .collect()
        }),
        alerts_open: now("alerts").as_deref() != Some("hide"),
        problem: refusal_in_address::<MoveCard>().map(|refused| refused.to_string()),
    };
    signed_in("Board", move |person| {
        view! { <Board person filter loaded place=place.clone()/> }.into_any()
    })
    .into_any()
}

/// What the address says of the board beside its filter, from a plain form
/// sent before it was live: the column a phone shows, the alerts put
/// aside, and a refused move.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Place {
    pub column: State,
    pub dismissed: Vec<i64>,
    pub alerts_open: bool,
    pub problem: Option<String>,
}

#[component]
fn Board(
    person: Person,
    filter: Memo<BoardFilter>,
    loaded: Loaded<Result<BoardView, AppError>>,
    place: Place,
) -> impl IntoView {
    if !works_the_desk(person.role) {
        return view! {
            <section class="panel narrow">
                <h1>"Not available"</h1>
                <p class="notice error" role="alert">"The agent board is for the service desk. "
                    <a href="/">"See your own tickets"</a> "."</p>
            </section>
        }
        .into_any();
    }
    let name = StoredValue::new(person.name.clone());
    let place = StoredValue::new(place);
    view! {
        <h1 class="board-heading">"Board"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading the board…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(view) => view! {
                        {island_chunks("live_desk")}
                        <LiveDesk view filter=filter.get_untracked() name=name.get_value() place=place.get_value()/>
                    }
                    .into_any(),
                    Err(err) => error_notice(err),
                }
            })}
        </Transition>
    }
    .into_any()
}

/// The board in the browser: the cards as the server loaded them with the
/// page, and the filter from the address, which is the board's own from
/// then on. Showing finished tickets too loads the board again.
#[island(lazy)]
fn LiveDesk(view: BoardView, filter: BoardFilter, name: String, place: Place) -> impl IntoView {
    let filter = RwSignal::new(filter);
    let finished = Memo::new(move |_| filter.with(|f| f.finished));
    let loaded = refreshed(
        Ok(view),
        move || u64::from(finished.get()),
        move || board(Some(finished.get_untracked())),
    );
    let name = StoredValue::new(name);
    let place = StoredValue::new(place);
    move || match loaded.get() {
        Ok(view) => {
            view! { <LiveBoard view filter name=name.get_value() place=place.get_value()/> }
                .into_any()
        }
        Err(err) => error_notice(err),
    }
}

/// The board once loaded: holds the cards, follows the live stream, and
/// lays out the columns.
#[component]
fn LiveBoard(
    view: BoardView,
    filter: RwSignal<BoardFilter>,
    name: String,
    place: Place,
) -> AnyView {
    let seconds = use_seconds_ticker();
    let loaded_at = view.server_now_ms;
    let now = Signal::derive(move || loaded_at + seconds.get() * 1000);
    let after = view.last_event_id;
    let alerts = alerts::Alerts::new(view.alerts.clone(), place.dismissed, place.alerts_open);
    let capped = view.open_capped_at.map(|limit| {
        view! {
            <p class="notice board-capped" role="note">
                {format!("More tickets are open than the board shows: these are the {limit} most urgent.")}
            </p>
        }
    });
    let desk = Desk::new(
        view,
        Memo::new(move |_| filter.get()),
        name,
        now,
        place.column,
    );
    desk.problem.set(place.problem);
    provide_context(desk);
    // A new filter lays the lanes out again; a live change moves one card.
    Effect::watch(
        move || filter.track(),
        move |_, _, _| desk.cards.rearrange(),
        false,
    );
    let stream = follow_live_events(
        after,
        move |event| {
            if let Some(card) = event.card {
                desk.receive(card);
            }
            if let Some(alert) = event.alert {
                alerts.receive(alert);
            }
        },
        || {},
    );

    let columns = move || {
        let mut states = OPEN_COLUMNS.to_vec();
        if filter.with(|f| f.finished) {
            states.extend(FINISHED_COLUMNS);
        }
        states
    };
    let tiers = move || match filter.with(|f| f.tier) {
        Some(tier) => vec![tier],
        None => Tier::ALL.to_vec(),
    };
    let count = move |state: State| desk.cards.count(state, &tiers());

    view! {
        <filters::KeptInForm filter alerts/>
        <alerts::LeadAlerts alerts/>
        {capped}
        <filters::Filters filter/>
        <p class="board-status" role="status" aria-live="polite">{move || desk.status.get()}</p>
        <LiveNotice status=stream/>
        {move || desk.problem.get().map(|message| view! {
            <p class="notice error board-problem" role="alert">
                {message} " "
                // Before the board is live, the filter form loads it again without the message.
                <button type="submit" form=filters::FORM class="link" on:click=move |ev| {
                    ev.prevent_default();
                    desk.problem.set(None);
                }>"Dismiss"</button>
            </p>
        })}
        <nav class="column-switcher" aria-label="Columns">
            {move || columns().into_iter().map(|state| {
                view! {
                    // A plain form's button until the board is live: the page
                    // comes back showing that column.
                    <button
                        type="submit"
                        form=filters::FORM
                        name="column"
                        value=state.code()
                        data-column=state.code()
                        class:current=move || desk.column.get() == state
                        aria-pressed=move || (desk.column.get() == state).to_string()
                        on:click=move |ev| {
                            ev.prevent_default();
                            desk.column.set(state);
                        }
                    >
                        {column_label(state)} " " <span class="count">{move || count(state)}</span>
                    </button>
                }
            }).collect_view()}
        </nav>
        <div class="board" class:dragging=move || desk.dragging.with(Option::is_some)>
            {move || columns().into_iter().map(|state| {
                let heading = format!("column-{}", state.code());
                let labelled_by = heading.clone();
                view! {
                    <section
                        class="column"
                        class:current=move || desk.column.get() == state
                        data-column=state.code()
                        aria-labelledby=labelled_by
                    >
                        <h2 id=heading>
                            {column_label(state)} " "
                            <span class="count">{move || count(state)}</span>
                        </h2>
                        {move || tiers().into_iter().map(|tier| {
                            view! {
                                <div class="lane" data-lane=tier.code()>
                                    <h3 class="lane-name">{tier.code()}</h3>
                                    <ol class="cards">
                                        <For
                                            each=move || desk.cards.lane(state, tier)
                                            key=|id| *id
                                            children=move |id| desk.cards.get(id).map(|held| view! { <card::Card held/> })
                                        />
                                    </ol>
                                </div>
                            }
                        }).collect_view()}
                    </section>
                }
            }).collect_view().into_any()}
        </div>
        <words::WordsDialog/>
    }
    .into_any()
}
