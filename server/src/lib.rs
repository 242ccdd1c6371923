//! The Frontline server: configuration, the HTTP router, and start-up and
//! shutdown around them. The binary in `main.rs` is a thin shell over this.

pub mod assets;
pub mod calls;
pub mod cli;
pub mod config;
mod connections;
pub mod demo;
pub mod guides;
pub mod health;
pub mod jobs;
pub mod language;
pub mod live;
pub mod memory;
pub mod router;
pub mod security;
pub mod serve;
pub mod sessions;
pub mod telemetry;
pub mod users;
pub mod zones;

pub use config::{Config, ConfigError};
pub use serve::{run, serve, StartError};
