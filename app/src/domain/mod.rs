//! Pure domain rules: no I/O, compiled for the server and the browser alike.
//! Storage and UI call these; they never re-implement them.

pub mod age;
pub mod incident;
pub mod lifecycle;
pub mod priority;
pub mod tier;
