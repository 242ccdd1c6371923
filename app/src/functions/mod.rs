//! Server functions: the browser calls them over HTTP, the server runs them.
//! Each one checks its input through the domain before touching storage.

pub mod auth;
pub mod desk;
pub mod incidents;
pub mod language;
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
pub(crate) fn after_plain_form(path: &str) -> bool {
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
    plain
}

/// The page a plain form was sent from (its path and query, without a
/// refusal an earlier post left in it), to answer with; the home page when
/// the browser does not say or names another site.
#[cfg(feature = "ssr")]
pub(crate) fn page_sent_from() -> String {
    use http::{header::REFERER, request::Parts, Uri};
    let sent_from = leptos::prelude::use_context::<Parts>().and_then(|parts| {
        let uri: Uri = parts.headers.get(REFERER)?.to_str().ok()?.parse().ok()?;
        let query = uri
            .query()
            .unwrap_or_default()
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with("__"))
            .collect::<Vec<_>>()
            .join("&");
        let path = if query.is_empty() {
            uri.path().to_owned()
        } else {
            format!("{}?{query}", uri.path())
        };
        crate::components::safe_next(Some(path))
    });
    sent_from.unwrap_or_else(|| "/".to_owned())
}

/// The board's address a plain form on it was sent from (its filters), to
/// answer with, showing `column` on a phone: where the moved card now is.
/// A refusal that address still carries from an earlier post is left off.
#[cfg(feature = "ssr")]
pub(crate) fn board_showing(column: &str) -> String {
    use http::{header::REFERER, request::Parts, Uri};
    let referred = leptos::prelude::use_context::<Parts>().and_then(|parts| {
        let uri: Uri = parts.headers.get(REFERER)?.to_str().ok()?.parse().ok()?;
        (uri.path() == "/board").then(|| {
            uri.query()
                .unwrap_or_default()
                .split('&')
                .filter(|pair| !pair.is_empty() && !pair.starts_with("__"))
                .filter(|pair| !pair.starts_with("column="))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
    });
    let mut query = referred.unwrap_or_default();
    query.push(format!("column={column}"));
    format!("/board?{}", query.join("&"))
}
