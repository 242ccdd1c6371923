//! A database made by the first release is brought up to date without
//! losing a ticket.

use std::path::PathBuf;

use domain::{access::Scope, lifecycle::State};

use sqlx::{migrate::Migrator, Connection, Executor, PgConnection, SqliteConnection};
use tempfile::TempDir;

use super::{as_reporter, new_incident, staff, T0};
use crate::common::{create_postgres_database, drop_postgres_database, postgres_admin_url, Db};

/// A migrations folder holding only the first migration of `backend`.
fn first_release_migrations(backend: &str) -> TempDir {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend)
        .join("0001_incidents.sql");
    let dir = TempDir::new().expect("temp dir");
    std::fs::copy(&source, dir.path().join("0001_incidents.sql"))
        .expect("copy the first migration");
    dir
}

const OLD_ROWS: &str = "INSERT INTO incidents (title, reported_at_ms) VALUES ('Old VPN problem', 1000), ('Old printer problem', 2000)";

async fn upgrade_keeps_old_tickets(db: Db) {
    let dir = TempDir::new().expect("temp dir");
    let (url, postgres_db) = match db {
        Db::Sqlite => (
            format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display()),
            None,
        ),
        Db::Postgres => {
            let Some(admin) = postgres_admin_url() else {
                return;
            };
            let (url, name) = create_postgres_database(&admin).await;
            (url, Some(name))
        }
    };
    let backend = match db {
        Db::Sqlite => "sqlite",
        Db::Postgres => "postgres",
    };
    let old = first_release_migrations(backend);
    let migrator = Migrator::new(old.path())
        .await
        .expect("read the first migration");
    match db {
        Db::Sqlite => {
            let mut conn = SqliteConnection::connect(&url).await.expect("connect");
            migrator.run(&mut conn).await.expect("first release schema");
            conn.execute(OLD_ROWS).await.expect("old rows");
        }
        Db::Postgres => {
            let mut conn = PgConnection::connect(&url).await.expect("connect");
            migrator.run(&mut conn).await.expect("first release schema");
            conn.execute(OLD_ROWS).await.expect("old rows");
        }
    }

    let store = storage::connect(&url).await.expect("upgrade");
    let old_ticket = store.incident(1).await.expect("read").expect("kept");
    assert_eq!(old_ticket.incident.title, "Old VPN problem");
    assert_eq!(old_ticket.incident.state, State::New);
    assert_eq!(old_ticket.incident.reported_at_ms, 1000);
    assert_eq!(old_ticket.incident.reporter.name, "Unknown reporter");
    assert_eq!(old_ticket.timeline.len(), 1);
    assert_eq!(old_ticket.timeline[0].event.kind(), "reported");
    assert_eq!(
        store
            .search("printer", 5, Scope::Everything)
            .await
            .expect("search")
            .len(),
        1
    );

    // New tickets continue the numbering.
    let staff = staff(&store).await;
    let new = store
        .report(
            &new_incident("New problem", ""),
            &as_reporter(&staff.reporter),
            T0,
        )
        .await
        .expect("report after upgrade");
    assert_eq!(new.id, 3);
    store.close().await;
    if let (Some(name), Some(admin)) = (postgres_db, postgres_admin_url()) {
        drop_postgres_database(&admin, &name).await;
    }
}
crate::on_both_backends!(upgrade_keeps_old_tickets);
