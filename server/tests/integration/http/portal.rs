//! The self-service portal over HTTP, as a reporter and an agent use it:
//! walk a guide and deflect, walk another and report, follow the ticket,
//! answer the desk, refuse and then confirm the fix.

use domain::{
    guide::{GuideSet, Node},
    person::Role,
    tier::Tier,
};
use serde_json::{json, Value};

use crate::{
    common::{walk_to, Db, TestApp, Visitor},
    on_both_backends,
};

const L1: Role = Role::Agent {
    tier: Tier::L1,
    security_team: false,
};

fn guide<'a>(set: &'a GuideSet, id: &str) -> &'a domain::guide::Guide {
    set.guides
        .iter()
        .find(|g| g.id == id)
        .unwrap_or_else(|| panic!("no guide {id}"))
}

fn report_body(walk: Value, title: &str, extra: &[(&str, Value)]) -> Value {
    let mut report = json!({
        "walk": walk, "title": title, "description": "", "symptoms": "", "started_day": "", "started_time": "",
        "service": "", "phone": "", "impact": null, "urgency": null,
    });
    for (key, value) in extra {
        report[*key] = value.clone();
    }
    json!({ "report": report })
}

async fn ticket(visitor: &Visitor, reference: &str) -> Value {
    let response = visitor.call("incident", &[("reference", reference)]).await;
    assert_eq!(response.status(), 200, "{}", response.text());
    response.json()
}

async fn desk_step(desk: &Visitor, reference: &str, version: i64, change: Value) -> i64 {
    let response = desk
        .call_json(
            "change_incident",
            &json!({ "reference": reference, "version": version, "change": change }),
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    response.json()["version"].as_i64().expect("version")
}

async fn walk_report_follow_and_confirm(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let ada = app
        .signed_in(Role::Reporter, "Ada Lovelace", "ada@example.org")
        .await;
    let bob = app
        .signed_in(Role::Reporter, "Bob Reporter", "bob@example.org")
        .await;
    let desk = app.signed_in(L1, "Dana Reyes", "dana@example.org").await;

    let catalog: Value = ada.call("guides", &[]).await.json();
    let version = catalog["version"].as_i64().expect("version");
    let set: GuideSet = serde_json::from_value(catalog["set"].clone()).expect("a guide set");

    // Walk the network guide to a fix; "This fixed it" is recorded with the path.
    let network = guide(&set, "network");
    let to_fix = walk_to(network, |n| matches!(n, Node::Fix { .. })).expect("a fix");
    let walk = json!({ "version": version, "guide_id": "network", "answers": to_fix });
    let response = ada
        .call_nested("record_deflection", &json!({ "walk": walk }))
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    let counts = app.store.deflection_counts().await.expect("counts");
    assert_eq!(counts.len(), 1);
    assert_eq!(counts[0].guide_id, "network");
    // Only a fix step can be recorded, and only on the current guides.
    let question = json!({ "version": version, "guide_id": "network", "answers": [] });
    let response = ada
        .call_nested("record_deflection", &json!({ "walk": question }))
        .await;
    assert_eq!(response.status(), 422);
    assert!(
        response.text().contains("Only a suggested fix"),
        "{}",
        response.text()
    );
    let stale = json!({ "version": version + 1, "guide_id": "network", "answers": to_fix });
    let response = ada
        .call_nested("record_deflection", &json!({ "walk": stale }))
        .await;
    assert_eq!(response.status(), 422);
    assert!(
        response.text().contains("Please start again"),
        "{}",
        response.text()
    );

    // Walk the printer guide to its report step and report with the
    // suggested impact and urgency.
    let printer = guide(&set, "printer");
    let to_report = walk_to(printer, |n| matches!(n, Node::Report { .. })).expect("a report step");
    let walk = json!({ "version": version, "guide_id": "printer", "answers": to_report });
    let response = ada
        .call_nested(
            "report_problem",
            &report_body(
                walk.clone(),
                "Printer on floor 2 prints nothing",
                &[
                    ("description", json!("Jobs vanish from the queue.")),
                    ("started_day", json!("2026-11-27")),
                    ("started_time", json!("08:45")),
                    ("service", json!("PRN-0207")),
                    ("phone", json!("+44 20 7946 0001")),
                ],
            ),
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    let receipt: Value = response.json();
    let reference = receipt["reference"].as_str().expect("reference").to_owned();
    assert!(reference.starts_with("INC-"), "{reference}");
    assert!(receipt["response_due_ms"].as_i64() > receipt["server_now_ms"].as_i64());
    let logged = ticket(&ada, &reference).await;
    let incident = &logged["incident"];
    assert_eq!(incident["category"]["path"], "Hardware › Printer");
    assert_eq!(incident["started"], "2026-11-27T08:45");
    assert_eq!(incident["service"], "PRN-0207");
    assert_eq!(incident["reporter"]["phone"], "+44 20 7946 0001");
    let diagnosis = incident["diagnosis"].as_array().expect("diagnosis");
    assert_eq!(diagnosis.len(), to_report.len());
    assert!(diagnosis
        .iter()
        .all(|d| d["question"].is_string() && d["answer"].is_string()));

    // The reporter's own choices win over the suggestion.
    let response = ada
        .call_nested(
            "report_problem",
            &report_body(
                walk,
                "Every printer is offline",
                &[("impact", json!("high")), ("urgency", json!("high"))],
            ),
        )
        .await;
    let critical: Value = response.json();
    let critical_ticket = ticket(&ada, critical["reference"].as_str().expect("reference")).await;
    assert_eq!(critical_ticket["incident"]["priority"], "P1");
    assert_eq!(critical_ticket["incident"]["tier"], "L3");

    // Bad input is refused with a sentence and logs nothing.
    for (extra, says) in [
        (("started_day", json!("yesterday")), "day it started"),
        (("started_time", json!("09:30")), "as well as the time"),
        (("phone", json!("call me maybe")), "phone"),
        (("title", json!("   ")), "describe the problem"),
    ] {
        let response = ada
            .call_nested(
                "report_problem",
                &report_body(Value::Null, "Broken", &[extra]),
            )
            .await;
        assert_eq!(response.status(), 422, "{}", response.text());
        assert!(
            response.text().contains(says),
            "{says}: {}",
            response.text()
        );
    }

    // The data-breach path skips the questions, logs a security incident at
    // L3 and says what to do right now. The L1 desk cannot see it.
    let breach_walk = json!({ "version": version, "guide_id": "security", "answers": [] });
    let response = ada
        .call_nested(
            "report_problem",
            &report_body(breach_walk, "Sent the payroll file to a supplier", &[]),
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    let breach: Value = response.json();
    let breach_ref = breach["reference"].as_str().expect("reference").to_owned();
    assert!(breach_ref.starts_with("SEC-"), "{breach_ref}");
    assert!(!breach["advice"].as_array().expect("advice").is_empty());
    assert_eq!(ticket(&ada, &breach_ref).await["incident"]["tier"], "L3");
    assert_eq!(
        desk.call("incident", &[("reference", &breach_ref)])
            .await
            .status(),
        404
    );

    // "My tickets": Ada's three, newest update first; Bob's list is empty.
    let mine: Value = ada.call("my_tickets", &[]).await.json();
    assert_eq!(mine["incidents"].as_array().map(Vec::len), Some(3));
    let theirs: Value = bob.call("my_tickets", &[]).await.json();
    assert_eq!(theirs["incidents"], json!([]));

    // The desk takes the printer ticket, asks a question; Ada's reply puts
    // it back in progress.
    let me = desk.person.as_ref().expect("signed in").id;
    let mut v = 1;
    v = desk_step(
        &desk,
        &reference,
        v,
        json!({ "Assign": { "assignee_id": me } }),
    )
    .await;
    v = desk_step(&desk, &reference, v, json!({ "Move": "StartWork" })).await;
    let response = desk
        .call(
            "reply",
            &[
                ("reference", &reference),
                ("version", &v.to_string()),
                ("text", "Which tray?"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    v = response.json()["version"].as_i64().expect("version");
    v = desk_step(&desk, &reference, v, json!({ "Move": "AwaitReporter" })).await;
    let response = ada
        .call(
            "reply",
            &[
                ("reference", &reference),
                ("version", &v.to_string()),
                ("text", "Tray 2"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    let replied: Value = response.json();
    assert_eq!(replied["state"], "in_progress");
    v = replied["version"].as_i64().expect("version");

    // Resolved; Ada says it is still broken (a comment is required), then confirms.
    v = desk_step(
        &desk,
        &reference,
        v,
        json!({ "Move": { "Resolve": { "note": "Cleared the spooler" } } }),
    )
    .await;
    let answer = |fixed: &'static str, comment: &'static str, version: i64| {
        let reference = reference.clone();
        let ada = &ada;
        async move {
            ada.call(
                "confirm_fix",
                &[
                    ("reference", &reference),
                    ("version", &version.to_string()),
                    ("fixed", fixed),
                    ("comment", comment),
                ],
            )
            .await
        }
    };
    let response = answer("false", "", v).await;
    assert_eq!(response.status(), 422);
    assert!(
        response.text().contains("still wrong"),
        "{}",
        response.text()
    );
    let response = answer("false", "Still blank pages", v).await;
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(response.json()["state"], "in_progress");
    v = response.json()["version"].as_i64().expect("version");
    v = desk_step(
        &desk,
        &reference,
        v,
        json!({ "Move": { "Resolve": { "note": "Replaced the fuser" } } }),
    )
    .await;
    // Bob cannot answer for Ada; the desk cannot close it either.
    let response = bob
        .call(
            "confirm_fix",
            &[
                ("reference", &reference),
                ("version", &v.to_string()),
                ("fixed", "true"),
                ("comment", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 404);
    let response = answer("true", "", v).await;
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(response.json()["state"], "closed");
    let timeline = ticket(&ada, &reference).await["timeline"].clone();
    let kinds: Vec<&str> = timeline
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["event"]["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "reported",
            "assigned",
            "state_changed",
            "commented",
            "state_changed",
            "commented",
            "state_changed",
            "state_changed",
            "state_changed",
            "state_changed",
            "state_changed"
        ]
    );
    app.stop().await;
}
on_both_backends!(walk_report_follow_and_confirm);

async fn admins_import_and_export_guides(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let admin = app
        .signed_in(Role::Admin, "Ada Admin", "admin@example.org")
        .await;
    let exported = admin.call("export_guides", &[]).await;
    assert_eq!(exported.status(), 200);
    let document: String = serde_json::from_value(exported.json()).expect("a string");
    let mut set: Value = serde_json::from_str(&document).expect("JSON");

    // A broken edit: every problem is listed, and nothing changes.
    let start = set["guides"][0]["start"]
        .as_str()
        .expect("start")
        .to_owned();
    set["guides"][0]["nodes"][start.as_str()]["answers"][0]["next"] = json!("nowhere");
    set["guides"][1]["id"] = set["guides"][0]["id"].clone();
    let response = admin
        .call("import_guides", &[("document", &set.to_string())])
        .await;
    assert_eq!(response.status(), 422);
    let text = response.text();
    assert!(text.contains("which is not one of its steps"), "{text}");
    assert!(text.contains("Two guides have the id"), "{text}");
    assert_eq!(
        app.store
            .guides()
            .await
            .expect("read")
            .expect("some")
            .version,
        1
    );

    // A good edit becomes version 2 and is what reporters get.
    let mut set: Value = serde_json::from_str(&document).expect("JSON");
    set["guides"][0]["title"] = json!("Internet, Wi-Fi or VPN");
    let response = admin
        .call("import_guides", &[("document", &set.to_string())])
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(response.json(), json!(2));
    let reporter = app
        .signed_in(Role::Reporter, "Rae", "rae@example.org")
        .await;
    let catalog: Value = reporter.call("guides", &[]).await.json();
    assert_eq!(catalog["version"], 2);
    assert_eq!(
        catalog["set"]["guides"][0]["title"],
        "Internet, Wi-Fi or VPN"
    );
    app.stop().await;
}
on_both_backends!(admins_import_and_export_guides);
