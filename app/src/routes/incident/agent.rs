//! The agent's controls on a ticket: triage (impact and urgency, a priority
//! override, category), tier moves, assignment, a call with the reporter,
//! and the lifecycle steps that need words (resolve, reopen, cancel).
//! Desk only; every decision is the domain's, asked again on the server.
//!
//! What an agent types lives in [`Drafts`], created once per page, so a
//! refusal (and the reload of the ticket after it) never loses it.

use leptos::prelude::*;

use domain::{
    change::Change,
    incident::Incident,
    kind::Kind,
    lifecycle::State,
    person::Person,
    priority::{Impact, Urgency},
};

use domain::models::{AgentChoices, IncidentSummary};

use crate::{error::AppError, functions::incidents::ChangeIncident};

mod call;
mod form;
mod people;
mod steps;
mod triage;
mod work;

use call::call_form;
use people::{assign_form, tier_form};
use steps::{cancel_form, reopen_form, resolve_form};
use triage::{category_form, override_form, priority_form};
use work::desk_actions;

/// The answer to the last change sent from this page.
pub(super) type Last = Signal<Option<Result<IncidentSummary, AppError>>>;

/// The forms on the page, by the id their elements start with.
const CALL: &str = "call";
const PRIORITY: &str = "priority";
const OVERRIDE: &str = "override";
const CATEGORY: &str = "category";
const TIER: &str = "tier";
const ASSIGN: &str = "assign";
const RESOLVE: &str = "resolve";
const REOPEN: &str = "reopen";
const CANCEL: &str = "cancel";

/// What the agent has typed into each form, and which form spoke last.
#[derive(Clone, Copy)]
pub(super) struct Drafts {
    /// The form whose change was sent last; its notice shows the answer.
    pub sent_from: RwSignal<Option<&'static str>>,
    /// A refusal decided in the browser before sending (an unreadable date).
    local_error: RwSignal<Option<(&'static str, String)>>,
    call_when: RwSignal<String>,
    call_minutes: RwSignal<String>,
    call_video: RwSignal<bool>,
    call_number: RwSignal<Option<String>>,
    call_link: RwSignal<String>,
    call_note: RwSignal<String>,
    impact: RwSignal<Option<Impact>>,
    urgency: RwSignal<Option<Urgency>>,
    override_to: RwSignal<String>,
    override_reason: RwSignal<String>,
    category: RwSignal<Option<String>>,
    tier_to: RwSignal<String>,
    tier_reason: RwSignal<String>,
    assignee: RwSignal<String>,
    resolve_note: RwSignal<String>,
    resolve_code: RwSignal<String>,
    reopen_comment: RwSignal<String>,
    cancel_reason: RwSignal<String>,
}

impl Drafts {
    pub(super) fn new() -> Self {
        Self {
            sent_from: RwSignal::new(None),
            local_error: RwSignal::new(None),
            call_when: RwSignal::new(String::new()),
            call_minutes: RwSignal::new("30".to_owned()),
            call_video: RwSignal::new(false),
            call_number: RwSignal::new(None),
            call_link: RwSignal::new(String::new()),
            call_note: RwSignal::new(String::new()),
            impact: RwSignal::new(None),
            urgency: RwSignal::new(None),
            override_to: RwSignal::new(String::new()),
            override_reason: RwSignal::new(String::new()),
            category: RwSignal::new(None),
            tier_to: RwSignal::new(String::new()),
            tier_reason: RwSignal::new(String::new()),
            assignee: RwSignal::new(String::new()),
            resolve_note: RwSignal::new(String::new()),
            resolve_code: RwSignal::new(String::new()),
            reopen_comment: RwSignal::new(String::new()),
            cancel_reason: RwSignal::new(String::new()),
        }
    }

    /// After an accepted change: the form that sent it starts empty again.
    pub(super) fn accepted(&self) {
        let Some(form) = self.sent_from.get_untracked() else {
            return;
        };
        let clear = |s: RwSignal<String>| s.set(String::new());
        match form {
            CALL => {
                clear(self.call_when);
                clear(self.call_note);
            }
            PRIORITY => {
                self.impact.set(None);
                self.urgency.set(None);
            }
            OVERRIDE => {
                clear(self.override_to);
                clear(self.override_reason);
            }
            CATEGORY => self.category.set(None),
            TIER => {
                clear(self.tier_to);
                clear(self.tier_reason);
            }
            ASSIGN => clear(self.assignee),
            RESOLVE => {
                clear(self.resolve_note);
                clear(self.resolve_code);
            }
            REOPEN => clear(self.reopen_comment),
            CANCEL => clear(self.cancel_reason),
            _ => {}
        }
    }
}

/// Sends changes to one ticket, remembering which form sent them.
#[derive(Clone)]
struct Sender {
    reference: String,
    version: i64,
    action: ServerAction<ChangeIncident>,
    drafts: Drafts,
    /// The answer to the last change sent from this page.
    last: Last,
}

impl Sender {
    fn send(&self, form: &'static str, change: Change) {
        self.drafts.local_error.set(None);
        self.drafts.sent_from.set(Some(form));
        self.action.dispatch(ChangeIncident {
            reference: self.reference.clone(),
            version: self.version,
            change,
        });
    }
}

/// What the desk's part of an open ticket's page is drawn from.
pub(super) struct DeskTools {
    pub incident: Incident,
    pub viewer: Person,
    pub choices: Option<AgentChoices>,
    pub actions: super::Actions,
}

/// The desk's part of an open ticket's page. Only the desk's ticket island
/// (a chunk of its own) draws it: a reporter's browser never downloads the
/// agent controls.
pub(super) fn desk_tools(tools: DeskTools) -> AnyView {
    let DeskTools {
        incident,
        viewer,
        choices,
        actions,
    } = tools;
    view! {
        {desk_actions(&incident, &viewer, actions.change, actions.drafts.sent_from)}
        {agent_controls(&incident, &viewer, choices, actions.change, actions.drafts, actions.last_change)}
    }
    .into_any()
}

/// The controls for an open ticket; `choices` is `None` when they could not be loaded.
fn agent_controls(
    incident: &Incident,
    viewer: &Person,
    choices: Option<AgentChoices>,
    action: ServerAction<ChangeIncident>,
    drafts: Drafts,
    last: Last,
) -> AnyView {
    let sender = Sender {
        reference: incident.reference(),
        version: incident.version,
        action,
        drafts,
        last,
    };
    let triage = choices.clone().map(|choices| {
        view! {
            {priority_form(incident, &choices, &sender)}
            {override_form(incident, &sender)}
            {category_form(incident, &choices, &sender)}
        }
    });
    let people = choices.clone().map(|choices| {
        view! {
            {tier_form(incident, viewer, &sender)}
            {assign_form(incident, &choices, &sender)}
            {call_form(incident, &choices, &sender)}
        }
    });
    let resolve =
        matches!(incident.state, State::InProgress | State::Pending).then(|| resolve_form(&sender));
    let reopen = (incident.state == State::Resolved).then(|| reopen_form(&sender));
    let cancel = matches!(
        incident.state,
        State::New | State::Assigned | State::InProgress | State::Pending
    )
    .then(|| cancel_form(&sender));
    let missing = choices.is_none().then(|| {
        view! { <p class="notice error" role="alert">"The agent controls could not be loaded; reload the page to try again."</p> }
    });
    view! {
        <section class="agent-view" aria-labelledby="agent-heading">
            <h2 id="agent-heading">"Agent controls"</h2>
            {missing}
            <div class="agent-forms">
                {resolve}
                {people}
                {triage}
                {reopen}
                {cancel}
            </div>
        </section>
    }
    .into_any()
}

/// The identification buttons' target for a ticket of `kind`.
fn reclassify_to(kind: Kind) -> Option<(Kind, &'static str)> {
    match kind {
        Kind::Incident => Some((Kind::ServiceRequest, "This is a service request")),
        Kind::ServiceRequest => Some((Kind::Incident, "This is an incident")),
        Kind::SecurityIncident => None,
    }
}
