//! What the self-service portal keeps: guide versions (with the categories
//! they name), deflected contacts, a reporter's own list, the diagnosis on
//! a ticket and reclassification.

use domain::{
    access::Scope,
    change::Change,
    guide::{self, DiagnosisStep},
    kind::Kind,
    lifecycle::Transition,
};

use storage::{ensure_guides, Deflection};

use super::{acting, as_reporter, new_incident, staff, MINUTE, T0};
use crate::{
    common::{Db, TestStore},
    on_both_backends,
};

async fn guides_are_versioned_and_create_their_categories(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = &test.store;
    assert!(store.guides().await.expect("read").is_none());
    let shipped = ensure_guides(store, T0)
        .await
        .expect("shipped set imported");
    assert_eq!(shipped.version, 1);
    assert_eq!(
        shipped.set,
        guide::parse(guide::DEFAULT_GUIDES).expect("valid")
    );
    // Imported once only.
    assert_eq!(ensure_guides(store, T0).await.expect("read").version, 1);
    let paths: Vec<String> = store
        .categories()
        .await
        .expect("categories")
        .into_iter()
        .map(|c| c.path)
        .collect();
    for needed in [
        "Network",
        "Network › VPN",
        "Security › Data breach",
        "Hardware › Printer",
    ] {
        assert!(
            paths.contains(&needed.to_owned()),
            "{needed} missing from {paths:?}"
        );
    }
    assert!(store
        .category_by_path("Network › VPN")
        .await
        .expect("lookup")
        .is_some());

    // A second import is a new version; the categories are not duplicated.
    let mut edited = shipped.set.clone();
    edited.guides.truncate(2);
    edited.guides[0].title = "Internet, Wi-Fi or VPN".to_owned();
    let staff = staff(store).await;
    let version = store
        .import_guides(&edited, Some(staff.l1.id), T0 + MINUTE)
        .await
        .expect("imported");
    assert_eq!(version, 2);
    let current = store.guides().await.expect("read").expect("present");
    assert_eq!(current.version, 2);
    assert_eq!(current.set, edited);
    assert_eq!(current.imported_at_ms, T0 + MINUTE);
    assert_eq!(
        store.categories().await.expect("categories").len(),
        paths.len()
    );
    test.finish().await;
}
on_both_backends!(guides_are_versioned_and_create_their_categories);

async fn deflections_are_counted_per_fix(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = &test.store;
    let staff = staff(store).await;
    let stored = ensure_guides(store, T0).await.expect("guides");
    let path = vec![DiagnosisStep {
        question: "What is not working?".to_owned(),
        answer: "The VPN".to_owned(),
    }];
    for (fix, at) in [
        ("Restart the VPN client", 1),
        ("Restart the VPN client", 2),
        ("Rejoin the Wi-Fi", 3),
    ] {
        store
            .record_deflection(&Deflection {
                guide_set_version: stored.version,
                guide_id: "network".to_owned(),
                fix_title: fix.to_owned(),
                path: path.clone(),
                person_id: Some(staff.reporter.id),
                at_ms: T0 + at * MINUTE,
            })
            .await
            .expect("recorded");
    }
    let counts = store.deflection_counts().await.expect("counts");
    let seen: Vec<(&str, i64, i64)> = counts
        .iter()
        .map(|c| (c.fix_title.as_str(), c.count, c.last_at_ms))
        .collect();
    assert_eq!(
        seen,
        [
            ("Restart the VPN client", 2, T0 + 2 * MINUTE),
            ("Rejoin the Wi-Fi", 1, T0 + 3 * MINUTE)
        ]
    );
    // A deflection must name a guide version that exists.
    let orphan = store
        .record_deflection(&Deflection {
            guide_set_version: 99,
            guide_id: "network".to_owned(),
            fix_title: "x".to_owned(),
            path: Vec::new(),
            person_id: None,
            at_ms: T0,
        })
        .await;
    assert!(orphan.is_err());
    test.finish().await;
}
on_both_backends!(deflections_are_counted_per_fix);

async fn a_reporters_list_the_diagnosis_and_reclassification(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = &test.store;
    let staff = staff(store).await;
    let mine = |title: &str| {
        let mut new = new_incident(title, "");
        new.reporter_id = Some(staff.reporter.id);
        new
    };
    let by = as_reporter(&staff.reporter);
    let mut first = mine("VPN drops");
    first.diagnosis = vec![DiagnosisStep {
        question: "Who is affected?".to_owned(),
        answer: "Just me".to_owned(),
    }];
    first.started = Some("2026-11-27T09:30".to_owned());
    let first = store.report(&first, &by, T0).await.expect("first");
    let second = store
        .report(&mine("Printer jams"), &by, T0 + MINUTE)
        .await
        .expect("second");
    let third = store
        .report(&mine("Monitor flickers"), &by, T0 + 2 * MINUTE)
        .await
        .expect("third");
    // Someone else's ticket never appears in the list.
    store
        .report(&new_incident("Not mine", ""), &by, T0 + 3 * MINUTE)
        .await
        .expect("other");

    let read = store
        .incident(first.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(read.incident.diagnosis, first.diagnosis);
    assert_eq!(read.incident.started.as_deref(), Some("2026-11-27T09:30"));

    // The second is cancelled (closed), then the first is touched last.
    store
        .change(
            second.id,
            1,
            &Change::Move(Transition::Cancel {
                reason: "Duplicate".into(),
            }),
            &by,
            T0 + 4 * MINUTE,
        )
        .await
        .expect("cancelled");
    let reclassified = store
        .change(
            first.id,
            1,
            &Change::Reclassify {
                to: Kind::ServiceRequest,
            },
            &acting(&staff.l1),
            T0 + 5 * MINUTE,
        )
        .await
        .expect("reclassified");
    assert_eq!(reclassified.reference(), format!("REQ-{:06}", first.id));
    let read = store
        .incident(first.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(read.incident.kind, Kind::ServiceRequest);
    assert_eq!(
        read.timeline.last().map(|e| e.event.kind()),
        Some("reclassified")
    );

    let list = store.tickets_of(staff.reporter.id, 10).await.expect("list");
    let order: Vec<i64> = list.iter().map(|t| t.id).collect();
    assert_eq!(
        order,
        [first.id, third.id, second.id],
        "open by last update, then closed"
    );
    assert_eq!(list[0].updated_at_ms, T0 + 5 * MINUTE);
    assert_eq!(list[0].kind, Kind::ServiceRequest);
    assert_eq!(
        store
            .recent_incidents(10, Scope::ReportedBy(staff.reporter.id))
            .await
            .expect("recent")
            .len(),
        3
    );
    test.finish().await;
}
on_both_backends!(a_reporters_list_the_diagnosis_and_reclassification);
