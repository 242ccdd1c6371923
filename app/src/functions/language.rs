//! Choosing the language the desk speaks to you.

use leptos::prelude::*;

use crate::error::AppError;

/// Keeps `language` ("en", "fr") in this browser's cookie and, for someone
/// signed in, on their account, so it follows them to other devices. A
/// plain form (the switch in the header) is answered with the page it was
/// sent from, now in that language.
#[server(endpoint = "choose_language")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn choose_language(language: String) -> Result<(), AppError> {
    use http::{header::SET_COOKIE, HeaderValue};
    use words::Lang;

    use crate::language::{page_lang, COOKIE_NAME};

    let Some(lang) = Lang::from_code(&language) else {
        return Err(AppError::Invalid(
            words::shell::unknown_language(page_lang()).to_owned(),
        ));
    };
    if let Some(person) = crate::auth::viewer().await? {
        super::store()?.set_language(person.id, Some(lang)).await?;
    }
    let cookie = format!(
        "{COOKIE_NAME}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        lang.code()
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        expect_context::<leptos_axum::ResponseOptions>().append_header(SET_COOKIE, value);
    }
    super::after_plain_form(&super::page_sent_from());
    Ok(())
}
