//! The small dialog a step opens when it needs the agent's words: a
//! resolution note, a cancel reason, a reopen comment, or why a ticket moves
//! to another tier. Nothing is sent until it is answered; Escape or
//! "Keep it here" leaves the card where it was.

use leptos::{html, prelude::*};

use super::desk::Desk;
use domain::{
    board::{with_words, Words},
    resolution::ResolutionCode,
};

#[component]
pub fn WordsDialog() -> AnyView {
    let desk = expect_context::<Desk>();
    let text = RwSignal::new(String::new());
    let empty = RwSignal::new(false);
    let code = RwSignal::new(None::<ResolutionCode>);
    let no_code = RwSignal::new(false);
    let field = NodeRef::<html::Textarea>::new();
    Effect::new(move |_| {
        if desk.asking.with(Option::is_some) {
            if let Some(field) = field.get() {
                let _ = field.focus();
            }
        }
    });
    let close = move || {
        let reference = desk
            .asking
            .with_untracked(|a| a.as_ref().map(|a| a.card.id));
        desk.asking.set(None);
        text.set(String::new());
        empty.set(false);
        code.set(None);
        no_code.set(false);
        if let Some(id) = reference {
            desk.focus(id);
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let said = text.get_untracked().trim().to_owned();
        let Some(asking) = desk.asking.get_untracked() else {
            return;
        };
        let chosen = code.get_untracked();
        let needs_code = asking.words == Words::ResolutionNote;
        empty.set(said.is_empty());
        no_code.set(needs_code && chosen.is_none());
        if said.is_empty() || (needs_code && chosen.is_none()) {
            return;
        }
        desk.asking.set(None);
        text.set(String::new());
        code.set(None);
        desk.act(asking.card, with_words(asking.words, said, chosen));
    };
    (move || {
        desk.asking.get().map(|asking| {
            let prompt = asking.words.prompt();
            view! {
                <div class="dialog-backdrop">
                    <div
                        class="panel words-dialog"
                        role="dialog"
                        aria-modal="true"
                        aria-labelledby="words-heading"
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            if ev.key() == "Escape" {
                                close();
                            }
                        }
                    >
                        <form on:submit=submit>
                            <h2 id="words-heading">{format!("{}: {}", asking.card.reference, asking.card.title)}</h2>
                            <label for="words-text">{prompt}</label>
                            <textarea
                                id="words-text"
                                node_ref=field
                                rows="3"
                                maxlength="2000"
                                aria-required="true"
                                aria-invalid=move || empty.get().to_string()
                                aria-describedby="words-error"
                                prop:value=move || text.get()
                                on:input=move |ev| text.set(event_target_value(&ev))
                            ></textarea>
                            <p id="words-error" class="field-error" role="alert">
                                {move || empty.get().then_some("Please write a few words first.")}
                            </p>
                            {(asking.words == Words::ResolutionNote).then(|| view! {
                                <label for="words-code">"Resolution code"</label>
                                <select
                                    id="words-code"
                                    aria-required="true"
                                    aria-invalid=move || no_code.get().to_string()
                                    aria-describedby="words-code-error"
                                    on:change=move |ev| code.set(ResolutionCode::from_code(&event_target_value(&ev)))
                                >
                                    <option value="">"Choose one"</option>
                                    {ResolutionCode::ALL.into_iter().map(|c| view! {
                                        <option value=c.code()>{c.label()}</option>
                                    }).collect_view()}
                                </select>
                                <p id="words-code-error" class="field-error" role="alert">
                                    {move || no_code.get().then_some("Please choose how it was resolved.")}
                                </p>
                            })}
                            <div class="actions">
                                <button type="submit" class="primary">"Send"</button>
                                <button type="button" on:click=move |_| close()>"Keep it here"</button>
                            </div>
                        </form>
                    </div>
                </div>
            }
        })
    })
    .into_any()
}
