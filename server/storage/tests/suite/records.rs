//! Every field of a ticket survives every way of writing it: a report, a
//! change, and the batched import (demo data, benchmarks), on both
//! backends. A column one path forgets shows up here as a difference.

use domain::{
    change::{Acting, Change, Event},
    guide::DiagnosisStep,
    incident::{AssigneeRef, CategoryRef, Incident},
    kind::Kind,
    lifecycle::{State, Transition},
    person::Contact,
    priority::{Impact, Priority, Urgency},
    resolution::ResolutionCode,
    tier::Tier,
};

use storage::{ImportedTicket, Store};

use super::{acting, as_reporter, new_incident, staff, HOUR, MINUTE, T0};
use crate::{
    common::{Db, TestStore},
    on_both_backends,
};

async fn stored(store: &Store, id: i64) -> Incident {
    store
        .incident(id)
        .await
        .expect("read")
        .expect("the ticket exists")
        .incident
}

fn steps() -> Vec<DiagnosisStep> {
    vec![
        DiagnosisStep {
            question: "Can you reach the intranet?".to_owned(),
            answer: "No, it times out".to_owned(),
        },
        DiagnosisStep {
            question: "Did it ever work?".to_owned(),
            answer: "Until Monday — \"après\" the update".to_owned(),
        },
    ]
}

async fn every_field_survives_every_write_path(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = &test.store;
    let staff = staff(store).await;
    let network = store.add_category(None, "Network").await.expect("category");

    // A report with every optional field given.
    let mut new = new_incident("VPN drops every hour", "Since the update on Monday.");
    new.kind = Kind::ServiceRequest;
    new.symptoms = "Red icon; error 809".to_owned();
    new.reporter =
        Contact::new("Ada Lovelace", "ada@example.org", "+44 20 7946 0958").expect("valid contact");
    new.reporter_id = Some(staff.reporter.id);
    new.service = Some("VPN".to_owned());
    new.category_id = Some(network.id);
    new.impact = Impact::High;
    new.urgency = Urgency::Low;
    new.diagnosis = steps();
    new.started = Some("2026-11-23T09:30".to_owned());
    let reported = store
        .report(&new, &as_reporter(&staff.reporter), T0)
        .await
        .expect("reported");
    assert_eq!(stored(store, reported.id).await, reported);
    assert_eq!(reported.diagnosis, steps());
    assert_eq!(reported.started.as_deref(), Some("2026-11-23T09:30"));
    assert_eq!(reported.reporter.phone.as_deref(), Some("+44 20 7946 0958"));

    // Changes that set the fields a report leaves empty.
    let dana = acting(&staff.l1);
    let mut current = reported;
    for (i, change) in [
        Change::Assign {
            assignee_id: staff.l1.id,
        },
        Change::OverridePriority {
            priority: Priority::P2,
            reason: "The whole sales floor".to_owned(),
        },
        Change::Move(Transition::StartWork),
        Change::Move(Transition::Resolve {
            note: "Pushed the old VPN profile".to_owned(),
            code: Some(ResolutionCode::Solved),
        }),
    ]
    .into_iter()
    .enumerate()
    {
        let at = T0 + (i as i64 + 1) * 10 * MINUTE;
        current = store
            .change(current.id, current.version, &change, &dana, at)
            .await
            .unwrap_or_else(|e| panic!("{change:?}: {e}"));
        assert_eq!(stored(store, current.id).await, current, "after {change:?}");
    }
    assert_eq!(current.state, State::Resolved);
    assert!(current.priority_reason.is_some() && current.resolution.is_some());
    assert!(current.first_response_at_ms.is_some() && current.resolved_at_ms.is_some());

    // The import writes a whole ticket as given: every field set.
    let by = Acting::system();
    let whole = Incident {
        id: 0,
        version: 2,
        kind: Kind::Incident,
        title: "Printer on floor 3 jams".to_owned(),
        description: "On A3 paper only.".to_owned(),
        symptoms: "Paper jam light".to_owned(),
        reporter: Contact::new("Ada Lovelace", "ada@example.org", "+44 20 7946 0958")
            .expect("valid contact"),
        reporter_id: Some(staff.reporter.id),
        service: Some("Printing".to_owned()),
        category: Some(CategoryRef {
            id: network.id,
            path: network.path.clone(),
        }),
        impact: Impact::Low,
        urgency: Urgency::High,
        diagnosis: steps(),
        started: Some("yesterday".to_owned()),
        priority: Priority::P1,
        priority_reason: Some("The board meeting prints there".to_owned()),
        tier: Tier::L2,
        state: State::Closed,
        assignee: Some(AssigneeRef {
            id: staff.l2.id,
            name: staff.l2.name.clone(),
        }),
        resolution: Some("New fuser".to_owned()),
        reported_at_ms: T0,
        first_response_at_ms: Some(T0 + MINUTE),
        resolved_at_ms: Some(T0 + HOUR),
        closed_at_ms: Some(T0 + 2 * HOUR),
        response_due_ms: Some(T0 + 15 * MINUTE),
        resolution_due_ms: Some(T0 + 4 * HOUR),
        updated_at_ms: T0 + 2 * HOUR,
    };
    let note = |text: &str| Event::Commented {
        text: text.to_owned(),
        internal: false,
    };
    let ids = store
        .import(&[ImportedTicket {
            incident: whole.clone(),
            events: vec![
                (by.clone(), note("Imported"), T0),
                (by, note("Closed in the old desk"), T0 + 2 * HOUR),
            ],
        }])
        .await
        .expect("imported");
    assert_eq!(ids.len(), 1);
    assert_eq!(
        stored(store, ids[0]).await,
        Incident {
            id: ids[0],
            ..whole
        }
    );
    test.finish().await;
}

on_both_backends!(every_field_survives_every_write_path);

/// Imports larger than one statement (a thousand tickets, four thousand
/// events) keep every ticket and event, in order, and new reports carry on
/// numbering after them.
async fn a_large_import_keeps_every_ticket_and_numbers_on(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = &test.store;
    let people = staff(store).await;
    let by = acting(&people.l1);
    let rules = store.rules().clone();
    let first = store
        .report(
            &new_incident("Before", "Reported by hand"),
            &as_reporter(&people.reporter),
            T0,
        )
        .await
        .expect("report");
    let tickets: Vec<ImportedTicket> = (0..2_345)
        .map(|n| {
            let reported = domain::change::report(
                &new_incident(&format!("Imported {n}"), "From the old desk"),
                None,
                T0 + n,
                &rules,
            );
            let comment = |text: &str| Event::Commented {
                text: text.to_owned(),
                internal: false,
            };
            ImportedTicket {
                incident: Incident {
                    version: 3,
                    ..reported.incident
                },
                events: vec![
                    (by.clone(), reported.event, T0 + n),
                    (by.clone(), comment("First note"), T0 + n + 1),
                    (by.clone(), comment(&format!("Last note {n}")), T0 + n + 2),
                ],
            }
        })
        .collect();
    let ids = store.import(&tickets).await.expect("imported");
    assert_eq!(ids.len(), tickets.len());
    assert!(ids[0] > first.id, "imported after what was there");
    assert!(ids.windows(2).all(|w| w[1] > w[0]), "in the order given");
    for (n, id) in [0, 1_000, 2_344].map(|n| (n, ids[n])) {
        let detail = store.incident(id).await.expect("read").expect("stored");
        assert_eq!(detail.incident.title, format!("Imported {n}"));
        assert_eq!(detail.timeline.len(), 3);
        assert_eq!(
            detail.timeline[2].event,
            Event::Commented {
                text: format!("Last note {n}"),
                internal: false
            }
        );
    }
    let after = store
        .report(
            &new_incident("After", "Reported by hand"),
            &as_reporter(&people.reporter),
            T0,
        )
        .await
        .expect("report after the import");
    assert!(
        after.id > ids[2_344],
        "numbering carries on after the import"
    );
    test.finish().await;
}

on_both_backends!(a_large_import_keeps_every_ticket_and_numbers_on);
