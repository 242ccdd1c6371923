//! The language of the page being rendered. The server decides it for each
//! request (the server's `language` layer) and writes it into `<html
//! lang>`; the browser's islands read it back from there, so what they
//! render when they hydrate agrees with the server's HTML.

use words::Lang;

/// The cookie that keeps a choice made on this browser (also before
/// signing in). A signed-in person's choice is kept on their account too.
pub const COOKIE_NAME: &str = "frontline-lang";

/// The language this page is in.
pub fn page_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Lang>().copied())
            .unwrap_or_default()
    }
    // A page's language never changes without a new page: read it once.
    #[cfg(not(feature = "ssr"))]
    {
        thread_local! {
            static PAGE_LANG: std::cell::OnceCell<Lang> = const { std::cell::OnceCell::new() };
        }
        PAGE_LANG.with(|lang| {
            *lang.get_or_init(|| {
                leptos::prelude::document()
                    .document_element()
                    .and_then(|html| html.get_attribute("lang"))
                    .and_then(|code| Lang::from_code(&code))
                    .unwrap_or_default()
            })
        })
    }
}
