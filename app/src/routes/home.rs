use leptos::prelude::*;
use leptos_meta::Title;

use domain::access::may_log_for_others;

use domain::models::RecentIncidents;
use words::portal as says;

use crate::{
    components::{
        island_chunks, refreshed, use_session, MyTickets, QuickReport, RecentIncidentList,
    },
    error::AppError,
    functions::{
        auth::setup_needed,
        incidents::{list_recent_incidents, LogIncident},
        portal::my_tickets,
        wire::{load, Loaded},
    },
    language::page_lang,
};

/// What one of the home page's lists shows: `None` when the person
/// signed in sees the other list.
type List = Loaded<Option<Result<RecentIncidents, AppError>>>;

/// The home page: the person's own tickets, or the desk's quick form and
/// newest tickets.
#[component]
pub fn HomeRoute() -> impl IntoView {
    view! { <HomePage page=HomeData::new()/> }.into_any()
}

/// What the home page loads: only the list for whoever is signed in is
/// fetched. Made once per page, outside the view that waits for the
/// session (see `signed_in`).
#[derive(Clone, Copy)]
struct HomeData {
    mine: List,
    recent: List,
    needs_setup: Loaded<Result<bool, AppError>>,
}

impl HomeData {
    fn new() -> Self {
        let session = use_session();
        let desk = move || async move {
            match session.user.await {
                Ok(Some(person)) => Some(may_log_for_others(person.role)),
                _ => None,
            }
        };
        let mine = load(
            || (),
            move |_| async move {
                match desk().await {
                    Some(false) => Some(my_tickets().await),
                    _ => None,
                }
            },
        );
        let recent = load(
            || (),
            move |_| async move {
                match desk().await {
                    Some(true) => Some(list_recent_incidents().await),
                    _ => None,
                }
            },
        );
        let needs_setup = load(
            || (),
            move |_| async move {
                match session.user.await {
                    Ok(None) => setup_needed().await,
                    _ => Ok(false),
                }
            },
        );
        Self {
            mine,
            recent,
            needs_setup,
        }
    }
}

#[component]
fn HomePage(page: HomeData) -> impl IntoView {
    let session = use_session();
    let lang = page_lang();
    view! {
        <Title text=says::service_desk(lang)/>
        <Transition fallback=move || view! { <p class="muted">{words::shell::loading(lang)}</p> }>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(person)) if may_log_for_others(person.role) => match page.recent.await {
                        Some(recent) => view! {
                            <h1>{says::service_desk(lang)}</h1>
                            {island_chunks("desk_home")}
                            <DeskHome recent/>
                        }
                        .into_any(),
                        None => ().into_any(),
                    },
                    Ok(Some(_)) => match page.mine.await {
                        Some(list) => view! {
                            <h1>{says::your_tickets(lang)}</h1>
                            <p><a class="button primary big" href="/report">{says::report_a_problem(lang)}</a></p>
                            {island_chunks("my_tickets")}
                            <MyTickets list/>
                        }
                        .into_any(),
                        None => ().into_any(),
                    },
                    Ok(None) => view! { <Welcome needs_setup=page.needs_setup/> }.into_any(),
                    Err(err) => view! { <p class="notice error" role="alert">{err.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The desk's home: log a caller's incident, and the newest tickets, which
/// load again after each one logged here.
#[island(lazy)]
fn DeskHome(recent: Result<RecentIncidents, AppError>) -> impl IntoView {
    let log = ServerAction::<LogIncident>::new();
    let recent = refreshed(
        recent,
        move || log.version().get() as u64,
        list_recent_incidents,
    );
    view! {
        <QuickReport log for_others=true/>
        <RecentIncidentList recent heading="Recent tickets"/>
    }
}

#[component]
fn Welcome(needs_setup: Loaded<Result<bool, AppError>>) -> impl IntoView {
    let lang = page_lang();
    view! {
        <section class="panel narrow">
            <h1>{says::service_desk(lang)}</h1>
            <p>{says::welcome(lang)} " " <a href="/sign-in">{says::sign_in_to_start(lang)}</a></p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    matches!(needs_setup.await, Ok(true)).then(|| view! {
                        <p class="notice">
                            {says::new_installation(lang)} " "
                            <a href="/setup">{says::create_first_admin(lang)}</a> "."
                        </p>
                    })
                })}
            </Transition>
        </section>
    }
}
