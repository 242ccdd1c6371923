//! Server functions: the browser calls them over HTTP, the server runs them.
//! Each one checks its input through the domain before touching storage.

pub mod auth;
pub mod desk;
pub mod incidents;
pub mod leads;
pub mod portal;
pub mod presence;

#[cfg(feature = "ssr")]
pub(crate) fn store() -> Result<storage::Store, crate::error::AppError> {
    leptos::prelude::use_context::<storage::Store>().ok_or_else(|| {
        tracing::error!("no storage in the server function context");
        crate::error::AppError::Internal
    })
}
