//! What every agent form is made of: the frame (a titled fieldset, the
//! answer to the last change it sent, its button) and fields that keep what
//! was typed in a draft.

use leptos::prelude::*;

use super::{Drafts, Last, Sender};
use crate::components::use_hydrated;

/// A form whose `send` runs on submit, instead of the browser's own submission.
pub(super) fn agent_form(
    form: &'static str,
    legend: impl IntoView + 'static,
    button: &'static str,
    sender: &Sender,
    fields: impl IntoView + 'static,
    send: impl Fn() + 'static,
) -> AnyView {
    let action = sender.action;
    let busy = move || action.pending().get();
    let hydrated = use_hydrated();
    let (drafts, last) = (sender.drafts, sender.last);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send();
    };
    view! {
        <form class="agent-form stack" on:submit=submit>
            <fieldset>
                <legend>{legend}</legend>
                {fields}
                {notice(form, drafts, last)}
                <button type="submit" disabled=move || !hydrated.get() || busy()>{button}</button>
            </fieldset>
        </form>
    }
    .into_any()
}

/// In place of a form whose change this ticket cannot take now, and why.
pub(super) fn unavailable(title: &'static str, why: String) -> AnyView {
    view! {
        <section class="agent-form">
            <h3>{title}</h3>
            <p class="muted">{why}</p>
        </section>
    }
    .into_any()
}

/// The answer to the last change, for the form that sent it: a sentence in
/// an alert region the form's fields point at with `aria-describedby`.
fn notice(form: &'static str, drafts: Drafts, last: Last) -> impl IntoView {
    let message = move || {
        if let Some((f, text)) = drafts.local_error.get() {
            return (f == form).then_some(text);
        }
        if drafts.sent_from.get() != Some(form) {
            return None;
        }
        last.get().and_then(Result::err).map(|e| e.to_string())
    };
    view! {
        <div id=error_id(form) class="form-error" role="alert">
            {move || message().map(|text| view! { <p class="notice error">{text}</p> })}
        </div>
    }
}

fn error_id(form: &'static str) -> String {
    format!("{form}-error")
}

/// A required text box of two rows, kept in `draft`.
pub(super) fn text_box(
    form: &'static str,
    id: &'static str,
    label: &'static str,
    draft: RwSignal<String>,
    maxlength: u32,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <textarea id=id rows="2" required maxlength=maxlength aria-describedby=error_id(form)
            on:input=move |ev| draft.set(event_target_value(&ev))
            prop:value=move || draft.get()></textarea>
    }
}

/// A one-line text field kept in `draft`.
pub(super) fn text_line(
    form: &'static str,
    id: &'static str,
    label: &'static str,
    draft: RwSignal<String>,
    (maxlength, required): (u32, bool),
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <input id=id type="text" required=required maxlength=maxlength aria-describedby=error_id(form)
            on:input=move |ev| draft.set(event_target_value(&ev))
            prop:value=move || draft.get()/>
    }
}

/// A choice among `items` (value, label) kept in `draft`; `shown` says
/// which one is selected. `required` when the first item is only a prompt.
pub(super) fn choice(
    (form, id, required): (&'static str, &'static str, bool),
    label: impl IntoView + 'static,
    draft: RwSignal<String>,
    items: Vec<(String, String)>,
    shown: impl Fn() -> String + Clone + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <select id=id required=required aria-describedby=error_id(form)
            on:change=move |ev| draft.set(event_target_value(&ev))>
            {options(items, shown)}
        </select>
    }
}

/// The options of a `<select>`; `chosen` says which one is selected.
pub(super) fn options(
    items: Vec<(String, String)>,
    chosen: impl Fn() -> String + Clone + Send + Sync + 'static,
) -> impl IntoView {
    items
        .into_iter()
        .map(|(code, label)| {
            let is = code.clone();
            let chosen = chosen.clone();
            view! { <option value=code selected=move || chosen() == is>{label}</option> }
        })
        .collect_view()
}

/// What a draft says, when it is one of `allowed`; otherwise `fallback`.
pub(super) fn draft_or(
    draft: RwSignal<String>,
    allowed: Vec<String>,
    fallback: String,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    move || {
        let value = draft.get();
        if allowed.contains(&value) {
            value
        } else {
            fallback.clone()
        }
    }
}
