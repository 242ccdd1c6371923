//! The HTTP surface: probes, server functions, pages and the binary itself.

mod health;
mod incidents;
mod pages;
mod startup;
