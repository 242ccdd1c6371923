//! The lifecycle steps that need words: resolve (note and code), reopen
//! (comment) and cancel (reason).

use leptos::prelude::*;

use super::{notice, options, pending, submit_button, Last, Sender, CANCEL, REOPEN, RESOLVE};
use domain::{change::Change, lifecycle::Transition, resolution::ResolutionCode};

pub(super) fn resolve_form(sender: &Sender, last: Last) -> AnyView {
    let busy = pending(sender);
    let drafts = sender.drafts;
    let items = std::iter::once((String::new(), "Choose how it was resolved".to_owned()))
        .chain(
            ResolutionCode::ALL
                .into_iter()
                .map(|c| (c.code().to_owned(), c.label().to_owned())),
        )
        .collect();
    let sender = sender.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(code) = ResolutionCode::from_code(&drafts.resolve_code.get_untracked()) else {
            drafts.sent_from.set(Some(RESOLVE));
            drafts.local_error.set(Some((
                RESOLVE,
                "Please choose how the ticket was resolved.".to_owned(),
            )));
            return;
        };
        sender.send(
            RESOLVE,
            Change::Move(Transition::Resolve {
                note: drafts.resolve_note.get_untracked(),
                code: Some(code),
            }),
        );
    };
    view! {
        <form class="agent-form stack" on:submit=submit>
            <fieldset>
                <legend>"Resolve"</legend>
                <label for="resolve-code">"Resolution code"</label>
                <select id="resolve-code" required aria-describedby="resolve-error"
                    on:change=move |ev| drafts.resolve_code.set(event_target_value(&ev))>
                    {options(items, move || drafts.resolve_code.get())}
                </select>
                <label for="resolution-note">"Resolution (the reporter sees it)"</label>
                <textarea id="resolution-note" rows="2" required maxlength="20000" aria-describedby="resolve-error"
                    on:input=move |ev| drafts.resolve_note.set(event_target_value(&ev))
                    prop:value=move || drafts.resolve_note.get()></textarea>
                {notice(RESOLVE, drafts, last)}
                {submit_button("Resolve", busy)}
            </fieldset>
        </form>
    }
    .into_any()
}

pub(super) fn reopen_form(sender: &Sender, last: Last) -> AnyView {
    let busy = pending(sender);
    let drafts = sender.drafts;
    let sender = sender.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sender.send(
            REOPEN,
            Change::Move(Transition::Reopen {
                comment: drafts.reopen_comment.get_untracked(),
            }),
        );
    };
    view! {
        <form class="agent-form stack" on:submit=submit>
            <fieldset>
                <legend>"Reopen"</legend>
                <label for="reopen-why">"What is still wrong? (the reporter sees it)"</label>
                <textarea id="reopen-why" rows="2" required maxlength="20000" aria-describedby="reopen-error"
                    on:input=move |ev| drafts.reopen_comment.set(event_target_value(&ev))
                    prop:value=move || drafts.reopen_comment.get()></textarea>
                {notice(REOPEN, drafts, last)}
                {submit_button("Reopen", busy)}
            </fieldset>
        </form>
    }
    .into_any()
}

pub(super) fn cancel_form(sender: &Sender, last: Last) -> AnyView {
    let busy = pending(sender);
    let drafts = sender.drafts;
    let sender = sender.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sender.send(
            CANCEL,
            Change::Move(Transition::Cancel {
                reason: drafts.cancel_reason.get_untracked(),
            }),
        );
    };
    view! {
        <form class="agent-form stack" on:submit=submit>
            <fieldset>
                <legend>"Cancel the ticket"</legend>
                <label for="cancel-reason">"Reason (the reporter sees it)"</label>
                <input id="cancel-reason" type="text" required maxlength="2000" aria-describedby="cancel-error"
                    on:input=move |ev| drafts.cancel_reason.set(event_target_value(&ev))
                    prop:value=move || drafts.cancel_reason.get()/>
                {notice(CANCEL, drafts, last)}
                {submit_button("Cancel the ticket", busy)}
            </fieldset>
        </form>
    }
    .into_any()
}
