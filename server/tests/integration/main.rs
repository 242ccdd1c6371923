//! Integration tests against real databases: the storage suite runs on an
//! SQLite file and on PostgreSQL; the HTTP tests drive the real router over
//! real sockets. One file per resource or concern; `common` builds things
//! the way the binary does.

mod common;
mod http;
mod storage;
