//! The quick steps on a ticket: take it, start, wait on the reporter, and
//! identification (incident or service request).

use leptos::prelude::*;

use domain::{
    change::Change,
    incident::Incident,
    lifecycle::{State, Transition},
    person::Person,
};

use crate::{components::use_hydrated, functions::incidents::ChangeIncident};

/// The desk's steps on one ticket. The board (and its full agent view) is
/// where most work happens; these cover taking, working and resolving a
/// ticket from its page, and identification.
pub(super) fn desk_actions(
    incident: &Incident,
    viewer: &Person,
    change: ServerAction<ChangeIncident>,
    sent_from: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let hydrated = use_hydrated();
    let pending = change.pending();
    let reference = incident.reference();
    let version = incident.version;
    let act = {
        let reference = reference.clone();
        move |change_to: Change| {
            sent_from.set(None);
            change.dispatch(ChangeIncident {
                reference: reference.clone(),
                version,
                change: change_to,
            });
        }
    };
    let mine = incident.assignee.as_ref().map(|a| a.id) == Some(viewer.id);
    let me = viewer.id;
    let take = (!mine).then(|| {
        let act = act.clone();
        view! {
            <button type="button" on:click=move |_| act(Change::Assign { assignee_id: me })
                disabled=move || !hydrated.get() || pending.get()>"Assign to me"</button>
        }
    });
    let start = (incident.state == State::Assigned).then(|| {
        let act = act.clone();
        view! {
            <button type="button" on:click=move |_| act(Change::Move(Transition::StartWork))
                disabled=move || !hydrated.get() || pending.get()>"Start work"</button>
        }
    });
    let ask = (incident.state == State::InProgress).then(|| {
        let act = act.clone();
        view! {
            <button type="button" on:click=move |_| act(Change::Move(Transition::AwaitReporter))
                disabled=move || !hydrated.get() || pending.get()>"Wait on the reporter"</button>
        }
    });
    let reclassify = super::reclassify_to(incident.kind).map(|(to, label)| {
        let act = act.clone();
        view! {
            <button type="button" on:click=move |_| act(Change::Reclassify { to })
                disabled=move || !hydrated.get() || pending.get()>{label}</button>
        }
    });
    view! {
        <section class="desk-actions" aria-labelledby="desk-heading">
            <h2 id="desk-heading">"Work on it"</h2>
            <div class="row wrap">{take}{start}{ask}{reclassify}</div>
        </section>
    }
}
