//! Full-text search over title, description and resolution.

use domain::{access::Scope, change::Change, lifecycle::Transition};

use super::{acting, as_reporter, new_incident, staff, MINUTE, T0};
use crate::{
    common::{Db, TestStore},
    on_both_backends,
};

async fn search_finds_words_in_every_searched_field(db: Db) {
    let Some(test) = TestStore::on(db).await else {
        return;
    };
    let store = &test.store;
    let staff = staff(store).await;
    let reporter = as_reporter(&staff.reporter);
    let vpn = store
        .report(
            &new_incident("VPN keeps dropping", "Happens at home and in hotels."),
            &reporter,
            T0,
        )
        .await
        .expect("vpn");
    let printer = store
        .report(
            &new_incident(
                "Printer jams",
                "The printer near the VPN desk jams on every job.",
            ),
            &reporter,
            T0 + MINUTE,
        )
        .await
        .expect("printer");
    let outlook = store
        .report(
            &new_incident("Outlook asks for a password", "Prompt every five minutes."),
            &reporter,
            T0 + 2 * MINUTE,
        )
        .await
        .expect("outlook");
    let dana = acting(&staff.l1);
    let assigned = store
        .change(
            outlook.id,
            1,
            &Change::Assign {
                assignee_id: staff.l1.id,
            },
            &dana,
            T0 + 3 * MINUTE,
        )
        .await
        .expect("assign");
    let started = store
        .change(
            outlook.id,
            assigned.version,
            &Change::Move(Transition::StartWork),
            &dana,
            T0 + 4 * MINUTE,
        )
        .await
        .expect("start");
    store
        .change(
            outlook.id,
            started.version,
            &Change::Move(Transition::Resolve {
                note: "Cleared cached credentials in the keychain.".to_owned(),
                code: Some(domain::resolution::ResolutionCode::Solved),
            }),
            &dana,
            T0 + 5 * MINUTE,
        )
        .await
        .expect("resolve");

    let ids = |found: Vec<domain::models::IncidentSummary>| {
        found.into_iter().map(|s| s.id).collect::<Vec<_>>()
    };
    // A title match ranks above a description match.
    assert_eq!(
        ids(store
            .search("vpn", 10, Scope::Everything)
            .await
            .expect("search")),
        [vpn.id, printer.id]
    );
    // Stemming: "drops" finds "dropping".
    assert_eq!(
        ids(store
            .search("drops", 10, Scope::Everything)
            .await
            .expect("search")),
        [vpn.id]
    );
    // Words are ANDed.
    assert_eq!(
        ids(store
            .search("printer vpn", 10, Scope::Everything)
            .await
            .expect("search")),
        [printer.id]
    );
    // The resolution is searched too: "similar resolved incidents".
    assert_eq!(
        ids(store
            .search("keychain credentials", 10, Scope::Everything)
            .await
            .expect("search")),
        [outlook.id]
    );
    assert!(store
        .search("teleporter", 10, Scope::Everything)
        .await
        .expect("search")
        .is_empty());
    // Query syntax typed by a user is taken as plain words, never an error.
    for hostile in [
        "\"",
        "vpn OR",
        "NEAR(",
        "*",
        "printer AND NOT",
        "' or 1=1 --",
        "   ",
    ] {
        store
            .search(hostile, 10, Scope::Everything)
            .await
            .unwrap_or_else(|e| panic!("{hostile:?}: {e}"));
    }
    assert_eq!(
        store
            .search("vpn", 1, Scope::Everything)
            .await
            .expect("limit")
            .len(),
        1
    );
    test.finish().await;
}
on_both_backends!(search_finds_words_in_every_searched_field);
