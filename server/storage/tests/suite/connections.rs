//! Every connection is opened the way its backend needs (`Dialect::on_connect`):
//! an SQLite file in write-ahead-log mode, so readers go on while one writes;
//! PostgreSQL sessions that name the desk, for whoever runs the server.

use sqlx::{Connection, Executor, PgConnection, Row, SqliteConnection};

use crate::{
    common::{Db, TestStore},
    on_both_backends,
};

async fn connections_are_set_up_for_their_backend(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    test.store.ping().await.expect("the store answers");
    match db {
        Db::Sqlite => {
            let mut own = SqliteConnection::connect(&test.url)
                .await
                .expect("open the file");
            let mode: String = own
                .fetch_one("PRAGMA journal_mode")
                .await
                .expect("journal mode")
                .get(0);
            assert_eq!(mode, "wal", "the file is in write-ahead-log mode");
        }
        Db::Postgres => {
            let mut own = PgConnection::connect(&test.url).await.expect("connect");
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT application_name FROM pg_stat_activity WHERE datname = current_database()",
            )
            .fetch_all(&mut own)
            .await
            .expect("sessions");
            assert!(
                names.iter().any(|n| n == "frontline"),
                "the desk's sessions name themselves: {names:?}"
            );
        }
    }
    test.finish().await;
}
on_both_backends!(connections_are_set_up_for_their_backend);
