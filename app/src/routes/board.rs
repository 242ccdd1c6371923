use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    components::{error_notice, SignedInOnly},
    domain::{access::works_the_desk, lifecycle::State, person::Person},
    functions::incidents::board,
    models::{IncidentSummary, RecentIncidents},
};

/// The open tickets in columns by state, most urgent first in each. The
/// live, draggable board builds on this.
#[component]
pub fn BoardPage() -> impl IntoView {
    view! {
        <Title text="Board"/>
        <SignedInOnly render=|person| view! { <Board person/> }.into_any()/>
    }
}

#[component]
fn Board(person: Person) -> impl IntoView {
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
    let tickets = Resource::new(|| (), |_| board(None));
    view! {
        <h1>"Board"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading the board…"</p> }>
            {move || Suspend::new(async move {
                match tickets.await {
                    Ok(list) => columns(list).into_any(),
                    Err(err) => error_notice(err),
                }
            })}
        </Transition>
    }
    .into_any()
}

fn columns(list: RecentIncidents) -> impl IntoView {
    let open = [
        State::New,
        State::Assigned,
        State::InProgress,
        State::Pending,
    ];
    view! {
        <div class="board">
            {open.into_iter().map(|state| {
                let cards: Vec<IncidentSummary> =
                    list.incidents.iter().filter(|i| i.state == state).cloned().collect();
                let heading = format!("column-{}", state.code());
                let labelled_by = heading.clone();
                view! {
                    <section class="column" aria-labelledby=labelled_by>
                        <h2 id=heading>{column_label(state)} " " <span class="count">{cards.len()}</span></h2>
                        <ol class="cards">
                            {cards.into_iter().map(|card| view! {
                                <li class="card">
                                    <a href=format!("/incidents/{}", card.reference)>
                                        <span class="reference">{card.reference.clone()}</span>
                                        <span class="title">{card.title}</span>
                                    </a>
                                    <span class="meta">
                                        {card.priority.to_string()} " · " {card.tier.code()}
                                        {card.assignee.map(|a| format!(" · {a}"))}
                                    </span>
                                </li>
                            }).collect_view()}
                        </ol>
                    </section>
                }
            }).collect_view()}
        </div>
    }
}

/// The desk's words for a column; reporters see "waiting on you" for pending.
fn column_label(state: State) -> &'static str {
    match state {
        State::Pending => "waiting on the reporter",
        other => other.label(),
    }
}
