use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    components::{QuickReport, RecentIncidentList},
    functions::incidents::LogIncident,
};

#[component]
pub fn HomePage() -> impl IntoView {
    // One action shared by the form (which dispatches it) and the list (which
    // refetches whenever its version moves).
    let log = ServerAction::<LogIncident>::new();

    view! {
        <Title text="Service desk"/>
        <h1>"Service desk"</h1>
        <QuickReport log/>
        <RecentIncidentList log/>
    }
}
