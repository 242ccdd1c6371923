use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use domain::account::PASSWORD_MAX_CHARS;

use crate::{
    components::{home_of, safe_next, this_visit, use_session},
    functions::{auth::setup_needed, wire::load},
};

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let action = session.sign_in;
    let query = use_query_map();
    let next = move || safe_next(query.read().get("next"));
    let navigate = use_navigate();
    let needs_setup = load(|| (), |_| setup_needed());

    let outcome = this_visit(action);
    Effect::new(move |_| {
        if let Some(Ok(person)) = outcome() {
            let target = next().unwrap_or_else(|| home_of(&person).to_owned());
            navigate(&target, Default::default());
        }
    });

    view! {
        <Title text="Sign in"/>
        <section class="panel narrow" aria-labelledby="sign-in-heading">
            <h1 id="sign-in-heading">"Sign in"</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    matches!(needs_setup.await, Ok(true)).then(|| view! {
                        <p class="notice">
                            "Frontline has no administrator yet. "
                            <a href="/setup">"Set it up"</a> " first."
                        </p>
                    })
                })}
            </Transition>
            <ActionForm action attr:class="stacked">
                // Where to go next, also for a form sent before the page is live.
                <input type="hidden" name="next" value=move || next().unwrap_or_default()/>
                <label for="sign-in-email">"Email"</label>
                <input id="sign-in-email" name="email" type="email" required autocomplete="username" inputmode="email"/>
                <label for="sign-in-password">"Password"</label>
                <input id="sign-in-password" name="password" type="password" required
                    maxlength=PASSWORD_MAX_CHARS autocomplete="current-password"/>
                <button type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
            <div aria-live="polite">
                {move || match outcome() {
                    Some(Err(err)) => view! { <p class="notice error" role="alert">{err.to_string()}</p> }.into_any(),
                    Some(Ok(person)) => view! { <p class="notice ok" role="status">"Signed in as " {person.name}"."</p> }.into_any(),
                    None => ().into_any(),
                }}
            </div>
        </section>
    }
}
