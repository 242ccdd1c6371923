//! The incident server functions, as a story run on each backend.

use domain::{access::Scope, person::Role, tier::Tier};
use serde_json::{json, Value};

use crate::common::{Db, TestApp, Visitor};

const L1: Role = Role::Agent {
    tier: Tier::L1,
    security_team: false,
};

async fn desk(app: &TestApp) -> Visitor {
    app.signed_in(L1, "Dana Reyes", "dana@example.org").await
}

async fn log_and_list_incidents(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    // The desk logs reports for callers.
    let app_desk = desk(&app).await;

    // Nothing logged yet.
    let response = app_desk.call("recent_incidents", &[]).await;
    assert_eq!(response.status(), 200);
    let list: Value = response.json();
    assert_eq!(list["incidents"], json!([]));

    // A report is trimmed, numbered and stored.
    let response = app_desk
        .call(
            "log_incident",
            &[
                ("title", "  VPN drops every ten minutes  "),
                ("name", "Ada Lovelace"),
                ("contact", "ada@example.org"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let first: Value = response.json();
    assert_eq!(first["reference"], "INC-000001");
    assert_eq!(first["title"], "VPN drops every ten minutes");
    // Quick reports start as P3 at L1, new, with both clocks running.
    assert_eq!(first["state"], "new");
    assert_eq!(first["priority"], "P3");
    assert_eq!(first["tier"], "L1");
    assert_eq!(first["version"], 1);
    let reported_at = first["reported_at_ms"].as_i64().expect("report time");
    assert_eq!(
        first["response_due_ms"].as_i64(),
        Some(reported_at + 2 * 3_600_000)
    );
    assert_eq!(
        first["resolution_due_ms"].as_i64(),
        Some(reported_at + 24 * 3_600_000)
    );

    let response = app_desk
        .call(
            "log_incident",
            &[
                ("title", "Printer on floor 3 jams"),
                ("name", "Ada Lovelace"),
                ("contact", "ada@example.org"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);
    let second: Value = response.json();
    assert_eq!(second["reference"], "INC-000002");

    // Read back, newest first, with the server's clock for ages.
    let list: Value = app_desk.call("recent_incidents", &[]).await.json();
    let titles: Vec<&str> = list["incidents"]
        .as_array()
        .expect("an array")
        .iter()
        .map(|i| i["title"].as_str().expect("a title"))
        .collect();
    assert_eq!(
        titles,
        ["Printer on floor 3 jams", "VPN drops every ten minutes"]
    );
    let now = list["server_now_ms"].as_i64().expect("server clock");
    let reported = first["reported_at_ms"].as_i64().expect("report time");
    assert!(
        reported <= now && now - reported < 60_000,
        "report time {reported} vs now {now}"
    );

    app.stop().await;
}

#[tokio::test]
async fn log_and_list_incidents_on_sqlite() {
    log_and_list_incidents(Db::Sqlite).await;
}

#[tokio::test]
async fn log_and_list_incidents_on_postgres() {
    log_and_list_incidents(Db::Postgres).await;
}

#[tokio::test]
async fn a_blank_title_is_refused_with_a_sentence_and_nothing_is_stored() {
    let app = TestApp::sqlite().await;
    let app_desk = desk(&app).await;
    let response = app_desk
        .call(
            "log_incident",
            &[
                ("title", "   "),
                ("name", "Ada Lovelace"),
                ("contact", "ada@example.org"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let error: Value = response.json();
    assert_eq!(
        error,
        json!({ "Invalid": "Please describe the problem in a few words." })
    );

    let too_long = "x".repeat(201);
    let response = app_desk
        .call(
            "log_incident",
            &[
                ("title", &too_long),
                ("name", "Ada Lovelace"),
                ("contact", "ada@example.org"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let error: Value = response.json();
    assert_eq!(
        error,
        json!({ "Invalid": "Please keep the title to 200 characters or fewer (it has 201)." })
    );

    let response = app_desk
        .call(
            "log_incident",
            &[
                ("title", "Printer jams"),
                ("name", " "),
                ("contact", "ada@example.org"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json(),
        json!({ "Invalid": "Please give the name of the person reporting the problem." })
    );
    let response = app_desk
        .call(
            "log_incident",
            &[
                ("title", "Printer jams"),
                ("name", "Ada"),
                ("contact", "ada@"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json(),
        json!({ "Invalid": "\"ada@\" does not look like an email address (it should be like name@example.org)." })
    );

    let list: Value = app_desk.call("recent_incidents", &[]).await.json();
    assert_eq!(list["incidents"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn a_request_without_its_arguments_gets_a_clear_error() {
    let app = TestApp::sqlite().await;
    let app_desk = desk(&app).await;
    let response = app_desk.call("log_incident", &[]).await;
    assert_eq!(response.status(), 400, "{}", response.text());
    let error: Value = response.json();
    assert_eq!(
        error,
        json!({ "BadRequest": "The request was incomplete or malformed." })
    );
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_server_function_is_a_client_error() {
    let app = TestApp::sqlite().await;
    let response = app.call("drop_all_tables", &[]).await;
    assert_eq!(response.status(), 400);
    app.stop().await;
}

async fn an_agents_list_never_shows_a_suspected_breach(db: Db) {
    use domain::{
        change::Acting,
        incident::{IncidentTitle, NewIncident},
        kind::Kind,
        lifecycle::Actor,
        person::Contact,
        priority::{Impact, Urgency},
    };

    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let app_desk = desk(&app).await;
    let reporter = Contact::new("Ada Lovelace", "ada@example.org", "").expect("valid contact");
    let by = Acting {
        person_id: None,
        name: reporter.name.clone(),
        actor: Actor::Reporter,
    };
    for (kind, title) in [
        (Kind::Incident, "Printer jams"),
        (
            Kind::SecurityIncident,
            "Customer list sent to the wrong person",
        ),
    ] {
        let new = NewIncident {
            kind,
            title: IncidentTitle::parse(title).expect("valid title"),
            description: String::new(),
            symptoms: String::new(),
            reporter: reporter.clone(),
            reporter_id: None,
            service: None,
            category_id: None,
            impact: Impact::Medium,
            urgency: Urgency::Medium,
            diagnosis: Vec::new(),
            started: None,
        };
        app.store.report(&new, &by, 1_000).await.expect("reported");
    }

    let list: Value = app_desk.call("recent_incidents", &[]).await.json();
    let titles: Vec<&str> = list["incidents"]
        .as_array()
        .expect("an array")
        .iter()
        .map(|i| i["title"].as_str().expect("a title"))
        .collect();
    assert_eq!(titles, ["Printer jams"]);
    // The server-rendered page lists the ticket, and not the breach.
    let page = app_desk.get("/").await.text();
    assert!(page.contains("Printer jams"), "the list is rendered");
    assert!(!page.contains("Customer list"), "the page shows the breach");
    // Storage still has it, for those allowed to see it.
    assert_eq!(
        app.store
            .recent_incidents(10, Scope::Everything)
            .await
            .expect("list")
            .len(),
        2
    );
    app.stop().await;
}

#[tokio::test]
async fn an_agents_list_never_shows_a_suspected_breach_on_sqlite() {
    an_agents_list_never_shows_a_suspected_breach(Db::Sqlite).await;
}

#[tokio::test]
async fn an_agents_list_never_shows_a_suspected_breach_on_postgres() {
    an_agents_list_never_shows_a_suspected_breach(Db::Postgres).await;
}
