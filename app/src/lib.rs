//! The pages, components and server functions the server renders and the
//! browser hydrates. The rules they apply live in the `domain` crate; the
//! server-only parts (accounts and sessions, and the `storage` crate they
//! call) sit behind the `ssr` feature.

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod clock;
pub mod components;
pub mod error;
pub mod functions;
pub mod language;
pub mod routes;

pub use routes::{shell, App};
