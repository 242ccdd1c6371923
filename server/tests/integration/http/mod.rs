//! The HTTP surface: probes, server functions, pages and the binary itself.

mod auth;
mod authorization;
mod health;
mod incidents;
mod pages;
mod security;
mod startup;
