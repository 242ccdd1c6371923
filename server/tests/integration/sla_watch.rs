//! The SLA watcher: a promise at 75 % and past its due time is recorded once
//! each, as an internal event by the system; a missed first response names
//! the tier's lead; a mark written meanwhile is no conflict for an agent.

use domain::{
    access::Scope,
    change::{Change, Event},
    incident::AssigneeRef,
    models::LeadAlert,
    priority::Priority,
    sla::{Promise, SlaStatus},
    tier::Tier,
};
use server::jobs::watch_sla;
use storage::StorageError;

use crate::{
    common::{acting, as_reporter, new_incident, staff, Db, TestStore, HOUR, MINUTE, T0},
    on_both_backends,
};

async fn the_watcher_marks_each_promise_once_and_alerts_the_tiers_lead(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = &test.store;
    let staff = staff(store).await;

    // Leads: an L2 agent may lead L1; an L1 agent may not lead L3.
    store
        .set_tier_lead(Tier::L1, Some(staff.l2.id), T0)
        .await
        .expect("Sam leads L1");
    let refused = store.set_tier_lead(Tier::L3, Some(staff.l1.id), T0).await;
    assert!(
        matches!(&refused, Err(StorageError::Invalid(m)) if m == "Dana Reyes works at L1; the L3 lead must work at L3 or above."),
        "{refused:?}"
    );
    let refused = store
        .set_tier_lead(Tier::L2, Some(staff.reporter.id), T0)
        .await;
    assert!(
        matches!(refused, Err(StorageError::Invalid(_))),
        "{refused:?}"
    );
    let leads = store.tier_leads().await.expect("leads");
    assert_eq!(
        leads.iter().map(|(t, p)| (*t, p.id)).collect::<Vec<_>>(),
        [(Tier::L1, staff.l2.id)]
    );

    // P3 at L1: first response within 2 h, resolution within 24 h.
    let ticket = store
        .report(
            &new_incident("Printer on floor 3 jams", ""),
            &as_reporter(&staff.reporter),
            T0,
        )
        .await
        .expect("reported");
    assert_eq!((ticket.priority, ticket.tier), (Priority::P3, Tier::L1));

    assert_eq!(
        watch_sla(store, T0 + HOUR).await.expect("watch"),
        0,
        "half the time left"
    );
    assert_eq!(
        watch_sla(store, T0 + 90 * MINUTE).await.expect("watch"),
        1,
        "a warning at 75 %"
    );
    assert_eq!(
        watch_sla(store, T0 + 100 * MINUTE).await.expect("watch"),
        0,
        "warned once"
    );
    assert_eq!(
        watch_sla(store, T0 + 2 * HOUR).await.expect("watch"),
        1,
        "the breach"
    );
    assert_eq!(
        watch_sla(store, T0 + 3 * HOUR).await.expect("watch"),
        0,
        "breached once"
    );

    let detail = store
        .incident(ticket.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(detail.incident.version, 3);
    assert_eq!(
        detail.incident.updated_at_ms, T0,
        "a mark changes nothing on the ticket"
    );
    let breach = detail.timeline.last().expect("events");
    assert_eq!(breach.actor_role, "system");
    assert_eq!(
        breach.event,
        Event::SlaAlert {
            promise: Promise::FirstResponse,
            status: SlaStatus::Breached,
            priority: Priority::P3,
            tier: Tier::L1,
            due_ms: T0 + 2 * HOUR,
            lead: Some(AssigneeRef {
                id: staff.l2.id,
                name: "Sam Okafor".to_owned()
            }),
        }
    );
    assert!(!breach.event.visible_to_reporter());

    // The board's list: both marks are there, the breach is the lead alert.
    let marks = store
        .sla_alerts(T0, 10, Scope::Everything)
        .await
        .expect("alerts");
    assert_eq!(marks.len(), 2);
    let alerts: Vec<LeadAlert> = marks.iter().filter_map(LeadAlert::from_entry).collect();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].lead_id, Some(staff.l2.id));
    assert_eq!(alerts[0].incident_id, ticket.id);
    assert!(
        store
            .sla_alerts(T0 + 4 * HOUR, 10, Scope::Everything)
            .await
            .expect("alerts")
            .is_empty(),
        "only since the time asked"
    );

    // Dana opened the ticket before the marks (version 1): they changed
    // nothing she saw, so her assignment goes through.
    let dana = acting(&staff.l1);
    let assigned = store
        .change(
            ticket.id,
            1,
            &Change::Assign {
                assignee_id: staff.l1.id,
            },
            &dana,
            T0 + 3 * HOUR,
        )
        .await
        .expect("the marks are no conflict");
    assert_eq!(assigned.version, 4);
    assert_eq!(assigned.first_response_at_ms, Some(T0 + 3 * HOUR));
    // Sam, still on version 1, now misses a real change.
    let stale = store
        .change(
            ticket.id,
            1,
            &Change::Comment {
                text: "Looking".to_owned(),
                internal: true,
            },
            &acting(&staff.l2),
            T0 + 3 * HOUR,
        )
        .await;
    assert!(matches!(stale, Err(StorageError::Conflict(_))), "{stale:?}");

    // Answered: the resolution clock is the one left to watch (warning at 18 h).
    assert_eq!(watch_sla(store, T0 + 17 * HOUR).await.expect("watch"), 0);
    assert_eq!(watch_sla(store, T0 + 19 * HOUR).await.expect("watch"), 1);
    let detail = store
        .incident(ticket.id)
        .await
        .expect("read")
        .expect("exists");
    assert!(matches!(
        detail.timeline.last().map(|e| &e.event),
        Some(Event::SlaAlert {
            promise: Promise::Resolution,
            status: SlaStatus::Warning,
            lead: None,
            ..
        })
    ));

    // Missed resolution: the lead hears of it too, and the alert lasts
    // until the ticket is resolved.
    assert_eq!(watch_sla(store, T0 + 27 * HOUR).await.expect("watch"), 1);
    let alerts: Vec<LeadAlert> = store
        .sla_alerts(T0 + 20 * HOUR, 10, Scope::Everything)
        .await
        .expect("alerts")
        .iter()
        .filter_map(LeadAlert::from_entry)
        .collect();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0].promise, Promise::Resolution);
    assert_eq!(alerts[0].lead_id, Some(staff.l2.id));
    let card = store
        .cards(&[ticket.id])
        .await
        .expect("card")
        .pop()
        .expect("the card");
    assert!(alerts[0].still_open(&card), "not resolved yet: {card:?}");
    let due = card.resolution_due_ms;
    // Another change later does not move the due time that has passed.
    let noted = store
        .change(
            ticket.id,
            card.version,
            &Change::Comment {
                text: "Vendor called back".to_owned(),
                internal: true,
            },
            &acting(&staff.l2),
            T0 + 30 * HOUR,
        )
        .await
        .expect("noted");
    assert_eq!(noted.resolution_due_ms, due);
    assert!(due.is_some_and(|d| d <= T0 + 27 * HOUR), "{due:?}");

    // Clearing the lead leaves the tier without one.
    store
        .set_tier_lead(Tier::L1, None, T0)
        .await
        .expect("cleared");
    assert!(store.tier_leads().await.expect("leads").is_empty());
    test.finish().await;
}
on_both_backends!(the_watcher_marks_each_promise_once_and_alerts_the_tiers_lead);
