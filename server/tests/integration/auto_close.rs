//! The auto-close job: resolutions nobody answered close after the grace
//! period, once, as the system.

use domain::{
    change::{Acting, Change},
    lifecycle::{State, Transition},
};

use crate::{
    common::{acting, as_reporter, new_incident, staff, Db, TestStore, HOUR, MINUTE, T0},
    on_both_backends,
};

async fn unanswered_resolutions_close_after_the_grace_period(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = &test.store;
    let staff = staff(store).await;
    let by = as_reporter(&staff.reporter);
    let l1 = acting(&staff.l1);
    let mut resolved = Vec::new();
    for (i, title) in ["Old fix", "Recent fix", "Answered fix"]
        .into_iter()
        .enumerate()
    {
        let at = T0 + i as i64 * 24 * HOUR;
        let t = store
            .report(&new_incident(title, ""), &by, at)
            .await
            .expect("reported");
        let t = store
            .change(
                t.id,
                t.version,
                &Change::Assign {
                    assignee_id: staff.l1.id,
                },
                &l1,
                at,
            )
            .await
            .expect("assigned");
        let t = store
            .change(
                t.id,
                t.version,
                &Change::Move(Transition::StartWork),
                &l1,
                at,
            )
            .await
            .expect("started");
        let t = store
            .change(
                t.id,
                t.version,
                &Change::Move(Transition::Resolve {
                    note: "Done".into(),
                    code: Some(domain::resolution::ResolutionCode::Solved),
                }),
                &l1,
                at,
            )
            .await
            .expect("resolved");
        resolved.push(t);
    }
    // The reporter of the third answers before the job runs.
    store
        .change(
            resolved[2].id,
            resolved[2].version,
            &Change::Move(Transition::Close),
            &by,
            T0 + 50 * HOUR,
        )
        .await
        .expect("confirmed");

    // Three days after the first resolution: only the first is overdue.
    let now = T0 + 72 * HOUR + MINUTE;
    let waiting = store
        .resolved_before(now - 72 * HOUR, 10)
        .await
        .expect("query");
    assert_eq!(
        waiting.iter().map(|w| w.id).collect::<Vec<_>>(),
        [resolved[0].id]
    );
    let closed = server::jobs::close_unanswered(store, now, 72 * HOUR)
        .await
        .expect("job");
    assert_eq!(closed, 1);
    let first = store
        .incident(resolved[0].id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(first.incident.state, State::Closed);
    let last = first.timeline.last().expect("events");
    assert_eq!(last.actor_role, Acting::system().actor.code());
    let second = store
        .incident(resolved[1].id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(second.incident.state, State::Resolved);
    // Running again changes nothing.
    assert_eq!(
        server::jobs::close_unanswered(store, now, 72 * HOUR)
            .await
            .expect("job"),
        0
    );
    test.finish().await;
}
on_both_backends!(unanswered_resolutions_close_after_the_grace_period);
