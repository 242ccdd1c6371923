//! The lifecycle steps that need words: resolve (note and code), reopen
//! (comment) and cancel (reason).

use leptos::prelude::*;

use super::{
    form::{agent_form, choice, text_box, text_line},
    Sender, CANCEL, REOPEN, RESOLVE,
};
use domain::{change::Change, lifecycle::Transition, resolution::ResolutionCode};

pub(super) fn resolve_form(sender: &Sender) -> AnyView {
    let drafts = sender.drafts;
    let items = std::iter::once((String::new(), "Choose how it was resolved".to_owned()))
        .chain(
            ResolutionCode::ALL
                .into_iter()
                .map(|c| (c.code().to_owned(), c.label().to_owned())),
        )
        .collect();
    let to = sender.clone();
    let send = move || {
        let Some(code) = ResolutionCode::from_code(&drafts.resolve_code.get_untracked()) else {
            drafts.sent_from.set(Some(RESOLVE));
            drafts.local_error.set(Some((
                RESOLVE,
                "Please choose how the ticket was resolved.".to_owned(),
            )));
            return;
        };
        to.send(
            RESOLVE,
            Change::Move(Transition::Resolve {
                note: drafts.resolve_note.get_untracked(),
                code: Some(code),
            }),
        );
    };
    let fields = view! {
        {choice((RESOLVE, "resolve-code", true), "Resolution code", drafts.resolve_code, items,
            move || drafts.resolve_code.get())}
        {text_box(RESOLVE, "resolution-note", "Resolution (the reporter sees it)",
            drafts.resolve_note, 20_000)}
    };
    agent_form(RESOLVE, "Resolve", "Resolve", sender, fields, send)
}

pub(super) fn reopen_form(sender: &Sender) -> AnyView {
    let draft = sender.drafts.reopen_comment;
    let fields = text_box(
        REOPEN,
        "reopen-why",
        "What is still wrong? (the reporter sees it)",
        draft,
        20_000,
    );
    let to = sender.clone();
    let send = move || {
        let comment = draft.get_untracked();
        to.send(REOPEN, Change::Move(Transition::Reopen { comment }));
    };
    agent_form(REOPEN, "Reopen", "Reopen", sender, fields, send)
}

pub(super) fn cancel_form(sender: &Sender) -> AnyView {
    let draft = sender.drafts.cancel_reason;
    let label = "Reason (the reporter sees it)";
    let fields = text_line(CANCEL, "cancel-reason", label, draft, (2_000, true));
    let to = sender.clone();
    let send = move || {
        let reason = draft.get_untracked();
        to.send(CANCEL, Change::Move(Transition::Cancel { reason }));
    };
    let title = "Cancel the ticket";
    agent_form(CANCEL, title, title, sender, fields, send)
}
