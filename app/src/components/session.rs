//! Who is signed in, shared by every page: one resource, refetched whenever
//! someone signs out on this tab. Signing in (and setting up the first
//! administrator) opens the next page afresh from the server.

use leptos::prelude::*;
use leptos_meta::Title;

use domain::{
    access::works_the_desk,
    person::{Person, Role},
};

use words::{shell, Lang};

use crate::{
    error::AppError,
    functions::{
        auth::{current_user, SignOut},
        wire::{load, Loaded},
    },
    language::page_lang,
};

#[derive(Clone, Copy)]
pub struct SessionContext {
    pub user: Loaded<Result<Option<Person>, AppError>>,
    pub sign_out: ServerAction<SignOut>,
}

pub fn provide_session() -> SessionContext {
    let sign_out = ServerAction::<SignOut>::new();
    let user = load(move || sign_out.version().get(), |_| current_user());
    let context = SessionContext { user, sign_out };
    provide_context(context);
    context
}

pub fn use_session() -> SessionContext {
    expect_context::<SessionContext>()
}

/// Where someone lands after signing in: the desk on the board, reporters
/// on their own tickets.
pub fn home_of(person: &Person) -> &'static str {
    if works_the_desk(person.role) {
        "/board"
    } else {
        "/"
    }
}

/// The result of `action` dispatched since the calling page opened. The
/// session's actions live for the whole app, so without this a page opened
/// after a sign-out would act on the sign-in from before it. A form sent
/// before the page was live comes back with its refusal in the address:
/// the page reads it there ([`refusal_in_address`], on the server too) and
/// hands it in as `refused`, since an island cannot see the address.
pub fn this_visit<S>(
    action: ServerAction<S>,
    refused: Option<S::Error>,
) -> impl Fn() -> Option<Result<S::Output, S::Error>> + Copy + Send + Sync + 'static
where
    S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
    S::Error: leptos::server_fn::error::FromServerFnError + Clone + Send + Sync + 'static,
{
    let seen = action.version().get_untracked();
    let from_address = StoredValue::new(refused);
    move || {
        if action.version().get() > seen {
            action.value().get()
        } else {
            from_address.get_value().map(Err)
        }
    }
}

/// The refusal of `S` that a plain form post brought back in the address
/// (`__path`, `__err`).
pub fn refusal_in_address<S>() -> Option<S::Error>
where
    S: leptos::server_fn::ServerFn,
    S::Error: leptos::server_fn::error::FromServerFnError,
{
    use leptos::server_fn::error::ServerFnUrlError;
    let query = leptos_router::hooks::use_query_map();
    let query = query.read_untracked();
    (query.get_str("__path") == Some(S::PATH))
        .then(|| query.get_str("__err"))
        .flatten()
        .map(ServerFnUrlError::<S::Error>::decode_err)
}

/// Opens `href` as a new page from the server: after signing in or out the
/// masthead and every page must be drawn again for who is signed in now,
/// and an island cannot reach the router.
pub fn open_page(href: &str) {
    #[cfg(feature = "hydrate")]
    let _ = window().location().assign(href);
    #[cfg(not(feature = "hydrate"))]
    let _ = href;
}

/// Only a path on this site, never `//evil.example` or a full URL. Browsers
/// drop tabs and newlines anywhere in a URL, read `\` as `/` and resolve
/// dot segments, so `/\t/evil.example`, `/\evil.example` and
/// `/..//evil.example` all lead off the site: a path with a control
/// character, a space, a backslash, an empty or a dot segment is refused.
pub fn safe_next(next: Option<String>) -> Option<String> {
    next.filter(|n| stays_on_this_site(n))
}

fn stays_on_this_site(next: &str) -> bool {
    if next
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return false;
    }
    let path = next.split(['?', '#']).next().unwrap_or_default();
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let last = segments.len() - 1;
    segments.iter().enumerate().all(|(i, segment)| {
        let dots = segment.to_ascii_lowercase().replace("%2e", ".");
        // Only the last segment may be empty: `/incidents/` is fine, `/a//b` is not.
        (!segment.is_empty() || i == last) && dots != "." && dots != ".."
    })
}

/// The masthead's right-hand side: who is signed in, and the way out.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let session = use_session();
    let lang = page_lang();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(person)) => {
                        let desk = works_the_desk(person.role);
                        view! {
                            <nav class="account-menu" aria-label=shell::main_menu(lang)>
                                <a href="/">{if desk { shell::tickets(lang) } else { shell::my_tickets(lang) }}</a>
                                <a href="/report">{shell::report_a_problem(lang)}</a>
                                {desk.then(|| view! { <a href="/board">{shell::board(lang)}</a> })}
                                {(person.role == Role::Admin).then(|| view! {
                                    <a href="/people">{shell::people(lang)}</a>
                                    <a href="/guides">{shell::guides(lang)}</a>
                                })}
                                <a href="/account" title=person.email.clone()>{person.name.clone()}</a>
                                <ActionForm action=session.sign_out attr:class="sign-out">
                                    <button type="submit" class="link">{shell::sign_out(lang)}</button>
                                </ActionForm>
                            </nav>
                        }
                        .into_any()
                    }
                    _ => view! {
                        <nav class="account-menu" aria-label=shell::main_menu(lang)>
                            <a href="/sign-in">{shell::sign_in(lang)}</a>
                        </nav>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

/// The masthead's language switch: a plain form, so the choice reloads the
/// page, all of it, in the chosen language (before the page is live too).
/// Each language is offered in its own words.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    use crate::functions::language::ChooseLanguage;
    use leptos::server_fn::ServerFn;
    let lang = page_lang();
    let others = Lang::ALL.into_iter().filter(move |other| *other != lang);
    view! {
        <form class="language-switch" method="post" action=ChooseLanguage::url()
            aria-label=shell::language(lang)>
            {others.map(|other| view! {
                <button type="submit" class="link" name="language" value=other.code() lang=other.code()>
                    {other.name()}
                </button>
            }).collect_view()}
        </form>
    }
}

/// A page for signed-in people, titled `title`: `render` shows it to the
/// person signed in; anyone else is asked to sign in. The data on the page
/// is guarded by its server functions; this only decides what to show.
///
/// Create the page's resources before calling this, never inside `render`:
/// on the server, Leptos walks a suspended view up to three times before
/// writing it (to find every resource it waits on), so a resource created
/// in `render` is fetched and sent in the page three times.
pub fn signed_in<F>(title: &'static str, render: F) -> impl IntoView
where
    F: Fn(Person) -> AnyView + Clone + Send + Sync + 'static,
{
    let session = use_session();
    let location = leptos_router::hooks::use_location();
    view! {
        <Title text=title/>
        <Transition fallback=move || view! { <p class="muted">{shell::loading(page_lang())}</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match session.user.await {
                        Ok(Some(person)) => render(person),
                        Ok(None) => {
                            let next = location.pathname.get_untracked();
                            view! { <SignInPrompt next/> }.into_any()
                        }
                        Err(err) => view! {
                            <p class="notice error" role="alert">{err.to_string()}</p>
                        }
                        .into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
pub fn SignInPrompt(next: String) -> impl IntoView {
    let href = format!("/sign-in?next={}", encode_path(&next));
    let lang = page_lang();
    view! {
        <section class="panel narrow">
            <h1>{words::sign_in::please_sign_in(lang)}</h1>
            <p>
                {words::sign_in::page_for_signed_in(lang)} " "
                <a href=href>{words::sign_in::sign_in_to_continue(lang)}</a>
            </p>
        </section>
    }
}

/// Enough percent-encoding for a path inside a query string.
fn encode_path(path: &str) -> String {
    path.chars()
        .map(|c| match c {
            '%' => "%25".to_owned(),
            '&' => "%26".to_owned(),
            '#' => "%23".to_owned(),
            '?' => "%3F".to_owned(),
            '+' => "%2B".to_owned(),
            ' ' => "%20".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_survive_a_query_string() {
        assert_eq!(
            encode_path("/incidents/INC-000001"),
            "/incidents/INC-000001"
        );
        assert_eq!(encode_path("/a b?c&d#e%"), "/a%20b%3Fc%26d%23e%25");
    }

    #[test]
    fn next_must_stay_on_this_site() {
        assert_eq!(safe_next(Some("/board".into())).as_deref(), Some("/board"));
        assert_eq!(safe_next(Some("//evil.example".into())), None);
        assert_eq!(safe_next(Some("https://evil.example".into())), None);
        assert_eq!(safe_next(Some("/\\evil.example".into())), None);
        assert_eq!(safe_next(None), None);
        for kept in [
            "/",
            "/board?tier=L2&q=vpn#top",
            "/incidents/INC-000001",
            "/incidents/",
            "/a%20b",
        ] {
            assert_eq!(safe_next(Some(kept.into())).as_deref(), Some(kept));
        }
        // What browsers turn into another origin, or a path that leaves the site.
        for refused in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "\t//evil.example",
            " //evil.example",
            "/\u{0}/evil.example",
            "/\\/evil.example",
            "/..//evil.example",
            "/.%2e//evil.example",
            "/%2E/..//evil.example",
            "/board//evil.example",
            "evil.example",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(safe_next(Some(refused.into())), None, "{refused:?}");
        }
    }
}
