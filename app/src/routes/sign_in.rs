use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use domain::account::PASSWORD_MAX_CHARS;
use words::sign_in as says;

use crate::{
    components::{home_of, open_page, refusal_in_address, safe_next, this_visit},
    error::AppError,
    functions::{
        auth::{setup_needed, SignIn},
        wire::load,
    },
    language::page_lang,
};

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let needs_setup = load(|| (), |_| setup_needed());
    let lang = page_lang();
    let form = move || {
        let next = safe_next(query.read().get("next"));
        let refused = refusal_in_address::<SignIn>();
        view! { <SignInForm next refused/> }
    };

    view! {
        <Title text=says::sign_in(lang)/>
        <section class="panel narrow" aria-labelledby="sign-in-heading">
            <h1 id="sign-in-heading">{says::sign_in(lang)}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    matches!(needs_setup.await, Ok(true)).then(|| view! {
                        <p class="notice">
                            {says::no_admin_yet(lang)} " "
                            <a href="/setup">{says::set_it_up_first(lang)}</a>
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
    let lang = page_lang();
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
            <label for="sign-in-email">{says::email(lang)}</label>
            <input id="sign-in-email" name="email" type="email" required autocomplete="username" inputmode="email"/>
            <label for="sign-in-password">{says::password(lang)}</label>
            <input id="sign-in-password" name="password" type="password" required
                maxlength=PASSWORD_MAX_CHARS autocomplete="current-password"/>
            <button type="submit" disabled=move || action.pending().get()>
                {move || if action.pending().get() { says::signing_in(lang) } else { says::submit(lang) }}
            </button>
        </ActionForm>
        <div aria-live="polite">
            {move || match outcome() {
                Some(Err(err)) => view! { <p class="notice error" role="alert">{err.to_string()}</p> }.into_any(),
                Some(Ok(person)) => view! { <p class="notice ok" role="status">{says::signed_in_as(lang, &person.name)}</p> }.into_any(),
                None => ().into_any(),
            }}
        </div>
    }
}
