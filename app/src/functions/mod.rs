//! Server functions: the browser calls them over HTTP, the server runs them.
//! Each one checks its input through the domain before touching storage.

pub mod auth;
pub mod desk;
pub mod incidents;
pub mod leads;
pub mod portal;
pub mod presence;
pub mod wire;

#[cfg(feature = "ssr")]
pub(crate) fn store() -> Result<storage::Store, crate::error::AppError> {
    leptos::prelude::use_context::<storage::Store>().ok_or_else(|| {
        tracing::error!("no storage in the server function context");
        crate::error::AppError::Internal
    })
}

/// A form sent before the page was live — a plain HTML post, no script —
/// is answered with a redirect to where the live page would have gone. The
/// script's own calls are left alone: the page navigates by itself.
#[cfg(feature = "ssr")]
pub(crate) fn after_plain_form(path: &str) {
    use http::{header::ACCEPT, request::Parts};
    let plain = leptos::prelude::use_context::<Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if plain {
        leptos_axum::redirect(path);
    }
}
