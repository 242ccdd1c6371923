//! The agent's ticket view over HTTP, on each backend: a call scheduled
//! with the reporter and its calendar invitation, resolution codes, cancel
//! and tier moves with their reasons, and assignment within the tier rules.

use domain::{
    call::{CallChannel, MAX_DAYS_AHEAD},
    change::Change,
    lifecycle::Transition,
    person::Role,
    resolution::ResolutionCode,
    tier::Tier,
};
use serde_json::{json, Value};

use crate::{
    common::{Db, HttpResponse, TestApp, Visitor},
    on_both_backends,
};

const DAY_MS: i64 = 86_400_000;
const TITLE: &str = "VPN drops, every hour; since Monday";
const PHONE: &str = "+44 20 7946 0958";

fn agent(tier: Tier) -> Role {
    Role::Agent {
        tier,
        security_team: false,
    }
}

/// One ticket as the tests see it: its reference and the version last seen.
struct Ticket {
    reference: String,
    version: i64,
}

async fn report(by: &Visitor, title: &str) -> Ticket {
    let response = by
        .call(
            "log_incident",
            &[("title", title), ("name", ""), ("contact", "")],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    let logged = response.json();
    Ticket {
        reference: logged["reference"]
            .as_str()
            .expect("a reference")
            .to_owned(),
        version: logged["version"].as_i64().expect("a version"),
    }
}

async fn send(by: &Visitor, ticket: &Ticket, change: &Change) -> HttpResponse {
    by.call_json(
        "change_incident",
        &json!({ "reference": ticket.reference, "version": ticket.version, "change": change }),
    )
    .await
}

/// Sends a change that must be accepted; the ticket's version follows.
async fn accepted(by: &Visitor, ticket: &mut Ticket, change: Change) -> Value {
    let response = send(by, ticket, &change).await;
    assert_eq!(response.status(), 200, "{change:?}: {}", response.text());
    let summary = response.json();
    ticket.version = summary["version"].as_i64().expect("a version");
    summary
}

/// Sends a change that must be refused with 422 and a sentence containing `says`.
async fn refused(by: &Visitor, ticket: &Ticket, change: Change, says: &str) {
    let response = send(by, ticket, &change).await;
    assert_eq!(response.status(), 422, "{change:?}: {}", response.text());
    assert!(
        response.text().contains(says),
        "{change:?}: expected {says:?} in {}",
        response.text()
    );
}

fn call(at_ms: i64, minutes: u32, channel: CallChannel) -> Change {
    Change::ScheduleCall {
        at_ms,
        minutes,
        channel,
        note: "We will walk through the VPN settings, together".to_owned(),
    }
}

fn phone(number: &str) -> CallChannel {
    CallChannel::Phone {
        number: number.to_owned(),
    }
}

fn video(link: &str) -> CallChannel {
    CallChannel::Video {
        link: link.to_owned(),
    }
}

async fn timeline(by: &Visitor, ticket: &Ticket) -> Vec<Value> {
    let response = by
        .call("incident", &[("reference", &ticket.reference)])
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    response.json()["timeline"]
        .as_array()
        .expect("a timeline")
        .clone()
}

async fn schedule_a_call_and_download_its_invitation(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let ada = app
        .signed_in(Role::Reporter, "Ada Reporter", "ada@example.org")
        .await;
    let bob = app
        .signed_in(Role::Reporter, "Bob Reporter", "bob@example.org")
        .await;
    let lee = app
        .signed_in(agent(Tier::L1), "Lee One", "l1@example.org")
        .await;
    let mut ticket = report(&ada, TITLE).await;
    let now = app::clock::now_ms();
    let at = now + 2 * DAY_MS;

    // Each bad input is refused with its sentence, and nothing is recorded.
    refused(
        &lee,
        &ticket,
        call(now - DAY_MS, 30, phone(PHONE)),
        "must be in the future",
    )
    .await;
    refused(
        &lee,
        &ticket,
        call(now + (MAX_DAYS_AHEAD + 1) * DAY_MS, 30, phone(PHONE)),
        "within the next 90 days",
    )
    .await;
    refused(
        &lee,
        &ticket,
        call(at, 3, phone(PHONE)),
        "between 5 and 240 minutes",
    )
    .await;
    refused(
        &lee,
        &ticket,
        call(at, 300, phone(PHONE)),
        "between 5 and 240 minutes",
    )
    .await;
    refused(
        &lee,
        &ticket,
        call(at, 30, phone("call me")),
        "does not look like a phone number",
    )
    .await;
    for link in [
        "http://meet.example.org/desk",
        "javascript:alert(1)",
        "https://meet.example.org/\"><script>",
    ] {
        refused(
            &lee,
            &ticket,
            call(at, 30, video(link)),
            "starting with https://",
        )
        .await;
    }
    refused(
        &ada,
        &ticket,
        call(at, 30, phone(PHONE)),
        "Only the service desk can schedule calls",
    )
    .await;
    assert_eq!(timeline(&lee, &ticket).await.len(), 1, "only the report");

    accepted(&lee, &mut ticket, call(at, 30, phone(PHONE))).await;
    let entries = timeline(&ada, &ticket).await;
    let scheduled = entries
        .iter()
        .find(|e| e["event"]["kind"] == "call_scheduled")
        .expect("the reporter sees the call");
    assert_eq!(
        scheduled["event"]["channel"],
        json!({ "via": "phone", "number": PHONE })
    );
    let event_id = scheduled["id"].as_i64().expect("an event id");
    let path = server::router::CALL_INVITE
        .replace("{reference}", &ticket.reference)
        .replace("{file}", &format!("{event_id}.ics"));
    assert_eq!(path, domain::call::invite_path(&ticket.reference, event_id));

    // The reporter downloads a calendar file.
    let invite = ada.get(&path).await;
    assert_eq!(invite.status(), 200, "{}", invite.text());
    assert_eq!(
        invite.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    let disposition = invite.header("content-disposition").unwrap_or_default();
    assert!(
        disposition.starts_with("attachment; filename=")
            && disposition.contains(&format!("{}-call-{event_id}.ics", ticket.reference)),
        "{disposition}"
    );
    let body = invite.text();
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n"), "{body}");
    assert!(body.ends_with("END:VCALENDAR\r\n"), "{body}");
    assert!(
        !body.replace("\r\n", "").contains('\n'),
        "bare LF in {body}"
    );
    assert!(body.split("\r\n").all(|line| line.len() <= 75), "{body}");
    let unfolded = body.replace("\r\n ", "");
    let start = domain::call::utc_stamp(at);
    let end = domain::call::utc_stamp(at + 30 * 60_000);
    for line in [
        "BEGIN:VEVENT".to_owned(),
        format!("DTSTART:{start}"),
        format!("DTEND:{end}"),
        format!(
            "SUMMARY:{}: VPN drops\\, every hour\\; since Monday",
            ticket.reference
        ),
        format!("LOCATION:{PHONE}"),
    ] {
        assert!(
            unfolded.contains(&format!("\r\n{line}\r\n")),
            "{line} in {unfolded}"
        );
    }
    assert!(unfolded.contains("\r\nUID:call-"), "{unfolded}");
    assert!(unfolded.contains("\r\nDTSTAMP:"), "{unfolded}");
    assert!(
        unfolded.contains("together") && unfolded.contains("DESCRIPTION:"),
        "{unfolded}"
    );

    // The desk too; another reporter gets what a missing ticket gets;
    // nobody signed in is asked to sign in.
    assert_eq!(lee.get(&path).await.status(), 200);
    let other = bob.get(&path).await;
    assert_eq!(other.status(), 404, "{}", other.text());
    assert!(!other.text().contains("VPN"), "{}", other.text());
    let missing = bob
        .get(&domain::call::invite_path("INC-999999", event_id))
        .await;
    assert_eq!(missing.status(), 404);
    assert_eq!(
        other.text().replace(&ticket.reference, "X"),
        missing.text().replace("INC-999999", "X")
    );
    let anonymous = app.anonymous().get(&path).await;
    assert_eq!(anonymous.status(), 401, "{}", anonymous.text());
    // An event that is not a call, and a file name that is not an id.
    let report_event = entries[0]["id"].as_i64().expect("an id");
    for wrong in [
        domain::call::invite_path(&ticket.reference, report_event),
        format!("/api/incidents/{}/calls/abc.ics", ticket.reference),
    ] {
        assert_eq!(ada.get(&wrong).await.status(), 404, "{wrong}");
    }

    // A video call reads its link back.
    accepted(
        &lee,
        &mut ticket,
        call(at + DAY_MS, 45, video("https://meet.example.org/desk?id=7")),
    )
    .await;
    app.stop().await;
}

on_both_backends!(schedule_a_call_and_download_its_invitation);

async fn resolve_cancel_escalate_and_assign(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let ada = app
        .signed_in(Role::Reporter, "Ada Reporter", "ada@example.org")
        .await;
    let lee = app
        .signed_in(agent(Tier::L1), "Lee One", "l1@example.org")
        .await;
    let lou = app
        .signed_in(agent(Tier::L2), "Lou Two", "l2@example.org")
        .await;
    let lee_id = lee.person.as_ref().expect("signed in").id;
    let lou_id = lou.person.as_ref().expect("signed in").id;

    // Resolve with a note and a code; the reporter reads both.
    let mut fixed = report(&ada, "Printer on floor 3 jams").await;
    accepted(
        &lee,
        &mut fixed,
        Change::Assign {
            assignee_id: lee_id,
        },
    )
    .await;
    accepted(&lee, &mut fixed, Change::Move(Transition::StartWork)).await;
    refused(
        &lee,
        &fixed,
        Change::Move(Transition::Resolve {
            note: " ".to_owned(),
            code: Some(ResolutionCode::Workaround),
        }),
        "describe how the problem was resolved",
    )
    .await;
    let summary = accepted(
        &lee,
        &mut fixed,
        Change::Move(Transition::Resolve {
            note: "Cleaned the rollers; a new drum is ordered.".to_owned(),
            code: Some(ResolutionCode::Workaround),
        }),
    )
    .await;
    assert_eq!(summary["state"], "resolved");
    let resolved = timeline(&ada, &fixed)
        .await
        .into_iter()
        .find(|e| e["event"]["to"] == "resolved")
        .expect("the resolution");
    assert_eq!(resolved["event"]["code"], "workaround");
    // The reporter's confirmation still closes it.
    let confirmed = ada
        .call(
            "confirm_fix",
            &[
                ("reference", fixed.reference.as_str()),
                ("version", &fixed.version.to_string()),
                ("fixed", "true"),
                ("comment", ""),
            ],
        )
        .await;
    assert_eq!(confirmed.status(), 200, "{}", confirmed.text());
    assert_eq!(confirmed.json()["state"], "closed");

    // Cancel needs a reason.
    let mut duplicate = report(&ada, "Printer on floor 3 jams again").await;
    refused(
        &lee,
        &duplicate,
        Change::Move(Transition::Cancel {
            reason: String::new(),
        }),
        "say why the ticket is cancelled",
    )
    .await;
    let summary = accepted(
        &lee,
        &mut duplicate,
        Change::Move(Transition::Cancel {
            reason: format!("Duplicate of {}", fixed.reference),
        }),
    )
    .await;
    assert_eq!(summary["state"], "cancelled");

    // Escalation needs a reason; then L1 is below the ticket's tier.
    let mut hard = report(&ada, "Shared drive is read-only").await;
    refused(
        &lee,
        &hard,
        Change::ChangeTier {
            to: Tier::L2,
            reason: "  ".to_owned(),
        },
        "give a reason for moving the ticket from L1 to L2",
    )
    .await;
    let summary = accepted(
        &lee,
        &mut hard,
        Change::ChangeTier {
            to: Tier::L2,
            reason: "Needs a storage engineer.".to_owned(),
        },
    )
    .await;
    assert_eq!(summary["tier"], "L2");
    refused(
        &lou,
        &hard,
        Change::Assign {
            assignee_id: lee_id,
        },
        "Lee One works at L1; this ticket is at L2",
    )
    .await;
    refused(
        &lee,
        &hard,
        call(app::clock::now_ms() + DAY_MS, 30, phone(PHONE)),
        "An L1 agent cannot change a ticket at L2",
    )
    .await;
    // The choices for the ticket list only who may take it.
    let choices = lou
        .call("ticket_choices", &[("reference", &hard.reference)])
        .await;
    assert_eq!(choices.status(), 200, "{}", choices.text());
    let names: Vec<String> = choices.json()["assignees"]
        .as_array()
        .expect("assignees")
        .iter()
        .map(|a| a["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(names, ["Lou Two"]);
    accepted(
        &lou,
        &mut hard,
        Change::Assign {
            assignee_id: lou_id,
        },
    )
    .await;

    // A stale version is a conflict that says what changed.
    let stale = Ticket {
        reference: hard.reference.clone(),
        version: 1,
    };
    let response = send(&lou, &stale, &Change::Move(Transition::StartWork)).await;
    assert_eq!(response.status(), 409, "{}", response.text());
    app.stop().await;
}

on_both_backends!(resolve_cancel_escalate_and_assign);
