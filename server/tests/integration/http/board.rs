//! The board's server functions over real HTTP: what a board load holds,
//! a stale move refused with the fresh card at hand, presence, and moves
//! sent from a card's menu before the board is live.

use domain::{person::Role, tier::Tier};
use serde_json::{json, Value};

use crate::{
    common::{Db, TestApp, Visitor},
    on_both_backends,
};

fn agent(tier: Tier) -> Role {
    Role::Agent {
        tier,
        security_team: false,
    }
}

async fn log(desk: &Visitor, title: &str) -> Value {
    let response = desk
        .call(
            "log_incident",
            &[
                ("title", title),
                ("name", "Grace Hopper"),
                ("contact", "grace@example.org"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    response.json()
}

async fn change(desk: &Visitor, reference: &str, version: i64, change: Value) -> (u16, Value) {
    let response = desk
        .call_json(
            "change_incident",
            &json!({ "reference": reference, "version": version, "change": change }),
        )
        .await;
    let status = response.status();
    let body = if status == 200 {
        response.json()
    } else {
        Value::String(response.text())
    };
    (status, body)
}

async fn the_board_holds_what_the_desk_needs(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let dana = app
        .signed_in(agent(Tier::L1), "Dana Reyes", "dana@example.org")
        .await;
    let lou = app
        .signed_in(agent(Tier::L2), "Lou Two", "lou@example.org")
        .await;
    let open = log(&dana, "Docking station flickers").await;
    let finished = log(&dana, "Duplicate of the docking report").await;
    let reference = open["reference"].as_str().expect("reference");
    let done = finished["reference"].as_str().expect("reference");
    let (status, _) = change(
        &dana,
        done,
        1,
        json!({ "Move": { "Cancel": { "reason": "Duplicate" } } }),
    )
    .await;
    assert_eq!(status, 200);

    let board = dana.call("board", &[]).await;
    assert_eq!(board.status(), 200, "{}", board.text());
    let board = board.json();
    let cards = board["cards"].as_array().expect("cards");
    assert_eq!(cards.len(), 1, "{cards:?}");
    assert_eq!(cards[0]["reference"], reference);
    assert_eq!(cards[0]["state"], "new");
    assert_eq!(cards[0]["tier"], "L1");
    assert!(cards[0]["response_due_ms"].as_i64().is_some());
    assert_eq!(board["me"], dana.person.as_ref().expect("person").id);
    assert!(board["last_event_id"].as_i64().expect("last event") >= 3);
    assert!(board["policy"].is_object());
    // With the toggle, recently cancelled tickets too.
    let with_finished = dana.call("board", &[("finished", "true")]).await.json();
    let states: Vec<&str> = with_finished["cards"]
        .as_array()
        .expect("cards")
        .iter()
        .filter_map(|c| c["state"].as_str())
        .collect();
    assert_eq!(states, ["new", "cancelled"]);

    // Dana takes it; Lou, still holding version 1, is refused with a
    // sentence saying what changed, and the card function gives him the
    // ticket as it now is.
    let (status, taken) = change(
        &dana,
        reference,
        1,
        json!({ "Assign": { "assignee_id": dana.person.as_ref().expect("person").id } }),
    )
    .await;
    assert_eq!(status, 200, "{taken}");
    assert_eq!(taken["state"], "assigned");
    assert_eq!(taken["assignee"], "Dana Reyes");
    let (status, refusal) = change(&lou, reference, 1, json!({ "Move": "StartWork" })).await;
    assert_eq!(status, 409, "{refusal}");
    let refusal = refusal.as_str().expect("text").to_owned();
    assert!(refusal.contains("assigned to Dana Reyes"), "{refusal}");
    let fresh = lou.call("card", &[("reference", reference)]).await;
    assert_eq!(fresh.status(), 200);
    assert_eq!(fresh.json()["version"], 2);
    assert_eq!(fresh.json()["state"], "assigned");

    // Presence: each sees the other while both have the ticket open.
    let seen = dana.call("viewing", &[("reference", reference)]).await;
    assert_eq!(seen.status(), 200, "{}", seen.text());
    assert_eq!(seen.json(), json!([]));
    let seen = lou
        .call("viewing", &[("reference", reference)])
        .await
        .json();
    assert_eq!(seen, json!(["Dana Reyes (L1)"]));
    let seen = dana
        .call("viewing", &[("reference", reference)])
        .await
        .json();
    assert_eq!(seen, json!(["Lou Two (L2)"]));

    app.stop().await;
}
on_both_backends!(the_board_holds_what_the_desk_needs);

/// A card's "Move…" menu as its plain form sends it.
fn menu(reference: &str, version: i64, state: &str, to: &str) -> Vec<(&'static str, String)> {
    vec![
        ("reference", reference.to_owned()),
        ("version", version.to_string()),
        ("state", state.to_owned()),
        ("tier", "L1".to_owned()),
        ("to", to.to_owned()),
    ]
}

fn pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn a_card_moves_by_plain_form_before_the_board_is_live(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let dana = app
        .signed_in(agent(Tier::L1), "Dana Reyes", "dana@example.org")
        .await;
    let lou = app
        .signed_in(agent(Tier::L2), "Lou Two", "lou@example.org")
        .await;
    let logged = log(&dana, "Badge reader beeps red").await;
    let reference = logged["reference"].as_str().expect("reference");
    let from = "/board?q=badge&column=new&__path=%2Fapi%2Fmove_card&__err=old";
    let asked_for = [("reference", reference)];
    let card = || dana.call("card", &asked_for);

    // Taken: the answer is the same board, showing the column the card went
    // to, without the refusal the address carried.
    let form = menu(reference, 1, "new", "state-assigned");
    let moved = dana.submit("move_card", &pairs(&form), from).await;
    assert!(matches!(moved.status(), 302 | 303), "{}", moved.text());
    assert_eq!(
        moved.header("location"),
        Some("/board?q=badge&column=assigned")
    );
    let taken = card().await.json();
    assert_eq!(taken["state"], "assigned");
    assert_eq!(taken["assignee"], "Dana Reyes");

    // A move that needs words opens the ticket; nothing changes yet. Asked
    // by a script instead, it says what is missing.
    let form = menu(reference, 2, "assigned", "tier-L2");
    let escalate = dana.submit("move_card", &pairs(&form), from).await;
    assert!(
        matches!(escalate.status(), 302 | 303),
        "{}",
        escalate.text()
    );
    let ticket = format!("/incidents/{reference}");
    assert_eq!(escalate.header("location"), Some(ticket.as_str()));
    let asked = dana.call("move_card", &pairs(&form)).await;
    assert_eq!(asked.status(), 422, "{}", asked.text());
    assert!(
        asked
            .text()
            .contains("Why move it to L2? Open the ticket to write it."),
        "{}",
        asked.text()
    );
    assert_eq!(card().await.json()["version"], 2);

    // A stale menu is refused, back on the same board, with what changed.
    let form = menu(reference, 1, "new", "state-assigned");
    let stale = lou.submit("move_card", &pairs(&form), from).await;
    assert!(matches!(stale.status(), 302 | 303), "{}", stale.text());
    let location = stale.header("location").unwrap_or_default().to_owned();
    // The refusal rides in the address (`{"Conflict":…` encoded), after
    // any the page already had: the board reads the last.
    assert!(
        location.contains("/board?q=badge&column=new&"),
        "{location}"
    );
    assert!(location.contains("__err=eyJDb25mbGljdCI6"), "{location}");
    let refusal = lou.call("move_card", &pairs(&form)).await;
    assert_eq!(refusal.status(), 409, "{}", refusal.text());
    assert!(
        refusal.text().contains("assigned to Dana Reyes"),
        "{}",
        refusal.text()
    );

    // A move the lifecycle forbids, one the board does not know, a reporter.
    let form = menu(reference, 2, "assigned", "state-closed");
    let forbidden = dana.call("move_card", &pairs(&form)).await;
    assert_eq!(forbidden.status(), 422, "{}", forbidden.text());
    assert!(
        forbidden.text().contains("cannot go straight to closed"),
        "{}",
        forbidden.text()
    );
    let form = menu(reference, 2, "assigned", "state-nowhere");
    let unknown = dana.call("move_card", &pairs(&form)).await;
    assert_eq!(unknown.status(), 400, "{}", unknown.text());
    let reporter = app
        .signed_in(Role::Reporter, "Rae Porter", "rae@example.org")
        .await;
    let form = menu(reference, 2, "assigned", "state-in_progress");
    let refused = reporter.call("move_card", &pairs(&form)).await;
    assert_eq!(refused.status(), 403, "{}", refused.text());
    assert_eq!(card().await.json()["state"], "assigned");

    app.stop().await;
}
on_both_backends!(a_card_moves_by_plain_form_before_the_board_is_live);
