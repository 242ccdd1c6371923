//! The HTTP surface: probes, server functions, pages and the binary itself.

mod agent_view;
mod assets;
mod auth;
mod authorization;
mod board;
mod disclosure;
mod health;
mod hosts;
mod incidents;
mod language;
mod live;
mod lockout;
mod pages;
mod portal;
mod security;
mod sessions;
mod sign_in_flood;
mod slow_clients;
mod startup;
