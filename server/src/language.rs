//! Which language each page and answer is in, decided once per request so
//! the server's HTML and the browser's islands never disagree: the
//! signed-in person's saved choice, else the choice kept in the language
//! cookie, else the browser's `Accept-Language`, else the desk's
//! `default_language` ([`words::Lang::decide`]). The app reads it from the
//! request (`app::language`).

use axum::{
    extract::{Request, State},
    http::header::{ACCEPT_LANGUAGE, COOKIE},
    middleware::Next,
    response::Response,
};
use words::Lang;

use app::{auth::AuthSession, language::COOKIE_NAME};

pub async fn decide(State(default): State<Lang>, mut request: Request, next: Next) -> Response {
    let headers = request.headers();
    let saved = request
        .extensions()
        .get::<AuthSession>()
        .and_then(|auth| auth.user.as_ref())
        .and_then(|user| user.language);
    let cookie = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_owned());
    let accept = headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok());
    let lang = Lang::decide(saved, cookie.as_deref(), accept, default);
    request.extensions_mut().insert(lang);
    next.run(request).await
}
