//! What refusals and conflicts tell the caller: never more than the caller
//! may see. A reporter's conflict never mentions internal notes or the SLA
//! watcher's marks, and a refusal reads the same whether or not the person
//! or category it names exists.

use domain::{change::Change, person::Role, tier::Tier};
use serde_json::{json, Value};

use crate::{
    common::{Db, HttpResponse, TestApp, Visitor},
    on_both_backends,
};

const L1: Role = Role::Agent {
    tier: Tier::L1,
    security_team: false,
};

/// A ticket logged by `by`: its reference and version.
async fn report(by: &Visitor, title: &str) -> (String, i64) {
    let response = by
        .call(
            "log_incident",
            &[("title", title), ("name", ""), ("contact", "")],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    let logged = response.json();
    (
        logged["reference"]
            .as_str()
            .expect("a reference")
            .to_owned(),
        logged["version"].as_i64().expect("a version"),
    )
}

async fn change(by: &Visitor, reference: &str, version: i64, change: &Change) -> HttpResponse {
    by.call_json(
        "change_incident",
        &json!({ "reference": reference, "version": version, "change": change }),
    )
    .await
}

async fn reply(by: &Visitor, reference: &str, version: i64, text: &str) -> HttpResponse {
    by.call(
        "reply",
        &[
            ("reference", reference),
            ("version", &version.to_string()),
            ("text", text),
        ],
    )
    .await
}

fn version_of(response: &HttpResponse) -> i64 {
    assert_eq!(response.status(), 200, "{}", response.text());
    response.json()["version"].as_i64().expect("a version")
}

fn comment(text: &str, internal: bool) -> Change {
    Change::Comment {
        text: text.to_owned(),
        internal,
    }
}

async fn a_reporter_conflict_names_only_what_the_reporter_may_see(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let ada = app
        .signed_in(Role::Reporter, "Ada Reporter", "ada@example.org")
        .await;
    let grace = app
        .signed_in(L1, "Grace Thompson", "grace@example.org")
        .await;
    let lead_id = grace.person.as_ref().expect("signed in").id;
    app.store
        .set_tier_lead(Tier::L1, Some(lead_id), app::clock::now_ms())
        .await
        .expect("an L1 agent may lead L1");
    let (reference, opened) = report(&ada, "Printer on floor 3 jams").await;

    // The desk writes an internal note, and a day later the watcher marks
    // both promises missed and alerts the lead: nothing the reporter sees.
    let noted = change(
        &grace,
        &reference,
        opened,
        &comment("Suspect the fuser; Finance's printer did the same", true),
    )
    .await;
    version_of(&noted);
    let later = app::clock::now_ms() + 24 * 3_600_000;
    let marks = server::jobs::watch_sla(&app.store, later)
        .await
        .expect("watch");
    assert!(marks >= 1, "the watcher marked the ticket");

    // Ada still holds the version she opened: her reply overwrites nothing
    // she saw, so it goes through, and the answer tells her nothing hidden.
    let answered = reply(&ada, &reference, opened, "It jams on A3 only.").await;
    assert_eq!(answered.status(), 200, "{}", answered.text());
    let after_reply = version_of(&answered);

    // Now a public reply and another internal note; Ada writes again from
    // her old version: a conflict, which names the reply and nothing else.
    let public = change(
        &grace,
        &reference,
        after_reply,
        &comment("Could you send a photo of the jam?", false),
    )
    .await;
    let v = version_of(&public);
    version_of(
        &change(
            &grace,
            &reference,
            v,
            &comment("Ordering a fuser kit", true),
        )
        .await,
    );
    for response in [
        reply(&ada, &reference, after_reply, "Here it is.").await,
        change(
            &ada,
            &reference,
            after_reply,
            &comment("Here it is.", false),
        )
        .await,
    ] {
        assert_eq!(response.status(), 409, "{}", response.text());
        let sentence = response.json()["Conflict"]
            .as_str()
            .expect("a conflict sentence")
            .to_owned();
        assert!(sentence.contains("Grace Thompson"), "{sentence}");
        for hidden in ["internal", "target", "lead", "alerted", "fuser"] {
            assert!(
                !sentence.to_lowercase().contains(hidden),
                "{hidden:?} told to the reporter: {sentence}"
            );
        }
    }

    // The desk, writing from the same old version, is told everything.
    let desk = change(&grace, &reference, after_reply, &comment("Late", false)).await;
    assert_eq!(desk.status(), 409, "{}", desk.text());
    assert!(desk.text().contains("internal note"), "{}", desk.text());
    app.stop().await;
}

on_both_backends!(a_reporter_conflict_names_only_what_the_reporter_may_see);

/// Asking to assign someone, or to move to a category, is refused in the
/// same words whether or not that person or category exists, for anyone
/// who may not make the change at all.
async fn a_refusal_does_not_tell_whether_an_id_exists(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let ada = app
        .signed_in(Role::Reporter, "Ada Reporter", "ada@example.org")
        .await;
    let lee = app.signed_in(L1, "Lee One", "lee@example.org").await;
    let lou = app
        .signed_in(
            Role::Agent {
                tier: Tier::L2,
                security_team: false,
            },
            "Lou Two",
            "lou@example.org",
        )
        .await;
    let lee_id = lee.person.as_ref().expect("signed in").id;
    let lou_id = lou.person.as_ref().expect("signed in").id;
    let category = app
        .store
        .add_category(None, "Printing")
        .await
        .expect("a category")
        .id;
    let (reference, version) = report(&ada, "Printer on floor 3 jams").await;
    // Moved to L2, the ticket is beyond Lee's reach too.
    let escalated = change(
        &lou,
        &reference,
        version,
        &Change::ChangeTier {
            to: Tier::L2,
            reason: "Needs the print server team".to_owned(),
        },
    )
    .await;
    let version = version_of(&escalated);

    let answer = |response: HttpResponse| -> (u16, Value) { (response.status(), response.json()) };
    for (who, caller) in [("a reporter", &ada), ("an L1 agent on an L2 ticket", &lee)] {
        for (existing, missing) in [
            (
                Change::Assign {
                    assignee_id: lou_id,
                },
                Change::Assign {
                    assignee_id: 987_654,
                },
            ),
            (
                Change::Assign {
                    assignee_id: lee_id,
                },
                Change::Assign {
                    assignee_id: 987_655,
                },
            ),
            (
                Change::Recategorise {
                    category_id: Some(category),
                },
                Change::Recategorise {
                    category_id: Some(987_656),
                },
            ),
        ] {
            let real = answer(change(caller, &reference, version, &existing).await);
            let none = answer(change(caller, &reference, version, &missing).await);
            assert_eq!(real, none, "{who}: {existing:?} vs {missing:?}");
            assert_eq!(real.0, 422, "{who}: {real:?}");
            assert!(
                !real.1.to_string().contains("There is no"),
                "{who}: {real:?}"
            );
        }
    }
    app.stop().await;
}

on_both_backends!(a_refusal_does_not_tell_whether_an_id_exists);
