//! The event log is append-only and ordered: the audit trail and what live
//! clients replay after a reconnect.

use domain::{access::Scope, change::Change, lifecycle::Transition};
use sqlx::{Connection, PgConnection, SqliteConnection};

use super::{acting, as_reporter, new_incident, staff, MINUTE, T0};
use crate::{
    common::{Db, TestStore},
    on_both_backends,
};

async fn the_log_cannot_be_rewritten(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let staff = staff(&test.store).await;
    test.store
        .report(
            &new_incident("Laptop fan is loud", ""),
            &as_reporter(&staff.reporter),
            T0,
        )
        .await
        .expect("reported");

    let statements = [
        "UPDATE incident_events SET actor_name = 'someone else'",
        "DELETE FROM incident_events",
    ];
    for sql in statements {
        let refused = match db {
            Db::Sqlite => {
                let mut conn = SqliteConnection::connect(&test.url).await.expect("connect");
                sqlx::query(sql).execute(&mut conn).await.map(|_| ())
            }
            Db::Postgres => {
                let mut conn = PgConnection::connect(&test.url).await.expect("connect");
                sqlx::query(sql).execute(&mut conn).await.map(|_| ())
            }
        };
        let err = refused.expect_err(sql);
        assert!(
            err.to_string().contains("incident_events is append-only"),
            "{sql}: {err}"
        );
    }
    let entries = test
        .store
        .events_since(0, 10, Scope::Everything)
        .await
        .expect("events");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor_name, "Ada Lovelace");
    test.finish().await;
}
on_both_backends!(the_log_cannot_be_rewritten);

async fn events_replay_in_order_across_tickets(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = &test.store;
    let staff = staff(store).await;
    let reporter = as_reporter(&staff.reporter);
    let a = store
        .report(&new_incident("First", ""), &reporter, T0)
        .await
        .expect("a");
    let b = store
        .report(&new_incident("Second", ""), &reporter, T0 + MINUTE)
        .await
        .expect("b");
    store
        .change(
            a.id,
            1,
            &Change::Assign {
                assignee_id: staff.l1.id,
            },
            &acting(&staff.l1),
            T0 + 2 * MINUTE,
        )
        .await
        .expect("assign a");
    store
        .change(
            b.id,
            1,
            &Change::Move(Transition::Cancel {
                reason: "Duplicate of the first.".to_owned(),
            }),
            &reporter,
            T0 + 3 * MINUTE,
        )
        .await
        .expect("cancel b");

    let all = store
        .events_since(0, 100, Scope::Everything)
        .await
        .expect("all");
    let seen: Vec<(i64, &str)> = all
        .iter()
        .map(|e| (e.incident_id, e.event.kind()))
        .collect();
    assert_eq!(
        seen,
        [
            (a.id, "reported"),
            (b.id, "reported"),
            (a.id, "assigned"),
            (b.id, "state_changed")
        ]
    );
    // A client that saw the first two asks for the rest, one page at a time.
    let rest = store
        .events_since(all[1].id, 1, Scope::Everything)
        .await
        .expect("page");
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].id, all[2].id);
    let tail = store
        .events_since(all[3].id, 100, Scope::Everything)
        .await
        .expect("none left");
    assert!(tail.is_empty());
    test.finish().await;
}
on_both_backends!(events_replay_in_order_across_tickets);
