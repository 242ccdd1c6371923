use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{hooks::use_navigate, lazy_route, LazyRoute};

use domain::{
    account::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS},
    person::NAME_MAX_CHARS,
};

use crate::{
    components::{this_visit, use_session},
    functions::{auth::setup_needed, wire::load},
};

/// First run happens once per desk: nobody else downloads it.
pub struct SetupRoute;

#[lazy_route]
impl LazyRoute for SetupRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        view! { <SetupPage/> }.into_any()
    }
}

/// First run: the desk has no administrator, so whoever installed it makes one.
#[component]
pub fn SetupPage() -> impl IntoView {
    let session = use_session();
    let action = session.first_admin;
    let needed = load(move || action.version().get(), |_| setup_needed());
    let navigate = use_navigate();

    let outcome = this_visit(action);
    Effect::new(move |_| {
        if let Some(Ok(_)) = outcome() {
            navigate("/account", Default::default());
        }
    });

    view! {
        <Title text="Set up Frontline"/>
        <section class="panel narrow" aria-labelledby="setup-heading">
            <h1 id="setup-heading">"Set up Frontline"</h1>
            <Transition fallback=|| view! { <p class="muted">"Checking…"</p> }>
                {move || Suspend::new(async move {
                    match needed.await {
                        Ok(true) => view! {
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
                        }.into_any(),
                        Ok(false) => view! {
                            <p>"Frontline is set up. " <a href="/sign-in">"Sign in"</a> "."</p>
                        }.into_any(),
                        Err(err) => view! { <p class="notice error" role="alert">{err.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
            <div aria-live="polite">
                {move || outcome().and_then(Result::err).map(|err| view! {
                    <p class="notice error" role="alert">{err.to_string()}</p>
                })}
            </div>
        </section>
    }
}
