//! Pure domain rules: no I/O, compiled for the server and the browser alike.
//! Storage and UI call these; they never re-implement them.

pub mod access;
pub mod account;
pub mod board;
pub mod calendar;
pub mod call;
pub mod category;
pub mod change;
mod codes;
pub mod escalation;
pub mod guide;
pub mod incident;
pub mod kind;
pub mod lifecycle;
pub mod lockout;
pub mod models;
pub mod person;
pub mod priority;
pub mod resolution;
pub mod sla;
pub mod tier;
