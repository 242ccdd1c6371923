use leptos::prelude::*;
use leptos_meta::Title;

use domain::{
    account::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS},
    person::NAME_MAX_CHARS,
};

use crate::{
    components::{island_chunks, open_page, refusal_in_address, this_visit},
    error::AppError,
    functions::{
        auth::{setup_needed, CreateFirstAdmin},
        wire::load,
    },
};

/// First run happens once per desk: its form is an island nobody else downloads.
#[component]
pub fn SetupRoute() -> impl IntoView {
    view! { <SetupPage/> }.into_any()
}

/// First run: the desk has no administrator, so whoever installed it makes one.
#[component]
pub fn SetupPage() -> impl IntoView {
    let needed = load(|| (), |_| setup_needed());
    let refused = refusal_in_address::<CreateFirstAdmin>();
    view! {
        <Title text="Set up Frontline"/>
        <section class="panel narrow" aria-labelledby="setup-heading">
            <h1 id="setup-heading">"Set up Frontline"</h1>
            <Transition fallback=|| view! { <p class="muted">"Checking…"</p> }>
                {move || {
                    let refused = refused.clone();
                    Suspend::new(async move {
                        match needed.await {
                            Ok(true) => view! {
                                {island_chunks("setup_form")}
                                <SetupForm refused/>
                            }
                            .into_any(),
                            Ok(false) => view! {
                                <p>"Frontline is set up. " <a href="/sign-in">"Sign in"</a> "."</p>
                            }.into_any(),
                            Err(err) => view! { <p class="notice error" role="alert">{err.to_string()}</p> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

/// The first administrator's form. Once made, they are signed in and their
/// account page opens afresh from the server.
#[island(lazy)]
fn SetupForm(refused: Option<AppError>) -> impl IntoView {
    let action = ServerAction::<CreateFirstAdmin>::new();
    let outcome = this_visit(action, refused);
    Effect::new(move |_| {
        if let Some(Ok(_)) = outcome() {
            open_page("/account");
        }
    });
    view! {
        <p>"Create the first administrator. They can then add agents and reporters."</p>
        <ActionForm action attr:class="stacked">
            <label for="setup-name">"Your name"</label>
            <input id="setup-name" name="name" type="text" required maxlength=NAME_MAX_CHARS autocomplete="name"/>
            <label for="setup-email">"Email"</label>
            <input id="setup-email" name="email" type="email" required autocomplete="username" inputmode="email"/>
            <label for="setup-password">"Password"</label>
            <input id="setup-password" name="password" type="password" required
                minlength=PASSWORD_MIN_CHARS maxlength=PASSWORD_MAX_CHARS
                autocomplete="new-password" aria-describedby="setup-password-hint"/>
            <p id="setup-password-hint" class="hint">
                {format!("At least {PASSWORD_MIN_CHARS} characters; a few words make a good one.")}
            </p>
            <button type="submit" disabled=move || action.pending().get()>"Create administrator"</button>
        </ActionForm>
        <div aria-live="polite">
            {move || outcome().and_then(Result::err).map(|err| view! {
                <p class="notice error" role="alert">{err.to_string()}</p>
            })}
        </div>
    }
}
