//! The HTML shell and the page routes.

mod account;
mod board;
mod guides;
mod home;
mod incident;
mod not_found;
mod people;
mod report;
mod setup;
mod sign_in;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::components::{provide_session, AccountMenu, IslandScripts, LanguageSwitch};
use account::AccountRoute;
use board::BoardRoute;
use guides::GuidesRoute;
use home::HomeRoute;
use incident::IncidentRoute;
use not_found::NotFound;
use people::PeopleRoute;
#[cfg(feature = "ssr")]
use report::keep_refused_report;
#[cfg(feature = "ssr")]
pub(crate) use report::ReportAddress;
use report::ReportPage;
use setup::SetupRoute;
use sign_in::SignInPage;

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    #[cfg(feature = "ssr")]
    let keeper = keep_refused_report();
    #[cfg(not(feature = "ssr"))]
    let keeper = ();
    let lang = crate::language::page_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="frontline"/>
                <AutoReload options=options.clone()/>
                <IslandScripts options/>
                {keeper}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_session();
    let lang = crate::language::page_lang();

    view! {
        <Title formatter=|page: String| format!("{page} · Frontline")/>
        <Router>
            <header class="masthead">
                <a class="brand" href="/">"Frontline"</a>
                <span class="tagline">{words::shell::tagline(lang)}</span>
                <AccountMenu/>
                <LanguageSwitch/>
            </header>
            <main id="main">
                <Routes fallback=NotFound>
                    // The router runs on the server only: a link opens a page
                    // from the server, and the islands in it come alive. The
                    // report and sign-in forms are in the first download;
                    // every other island is a chunk fetched when a page shows
                    // it (`#[island(lazy)]`, `cargo leptos build --split`).
                    // Pages are written whole once their data is read (a few
                    // milliseconds): streamed, each waiting part came as a
                    // template plus a script that walks the whole page to put
                    // it in place, some 70 ms of a slow phone's CPU on /board.
                    <Route path=path!("") view=HomeRoute ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountRoute ssr=SsrMode::Async/>
                    <Route path=path!("/report") view=ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/incidents/:reference") view=IncidentRoute ssr=SsrMode::Async/>
                    <Route path=path!("/setup") view=SetupRoute ssr=SsrMode::Async/>
                    <Route path=path!("/board") view=BoardRoute ssr=SsrMode::Async/>
                    <Route path=path!("/people") view=PeopleRoute ssr=SsrMode::Async/>
                    <Route path=path!("/guides") view=GuidesRoute ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}

/// Scripts run only from our own origin or with this response's nonce
/// (Leptos's inline hydration and resource scripts carry it); the WASM
/// module needs 'wasm-unsafe-eval' to compile. No inline styles, no frames.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    use http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    use leptos::nonce::{provide_nonce, use_nonce};

    provide_nonce();
    let (Some(nonce), Some(response)) =
        (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    // `cargo leptos watch` reloads the page over a WebSocket on another port.
    let reload = if std::env::var("LEPTOS_WATCH").is_ok() {
        " ws:"
    } else {
        ""
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'{reload}; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}
