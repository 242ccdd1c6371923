//! Hierarchical escalation on the board: tickets that missed their first
//! response or their resolution target, with the tier lead the SLA watcher
//! alerted. An alert stays while the ticket still waits for what was
//! promised; the lead sees their own first.

use leptos::prelude::*;

use super::{desk::Desk, filters::FORM};
use domain::models::LeadAlert;
use domain::sla::{describe_remaining, Promise};

/// The alerts the board holds: loaded with it, then added by the live stream.
#[derive(Clone, Copy)]
pub struct Alerts {
    pub all: RwSignal<Vec<LeadAlert>>,
    /// Put aside by this agent for this visit.
    pub dismissed: RwSignal<Vec<i64>>,
    /// Folded away, so a phone shows the board first; a new alert unfolds it.
    pub open: RwSignal<bool>,
}

impl Alerts {
    pub fn new(loaded: Vec<LeadAlert>, dismissed: Vec<i64>, open: bool) -> Self {
        Self {
            all: RwSignal::new(loaded),
            dismissed: RwSignal::new(dismissed),
            open: RwSignal::new(open),
        }
    }

    /// A new alert from the stream, newest first; a repeat is ignored.
    pub fn receive(&self, alert: LeadAlert) {
        self.all.update(|all| {
            if !all.iter().any(|a| a.event_id == alert.event_id) {
                all.insert(0, alert);
                self.open.set(true);
            }
        });
    }
}

/// One line per ticket still unanswered, or nothing at all.
#[component]
pub fn LeadAlerts(alerts: Alerts) -> AnyView {
    let desk = expect_context::<Desk>();
    let shown = Memo::new(move |_| {
        let dismissed = alerts.dismissed.get();
        let mut seen = Vec::new();
        // A ticket the board does not hold yet may arrive later.
        desk.cards.track_roster();
        let mut shown: Vec<(LeadAlert, String, String)> = alerts.all.with(|all| {
            all.iter()
                .filter(|a| !dismissed.contains(&a.event_id))
                .filter_map(|a| {
                    let card = desk.cards.get(a.incident_id)?.card;
                    let (reference, title) = card.with(|c| {
                        a.still_open(c)
                            .then(|| (c.reference.clone(), c.title.clone()))
                    })?;
                    // One line per ticket: the newest alert speaks for it.
                    if seen.contains(&a.incident_id) {
                        return None;
                    }
                    seen.push(a.incident_id);
                    Some((a.clone(), reference, title))
                })
                .collect()
        });
        shown.sort_by_key(|(a, _, _)| a.lead_id != Some(desk.me));
        shown
    });
    view! {
        <Show when=move || shown.with(|s| !s.is_empty())>
            <section class="lead-alerts" aria-labelledby="lead-alerts-heading">
                <div class="lead-alerts-head">
                    <h2 id="lead-alerts-heading">
                        "Missed targets " <span class="count">{move || shown.with(Vec::len)}</span>
                    </h2>
                    // Buttons of the filter form until the board is live.
                    <button type="submit" form=FORM name="alerts" class="link" aria-controls="lead-alerts-list"
                        value=move || if alerts.open.get() { "hide" } else { "show" }
                        aria-expanded=move || alerts.open.get().to_string()
                        on:click=move |ev| {
                            ev.prevent_default();
                            alerts.open.update(|open| *open = !*open);
                        }>
                        {move || if alerts.open.get() { "Hide" } else { "Show" }}
                    </button>
                </div>
                <ul id="lead-alerts-list" aria-live="polite" hidden=move || !alerts.open.get()>
                    <For
                        each=move || shown.get()
                        key=|(a, _, _)| a.event_id
                        children=move |(alert, reference, title)| {
                            let mine = alert.lead_id == Some(desk.me);
                            let late = move || describe_remaining(desk.now.get() - alert.due_ms);
                            let (missed, ask) = match alert.promise {
                                Promise::FirstResponse => ("No first response", "the reporter hears from the desk"),
                                Promise::Resolution => ("Not resolved", "it is resolved or escalated"),
                            };
                            let lead = match (&alert.lead_name, mine) {
                                (_, true) => format!("You lead {}: please see that {ask}.", alert.tier),
                                (Some(name), false) => format!("{name}, the {} lead, was alerted.", alert.tier),
                                (None, false) => format!("{} has no lead to alert.", alert.tier),
                            };
                            let event_id = alert.event_id;
                            let label = format!("Dismiss the alert for {reference}");
                            view! {
                                <li class:mine=mine>
                                    <p>
                                        <a href=format!("/incidents/{reference}")>{reference.clone()}</a>
                                        " " <span class="title">{title}</span>
                                    </p>
                                    <p class="why">
                                        {format!("{missed} within the {} target at {}; overdue by ", alert.priority, alert.tier)}
                                        {late} ". " {lead}
                                    </p>
                                    <button type="submit" form=FORM name="dismiss" value=event_id.to_string()
                                        class="link" aria-label=label
                                        on:click=move |ev| {
                                            ev.prevent_default();
                                            alerts.dismissed.update(|d| d.push(event_id));
                                        }>
                                        "Dismiss"
                                    </button>
                                </li>
                            }
                            .into_any()
                        }
                    />
                </ul>
            </section>
        </Show>
    }
    .into_any()
}
