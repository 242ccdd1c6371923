//! What the benchmark binaries share: the server as a child process and a
//! small HTTP client.

pub mod child;
pub mod http;
