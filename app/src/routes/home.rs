use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{lazy_route, LazyRoute};

use domain::{access::may_log_for_others, person::Person};

use crate::{
    components::{use_session, MyTickets, QuickReport, RecentIncidentList},
    functions::{auth::setup_needed, incidents::LogIncident, wire::load},
};

/// The home page: a chunk of its own, fetched when the page opens.
pub struct HomeRoute;

#[lazy_route]
impl LazyRoute for HomeRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <HomePage/> }.into_any()
    }
}

#[component]
fn HomePage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text="Service desk"/>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(person)) => view! { <Desk person/> }.into_any(),
                    Ok(None) => view! { <Welcome/> }.into_any(),
                    Err(err) => view! { <p class="notice error" role="alert">{err.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Desk(person: Person) -> impl IntoView {
    // One action shared by the form (which dispatches it) and the list (which
    // refetches whenever its version moves).
    let log = ServerAction::<LogIncident>::new();
    if !may_log_for_others(person.role) {
        return view! {
            <h1>"Your tickets"</h1>
            <p><a class="button primary big" href="/report">"Report a problem"</a></p>
            <MyTickets/>
        }
        .into_any();
    }
    view! {
        <h1>"Service desk"</h1>
        <QuickReport log for_others=true/>
        <RecentIncidentList log heading="Recent tickets"/>
    }
    .into_any()
}

#[component]
fn Welcome() -> impl IntoView {
    let needs_setup = load(|| (), |_| setup_needed());
    view! {
        <section class="panel narrow">
            <h1>"Service desk"</h1>
            <p>"Report a problem and follow it to the fix. "
               <a href="/sign-in">"Sign in"</a> " to start."</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    matches!(needs_setup.await, Ok(true)).then(|| view! {
                        <p class="notice">"New installation: " <a href="/setup">"create the first administrator"</a> "."</p>
                    })
                })}
            </Transition>
        </section>
    }
}
