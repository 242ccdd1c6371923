use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use domain::account::PASSWORD_MAX_CHARS;

use crate::{
    components::{home_of, open_page, refusal_in_address, safe_next, this_visit},
    error::AppError,
    functions::{
        auth::{setup_needed, SignIn},
        wire::load,
    },
};

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let needs_setup = load(|| (), |_| setup_needed());
    let form = move || {
        let next = safe_next(query.read().get("next"));
        let refused = refusal_in_address::<SignIn>();
        view! { <SignInForm next refused/> }
    };

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
            {form}
        </section>
    }
}

/// The form, live in the browser. Once signed in, the page the person was
/// going to (`next`) or their home opens afresh from the server.
#[island]
fn SignInForm(next: Option<String>, refused: Option<AppError>) -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let outcome = this_visit(action, refused);
    let target = StoredValue::new(next.clone());
    Effect::new(move |_| {
        if let Some(Ok(person)) = outcome() {
            let home = home_of(&person).to_owned();
            open_page(&target.get_value().unwrap_or(home));
        }
    });

    view! {
        <ActionForm action attr:class="stacked">
            // Where to go next, also for a form sent before the page is live.
            <input type="hidden" name="next" value=next.unwrap_or_default()/>
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
    }
}
