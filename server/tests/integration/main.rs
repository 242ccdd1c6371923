//! Integration tests of the server against real databases (an SQLite file
//! and PostgreSQL): the HTTP tests drive the real router over real sockets;
//! the demo data and the background jobs run on a real store. The storage
//! suite itself lives beside the storage crate. One file per resource or
//! concern; `common` builds things the way the binary does.

mod auto_close;
mod common;
mod demo;
mod http;
mod sla_watch;
