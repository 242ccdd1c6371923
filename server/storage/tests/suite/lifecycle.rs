//! A ticket's life told through storage: every step is one transaction that
//! updates the ticket and appends its event.

use domain::{
    access::Scope,
    change::{Change, ChangeError},
    lifecycle::{State, Transition, TransitionError},
    priority::{Impact, Priority, Urgency},
    tier::Tier,
};

use storage::{BoardQuery, StorageError};

use super::{acting, as_reporter, new_incident, staff, HOUR, MINUTE, T0};
use crate::{
    common::{Db, TestStore},
    on_both_backends,
};

async fn a_ticket_from_report_to_closure(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = &test.store;
    let staff = staff(store).await;
    let network = store.add_category(None, "Network").await.expect("category");
    let vpn = store
        .add_category(Some(network.id), "VPN")
        .await
        .expect("sub-category");
    assert_eq!(vpn.path, "Network › VPN");

    let mut new = new_incident("VPN drops every hour", "Since the update on Monday.");
    new.category_id = Some(vpn.id);
    new.reporter_id = Some(staff.reporter.id);
    let reported = store
        .report(&new, &as_reporter(&staff.reporter), T0)
        .await
        .expect("reported");
    assert_eq!(reported.reference(), format!("INC-{:06}", reported.id));
    assert_eq!(
        (reported.priority, reported.tier, reported.state),
        (Priority::P3, Tier::L1, State::New)
    );
    assert_eq!(
        reported.category.as_ref().map(|c| c.path.as_str()),
        Some("Network › VPN")
    );
    assert_eq!(reported.response_due_ms, Some(T0 + 2 * HOUR));

    let dana = acting(&staff.l1);
    let mut version = reported.version;
    let mut at = T0;
    let mut step = |change: Change| {
        at += 10 * MINUTE;
        (change, at)
    };
    let steps = [
        step(Change::Assign {
            assignee_id: staff.l1.id,
        }),
        step(Change::Move(Transition::StartWork)),
        step(Change::Reprioritise {
            impact: Impact::High,
            urgency: Urgency::Medium,
        }),
        step(Change::Comment {
            text: "Which client version?".to_owned(),
            internal: false,
        }),
        step(Change::Move(Transition::AwaitReporter)),
    ];
    let mut current = reported.clone();
    for (change, at) in steps {
        current = store
            .change(current.id, version, &change, &dana, at)
            .await
            .unwrap_or_else(|e| panic!("{change:?} refused: {e}"));
        version += 1;
        assert_eq!(current.version, version);
    }
    assert_eq!(current.state, State::Pending);
    assert_eq!(current.priority, Priority::P2);
    assert_eq!(current.first_response_at_ms, Some(T0 + 10 * MINUTE));
    assert_eq!(
        current.resolution_due_ms, None,
        "the clock is paused while pending"
    );

    // The reporter answers 5 hours later; the pause does not count.
    let resumed = store
        .change(
            current.id,
            version,
            &Change::Move(Transition::Resume),
            &as_reporter(&staff.reporter),
            T0 + 50 * MINUTE + 5 * HOUR,
        )
        .await
        .expect("resumed");
    // P2: 8 h to resolve; 50 minutes ran before the pause.
    assert_eq!(
        resumed.resolution_due_ms,
        Some(T0 + 50 * MINUTE + 5 * HOUR + 8 * HOUR - 50 * MINUTE)
    );

    let resolved = store
        .change(
            resumed.id,
            resumed.version,
            &Change::Move(Transition::Resolve {
                note: "Reissued the VPN certificate.".to_owned(),
                code: Some(domain::resolution::ResolutionCode::Solved),
            }),
            &dana,
            T0 + 7 * HOUR,
        )
        .await
        .expect("resolved");
    assert_eq!(
        resolved.resolution.as_deref(),
        Some("Reissued the VPN certificate.")
    );
    // A resolved ticket stays on the board, in its own column, until it closes.
    let on_board = store
        .board(BoardQuery {
            tier: None,
            limit: 50,
            finished_since_ms: None,
            scope: Scope::Everything,
        })
        .await
        .expect("board");
    assert_eq!(
        on_board.iter().map(|c| (c.id, c.state)).collect::<Vec<_>>(),
        [(resolved.id, State::Resolved)]
    );

    let closed = store
        .change(
            resolved.id,
            resolved.version,
            &Change::Move(Transition::Close),
            &as_reporter(&staff.reporter),
            T0 + 8 * HOUR,
        )
        .await
        .expect("closed");
    assert_eq!(closed.state, State::Closed);
    assert_eq!(closed.closed_at_ms, Some(T0 + 8 * HOUR));
    // Closed tickets leave the board, unless recently finished ones are asked for.
    let board_with = |since| BoardQuery {
        tier: None,
        limit: 50,
        finished_since_ms: since,
        scope: Scope::Everything,
    };
    assert!(store
        .board(board_with(None))
        .await
        .expect("board")
        .is_empty());
    let finished = store
        .board(board_with(Some(T0 + 8 * HOUR)))
        .await
        .expect("finished");
    assert_eq!(
        finished.iter().map(|c| (c.id, c.state)).collect::<Vec<_>>(),
        [(closed.id, State::Closed)]
    );
    assert!(store
        .board(board_with(Some(T0 + 8 * HOUR + 1)))
        .await
        .expect("too old")
        .is_empty());
    let cards = store.cards(&[closed.id, 999_999]).await.expect("cards");
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0].version, closed.version);
    assert_eq!(cards[0].reporter_id, closed.reporter_id);

    // The stored ticket is what the last change returned; its timeline is every step.
    let detail = store
        .incident(closed.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(detail.incident, closed);
    let kinds: Vec<&str> = detail.timeline.iter().map(|e| e.event.kind()).collect();
    assert_eq!(
        kinds,
        [
            "reported",
            "assigned",
            "state_changed",
            "reprioritised",
            "commented",
            "state_changed",
            "state_changed",
            "state_changed",
            "state_changed"
        ]
    );
    let versions: Vec<i64> = detail.timeline.iter().map(|e| e.version).collect();
    assert_eq!(versions, (1..=closed.version).collect::<Vec<_>>());
    assert!(detail.timeline.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(detail.timeline[1].actor_name, "Dana Reyes");
    assert_eq!(detail.timeline[1].actor_role, "agent:L1");
    assert_eq!(detail.timeline[0].actor_role, "reporter");

    // A finished ticket refuses further changes, and nothing is appended.
    let refused = store
        .change(
            closed.id,
            closed.version,
            &Change::Comment {
                text: "thanks".to_owned(),
                internal: false,
            },
            &dana,
            T0 + 9 * HOUR,
        )
        .await;
    assert!(
        matches!(
            refused,
            Err(StorageError::Refused(ChangeError::Finished(State::Closed)))
        ),
        "{refused:?}"
    );
    let after = store
        .incident(closed.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(after.timeline.len(), detail.timeline.len());
    test.finish().await;
}
on_both_backends!(a_ticket_from_report_to_closure);

async fn refusals_name_the_rule_and_change_nothing(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = &test.store;
    let staff = staff(store).await;
    let ticket = store
        .report(
            &new_incident("Printer jams", ""),
            &as_reporter(&staff.reporter),
            T0,
        )
        .await
        .expect("reported");

    let cases: Vec<(Change, domain::change::Acting, &str)> = vec![
        (
            Change::Move(Transition::Resolve {
                note: "x".to_owned(),
                code: Some(domain::resolution::ResolutionCode::Solved),
            }),
            acting(&staff.l1),
            "A ticket that is new cannot be resolved.",
        ),
        (
            Change::Assign {
                assignee_id: staff.reporter.id,
            },
            acting(&staff.l1),
            "Ada Lovelace is not an agent, so tickets cannot be assigned to them.",
        ),
        (
            Change::Assign { assignee_id: 9_999 },
            acting(&staff.l1),
            "There is no person with id 9999.",
        ),
        (
            Change::Recategorise {
                category_id: Some(9_999),
            },
            acting(&staff.l1),
            "There is no category with id 9999.",
        ),
        (
            Change::ChangeTier {
                to: Tier::L2,
                reason: " ".to_owned(),
            },
            acting(&staff.l1),
            "Please give a reason for moving the ticket from L1 to L2.",
        ),
        (
            Change::Reprioritise {
                impact: Impact::High,
                urgency: Urgency::High,
            },
            as_reporter(&staff.reporter),
            "Only the service desk can change the priority.",
        ),
    ];
    for (change, by, message) in cases {
        let refused = store
            .change(ticket.id, ticket.version, &change, &by, T0 + HOUR)
            .await;
        match refused {
            Err(err @ StorageError::Refused(_)) => assert_eq!(err.to_string(), message),
            other => panic!("{change:?}: expected a refusal, got {other:?}"),
        }
    }
    let missing = store
        .change(
            9_999,
            1,
            &Change::Move(Transition::StartWork),
            &acting(&staff.l1),
            T0,
        )
        .await;
    assert!(
        matches!(&missing, Err(StorageError::NotFound(m)) if m == "There is no ticket with id 9999."),
        "{missing:?}"
    );

    // Reporting into a category that does not exist is refused before anything is written.
    let mut new = new_incident("Mouse broken", "");
    new.category_id = Some(12_345);
    let refused = store.report(&new, &as_reporter(&staff.reporter), T0).await;
    assert!(
        matches!(&refused, Err(StorageError::Invalid(m)) if m == "That category does not exist."),
        "{refused:?}"
    );

    let detail = store
        .incident(ticket.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(detail.incident, ticket);
    assert_eq!(detail.timeline.len(), 1);
    assert_eq!(
        store
            .recent_incidents(10, Scope::Everything)
            .await
            .expect("list")
            .len(),
        1
    );

    // The directory refuses a second person with the same email, in any case.
    let duplicate = store
        .add_person(
            &storage::NewPerson {
                contact: domain::person::Contact::new("Dana Again", "DANA@example.org", "")
                    .expect("valid"),
                role: domain::person::Role::Reporter,
            },
            T0,
        )
        .await;
    assert!(
        matches!(&duplicate, Err(StorageError::Invalid(m)) if m == "Someone with that email address is already in the directory."),
        "{duplicate:?}"
    );
    let category = store.add_category(None, "network").await.expect("category");
    let twin = store.add_category(None, "Network").await;
    assert!(
        matches!(&twin, Err(StorageError::Invalid(m)) if m == "A category with that name already exists there."),
        "{twin:?}"
    );
    let orphan = store.add_category(Some(category.id + 100), "VPN").await;
    assert!(matches!(orphan, Err(StorageError::NotFound(_))));
    test.finish().await;
}
on_both_backends!(refusals_name_the_rule_and_change_nothing);

async fn routing_and_the_board(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = &test.store;
    let staff = staff(store).await;
    let reporter = as_reporter(&staff.reporter);
    let mut critical = new_incident("Payroll system down", "");
    critical.impact = Impact::High;
    critical.urgency = Urgency::High;
    let critical = store
        .report(&critical, &reporter, T0 + 3 * MINUTE)
        .await
        .expect("P1");
    assert_eq!((critical.priority, critical.tier), (Priority::P1, Tier::L3));

    let mut breach = new_incident("Customer list emailed to the wrong person", "");
    breach.kind = domain::kind::Kind::SecurityIncident;
    let breach = store
        .report(&breach, &reporter, T0 + 2 * MINUTE)
        .await
        .expect("SEC");
    assert!(breach.reference().starts_with("SEC-"));
    assert_eq!(breach.tier, Tier::L3);
    // Only the security team can take it.
    let refused = store
        .change(
            breach.id,
            breach.version,
            &Change::Assign {
                assignee_id: staff.l3.id,
            },
            &acting(&staff.l3),
            T0 + 5 * MINUTE,
        )
        .await;
    assert!(matches!(
        refused,
        Err(StorageError::Refused(ChangeError::SecurityTeamOnly(_)))
    ));
    store
        .change(
            breach.id,
            breach.version,
            &Change::Assign {
                assignee_id: staff.responder.id,
            },
            &acting(&staff.l3),
            T0 + 5 * MINUTE,
        )
        .await
        .expect("security team takes it");

    let low = new_incident("Second monitor request", "");
    let mut low = low;
    low.impact = Impact::Low;
    low.urgency = Urgency::Low;
    let low = store.report(&low, &reporter, T0).await.expect("P5");
    let l1_agent = acting(&staff.l1);
    let refused = store
        .change(
            critical.id,
            critical.version,
            &Change::Move(Transition::Cancel {
                reason: "dup".to_owned(),
            }),
            &l1_agent,
            T0 + HOUR,
        )
        .await;
    assert!(matches!(
        refused,
        Err(StorageError::Refused(ChangeError::Lifecycle(
            TransitionError::AboveYourTier { .. }
        )))
    ));

    // Most urgent first; the P3 security incident before the P5 request.
    let board = store
        .board(BoardQuery {
            tier: None,
            limit: 10,
            finished_since_ms: None,
            scope: Scope::Everything,
        })
        .await
        .expect("board");
    let order: Vec<i64> = board.iter().map(|c| c.id).collect();
    assert_eq!(order, [critical.id, breach.id, low.id]);
    assert_eq!(board[1].assignee.as_deref(), Some("Kim Novak"));
    let l1_lane = store
        .board(BoardQuery {
            tier: Some(Tier::L1),
            limit: 10,
            finished_since_ms: None,
            scope: Scope::Everything,
        })
        .await
        .expect("lane");
    assert_eq!(l1_lane.iter().map(|c| c.id).collect::<Vec<_>>(), [low.id]);
    let first = store
        .board(BoardQuery {
            tier: None,
            limit: 1,
            finished_since_ms: None,
            scope: Scope::Everything,
        })
        .await
        .expect("limited");
    assert_eq!(first.len(), 1);
    test.finish().await;
}
on_both_backends!(routing_and_the_board);
