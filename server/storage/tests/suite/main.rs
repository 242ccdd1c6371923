//! The storage suite: stories told against the storage interface, every
//! test on an SQLite file and on PostgreSQL (`FRONTLINE_TEST_POSTGRES_URL`).

mod common;

mod attempts;
mod conflicts;
mod connections;
mod events;
mod lifecycle;
mod migrations;
mod portal;
mod records;
mod search;

use common::{acting, as_reporter, new_incident, staff, HOUR, MINUTE, T0};
