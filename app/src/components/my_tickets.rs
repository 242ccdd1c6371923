use leptos::prelude::*;

use domain::incident::is_open;
use words::{portal as says, time::ago, Lang};

use domain::models::{IncidentSummary, RecentIncidents};

use crate::{
    components::{count_live_changes, error_notice, refreshed, use_seconds_ticker, LiveNotice},
    error::AppError,
    functions::portal::my_tickets,
};

/// The signed-in person's own tickets, open ones first, kept current by the
/// live stream (which only carries their own tickets' changes). `list` is
/// what the server loaded with the page.
#[island(lazy)]
pub fn MyTickets(list: Result<RecentIncidents, AppError>) -> impl IntoView {
    let changes = RwSignal::new(0_u64);
    let live = count_live_changes(changes.write_only(), |_| true);
    let tickets = refreshed(list, move || changes.get(), my_tickets);
    let seconds = use_seconds_ticker();
    let lang = crate::language::page_lang();
    view! {
        <section class="panel" aria-labelledby="my-tickets-heading">
            <h2 id="my-tickets-heading">{says::my_tickets(lang)}</h2>
            <LiveNotice status=live/>
            {move || match tickets.get() {
                Ok(list) => ticket_table(lang, list, seconds.get_untracked(), seconds),
                Err(err) => error_notice(err),
            }}
        </section>
    }
}

fn ticket_table(
    lang: Lang,
    list: RecentIncidents,
    read_at: i64,
    seconds: ReadSignal<i64>,
) -> AnyView {
    if list.incidents.is_empty() {
        return view! { <p class="muted">{says::nothing_reported(lang)}</p> }.into_any();
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
                    ago(lang, server_now_ms - updated + local_ms)
                };
                view! {
                    <tr>
                        <th scope="row"><a class="reference" href=format!("/incidents/{}", t.reference)>{t.reference.clone()}</a></th>
                        <td class="title">{t.title}</td>
                        <td><span class=format!("state state-{}", domain::lifecycle::State::code(t.state))>{t.state.words(lang)}</span></td>
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
                    <th scope="col">{says::ticket(lang)}</th><th scope="col">{says::title(lang)}</th>
                    <th scope="col">{says::state(lang)}</th><th scope="col">{says::priority(lang)}</th>
                    <th scope="col">{says::updated(lang)}</th>
                </tr></thead>
                <tbody>{rows(tickets)}</tbody>
            </table>
        })
    };
    view! {
        {table(says::open(lang), open)}
        {table(says::closed(lang), closed)}
    }
    .into_any()
}
