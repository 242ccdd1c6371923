use leptos::{html, prelude::*};

use domain::{incident::TITLE_MAX_CHARS, person::NAME_MAX_CHARS};

use crate::{components::use_hydrated, functions::incidents::LogIncident};

/// A one-line form that logs an incident without leaving the page.
#[component]
pub fn QuickReport(
    log: ServerAction<LogIncident>,
    /// The desk logs for a caller and gives their details; a reporter's come
    /// from their account.
    for_others: bool,
) -> impl IntoView {
    let hydrated = use_hydrated();
    let title_input = NodeRef::<html::Input>::new();
    let name_input = NodeRef::<html::Input>::new();
    let contact_input = NodeRef::<html::Input>::new();
    let pending = log.pending();
    let outcome = log.value();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(title) = title_input.get() else {
            return;
        };
        let value =
            |input: NodeRef<html::Input>| input.get().map(|i| i.value()).unwrap_or_default();
        log.dispatch(LogIncident {
            title: title.value(),
            name: value(name_input),
            contact: value(contact_input),
        });
    };

    // After a successful report, clear the title and put the cursor back for
    // the next one; the reporter's details stay.
    Effect::new(move |_| {
        if let Some(Ok(_)) = outcome.get() {
            if let Some(input) = title_input.get_untracked() {
                input.set_value("");
                let _ = input.focus();
            }
        }
    });

    view! {
        <section class="panel" aria-labelledby="quick-report-heading">
            <h2 id="quick-report-heading">"Log an incident"</h2>
            <form class="quick-report" on:submit=on_submit>
                {for_others.then(|| view! {
                <div class="fields">
                    <div class="field">
                        <label for="reporter-name">"Caller's name"</label>
                        <input
                            id="reporter-name"
                            name="name"
                            type="text"
                            node_ref=name_input
                            required
                            maxlength=NAME_MAX_CHARS
                            autocomplete="off"
                        />
                    </div>
                    <div class="field">
                        <label for="reporter-contact">"Email or phone"</label>
                        <input
                            id="reporter-contact"
                            name="contact"
                            type="text"
                            node_ref=contact_input
                            required
                            autocomplete="off"
                        />
                    </div>
                </div>
                })}
                <label for="incident-title">"What is broken?"</label>
                <div class="row">
                    <input
                        id="incident-title"
                        name="title"
                        type="text"
                        node_ref=title_input
                        required
                        maxlength=TITLE_MAX_CHARS
                        autocomplete="off"
                        placeholder="e.g. VPN disconnects every few minutes"
                    />
                    <button type="submit" disabled=move || !hydrated.get() || pending.get()>
                        {move || if pending.get() { "Logging…" } else { "Log incident" }}
                    </button>
                </div>
            </form>
            <div class="outcome" aria-live="polite">
                {move || match outcome.get() {
                    Some(Ok(logged)) => view! {
                        <p class="notice ok" role="status">
                            "Logged " <strong>{logged.reference}</strong> ": " {logged.title}
                        </p>
                    }.into_any(),
                    Some(Err(err)) => view! {
                        <p class="notice error" role="alert">{err.to_string()}</p>
                    }.into_any(),
                    None => ().into_any(),
                }}
            </div>
        </section>
    }
}
