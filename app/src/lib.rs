//! What the server and the browser share: the domain rules, the pages and
//! components, and the server functions. Server-only code (storage) sits
//! behind the `ssr` feature.

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod clock;
pub mod components;
pub mod domain;
pub mod error;
pub mod functions;
pub mod models;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod storage;

pub use routes::{shell, App};
