use leptos::prelude::*;

use domain::{
    account::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS},
    person::Person,
};

use crate::{
    components::{island_chunks, signed_in},
    functions::auth::ChangePassword,
};

use super::people::describe_role;

/// The account page; only the password form is live in the browser.
#[component]
pub fn AccountRoute() -> impl IntoView {
    view! { <AccountPage/> }.into_any()
}

#[component]
fn AccountPage() -> impl IntoView {
    signed_in("Your account", |person| {
        view! { <Account person/> }.into_any()
    })
}

#[component]
fn Account(person: Person) -> impl IntoView {
    view! {
        <section class="panel narrow" aria-labelledby="account-heading">
            <h1 id="account-heading">"Your account"</h1>
            <dl class="facts">
                <dt>"Name"</dt><dd>{person.name.clone()}</dd>
                <dt>"Email"</dt><dd>{person.email.clone()}</dd>
                <dt>"Role"</dt><dd>{describe_role(person.role)}</dd>
            </dl>
        </section>
        {island_chunks("password_change")}
        <PasswordChange/>
    }
}

/// A new password; every other session of the person ends.
#[island(lazy)]
fn PasswordChange() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    view! {
        <section class="panel narrow" aria-labelledby="password-heading">
            <h2 id="password-heading">"Change password"</h2>
            <p class="hint">"Changing it signs you out on every other device."</p>
            <ActionForm action=change attr:class="stacked">
                <label for="current-password">"Current password"</label>
                <input id="current-password" name="current" type="password" required
                    maxlength=PASSWORD_MAX_CHARS autocomplete="current-password"/>
                <label for="new-password">"New password"</label>
                <input id="new-password" name="new" type="password" required
                    minlength=PASSWORD_MIN_CHARS maxlength=PASSWORD_MAX_CHARS autocomplete="new-password"/>
                <button type="submit" disabled=move || change.pending().get()>"Change password"</button>
            </ActionForm>
            <div aria-live="polite">
                {move || match change.value().get() {
                    Some(Ok(())) => view! { <p class="notice ok" role="status">"Your password has been changed."</p> }.into_any(),
                    Some(Err(err)) => view! { <p class="notice error" role="alert">{err.to_string()}</p> }.into_any(),
                    None => ().into_any(),
                }}
            </div>
        </section>
    }
}
