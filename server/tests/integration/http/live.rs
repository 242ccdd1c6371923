//! The live event stream over real HTTP: what each person receives, resuming
//! after a reconnect by Last-Event-ID, and delivery of a change as it happens.

use std::time::Duration;

use domain::{person::Role, tier::Tier};
use serde_json::{json, Value};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    time::{timeout, Instant},
};

use crate::{
    common::{Db, TestApp, Visitor},
    on_both_backends,
};

/// One open stream, read as the bytes arrive.
struct Stream {
    socket: TcpStream,
    buffer: String,
    status: u16,
}

impl Stream {
    async fn open(visitor: &Visitor, last_event_id: Option<i64>, after: Option<i64>) -> Stream {
        let mut socket = TcpStream::connect(&visitor.host).await.expect("connect");
        let path = match after {
            Some(after) => format!("{}?after={after}", server::router::LIVE_STREAM),
            None => server::router::LIVE_STREAM.to_owned(),
        };
        let mut head = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n",
            visitor.host
        );
        if let Some(cookie) = &visitor.cookie {
            head.push_str(&format!("Cookie: {cookie}\r\n"));
        }
        if let Some(id) = last_event_id {
            head.push_str(&format!("Last-Event-ID: {id}\r\n"));
        }
        head.push_str("\r\n");
        socket.write_all(head.as_bytes()).await.expect("send");
        let mut stream = Stream {
            socket,
            buffer: String::new(),
            status: 0,
        };
        while !stream.buffer.contains("\r\n\r\n") {
            stream.read_some(Duration::from_secs(5)).await;
        }
        stream.status = stream
            .buffer
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        stream
    }

    async fn read_some(&mut self, wait: Duration) -> bool {
        let mut chunk = [0_u8; 4096];
        match timeout(wait, self.socket.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => {
                self.buffer.push_str(&String::from_utf8_lossy(&chunk[..n]));
                true
            }
            _ => false,
        }
    }

    /// The `change` events received so far.
    fn events(&self) -> Vec<Value> {
        self.buffer
            .lines()
            .filter_map(|line| line.strip_prefix("data: "))
            .filter_map(|data| serde_json::from_str(data).ok())
            .collect()
    }

    /// Reads until `count` events arrived or `wait` passed; then a little
    /// longer, to catch any event that should not be there.
    async fn collect(&mut self, count: usize, wait: Duration) -> Vec<Value> {
        let deadline = Instant::now() + wait;
        while self.events().len() < count && Instant::now() < deadline {
            self.read_some(deadline - Instant::now()).await;
        }
        self.read_some(Duration::from_millis(300)).await;
        self.events()
    }
}

fn ids(events: &[Value]) -> Vec<i64> {
    events.iter().filter_map(|e| e["id"].as_i64()).collect()
}

async fn quick_report(visitor: &Visitor, title: &str) -> (String, i64) {
    let response = visitor
        .call_nested(
            "report_problem",
            &json!({ "report": {
                "walk": null, "title": title, "description": "", "symptoms": "", "started_day": "", "started_time": "",
                "service": "", "phone": "", "impact": null, "urgency": null,
            }}),
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    let reference = response.json()["reference"]
        .as_str()
        .expect("reference")
        .to_owned();
    let id = domain::incident::parse_reference(&reference)
        .expect("reference")
        .1;
    (reference, id)
}

async fn comment(desk: &Visitor, reference: &str, version: i64, text: &str, internal: bool) -> i64 {
    let response = desk
        .call_json(
            "change_incident",
            &json!({ "reference": reference, "version": version,
                     "change": { "Comment": { "text": text, "internal": internal } } }),
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text());
    response.json()["version"].as_i64().expect("version")
}

async fn streams_filter_resume_and_deliver(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let ada = app
        .signed_in(Role::Reporter, "Ada", "ada@example.org")
        .await;
    let bob = app
        .signed_in(Role::Reporter, "Bob", "bob@example.org")
        .await;
    let desk = app
        .signed_in(
            Role::Agent {
                tier: Tier::L1,
                security_team: false,
            },
            "Dana",
            "dana@example.org",
        )
        .await;

    // Nobody signed in gets a stream.
    let anonymous = Stream::open(&app.anonymous(), None, Some(0)).await;
    assert_eq!(anonymous.status, 401);

    let (ada_ref, ada_id) = quick_report(&ada, "Ada's VPN drops").await;
    let (_, bob_id) = quick_report(&bob, "Bob's printer jams").await;
    let v = comment(&desk, &ada_ref, 1, "Checking the VPN logs", true).await;
    let v = comment(
        &desk,
        &ada_ref,
        v,
        "Could you restart the VPN client?",
        false,
    )
    .await;

    // From the beginning: Ada gets her report and the public reply; never
    // Bob's ticket, never the internal note.
    let mut stream = Stream::open(&ada, None, Some(0)).await;
    assert_eq!(stream.status, 200);
    let events = stream.collect(2, Duration::from_secs(5)).await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events.iter().all(|e| e["incident_id"] == ada_id),
        "{events:?}"
    );
    assert_eq!(events[0]["kind"], "reported");
    assert_eq!(events[1]["kind"], "commented");
    assert_eq!(events[1]["version"], 3);
    // Each event brings the ticket's card as it now is, for boards to update in place.
    assert_eq!(events[1]["card"]["reference"], ada_ref.as_str());
    assert_eq!(events[1]["card"]["version"], 3);
    // The desk sees everything, in order.
    let mut desk_stream = Stream::open(&desk, None, Some(0)).await;
    let all = desk_stream.collect(4, Duration::from_secs(5)).await;
    assert_eq!(all.len(), 4, "{all:?}");
    assert!(ids(&all).windows(2).all(|w| w[0] < w[1]));
    assert!(all.iter().any(|e| e["incident_id"] == bob_id));

    // A reconnect with the first event's id resumes right after it: no
    // gap, no duplicate.
    let first = ids(&events)[0];
    let mut resumed = Stream::open(&ada, Some(first), Some(0)).await;
    let again = resumed.collect(1, Duration::from_secs(5)).await;
    assert_eq!(ids(&again), ids(&events)[1..]);

    // A change made now reaches the open streams without asking.
    let started = Instant::now();
    comment(&desk, &ada_ref, v, "Any better?", false).await;
    let events = stream.collect(3, Duration::from_secs(5)).await;
    assert_eq!(events.len(), 3, "{events:?}");
    assert_eq!(events[2]["version"], 4);
    assert_eq!(events[2]["card"]["version"], 4);
    assert_eq!(events[2]["card"]["state"], "new");
    // Pushed on commit, not found by the two-second poll.
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    let all = desk_stream.collect(5, Duration::from_secs(5)).await;
    assert_eq!(all.len(), 5);
    // Without an id a stream starts at the tail: only what happens next.
    let mut fresh = Stream::open(&ada, None, None).await;
    assert!(fresh
        .collect(1, Duration::from_millis(500))
        .await
        .is_empty());

    app.stop().await;
}
on_both_backends!(streams_filter_resume_and_deliver);

/// The SLA watcher's marks are the desk's business: the desk's stream
/// carries them, with the lead alert the board lists; the reporter's never does.
async fn sla_alerts_reach_the_desk_and_never_the_reporter(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let ada = app
        .signed_in(Role::Reporter, "Ada", "ada@example.org")
        .await;
    let lead = app
        .signed_in(
            Role::Agent {
                tier: Tier::L3,
                security_team: false,
            },
            "Lou Lead",
            "lou@example.org",
        )
        .await;
    let lead_id = lead.person.as_ref().expect("signed in").id;
    for tier in Tier::ALL {
        app.store
            .set_tier_lead(tier, Some(lead_id), app::clock::now_ms())
            .await
            .expect("an L3 agent may lead any tier");
    }
    let (reference, id) = quick_report(&ada, "Ada's VPN drops").await;
    let mut ada_stream = Stream::open(&ada, None, Some(0)).await;
    let mut desk_stream = Stream::open(&lead, None, Some(0)).await;
    assert_eq!(
        desk_stream.collect(1, Duration::from_secs(5)).await.len(),
        1
    );

    // A month on, nobody has answered: both promises are broken.
    let later = app::clock::now_ms() + 30 * 24 * 3_600_000;
    let recorded = server::jobs::watch_sla(&app.store, later)
        .await
        .expect("watch");
    assert_eq!(
        recorded, 2,
        "the first response and the resolution, breached"
    );

    let events = desk_stream.collect(3, Duration::from_secs(5)).await;
    assert_eq!(events.len(), 3, "{events:?}");
    assert!(events[1..]
        .iter()
        .all(|e| e["kind"] == "sla_alert" && e["incident_id"] == id));
    let alerts: Vec<&Value> = events.iter().filter(|e| !e["alert"].is_null()).collect();
    assert_eq!(
        alerts.len(),
        2,
        "both missed promises are lead alerts: {events:?}"
    );
    let mut promises: Vec<&str> = alerts
        .iter()
        .filter_map(|a| a["alert"]["promise"].as_str())
        .collect();
    promises.sort_unstable();
    assert_eq!(promises, ["first_response", "resolution"]);
    for alert in &alerts {
        assert_eq!(alert["alert"]["lead_id"], lead_id);
        assert_eq!(alert["alert"]["lead_name"], "Lou Lead");
        assert_eq!(alert["card"]["reference"], reference.as_str());
    }

    let seen = ada_stream.collect(2, Duration::from_secs(2)).await;
    assert_eq!(seen.len(), 1, "the reporter sees her report only: {seen:?}");
    assert_eq!(seen[0]["kind"], "reported");
    let detail = ada.call("incident", &[("reference", &reference)]).await;
    assert_eq!(detail.status(), 200);
    assert!(!detail.text().contains("sla_alert"), "{}", detail.text());

    // The board lists the alert when it loads.
    let board = lead.call("board", &[]).await;
    assert_eq!(board.status(), 200, "{}", board.text());
    let board = board.json();
    assert_eq!(board["alerts"].as_array().map(Vec::len), Some(2), "{board}");
    assert_eq!(board["alerts"][0]["incident_id"], id);
    assert_eq!(board["alerts"][1]["incident_id"], id);
    app.stop().await;
}
on_both_backends!(sla_alerts_reach_the_desk_and_never_the_reporter);

/// Signing out (or any other end of the session) also ends its stream,
/// within the stream's session check.
#[tokio::test]
async fn a_stream_ends_with_its_session() {
    let app = TestApp::sqlite().await;
    let ada = app
        .signed_in(Role::Reporter, "Ada", "ada@example.org")
        .await;
    let mut stream = Stream::open(&ada, None, None).await;
    assert_eq!(stream.status, 200);
    let response = ada.call("sign_out", &[]).await;
    assert!(response.status() < 400, "{}", response.text());
    let deadline = Instant::now() + Duration::from_secs(25);
    let mut ended = false;
    while Instant::now() < deadline {
        let before = stream.buffer.len();
        let more = stream.read_some(Duration::from_secs(1)).await;
        // The last chunk of a chunked body, or the connection closing.
        if stream.buffer.ends_with("0\r\n\r\n")
            || (!more && stream.buffer.len() == before && stream.socket.peer_addr().is_err())
        {
            ended = true;
            break;
        }
    }
    assert!(ended, "the stream outlived its session: {}", stream.buffer);
    app.stop().await;
}

/// Two server instances on one PostgreSQL database: a change made through
/// one reaches streams connected to the other at once (LISTEN/NOTIFY), not
/// after the two-second poll; and a stream resumes on either instance.
#[tokio::test]
async fn a_change_through_one_instance_reaches_the_other() {
    let Some(first) = TestApp::postgres().await else {
        return;
    };
    let second = first.second_instance().await;
    let desk = first
        .signed_in(
            Role::Agent {
                tier: Tier::L1,
                security_team: false,
            },
            "Dana",
            "dana@example.org",
        )
        .await;
    let ada = first
        .signed_in(Role::Reporter, "Ada", "ada@example.org")
        .await;
    let (reference, id) = quick_report(&ada, "Ada's laptop will not boot").await;
    // The same sessions, through the other instance.
    let on_second = |visitor: &Visitor| Visitor {
        host: second.host.clone(),
        cookie: visitor.cookie.clone(),
        person: visitor.person.clone(),
    };
    let mut desk_board = Stream::open(&on_second(&desk), None, None).await;
    let mut ada_page = Stream::open(&on_second(&ada), None, None).await;
    assert_eq!(desk_board.status, 200);
    // Let both hubs settle at the tail before the change.
    tokio::time::sleep(Duration::from_millis(300)).await;

    for (n, text) in ["Looking at it now", "Is the charger light on?"]
        .iter()
        .enumerate()
    {
        let started = Instant::now();
        comment(&desk, &reference, 1 + n as i64, text, false).await;
        let seen = desk_board.collect(n + 1, Duration::from_secs(5)).await;
        let waited = started.elapsed();
        assert_eq!(seen.len(), n + 1, "{seen:?}");
        assert_eq!(seen[n]["incident_id"], id);
        assert_eq!(seen[n]["card"]["version"], 2 + n as i64);
        assert!(
            waited < Duration::from_millis(1_500),
            "took {waited:?}: the poll, not a notification"
        );
    }
    let ada_seen = ada_page.collect(2, Duration::from_secs(5)).await;
    assert_eq!(ids(&ada_seen), ids(&desk_board.events()));

    // An internal note through the second instance reaches the first's desk
    // stream, and never the reporter's.
    let mut desk_first = Stream::open(&desk, None, None).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let desk_second = on_second(&desk);
    comment(&desk_second, &reference, 3, "Probably the SSD", true).await;
    let seen = desk_first.collect(1, Duration::from_secs(5)).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0]["kind"], "commented");
    assert_eq!(
        ada_page
            .collect(3, Duration::from_millis(1_500))
            .await
            .len(),
        2
    );

    // A reconnect to the other instance resumes exactly after the last id seen.
    let last = ids(&desk_board.events())[0];
    let mut resumed = Stream::open(&desk, Some(last), None).await;
    let again = resumed.collect(2, Duration::from_secs(5)).await;
    let expected: Vec<i64> =
        ids(&desk_board.collect(3, Duration::from_secs(2)).await)[1..].to_vec();
    assert_eq!(ids(&again), expected);

    second.stop().await;
    first.stop().await;
}
