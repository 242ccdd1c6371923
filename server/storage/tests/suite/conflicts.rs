//! Two agents editing one ticket: the second write carries a stale version
//! and is refused with what changed; nothing is silently overwritten.

use std::sync::Arc;

use domain::{
    change::Change,
    lifecycle::Transition,
    priority::{Impact, Urgency},
};

use storage::StorageError;
use tokio::sync::Barrier;

use super::{acting, as_reporter, new_incident, staff, MINUTE, T0};
use crate::{
    common::{Db, TestStore},
    on_both_backends,
};

async fn a_stale_version_is_a_conflict_that_says_what_changed(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = &test.store;
    let staff = staff(store).await;
    let ticket = store
        .report(
            &new_incident("Shared drive is read-only", ""),
            &as_reporter(&staff.reporter),
            T0,
        )
        .await
        .expect("reported");

    // Dana and Sam both open version 1. Dana assigns herself and starts work.
    let dana = acting(&staff.l1);
    let v2 = store
        .change(
            ticket.id,
            1,
            &Change::Assign {
                assignee_id: staff.l1.id,
            },
            &dana,
            T0 + MINUTE,
        )
        .await
        .expect("Dana assigns");
    store
        .change(
            ticket.id,
            v2.version,
            &Change::Move(Transition::StartWork),
            &dana,
            T0 + 2 * MINUTE,
        )
        .await
        .expect("Dana starts");

    // Sam, still on version 1, raises the priority.
    let sam = acting(&staff.l2);
    let stale = store
        .change(
            ticket.id,
            1,
            &Change::Reprioritise {
                impact: Impact::High,
                urgency: Urgency::High,
            },
            &sam,
            T0 + 3 * MINUTE,
        )
        .await;
    let Err(StorageError::Conflict(conflict)) = stale else {
        panic!("expected a conflict, got {stale:?}");
    };
    assert_eq!(
        (conflict.expected_version, conflict.current_version),
        (1, 3)
    );
    assert_eq!(
        conflict.to_string(),
        format!(
            "{} was changed after you opened it: Dana Reyes: assigned to Dana Reyes; \
             Dana Reyes: moved from assigned to in progress. Reload it to see the changes, then try again.",
            ticket.reference()
        )
    );

    // Nothing of Sam's write landed.
    let detail = store
        .incident(ticket.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(detail.incident.version, 3);
    assert_eq!(detail.incident.impact, Impact::Medium);
    assert_eq!(detail.timeline.len(), 3);

    // A version from the future is a conflict too, never applied.
    let future = store
        .change(
            ticket.id,
            7,
            &Change::Comment {
                text: "hi".to_owned(),
                internal: false,
            },
            &sam,
            T0 + 4 * MINUTE,
        )
        .await;
    assert!(
        matches!(future, Err(StorageError::Conflict(_))),
        "{future:?}"
    );
    test.finish().await;
}
on_both_backends!(a_stale_version_is_a_conflict_that_says_what_changed);

async fn concurrent_writers_exactly_one_wins_per_version(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = test.store.clone();
    let staff = staff(&store).await;
    let ticket = store
        .report(
            &new_incident("Email bounces", ""),
            &as_reporter(&staff.reporter),
            T0,
        )
        .await
        .expect("reported");

    const WRITERS: usize = 8;
    const ROUNDS: i64 = 5;
    let by = acting(&staff.l1);
    for round in 0..ROUNDS {
        let version = 1 + round;
        // All writers read the same version, then write at the same moment.
        let barrier = Arc::new(Barrier::new(WRITERS));
        let mut tasks = Vec::new();
        for writer in 0..WRITERS {
            let (store, barrier, by) = (store.clone(), barrier.clone(), by.clone());
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                let text = format!("round {round}, writer {writer}");
                store
                    .change(
                        ticket.id,
                        version,
                        &Change::Comment {
                            text,
                            internal: true,
                        },
                        &by,
                        T0 + round,
                    )
                    .await
            }));
        }
        let mut wins = 0;
        for task in tasks {
            match task.await.expect("writer task") {
                Ok(updated) => {
                    wins += 1;
                    assert_eq!(updated.version, version + 1);
                }
                Err(StorageError::Conflict(conflict)) => {
                    assert_eq!(conflict.expected_version, version);
                    assert_eq!(conflict.current_version, version + 1);
                    assert_eq!(conflict.changes.len(), 1);
                }
                Err(other) => panic!("round {round}: a writer failed: {other}"),
            }
        }
        assert_eq!(wins, 1, "round {round}: exactly one writer wins");
    }

    let detail = store
        .incident(ticket.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(detail.incident.version, 1 + ROUNDS);
    let versions: Vec<i64> = detail.timeline.iter().map(|e| e.version).collect();
    assert_eq!(versions, (1..=1 + ROUNDS).collect::<Vec<_>>());
    test.finish().await;
}
on_both_backends!(concurrent_writers_exactly_one_wins_per_version);
