use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use domain::{
    account::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS},
    person::Person,
};
use words::{account, Lang};

use crate::{
    components::{island_chunks, signed_in},
    functions::{auth::ChangePassword, language::ChooseLanguage},
    language::page_lang,
};

use super::people::describe_role;

/// The account page; only the password form is live in the browser.
#[component]
pub fn AccountRoute() -> impl IntoView {
    view! { <AccountPage/> }.into_any()
}

#[component]
fn AccountPage() -> impl IntoView {
    signed_in(account::your_account(page_lang()), |person| {
        view! { <Account person/> }.into_any()
    })
}

#[component]
fn Account(person: Person) -> impl IntoView {
    let lang = page_lang();
    view! {
        <section class="panel narrow" aria-labelledby="account-heading">
            <h1 id="account-heading">{account::your_account(lang)}</h1>
            <dl class="facts">
                <dt>{account::name(lang)}</dt><dd>{person.name.clone()}</dd>
                <dt>{account::email(lang)}</dt><dd>{person.email.clone()}</dd>
                <dt>{account::role(lang)}</dt><dd>{describe_role(person.role, lang)}</dd>
            </dl>
        </section>
        <LanguageChoice lang/>
        {island_chunks("password_change")}
        <PasswordChange/>
    }
}

/// The language kept on the account: a plain form, answered with this page
/// in the chosen language.
#[component]
fn LanguageChoice(lang: Lang) -> impl IntoView {
    view! {
        <section class="panel narrow" aria-labelledby="language-heading">
            <h2 id="language-heading">{account::language_heading(lang)}</h2>
            <p class="hint">{account::language_hint(lang)}</p>
            <form class="stacked" method="post" action=ChooseLanguage::url()>
                <label for="account-language">{account::language_label(lang)}</label>
                <select id="account-language" name="language">
                    {Lang::ALL.into_iter().map(|option| view! {
                        <option value=option.code() lang=option.code() selected=option == lang>
                            {option.name()}
                        </option>
                    }).collect_view()}
                </select>
                <button type="submit">{account::save_language(lang)}</button>
            </form>
        </section>
    }
}

/// A new password; every other session of the person ends.
#[island(lazy)]
fn PasswordChange() -> impl IntoView {
    let lang = page_lang();
    let change = ServerAction::<ChangePassword>::new();
    view! {
        <section class="panel narrow" aria-labelledby="password-heading">
            <h2 id="password-heading">{account::change_password(lang)}</h2>
            <p class="hint">{account::change_password_hint(lang)}</p>
            <ActionForm action=change attr:class="stacked">
                <label for="current-password">{account::current_password(lang)}</label>
                <input id="current-password" name="current" type="password" required
                    maxlength=PASSWORD_MAX_CHARS autocomplete="current-password"/>
                <label for="new-password">{account::new_password(lang)}</label>
                <input id="new-password" name="new" type="password" required
                    minlength=PASSWORD_MIN_CHARS maxlength=PASSWORD_MAX_CHARS autocomplete="new-password"/>
                <button type="submit" disabled=move || change.pending().get()>{account::change_password(lang)}</button>
            </ActionForm>
            <div aria-live="polite">
                {move || match change.value().get() {
                    Some(Ok(())) => view! { <p class="notice ok" role="status">{account::password_changed(lang)}</p> }.into_any(),
                    Some(Err(err)) => view! { <p class="notice error" role="alert">{err.to_string()}</p> }.into_any(),
                    None => ().into_any(),
                }}
            </div>
        </section>
    }
}
