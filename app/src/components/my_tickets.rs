use leptos::prelude::*;

use domain::{age::describe_age, incident::is_open};

use domain::models::{IncidentSummary, RecentIncidents};

use crate::{
    components::{count_live_changes, error_notice, use_seconds_ticker, LiveNotice},
    error::AppError,
    functions::wire::Loaded,
};

/// The signed-in person's own tickets, open ones first, kept current by the
/// live stream (which only carries their own tickets' changes).
/// `tickets` is keyed on `live`, which this list moves.
#[component]
pub fn MyTickets(
    tickets: Loaded<Option<Result<RecentIncidents, AppError>>>,
    live: RwSignal<u64>,
) -> impl IntoView {
    let live = count_live_changes(live.write_only(), |_| true);
    let seconds = use_seconds_ticker();
    view! {
        <section class="panel" aria-labelledby="my-tickets-heading">
            <h2 id="my-tickets-heading">"My tickets"</h2>
            <LiveNotice status=live/>
            <Transition fallback=|| view! { <p class="muted">"Loading your tickets…"</p> }>
                {move || Suspend::new(async move {
                    match tickets.await {
                        None => ().into_any(),
                        Some(Ok(list)) => {
                            let read_at = seconds.get_untracked();
                            ticket_table(list, read_at, seconds)
                        }
                        Some(Err(err)) => error_notice(err),
                    }
                })}
            </Transition>
        </section>
    }
}

fn ticket_table(list: RecentIncidents, read_at: i64, seconds: ReadSignal<i64>) -> AnyView {
    if list.incidents.is_empty() {
        return view! { <p class="muted">"You have not reported anything yet."</p> }.into_any();
    }
    let server_now_ms = list.server_now_ms;
    let (open, closed): (Vec<_>, Vec<_>) = list
        .incidents
        .into_iter()
        .partition(|t| is_open(t.state) || t.state == domain::lifecycle::State::Resolved);
    let rows = move |tickets: Vec<IncidentSummary>| {
        tickets
            .into_iter()
            .map(|t| {
                let updated = t.updated_at_ms;
                let age = move || {
                    let local_ms = (seconds.get() - read_at) * 1_000;
                    describe_age(server_now_ms - updated + local_ms)
                };
                view! {
                    <tr>
                        <th scope="row"><a class="reference" href=format!("/incidents/{}", t.reference)>{t.reference.clone()}</a></th>
                        <td class="title">{t.title}</td>
                        <td><span class=format!("state state-{}", domain::lifecycle::State::code(t.state))>{t.state.label()}</span></td>
                        <td>{t.priority.to_string()}</td>
                        <td class="age">{age}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let table = move |caption: &'static str, tickets: Vec<IncidentSummary>| {
        (!tickets.is_empty()).then(|| view! {
            <table class="tickets">
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">"Ticket"</th><th scope="col">"Title"</th><th scope="col">"State"</th>
                    <th scope="col">"Priority"</th><th scope="col">"Updated"</th>
                </tr></thead>
                <tbody>{rows(tickets)}</tbody>
            </table>
        })
    };
    view! {
        {table("Open", open)}
        {table("Closed", closed)}
    }
    .into_any()
}
