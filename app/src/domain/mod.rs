//! Pure domain rules: no I/O, compiled for the server and the browser alike.

pub mod age;
pub mod incident;
