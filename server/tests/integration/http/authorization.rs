//! Who may call what: every server function and endpoint, called as each
//! kind of user, against a table of what each must get. A server function
//! missing from the table fails the test, so a new one cannot ship unchecked.

use std::collections::BTreeSet;

use domain::{
    change::{Acting, Change},
    incident::{IncidentTitle, NewIncident},
    kind::Kind,
    person::{Contact, Person, Role},
    priority::{Impact, Urgency},
    tier::Tier,
};

use serde_json::{json, Value};
use storage::Store;

use crate::{
    common::{Db, TestApp, Visitor},
    on_both_backends,
};

/// The people every case is tried as, in this order.
const WHO: [&str; 8] = [
    "anonymous",
    "reporter A",
    "reporter B",
    "L1 agent",
    "L2 agent",
    "L3 agent",
    "security agent",
    "admin",
];

const INTERNAL_NOTE: &str = "Switch 4 logs show port flapping";
const PUBLIC_REPLY: &str = "Please restart the router once";
const A_TITLE: &str = "Printer on floor 3 jams";
const SEC_TITLE: &str = "Customer list emailed to the wrong person";
const RESOLVED_TITLE: &str = "Scanner on floor 3 feeds two sheets";

/// What a call must answer: a status, and text the body must (or must not) hold.
#[derive(Clone, Copy)]
struct Expect {
    status: u16,
    has: Option<&'static str>,
    lacks: Option<&'static str>,
}

const fn is(status: u16) -> Expect {
    Expect {
        status,
        has: None,
        lacks: None,
    }
}
const OK: Expect = is(200);
const SIGN_IN: Expect = is(401);
const FORBIDDEN: Expect = is(403);
/// Someone else's ticket answers exactly like a missing one.
const HIDDEN: Expect = is(404);
const fn ok_with(text: &'static str) -> Expect {
    Expect {
        status: 200,
        has: Some(text),
        lacks: None,
    }
}
const fn ok_without(text: &'static str) -> Expect {
    Expect {
        status: 200,
        has: None,
        lacks: Some(text),
    }
}
/// A breach is assigned within the security team only.
const SECURITY_TEAM_ONLY: Expect = Expect {
    status: 200,
    has: Some("Sam Secure"),
    lacks: Some("Liv Three"),
};
const fn refused(text: &'static str) -> Expect {
    Expect {
        status: 422,
        has: Some(text),
        lacks: None,
    }
}

/// Fresh tickets for each call, so that one caller's change never decides
/// what the next one gets.
struct Tickets {
    /// An incident reported by A, with an internal note and a public reply.
    mine: (String, i64),
    /// A suspected breach reported by A.
    breach: (String, i64),
    /// A P1 incident reported by A, routed to L3.
    urgent: (String, i64),
    /// An incident reported by A, resolved by the desk and waiting for A.
    resolved: (String, i64),
    /// The guides in use and a walk in the network guide that ends on a fix.
    guides_version: i64,
    fix_walk: Vec<usize>,
    /// An email with no account.
    stranger: String,
}

enum Body {
    Form(Vec<(&'static str, String)>),
    /// Nested fields, as the report form and "This fixed it" send them.
    Nested(Value),
    Json(Value),
}

struct Case {
    function: &'static str,
    what: &'static str,
    body: fn(&Tickets) -> Body,
    expect: [Expect; 8],
}

fn form(pairs: &[(&'static str, &str)]) -> Body {
    Body::Form(pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect())
}

fn change(ticket: &(String, i64), change: Change) -> Body {
    Body::Json(json!({ "reference": ticket.0, "version": ticket.1, "change": change }))
}

/// A card's "Move…" menu, sent as its plain form, on a new ticket in L1.
fn menu(ticket: &(String, i64), to: &'static str) -> Body {
    Body::Form(vec![
        ("reference", ticket.0.clone()),
        ("version", ticket.1.to_string()),
        ("state", "new".to_owned()),
        ("tier", "L1".to_owned()),
        ("to", to.to_owned()),
    ])
}

fn comment(text: &str, internal: bool) -> Change {
    Change::Comment {
        text: text.to_owned(),
        internal,
    }
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            function: "current_user",
            what: "who am I",
            body: |_| form(&[]),
            expect: [OK; 8],
        },
        Case {
            function: "choose_language",
            // English, so the later cases' sentences stay as they expect.
            what: "English, kept on the account of whoever is signed in",
            body: |_| form(&[("language", "en")]),
            expect: [OK; 8],
        },
        Case {
            function: "choose_language",
            what: "a language the desk does not speak",
            body: |_| form(&[("language", "tlh")]),
            expect: [refused("English and French"); 8],
        },
        Case {
            function: "setup_needed",
            what: "is the first-run page open",
            body: |_| form(&[]),
            expect: [OK; 8],
        },
        Case {
            function: "sign_in",
            what: "a wrong password",
            // A new unknown email each time: a real one would be throttled
            // after five tries, which is tested on its own.
            body: |t| form(&[("email", &t.stranger), ("password", "not the password")]),
            expect: [refused("do not match"); 8],
        },
        Case {
            function: "change_password",
            what: "with a wrong current password",
            body: |_| {
                form(&[
                    ("current", "not the password"),
                    ("new", "a brand new passphrase"),
                ])
            },
            expect: [
                SIGN_IN,
                refused("current password"),
                refused("current password"),
                refused("current password"),
                refused("current password"),
                refused("current password"),
                refused("current password"),
                refused("current password"),
            ],
        },
        Case {
            function: "create_first_admin",
            what: "once an admin exists",
            body: |_| {
                form(&[
                    ("name", "Mallory"),
                    ("email", "mallory@example.org"),
                    ("password", "let me in please"),
                ])
            },
            expect: [FORBIDDEN; 8],
        },
        Case {
            function: "add_account",
            what: "an agent account",
            body: |_| {
                form(&[
                    ("name", "New Agent"),
                    ("email", "new.agent@example.org"),
                    ("role", "agent"),
                    ("tier", "L3"),
                    ("password", "a long enough password"),
                ])
            },
            expect: [
                SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,
            ],
        },
        Case {
            function: "people",
            what: "the directory",
            body: |_| form(&[]),
            expect: [
                SIGN_IN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                ok_with("b@example.org"),
            ],
        },
        Case {
            function: "log_incident",
            what: "a quick report",
            body: |_| {
                form(&[
                    ("title", "Wi-Fi drops in room 12"),
                    ("name", "Caller"),
                    ("contact", "caller@example.org"),
                ])
            },
            expect: [SIGN_IN, OK, OK, OK, OK, OK, OK, OK],
        },
        Case {
            function: "recent_incidents",
            what: "the list",
            body: |_| form(&[]),
            expect: [
                SIGN_IN,
                ok_with(A_TITLE),
                ok_without(A_TITLE),
                ok_without(SEC_TITLE),
                ok_without(SEC_TITLE),
                ok_without(SEC_TITLE),
                ok_with(SEC_TITLE),
                ok_with(SEC_TITLE),
            ],
        },
        Case {
            function: "incident",
            what: "A's incident",
            body: |t| form(&[("reference", &t.mine.0)]),
            expect: [
                SIGN_IN,
                ok_without(INTERNAL_NOTE),
                HIDDEN,
                ok_with(INTERNAL_NOTE),
                ok_with(INTERNAL_NOTE),
                ok_with(INTERNAL_NOTE),
                ok_with(INTERNAL_NOTE),
                ok_with(INTERNAL_NOTE),
            ],
        },
        Case {
            function: "incident",
            what: "A's public reply is visible to A",
            body: |t| form(&[("reference", &t.mine.0)]),
            expect: [SIGN_IN, ok_with(PUBLIC_REPLY), HIDDEN, OK, OK, OK, OK, OK],
        },
        Case {
            function: "incident",
            what: "A's suspected breach",
            body: |t| form(&[("reference", &t.breach.0)]),
            expect: [SIGN_IN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, OK],
        },
        Case {
            function: "incident",
            what: "an id that does not exist",
            body: |_| form(&[("reference", "INC-999999")]),
            expect: [
                SIGN_IN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN,
            ],
        },
        Case {
            function: "board",
            what: "all tiers",
            body: |_| form(&[]),
            expect: [
                SIGN_IN,
                FORBIDDEN,
                FORBIDDEN,
                ok_without(SEC_TITLE),
                ok_without(SEC_TITLE),
                ok_without(SEC_TITLE),
                ok_with(SEC_TITLE),
                ok_with(SEC_TITLE),
            ],
        },
        Case {
            function: "board",
            what: "with recently finished tickets",
            body: |_| form(&[("finished", "true")]),
            expect: [
                SIGN_IN,
                FORBIDDEN,
                FORBIDDEN,
                ok_with(RESOLVED_TITLE),
                ok_with(RESOLVED_TITLE),
                ok_with(RESOLVED_TITLE),
                ok_with(RESOLVED_TITLE),
                ok_with(RESOLVED_TITLE),
            ],
        },
        Case {
            function: "card",
            what: "A's incident",
            body: |t| form(&[("reference", &t.mine.0)]),
            expect: [
                SIGN_IN,
                FORBIDDEN,
                FORBIDDEN,
                ok_with(A_TITLE),
                ok_with(A_TITLE),
                ok_with(A_TITLE),
                ok_with(A_TITLE),
                ok_with(A_TITLE),
            ],
        },
        Case {
            function: "card",
            what: "A's suspected breach",
            body: |t| form(&[("reference", &t.breach.0)]),
            expect: [
                SIGN_IN,
                FORBIDDEN,
                FORBIDDEN,
                HIDDEN,
                HIDDEN,
                HIDDEN,
                ok_with(SEC_TITLE),
                ok_with(SEC_TITLE),
            ],
        },
        Case {
            function: "tier_leads",
            what: "who leads each tier",
            body: |_| form(&[]),
            expect: [SIGN_IN, FORBIDDEN, FORBIDDEN, OK, OK, OK, OK, OK],
        },
        Case {
            function: "set_tier_lead",
            what: "leaving L1 without a lead",
            body: |_| form(&[("tier", "L1"), ("lead", "")]),
            expect: [
                SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,
            ],
        },
        Case {
            function: "set_tier_lead",
            what: "a tier that does not exist",
            body: |_| form(&[("tier", "L9"), ("lead", "")]),
            expect: [
                SIGN_IN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                refused("is not a tier"),
            ],
        },
        Case {
            function: "viewing",
            what: "A's incident",
            body: |t| form(&[("reference", &t.mine.0)]),
            expect: [SIGN_IN, FORBIDDEN, FORBIDDEN, OK, OK, OK, OK, OK],
        },
        Case {
            function: "viewing",
            what: "A's suspected breach",
            body: |t| form(&[("reference", &t.breach.0)]),
            expect: [
                SIGN_IN, FORBIDDEN, FORBIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, OK,
            ],
        },
        Case {
            function: "search_incidents",
            what: "a word in A's ticket",
            body: |_| form(&[("query", "printer")]),
            expect: [
                SIGN_IN,
                ok_with(A_TITLE),
                ok_without(A_TITLE),
                ok_with(A_TITLE),
                ok_with(A_TITLE),
                ok_with(A_TITLE),
                ok_with(A_TITLE),
                ok_with(A_TITLE),
            ],
        },
        Case {
            function: "search_incidents",
            what: "a word in the breach",
            body: |_| form(&[("query", "customer")]),
            expect: [
                SIGN_IN,
                ok_with(SEC_TITLE),
                ok_without(SEC_TITLE),
                ok_without(SEC_TITLE),
                ok_without(SEC_TITLE),
                ok_without(SEC_TITLE),
                ok_with(SEC_TITLE),
                ok_with(SEC_TITLE),
            ],
        },
        Case {
            function: "move_card",
            what: "taking A's incident from its card's menu",
            body: |t| menu(&t.mine, "state-assigned"),
            expect: [
                SIGN_IN,
                FORBIDDEN,
                FORBIDDEN,
                OK,
                OK,
                OK,
                OK,
                refused("is not an agent"),
            ],
        },
        Case {
            function: "move_card",
            what: "cancelling A's suspected breach from its card's menu",
            body: |t| menu(&t.breach, "state-cancelled"),
            expect: [
                SIGN_IN,
                FORBIDDEN,
                FORBIDDEN,
                HIDDEN,
                HIDDEN,
                HIDDEN,
                refused("Open the ticket to write it"),
                refused("Open the ticket to write it"),
            ],
        },
        Case {
            function: "change_incident",
            what: "a public comment on A's incident",
            body: |t| change(&t.mine, comment("Any news?", false)),
            expect: [SIGN_IN, OK, HIDDEN, OK, OK, OK, OK, OK],
        },
        Case {
            function: "change_incident",
            what: "an internal note on A's incident",
            body: |t| change(&t.mine, comment("Looks like the driver", true)),
            expect: [
                SIGN_IN,
                refused("internal notes"),
                HIDDEN,
                OK,
                OK,
                OK,
                OK,
                OK,
            ],
        },
        Case {
            function: "change_incident",
            what: "a comment on A's suspected breach",
            body: |t| change(&t.breach, comment("More detail", false)),
            expect: [SIGN_IN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, OK],
        },
        Case {
            function: "change_incident",
            what: "reprioritising an L3 ticket (tier rules)",
            body: |t| {
                change(
                    &t.urgent,
                    Change::Reprioritise {
                        impact: Impact::High,
                        urgency: Urgency::Medium,
                    },
                )
            },
            expect: [
                SIGN_IN,
                refused("Only the service desk"),
                HIDDEN,
                refused("L1 agent cannot change a ticket at L3"),
                refused("L2 agent cannot change a ticket at L3"),
                OK,
                OK,
                OK,
            ],
        },
        Case {
            function: "change_incident",
            what: "scheduling a call on A's incident",
            body: |t| {
                change(
                    &t.mine,
                    Change::ScheduleCall {
                        at_ms: app::clock::now_ms() + 86_400_000,
                        minutes: 30,
                        channel: domain::call::CallChannel::Phone {
                            number: "+44 20 7946 0958".to_owned(),
                        },
                        note: String::new(),
                    },
                )
            },
            expect: [
                SIGN_IN,
                refused("Only the service desk can schedule calls"),
                HIDDEN,
                OK,
                OK,
                OK,
                OK,
                OK,
            ],
        },
        Case {
            function: "ticket_choices",
            what: "the agent controls' choices for A's incident",
            body: |t| form(&[("reference", &t.mine.0)]),
            expect: [
                SIGN_IN,
                FORBIDDEN,
                FORBIDDEN,
                ok_with("Lee One"),
                ok_with("Lee One"),
                ok_with("Lee One"),
                ok_with("Lee One"),
                ok_with("Lee One"),
            ],
        },
        Case {
            function: "ticket_choices",
            what: "the choices for A's suspected breach",
            body: |t| form(&[("reference", &t.breach.0)]),
            expect: [
                SIGN_IN,
                FORBIDDEN,
                FORBIDDEN,
                HIDDEN,
                HIDDEN,
                HIDDEN,
                SECURITY_TEAM_ONLY,
                SECURITY_TEAM_ONLY,
            ],
        },
        Case {
            function: "change_incident",
            what: "a stale version",
            body: |t| {
                Body::Json(json!({
                    "reference": t.mine.0,
                    "version": 1,
                    "change": comment("Late", false),
                }))
            },
            expect: [
                SIGN_IN,
                is(409),
                HIDDEN,
                is(409),
                is(409),
                is(409),
                is(409),
                is(409),
            ],
        },
        Case {
            function: "guides",
            what: "the troubleshooting guides",
            body: |_| form(&[]),
            expect: [SIGN_IN, OK, OK, OK, OK, OK, OK, OK],
        },
        Case {
            function: "record_deflection",
            what: "a fix that worked",
            body: |t| {
                Body::Nested(json!({ "walk": {
                    "version": t.guides_version, "guide_id": "network", "answers": t.fix_walk,
                }}))
            },
            expect: [SIGN_IN, OK, OK, OK, OK, OK, OK, OK],
        },
        Case {
            function: "report_problem",
            what: "a suspected breach through its guide",
            body: |t| {
                Body::Nested(json!({ "report": {
                    "walk": { "version": t.guides_version, "guide_id": "security", "answers": [] },
                    "title": "Laptop left on the train", "description": "", "symptoms": "",
                    "started_day": "", "started_time": "", "service": "", "phone": "", "impact": null, "urgency": null,
                }}))
            },
            expect: [
                SIGN_IN,
                ok_with("SEC-"),
                ok_with("SEC-"),
                ok_with("SEC-"),
                ok_with("SEC-"),
                ok_with("SEC-"),
                ok_with("SEC-"),
                ok_with("SEC-"),
            ],
        },
        Case {
            function: "similar_incidents",
            what: "resolved tickets like a title",
            body: |_| form(&[("title", "scanner feeds sheets")]),
            expect: [
                SIGN_IN,
                ok_with(RESOLVED_TITLE),
                ok_without(RESOLVED_TITLE),
                ok_with(RESOLVED_TITLE),
                ok_with(RESOLVED_TITLE),
                ok_with(RESOLVED_TITLE),
                ok_with(RESOLVED_TITLE),
                ok_with(RESOLVED_TITLE),
            ],
        },
        Case {
            function: "my_tickets",
            what: "one's own tickets",
            body: |_| form(&[]),
            expect: [
                SIGN_IN,
                ok_with(A_TITLE),
                ok_without(A_TITLE),
                ok_without(A_TITLE),
                ok_without(A_TITLE),
                ok_without(A_TITLE),
                ok_without(A_TITLE),
                ok_without(A_TITLE),
            ],
        },
        Case {
            function: "reply",
            what: "a reply on A's incident",
            body: |t| {
                form(&[
                    ("reference", &t.mine.0),
                    ("version", &t.mine.1.to_string()),
                    ("text", "Restarted, same again"),
                ])
            },
            expect: [SIGN_IN, OK, HIDDEN, OK, OK, OK, OK, OK],
        },
        Case {
            function: "confirm_fix",
            what: "confirming A's fix",
            body: |t| {
                form(&[
                    ("reference", &t.resolved.0),
                    ("version", &t.resolved.1.to_string()),
                    ("fixed", "true"),
                    ("comment", ""),
                ])
            },
            expect: [
                SIGN_IN,
                ok_with("closed"),
                HIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
            ],
        },
        Case {
            function: "import_guides",
            what: "a document that is not JSON",
            body: |_| form(&[("document", "not json")]),
            expect: [
                SIGN_IN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                refused("not a guide document"),
            ],
        },
        Case {
            function: "export_guides",
            what: "the guide document",
            body: |_| form(&[]),
            expect: [
                SIGN_IN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                FORBIDDEN,
                ok_with("format"),
            ],
        },
        Case {
            function: "deflections",
            what: "the guide report",
            body: |_| form(&[]),
            expect: [
                SIGN_IN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,
            ],
        },
        Case {
            function: "sign_out",
            what: "signing out (run last: it ends each session)",
            body: |_| form(&[]),
            expect: [OK; 8],
        },
    ]
}

async fn report(
    store: &Store,
    reporter: &Person,
    kind: Kind,
    title: &str,
    impact: Impact,
) -> (String, i64) {
    let new = NewIncident {
        kind,
        title: IncidentTitle::parse(title).expect("valid title"),
        description: String::new(),
        symptoms: String::new(),
        reporter: Contact::new(&reporter.name, &reporter.email, "").expect("contact"),
        reporter_id: Some(reporter.id),
        service: None,
        category_id: None,
        impact,
        urgency: if impact == Impact::High {
            Urgency::High
        } else {
            Urgency::Medium
        },
        diagnosis: Vec::new(),
        started: None,
    };
    let by = Acting {
        person_id: Some(reporter.id),
        name: reporter.name.clone(),
        actor: domain::lifecycle::Actor::Reporter,
    };
    let incident = store
        .report(&new, &by, app::clock::now_ms())
        .await
        .expect("reported");
    (incident.reference(), incident.version)
}

async fn fresh_tickets(store: &Store, a: &Person, agent: &Person) -> Tickets {
    let guides = storage::ensure_guides(store, app::clock::now_ms())
        .await
        .expect("guides");
    let network = guides
        .set
        .guides
        .iter()
        .find(|g| g.id == "network")
        .expect("a network guide");
    let fix_walk =
        crate::common::walk_to(network, |n| matches!(n, domain::guide::Node::Fix { .. }))
            .expect("a walk to a fix");
    let mut mine = report(store, a, Kind::Incident, A_TITLE, Impact::Medium).await;
    let desk = domain::access::acting(agent);
    let id = domain::incident::parse_reference(&mine.0)
        .expect("reference")
        .1;
    for (text, internal) in [(INTERNAL_NOTE, true), (PUBLIC_REPLY, false)] {
        let changed = store
            .change(
                id,
                mine.1,
                &comment(text, internal),
                &desk,
                app::clock::now_ms(),
            )
            .await
            .expect("comment");
        mine.1 = changed.version;
    }
    Tickets {
        mine,
        breach: report(store, a, Kind::SecurityIncident, SEC_TITLE, Impact::Medium).await,
        urgent: report(
            store,
            a,
            Kind::Incident,
            "Payroll system is down",
            Impact::High,
        )
        .await,
        resolved: resolved(store, a, agent).await,
        guides_version: guides.version,
        fix_walk,
        stranger: format!("nobody.{id}@example.org"),
    }
}

/// A's ticket taken, worked and resolved by `agent`, waiting for A's answer.
async fn resolved(store: &Store, a: &Person, agent: &Person) -> (String, i64) {
    use domain::lifecycle::Transition;
    let (reference, mut version) =
        report(store, a, Kind::Incident, RESOLVED_TITLE, Impact::Medium).await;
    let id = domain::incident::parse_reference(&reference)
        .expect("reference")
        .1;
    let desk = domain::access::acting(agent);
    for step in [
        Change::Assign {
            assignee_id: agent.id,
        },
        Change::Move(Transition::StartWork),
        Change::Move(Transition::Resolve {
            note: "Cleaned the feed rollers".to_owned(),
            code: Some(domain::resolution::ResolutionCode::Solved),
        }),
    ] {
        version = store
            .change(id, version, &step, &desk, app::clock::now_ms())
            .await
            .expect("desk step")
            .version;
    }
    (reference, version)
}

async fn every_function_as_everyone(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let agent = |tier, security_team| Role::Agent {
        tier,
        security_team,
    };
    let accounts = [
        (Role::Reporter, "Ada Reporter", "a@example.org"),
        (Role::Reporter, "Bob Reporter", "b@example.org"),
        (agent(Tier::L1, false), "Lee One", "l1@example.org"),
        (agent(Tier::L2, false), "Lou Two", "l2@example.org"),
        (agent(Tier::L3, false), "Liv Three", "l3@example.org"),
        (agent(Tier::L3, true), "Sam Secure", "sec@example.org"),
        (Role::Admin, "Ada Admin", "admin@example.org"),
    ];
    let mut visitors: Vec<Visitor> = vec![app.anonymous()];
    for (role, name, email) in accounts {
        visitors.push(app.signed_in(role, name, email).await);
    }
    let person = |i: usize| visitors[i].person.clone().expect("signed in");
    let (reporter_a, security_agent) = (person(1), person(6));

    let table = cases();
    let mut failures = Vec::new();
    for case in &table {
        for (who, visitor) in WHO.iter().zip(&visitors) {
            let tickets = fresh_tickets(&app.store, &reporter_a, &security_agent).await;
            let response = match (case.body)(&tickets) {
                Body::Form(pairs) => {
                    let pairs: Vec<(&str, &str)> =
                        pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    visitor.call(case.function, &pairs).await
                }
                Body::Nested(body) => visitor.call_nested(case.function, &body).await,
                Body::Json(body) => visitor.call_json(case.function, &body).await,
            };
            let expect = case.expect[WHO.iter().position(|w| w == who).unwrap_or(0)];
            let text = response.text();
            let wrong = response.status() != expect.status
                || expect.has.is_some_and(|t| !text.contains(t))
                || expect.lacks.is_some_and(|t| text.contains(t));
            if wrong {
                failures.push(format!(
                    "{} ({}) as {who}: expected {}{}{}, got {}: {}",
                    case.function,
                    case.what,
                    expect.status,
                    expect
                        .has
                        .map(|t| format!(" with {t:?}"))
                        .unwrap_or_default(),
                    expect
                        .lacks
                        .map(|t| format!(" without {t:?}"))
                        .unwrap_or_default(),
                    response.status(),
                    text.chars().take(300).collect::<String>()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} wrong answers:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // The table covers every server function the server registers.
    let registered: BTreeSet<String> = server::router::server_function_paths()
        .into_iter()
        .map(|path| path.trim_start_matches("/api/").to_owned())
        .collect();
    let tested: BTreeSet<String> = table.iter().map(|c| c.function.to_owned()).collect();
    assert_eq!(
        registered, tested,
        "every server function needs rows in this table (left: registered, right: tested)"
    );
    app.stop().await;
}

on_both_backends!(every_function_as_everyone);

/// A call scheduled by `agent` on `ticket`; returns its invitation's path.
async fn call_on(store: &Store, ticket: &(String, i64), agent: &Person) -> String {
    let id = domain::incident::parse_reference(&ticket.0)
        .expect("reference")
        .1;
    let call = Change::ScheduleCall {
        at_ms: app::clock::now_ms() + 86_400_000,
        minutes: 30,
        channel: domain::call::CallChannel::Video {
            link: "https://meet.example.org/desk".to_owned(),
        },
        note: String::new(),
    };
    store
        .change(
            id,
            ticket.1,
            &call,
            &domain::access::acting(agent),
            app::clock::now_ms(),
        )
        .await
        .expect("call scheduled");
    let detail = store.incident(id).await.expect("read").expect("ticket");
    let event = detail.timeline.last().expect("the call's event");
    domain::call::invite_path(&ticket.0, event.id)
}

/// A call's invitation answers like its ticket: the reporter and the desk
/// that may see the ticket get it; anyone else a 404, nobody signed in a 401.
async fn call_invitations_answer_like_their_ticket(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let agent = |tier, security_team| Role::Agent {
        tier,
        security_team,
    };
    let accounts = [
        (Role::Reporter, "Ada Reporter", "a@example.org"),
        (Role::Reporter, "Bob Reporter", "b@example.org"),
        (agent(Tier::L1, false), "Lee One", "l1@example.org"),
        (agent(Tier::L2, false), "Lou Two", "l2@example.org"),
        (agent(Tier::L3, false), "Liv Three", "l3@example.org"),
        (agent(Tier::L3, true), "Sam Secure", "sec@example.org"),
        (Role::Admin, "Ada Admin", "admin@example.org"),
    ];
    let mut visitors: Vec<Visitor> = vec![app.anonymous()];
    for (role, name, email) in accounts {
        visitors.push(app.signed_in(role, name, email).await);
    }
    let person = |i: usize| visitors[i].person.clone().expect("signed in");
    let tickets = fresh_tickets(&app.store, &person(1), &person(6)).await;
    let mine = call_on(&app.store, &tickets.mine, &person(6)).await;
    let breach = call_on(&app.store, &tickets.breach, &person(6)).await;
    let table = [
        (mine, [401, 200, 404, 200, 200, 200, 200, 200]),
        (breach, [401, 200, 404, 404, 404, 404, 200, 200]),
    ];
    let mut failures = Vec::new();
    for (path, expect) in &table {
        for ((who, visitor), status) in WHO.iter().zip(&visitors).zip(expect) {
            let response = visitor.get(path).await;
            let calendar = response.text().starts_with("BEGIN:VCALENDAR");
            if response.status() != *status || calendar != (*status == 200) {
                failures.push(format!(
                    "{path} as {who}: expected {status}, got {}: {}",
                    response.status(),
                    response.text().chars().take(200).collect::<String>()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.stop().await;
}

on_both_backends!(call_invitations_answer_like_their_ticket);

/// The endpoints outside Leptos are probes: open to all, and they reveal nothing.
#[tokio::test]
async fn probes_answer_everyone_and_say_nothing_else() {
    let app = TestApp::sqlite().await;
    for path in server::router::ENDPOINTS {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(response.text().len() < 100, "{path}: {}", response.text());
    }
    app.stop().await;
}

/// Pages render only what their server functions allow: a reporter who
/// types the board's address sees a refusal, not tickets.
#[tokio::test]
async fn a_reporter_cannot_reach_the_board_by_url() {
    let app = TestApp::sqlite().await;
    let agent = app
        .account(
            Role::Agent {
                tier: Tier::L1,
                security_team: false,
            },
            "Lee One",
            "l1@example.org",
        )
        .await;
    let ada = app
        .signed_in(Role::Reporter, "Ada Reporter", "a@example.org")
        .await;
    let bob = app
        .signed_in(Role::Reporter, "Bob Reporter", "b@example.org")
        .await;
    let a = ada.person.clone().expect("signed in");
    fresh_tickets(&app.store, &a, &agent).await;

    let board = bob.get("/board").await.text();
    assert!(
        board.contains("The agent board is for the service desk"),
        "{board}"
    );
    assert!(!board.contains(A_TITLE), "{board}");

    let page = bob.get("/incidents/INC-000001").await.text();
    assert!(!page.contains(A_TITLE), "{page}");
    assert!(
        page.contains("There is no ticket INC-000001 that you can see"),
        "{page}"
    );

    let own = ada.get("/incidents/INC-000001").await.text();
    assert!(own.contains(A_TITLE), "{own}");
    assert!(own.contains(PUBLIC_REPLY), "{own}");
    assert!(!own.contains(INTERNAL_NOTE), "{own}");

    let anonymous = app.get("/board").await.text();
    assert!(anonymous.contains("Please sign in"), "{anonymous}");
    assert!(anonymous.contains("/sign-in?next=/board"), "{anonymous}");
    app.stop().await;
}
