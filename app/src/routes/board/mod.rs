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
        error_notice, follow_live_events, island_chunks, refreshed, signed_in, use_seconds_ticker,
        LiveNotice,
    },
    error::AppError,
    functions::{
        incidents::board,
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
    let filter = Memo::new(move |_| BoardFilter::from_query(|name| query.with(|q| q.get(name))));
    let finished = Memo::new(move |_| filter.with(|f| f.finished));
    let loaded = load(move || finished.get(), |finished| board(Some(finished)));
    signed_in("Board", move |person| {
        view! { <Board person filter loaded/> }.into_any()
    })
    .into_any()
}

#[component]
fn Board(
    person: Person,
    filter: Memo<BoardFilter>,
    loaded: Loaded<Result<BoardView, AppError>>,
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
    view! {
        <h1 class="board-heading">"Board"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading the board…"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(view) => view! {
                        {island_chunks("live_desk")}
                        <LiveDesk view filter=filter.get_untracked() name=name.get_value()/>
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
fn LiveDesk(view: BoardView, filter: BoardFilter, name: String) -> impl IntoView {
    let filter = RwSignal::new(filter);
    let finished = Memo::new(move |_| filter.with(|f| f.finished));
    let loaded = refreshed(
        Ok(view),
        move || u64::from(finished.get()),
        move || board(Some(finished.get_untracked())),
    );
    let name = StoredValue::new(name);
    move || match loaded.get() {
        Ok(view) => view! { <LiveBoard view filter name=name.get_value()/> }.into_any(),
        Err(err) => error_notice(err),
    }
}

/// The board once loaded: holds the cards, follows the live stream, and
/// lays out the columns.
#[component]
fn LiveBoard(view: BoardView, filter: RwSignal<BoardFilter>, name: String) -> AnyView {
    let seconds = use_seconds_ticker();
    let loaded_at = view.server_now_ms;
    let now = Signal::derive(move || loaded_at + seconds.get() * 1000);
    let after = view.last_event_id;
    let alerts = alerts::Alerts::new(view.alerts.clone());
    let capped = view.open_capped_at.map(|limit| {
        view! {
            <p class="notice board-capped" role="note">
                {format!("More tickets are open than the board shows: these are the {limit} most urgent.")}
            </p>
        }
    });
    let desk = Desk::new(view, Memo::new(move |_| filter.get()), name, now);
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
        <alerts::LeadAlerts alerts/>
        {capped}
        <filters::Filters filter/>
        <p class="board-status" role="status" aria-live="polite">{move || desk.status.get()}</p>
        <LiveNotice status=stream/>
        {move || desk.problem.get().map(|message| view! {
            <p class="notice error board-problem" role="alert">
                {message} " "
                <button type="button" class="link" on:click=move |_| desk.problem.set(None)>"Dismiss"</button>
            </p>
        })}
        <nav class="column-switcher" aria-label="Columns">
            {move || columns().into_iter().map(|state| {
                view! {
                    <button
                        type="button"
                        data-column=state.code()
                        class:current=move || desk.column.get() == state
                        aria-pressed=move || (desk.column.get() == state).to_string()
                        on:click=move |_| desk.column.set(state)
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
