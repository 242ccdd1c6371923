//! HTTP-level tests against the real router, real storage and real sockets.
//! One file per resource; `common` builds the app the way the binary does.

mod common;
mod health;
mod incidents;
mod pages;
mod startup;
