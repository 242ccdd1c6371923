use leptos::{prelude::*, server_fn::ServerFn};
use leptos_router::hooks::use_params_map;

use domain::{
    access::works_the_desk,
    call::invite_path,
    change::{kind_words, Change, Event},
    incident::{parse_reference, Incident},
    lifecycle::State,
    person::Person,
};

use domain::models::{AgentChoices, IncidentDetail};

use crate::{
    components::{
        count_live_changes, error_notice, island_chunks, refreshed, refusal_in_address, signed_in,
        tell, this_visit, typed_text, use_hydrated, use_session, LiveNotice, Presence,
    },
    error::AppError,
    functions::{
        desk::ticket_choices,
        incidents::{incident, ChangeIncident},
        portal::{ConfirmFix, Reply},
        wire::{load, Loaded},
    },
};

mod agent;

use agent::{desk_tools, DeskTools, Drafts, Last};

/// A ticket, as its reporter or the desk sees it.
#[component]
pub fn IncidentRoute() -> impl IntoView {
    let page = TicketData::new();
    signed_in("Ticket", move |person| {
        view! { <TicketPage person page/> }.into_any()
    })
    .into_any()
}

/// What the ticket page loads on the server. Made once per page, outside
/// `signed_in`'s render.
#[derive(Clone, Copy)]
struct TicketData {
    detail: Loaded<Result<IncidentDetail, AppError>>,
    choices: Loaded<Option<AgentChoices>>,
}

impl TicketData {
    fn new() -> Self {
        let params = use_params_map();
        let reference = Memo::new(move |_| params.read().get("reference").unwrap_or_default());
        let detail = load(move || reference.get(), incident);
        // What the agent controls choose from; reporters never ask for it.
        let session = use_session();
        let choices = load(
            move || reference.get(),
            move |reference| async move {
                let desk =
                    matches!(session.user.await, Ok(Some(person)) if works_the_desk(person.role));
                if desk {
                    ticket_choices(reference).await.ok()
                } else {
                    None
                }
            },
        );
        Self { detail, choices }
    }
}

/// Refusals that plain forms (sent before the page was live) brought back
/// in the address: a reply, a confirmation, a change.
type Refused = (Option<AppError>, Option<AppError>, Option<AppError>);

#[component]
fn TicketPage(person: Person, page: TicketData) -> impl IntoView {
    let TicketData { detail, choices } = page;
    let refused: Refused = (
        refusal_in_address::<Reply>(),
        refusal_in_address::<ConfirmFix>(),
        refusal_in_address::<ChangeIncident>(),
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading the ticket…"</p> }>
            {move || {
                let person = person.clone();
                let refused = refused.clone();
                Suspend::new(async move {
                    let choices = choices.await;
                    match detail.await {
                        Ok(detail) if works_the_desk(person.role) => view! {
                            {island_chunks("desk_ticket")}
                            <DeskTicket detail choices viewer=person refused/>
                        }
                        .into_any(),
                        Ok(detail) => view! {
                            {island_chunks("reporter_ticket")}
                            <ReporterTicket detail viewer=person refused/>
                        }
                        .into_any(),
                        Err(err) => not_found(err),
                    }
                })
            }}
        </Transition>
    }
}

/// A ticket as its reporter (or anyone outside the desk allowed to see it)
/// has it: no desk code at all.
#[island(lazy)]
fn ReporterTicket(detail: IncidentDetail, viewer: Person, refused: Refused) -> impl IntoView {
    live_ticket(detail, viewer, None, refused, None)
}

/// A ticket as the desk has it: the agent controls, and who else is looking.
#[island(lazy)]
fn DeskTicket(
    detail: IncidentDetail,
    choices: Option<AgentChoices>,
    viewer: Person,
    refused: Refused,
) -> impl IntoView {
    let reference = detail.incident.reference();
    view! {
        {live_ticket(detail, viewer, choices, refused, Some(desk_tools as ToolsView))}
        <Presence reference/>
    }
}

/// Draws the desk's controls for a ticket. Only the desk's island names
/// one, so the reporter's never reaches the controls' code.
type ToolsView = fn(DeskTools) -> AnyView;

/// The ticket, loaded again whenever the live stream says it changed or a
/// form on the page was accepted.
fn live_ticket(
    detail: IncidentDetail,
    viewer: Person,
    choices: Option<AgentChoices>,
    refused: Refused,
    tools_view: Option<ToolsView>,
) -> impl IntoView {
    let reference = detail.incident.reference();
    let reply = ServerAction::<Reply>::new();
    let confirm = ServerAction::<ConfirmFix>::new();
    let change = ServerAction::<ChangeIncident>::new();
    let live = RwSignal::new(0_u64);
    let watched = parse_reference(&reference).map(|(_, id)| id);
    let stream = count_live_changes(live.write_only(), move |event| {
        Some(event.incident_id) == watched
    });
    let moved = move || {
        live.get()
            + (reply.version().get() + confirm.version().get() + change.version().get()) as u64
    };
    let detail = {
        let reference = reference.clone();
        refreshed(Ok(detail), moved, move || incident(reference.clone()))
    };
    let choices = {
        let reference = reference.clone();
        refreshed(
            Ok(choices),
            move || change.version().get() as u64,
            move || {
                let reference = reference.clone();
                let desk = tools_view.is_some();
                async move {
                    if desk {
                        Ok(ticket_choices(reference).await.ok())
                    } else {
                        Ok(None)
                    }
                }
            },
        )
    };
    let (reply_refused, confirm_refused, change_refused) = refused;
    let last_reply = this_visit(reply, reply_refused);
    let last_confirm = this_visit(confirm, confirm_refused);
    let last_change = this_visit(change, change_refused);
    let drafts = Drafts::new();
    // An accepted change empties the form it came from.
    Effect::new(move |_| {
        if matches!(last_change(), Some(Ok(_))) {
            drafts.accepted();
        }
    });
    // A refusal of an agent form shows next to that form instead.
    let refusal = move || {
        let change_here = drafts.sent_from.get().is_none().then(last_change).flatten();
        [last_reply(), last_confirm(), change_here]
            .into_iter()
            .flatten()
            .find_map(Result::err)
    };
    let actions = Actions {
        reply,
        confirm,
        change,
        drafts,
        last_change: Signal::derive(last_change),
    };
    // An explicit match rather than an ErrorBoundary: the refusal renders
    // the same on the server and in the browser, so hydration matches.
    view! {
        <LiveNotice status=stream/>
        {move || match detail.get() {
            Ok(detail) => {
                // Closed and cancelled tickets never change again: nothing to control.
                let tools = tools_view
                    .filter(|_| !detail.incident.state.is_final())
                    .map(|draw| {
                        draw(DeskTools {
                            incident: detail.incident.clone(),
                            viewer: viewer.clone(),
                            choices: choices.get().ok().flatten(),
                            actions,
                        })
                    });
                ticket(detail, &viewer, tools, actions).into_any()
            }
            Err(err) => not_found(err),
        }}
        <div class="outcome" aria-live="assertive">
            {move || refusal().map(error_notice)}
        </div>
    }
}

/// A ticket that is not there, or not this person's to see: said alike.
fn not_found(err: AppError) -> AnyView {
    view! {
        <section class="panel narrow">
            <h1>"Ticket not found"</h1>
            {error_notice(err)}
        </section>
    }
    .into_any()
}

#[derive(Clone, Copy)]
struct Actions {
    reply: ServerAction<Reply>,
    confirm: ServerAction<ConfirmFix>,
    change: ServerAction<ChangeIncident>,
    drafts: Drafts,
    last_change: Last,
}

fn ticket(
    detail: IncidentDetail,
    viewer: &Person,
    desk_tools: Option<AnyView>,
    actions: Actions,
) -> impl IntoView {
    let incident = detail.incident;
    let desk = works_the_desk(viewer.role);
    let is_reporter = incident.reporter_id == Some(viewer.id);
    let facts = facts(&incident, desk);
    let diagnosis = (!incident.diagnosis.is_empty()).then(|| {
        view! {
            <section aria-labelledby="diagnosis-heading">
                <h2 id="diagnosis-heading">"Answers given when reporting"</h2>
                <dl class="diagnosis">
                    {incident.diagnosis.iter().map(|step| view! {
                        <dt>{step.question.clone()}</dt>
                        <dd>{step.answer.clone()}</dd>
                    }).collect_view()}
                </dl>
            </section>
        }
    });
    let reference = incident.reference();
    let timeline = detail
        .timeline
        .iter()
        .map(|entry| {
            let internal = !entry.event.visible_to_reporter();
            let told = tell(entry, is_reporter, desk);
            // The invitation is served with the ticket's own access check.
            let invite = matches!(entry.event, Event::CallScheduled { .. }).then(|| {
                view! {
                    <a class="invite" href=invite_path(&reference, entry.id) download rel="external">
                        "Add to calendar (.ics)"
                    </a>
                }
            });
            let is_call = invite.is_some();
            view! {
                <li class:internal=internal class:call=is_call>
                    {internal.then(|| view! { <span class="badge">"Internal"</span> })}
                    <span class="what">{told.headline}</span>
                    {told.body.map(|text| view! { <p class="comment">{text}</p> })}
                    {invite}
                </li>
            }
        })
        .collect_view();
    let confirm_box = (is_reporter && incident.state == State::Resolved)
        .then(|| confirm_fix(&incident, actions.confirm));
    let reply_box = (!incident.state.is_final()).then(|| reply_form(&incident, desk, actions));
    view! {
        <article class="panel ticket" aria-labelledby="ticket-heading">
            <h1 id="ticket-heading">
                <span class="reference">{incident.reference()}</span> " " {incident.title.clone()}
            </h1>
            {facts}
            {(!incident.description.is_empty()).then(|| view! { <p class="description">{incident.description.clone()}</p> })}
            {(!incident.symptoms.is_empty()).then(|| view! {
                <h2>"Symptoms"</h2>
                <p class="description">{incident.symptoms.clone()}</p>
            })}
            {diagnosis}
            {confirm_box}
            <h2>"Timeline"</h2>
            <ol class="timeline">{timeline}</ol>
            {reply_box}
            {desk_tools}
        </article>
    }
}

fn facts(incident: &Incident, desk: bool) -> impl IntoView {
    let assignee = incident
        .assignee
        .as_ref()
        .map(|a| a.name.clone())
        .unwrap_or_else(|| "Nobody yet".to_owned());
    view! {
        <dl class="facts">
            <dt>"State"</dt><dd class="state">{incident.state.label()}</dd>
            <dt>"Priority"</dt><dd>{incident.priority.to_string()}</dd>
            <dt>"Type"</dt><dd>{kind_words(incident.kind)}</dd>
            {incident.category.as_ref().map(|c| view! { <dt>"Category"</dt><dd>{c.path.clone()}</dd> })}
            {desk.then(|| view! { <dt>"Tier"</dt><dd>{incident.tier.code()}</dd> })}
            <dt>"Handled by"</dt><dd>{assignee}</dd>
            <dt>"Reported by"</dt><dd>{incident.reporter.name.clone()}</dd>
            {incident.service.as_ref().map(|s| view! { <dt>"Service or device"</dt><dd>{s.clone()}</dd> })}
            {incident.started.as_ref().map(|s| view! { <dt>"Started"</dt><dd>{s.replace('T', " ")}</dd> })}
            {desk.then(|| incident.reporter.phone.clone()).flatten().map(|phone| view! {
                <dt>"Phone"</dt><dd>{phone}</dd>
            })}
        </dl>
    }
}

/// "Yes, it's fixed" / "No, still broken" for the reporter of a resolved
/// ticket. Both are plain forms too, so they work before the page is live.
fn confirm_fix(incident: &Incident, confirm: ServerAction<ConfirmFix>) -> impl IntoView {
    let reference = incident.reference();
    let version = incident.version;
    let comment = RwSignal::new(typed_text("reopen-comment"));
    let pending = confirm.pending();
    // `fixed` decides which of the two forms this answers.
    let answer = |fixed: bool| {
        let reference = reference.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            confirm.dispatch(ConfirmFix {
                reference: reference.clone(),
                version,
                fixed,
                comment: if fixed {
                    String::new()
                } else {
                    comment.get_untracked()
                },
            });
        }
    };
    let (fixed, reopen) = (answer(true), answer(false));
    let hidden = move |fixed: bool| {
        view! {
            <input type="hidden" name="reference" value=reference.clone()/>
            <input type="hidden" name="version" value=version/>
            <input type="hidden" name="fixed" value=fixed.to_string()/>
        }
    };
    view! {
        <section class="confirm" aria-labelledby="confirm-heading">
            <h2 id="confirm-heading">"Is it fixed?"</h2>
            {incident.resolution.clone().map(|note| view! { <p class="resolution">{note}</p> })}
            <form method="post" action=ConfirmFix::url() on:submit=fixed>
                {hidden(true)}
                <input type="hidden" name="comment" value=""/>
                <button type="submit" class="primary" disabled=move || pending.get()>"Yes, it's fixed"</button>
            </form>
            <details class="still-broken">
                <summary>"No, still broken"</summary>
                <form class="stack" method="post" action=ConfirmFix::url() on:submit=reopen>
                    {hidden(false)}
                    <label for="reopen-comment">"What is still wrong?"</label>
                    <textarea id="reopen-comment" name="comment" rows="3" required
                        on:input=move |ev| comment.set(event_target_value(&ev))
                        prop:value=move || comment.get()></textarea>
                    <button type="submit" disabled=move || pending.get()>"Reopen the ticket"</button>
                </form>
            </details>
        </section>
    }
}

/// The reply box: a public reply for everyone; the desk may also write an
/// internal note. A plain form too: a reply sent before the page is live
/// goes to the server all the same.
fn reply_form(incident: &Incident, desk: bool, actions: Actions) -> impl IntoView {
    let hydrated = use_hydrated();
    let reference = incident.reference();
    let version = incident.version;
    // Text typed before the page went live stays in the box.
    let text = RwSignal::new(typed_text("reply-text"));
    let internal = RwSignal::new(false);
    let pending =
        Signal::derive(move || actions.reply.pending().get() || actions.change.pending().get());
    let waiting = incident.state == State::Pending && !desk;
    let send = {
        let reference = reference.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let body = text.get_untracked();
            if internal.get_untracked() {
                actions.drafts.sent_from.set(None);
                actions.change.dispatch(ChangeIncident {
                    reference: reference.clone(),
                    version,
                    change: Change::Comment {
                        text: body,
                        internal: true,
                    },
                });
            } else {
                actions.reply.dispatch(Reply {
                    reference: reference.clone(),
                    version,
                    text: body,
                });
            }
            text.set(String::new());
        }
    };
    view! {
        <form class="reply stack" method="post" action=Reply::url() on:submit=send aria-labelledby="reply-heading">
            <h2 id="reply-heading">{if waiting { "Answer the desk" } else { "Add a reply" }}</h2>
            <input type="hidden" name="reference" value=reference/>
            <input type="hidden" name="version" value=version/>
            <label for="reply-text">{if desk { "Message" } else { "Your message to the service desk" }}</label>
            <textarea id="reply-text" name="text" rows="3" required maxlength="20000"
                on:input=move |ev| text.set(event_target_value(&ev))
                prop:value=move || text.get()></textarea>
            {desk.then(|| view! {
                <label class="check">
                    // Bound both ways: after a reload of the ticket the box must show
                    // what the next message will be, never a stale tick.
                    // Never ticked before the page is live: a plain form sends a public reply.
                    <input type="checkbox" prop:checked=move || internal.get() disabled=move || !hydrated.get()
                        on:change=move |ev| internal.set(event_target_checked(&ev))/>
                    " Internal note (the reporter does not see it)"
                </label>
            })}
            <button type="submit" disabled=move || pending.get()>
                {move || if internal.get() { "Add note" } else { "Send reply" }}
            </button>
        </form>
    }
}
