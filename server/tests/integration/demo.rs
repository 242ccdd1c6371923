//! Demo data: tickets made by the domain's own rules, imported whole.

use domain::{access::Scope, change::Acting, lifecycle::State, person::Role, tier::Tier};

use storage::{BoardQuery, ImportedTicket, StorageError};

use crate::{
    common::{new_incident, Db, TestStore, T0},
    on_both_backends,
};

async fn demo_tickets_have_consistent_histories(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = &test.store;
    const TOTAL: u64 = 1_000;
    let mut progress = Vec::new();
    server::demo::fill(store, TOTAL, T0, 7, |n| progress.push(n))
        .await
        .expect("demo data");
    assert_eq!(progress.last(), Some(&TOTAL));

    // One account of each role can sign in with the demo password (README).
    let agent = |tier, security_team| Role::Agent {
        tier,
        security_team,
    };
    for (email, role) in [
        ("reporter@example.org", Role::Reporter),
        ("reporter2@example.org", Role::Reporter),
        ("l1.agent@example.org", agent(Tier::L1, false)),
        ("l2.agent@example.org", agent(Tier::L2, false)),
        ("l3.agent@example.org", agent(Tier::L3, false)),
        ("security@example.org", agent(Tier::L3, true)),
        ("admin@example.org", Role::Admin),
    ] {
        let account = store
            .account_by_email(email)
            .await
            .expect("lookup")
            .unwrap_or_else(|| panic!("no demo account {email}"));
        assert_eq!(account.person.role, role, "{email}");
        let hash = account.password_hash.expect("a password");
        assert!(app::auth::password::verify_blocking(
            server::demo::DEMO_PASSWORD,
            &hash
        ));
    }

    // About 1 % open, every one of them on the board.
    let open = store
        .board(BoardQuery {
            tier: None,
            limit: 1_000,
            finished_since_ms: None,
            scope: Scope::Everything,
        })
        .await
        .expect("board");
    let still_open = open.iter().filter(|t| t.state != State::Resolved).count();
    assert!((5..=20).contains(&still_open), "{still_open} open");
    assert!(open
        .iter()
        .all(|t| !matches!(t.state, State::Closed | State::Cancelled)));

    // Every ticket's version counts its events, and its stored state is the
    // state its events lead to.
    let recent = store
        .recent_incidents(200, Scope::Everything)
        .await
        .expect("recent");
    assert_eq!(recent.len(), 200);
    for summary in &recent {
        let detail = store
            .incident(summary.id)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(
            detail.incident.version,
            detail.timeline.len() as i64,
            "{}",
            summary.reference
        );
        let last_state = detail
            .timeline
            .iter()
            .rev()
            .find_map(|e| e.event.entered_state());
        assert_eq!(
            last_state,
            Some(detail.incident.state),
            "{}",
            summary.reference
        );
        assert!(detail.timeline.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
        assert!(detail.timeline.iter().all(|e| e.at_ms <= T0));
    }
    let resolved_with_notes = store
        .search("certificate", 50, Scope::Everything)
        .await
        .expect("search");
    assert!(!resolved_with_notes.is_empty());
    test.finish().await;
}
on_both_backends!(demo_tickets_have_consistent_histories);

async fn an_import_must_bring_one_event_per_version(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = &test.store;
    let decision = domain::change::report(&new_incident("Imported", ""), None, T0, store.rules());
    let mut incident = decision.incident;
    incident.version = 2;
    let refused = store
        .import(&[ImportedTicket {
            incident,
            events: vec![(Acting::system(), decision.event.clone(), T0)],
        }])
        .await;
    assert!(
        matches!(refused, Err(StorageError::Invalid(_))),
        "{refused:?}"
    );
    assert!(store
        .recent_incidents(5, Scope::Everything)
        .await
        .expect("list")
        .is_empty());
    test.finish().await;
}
on_both_backends!(an_import_must_bring_one_event_per_version);
