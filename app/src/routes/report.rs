//! "Report a problem": pick what is wrong, answer a few questions, try the
//! suggested fix, and only then fill in the form, which arrives pre-filled.

use std::time::Duration;

use leptos::prelude::*;

use domain::{
    age::describe_wait,
    change::kind_words,
    guide::{impact_words, urgency_words, Node, Walk, DEFAULT_IMPACT, DEFAULT_URGENCY},
    incident::{SERVICE_MAX_CHARS, TITLE_MAX_CHARS},
    kind::Kind,
    priority::{Impact, Urgency},
};

use domain::models::{GuideCatalog, GuideWalk, ProblemReport, ReportReceipt};

use crate::{
    components::{error_notice, signed_in, this_visit, use_hydrated},
    functions::portal::{guides, similar_incidents, RecordDeflection, ReportProblem},
};

#[component]
pub fn ReportPage() -> impl IntoView {
    signed_in("Report a problem", |_| view! { <Report/> }.into_any())
}

/// Where the reporter is.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    Choose,
    Walking {
        guide: String,
        walk: Walk,
    },
    /// "This fixed it" was recorded.
    Fixed,
    Form {
        walked: Option<(String, Walk)>,
    },
    Done(ReportReceipt),
}

#[component]
fn Report() -> impl IntoView {
    let catalog = Resource::new(|| (), |_| guides());
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(catalog) => view! { <Steps catalog/> }.into_any(),
                    Err(err) => error_notice(err),
                }
            })}
        </Transition>
    }
}

#[component]
fn Steps(catalog: GuideCatalog) -> impl IntoView {
    let catalog = StoredValue::new(catalog);
    let stage = RwSignal::new(Stage::Choose);
    let report = ServerAction::<ReportProblem>::new();
    let deflect = ServerAction::<RecordDeflection>::new();
    let reported = this_visit(report);
    let deflected = this_visit(deflect);
    Effect::new(move |_| {
        if let Some(Ok(receipt)) = reported() {
            stage.set(Stage::Done(receipt));
        }
        if let Some(Ok(())) = deflected() {
            stage.set(Stage::Fixed);
        }
    });
    // Each new stage starts at its heading: scrolled to the top, and with
    // the focus there, so keyboard and screen-reader users continue from
    // the new question instead of from the top of the page.
    Effect::new(move |previous: Option<()>| {
        stage.track();
        if previous.is_some() {
            window().scroll_to_with_x_and_y(0.0, 0.0);
            if let Some(heading) = document()
                .get_element_by_id("report-heading")
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = heading.focus();
            }
        }
    });
    view! {
        <section class="panel report" aria-labelledby="report-heading">
            {move || match stage.get() {
                Stage::Choose => choose(catalog, stage).into_any(),
                Stage::Walking { guide, walk } => catalog.with_value(|c| walking(c, &guide, walk, stage, deflect)),
                Stage::Fixed => view! {
                    <h1 id="report-heading" tabindex="-1">"Glad it works again"</h1>
                    <p>"Thanks for letting us know. Nothing more to do; no ticket was needed."</p>
                    <p><a href="/">"Back to my tickets"</a></p>
                }.into_any(),
                Stage::Form { walked } => view! { <ReportForm catalog walked stage report/> }.into_any(),
                Stage::Done(receipt) => done(receipt).into_any(),
            }}
            <div class="outcome" aria-live="assertive">
                {move || deflected().and_then(Result::err).map(error_notice)}
            </div>
        </section>
    }
}

fn choose(catalog: StoredValue<GuideCatalog>, stage: RwSignal<Stage>) -> impl IntoView {
    let hydrated = use_hydrated();
    let choices = catalog.with_value(|c| c.set.guides.clone());
    view! {
        <h1 id="report-heading" tabindex="-1">"Report a problem"</h1>
        <p>"What is it about? A few questions may solve it straight away."</p>
        <ul class="choices" role="list">
            {choices.into_iter().map(|guide| {
                let id = guide.id.clone();
                let starts_with_form = matches!(guide.nodes.get(&guide.start), Some(Node::Report { .. }));
                let security = guide.kind == Kind::SecurityIncident;
                let pick = move |_| {
                    let walk = Walk::default();
                    stage.set(if starts_with_form {
                        Stage::Form { walked: Some((id.clone(), walk)) }
                    } else {
                        Stage::Walking { guide: id.clone(), walk }
                    });
                };
                view! {
                    <li>
                        <button type="button" class="choice" class:urgent=security on:click=pick
                            disabled=move || !hydrated.get()>
                            <span class="choice-title">{guide.title}</span>
                            <span class="choice-hint">{guide.hint}</span>
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
        <p>
            <button type="button" class="link" disabled=move || !hydrated.get()
                on:click=move |_| stage.set(Stage::Form { walked: None })>
                "Skip the questions and describe it myself"
            </button>
        </p>
    }
}

fn walking(
    catalog: &GuideCatalog,
    guide_id: &str,
    walk: Walk,
    stage: RwSignal<Stage>,
    deflect: ServerAction<RecordDeflection>,
) -> AnyView {
    let restart = move |_| stage.set(Stage::Choose);
    let Some(guide) = catalog.set.guides.iter().find(|g| g.id == guide_id) else {
        return view! { <p>"That topic is gone."</p><button type="button" on:click=restart>"Start again"</button> }.into_any();
    };
    let Ok(replayed) = walk.replay(guide) else {
        return view! { <p>"The questions have changed."</p><button type="button" on:click=restart>"Start again"</button> }.into_any();
    };
    let (done, ahead) = replayed.progress(guide);
    let back = {
        let walk = walk.clone();
        let guide_id = guide_id.to_owned();
        move |_| {
            stage.set(if walk.answers.is_empty() {
                Stage::Choose
            } else {
                Stage::Walking {
                    guide: guide_id.clone(),
                    walk: walk.back(),
                }
            })
        }
    };
    let back_button = view! { <button type="button" class="back" on:click=back>"← Back"</button> };
    match replayed.current.clone() {
        Node::Question {
            text,
            help,
            answers,
        } => {
            let total = done + ahead;
            view! {
                <p class="muted">{guide.title.clone()}</p>
                <progress class="steps" max=total value=done aria-label="Progress">{format!("{done} of about {total}")}</progress>
                <h1 id="report-heading" tabindex="-1">{text}</h1>
                {help.map(|help| view! { <p>{help}</p> })}
                <ul class="answers" role="list">
                    {answers.into_iter().enumerate().map(|(i, answer)| {
                        let next = walk.answer(i);
                        let leads_to_form = matches!(guide.nodes.get(&answer.next), Some(Node::Report { .. }));
                        let guide_id = guide.id.clone();
                        let pick = move |_| stage.set(if leads_to_form {
                            Stage::Form { walked: Some((guide_id.clone(), next.clone())) }
                        } else {
                            Stage::Walking { guide: guide_id.clone(), walk: next.clone() }
                        });
                        view! { <li><button type="button" class="answer" on:click=pick>{answer.label}</button></li> }
                    }).collect_view()}
                </ul>
                {back_button}
            }
            .into_any()
        }
        Node::Fix { title, steps } => {
            let version = catalog.version;
            let fixed = {
                let walk = walk.clone();
                let guide_id = guide.id.clone();
                move |_| {
                    deflect.dispatch(RecordDeflection {
                        walk: GuideWalk {
                            version,
                            guide_id: guide_id.clone(),
                            answers: walk.answers.clone(),
                        },
                    });
                }
            };
            let broken = {
                let guide_id = guide.id.clone();
                move |_| {
                    stage.set(Stage::Form {
                        walked: Some((guide_id.clone(), walk.clone())),
                    })
                }
            };
            let pending = deflect.pending();
            view! {
                <p class="muted">{guide.title.clone()}</p>
                <h1 id="report-heading" tabindex="-1">"Try this: " {title}</h1>
                <ol class="fix-steps">
                    {steps.into_iter().map(|step| view! { <li>{step}</li> }).collect_view()}
                </ol>
                <div class="row wrap">
                    <button type="button" class="primary" on:click=fixed disabled=move || pending.get()>"This fixed it"</button>
                    <button type="button" on:click=broken>"Still broken"</button>
                </div>
                {back_button}
            }
            .into_any()
        }
        Node::Report { .. } => {
            let guide_id = guide.id.clone();
            view! {
                <h1 id="report-heading" tabindex="-1">"Tell us more"</h1>
                <button type="button" on:click=move |_| stage.set(Stage::Form { walked: Some((guide_id.clone(), walk.clone())) })>
                    "Continue"
                </button>
            }
            .into_any()
        }
    }
}

/// What the walk says about the problem, ready for the form.
struct Prefill {
    guide_title: Option<String>,
    kind: Kind,
    category: Option<String>,
    diagnosis: Vec<(String, String)>,
    impact: Impact,
    urgency: Urgency,
    advice: Vec<String>,
}

fn prefill(catalog: &GuideCatalog, walked: Option<&(String, Walk)>) -> Prefill {
    let empty = Prefill {
        guide_title: None,
        kind: Kind::Incident,
        category: None,
        diagnosis: Vec::new(),
        impact: DEFAULT_IMPACT,
        urgency: DEFAULT_URGENCY,
        advice: Vec::new(),
    };
    let Some((guide_id, walk)) = walked else {
        return empty;
    };
    let Some(guide) = catalog.set.guides.iter().find(|g| &g.id == guide_id) else {
        return empty;
    };
    let Ok(replayed) = walk.replay(guide) else {
        return empty;
    };
    let (impact, urgency) = replayed.suggested();
    Prefill {
        guide_title: Some(guide.title.clone()),
        kind: guide.kind,
        category: replayed.category(guide).map(str::to_owned),
        diagnosis: replayed
            .diagnosis()
            .into_iter()
            .map(|step| (step.question, step.answer))
            .collect(),
        impact,
        urgency,
        advice: match replayed.current {
            Node::Report { advice } => advice.clone(),
            _ => Vec::new(),
        },
    }
}

#[component]
fn ReportForm(
    catalog: StoredValue<GuideCatalog>,
    walked: Option<(String, Walk)>,
    stage: RwSignal<Stage>,
    report: ServerAction<ReportProblem>,
) -> impl IntoView {
    let hydrated = use_hydrated();
    let filled = catalog.with_value(|c| prefill(c, walked.as_ref()));
    let version = catalog.with_value(|c| c.version);
    let security = filled.kind == Kind::SecurityIncident;
    let impact = RwSignal::new(filled.impact);
    let urgency = RwSignal::new(filled.urgency);
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let symptoms = RwSignal::new(String::new());
    let started = RwSignal::new(String::new());
    let service = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let pending = report.pending();
    let failed = {
        let reported = this_visit(report);
        move || reported().and_then(Result::err)
    };

    // Suggestions follow the title, a moment after typing stops.
    let query = RwSignal::new(String::new());
    let typed = StoredValue::new(0_u64);
    let on_title = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        title.set(value.clone());
        typed.update_value(|n| *n += 1);
        let this = typed.get_value();
        // The form may be gone by then (sent, or navigated away).
        set_timeout(
            move || {
                if typed.try_get_value() == Some(this) {
                    query.try_set(value);
                }
            },
            Duration::from_millis(350),
        );
    };

    let walked_for_submit = walked.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        report.dispatch(ReportProblem {
            report: ProblemReport {
                walk: walked_for_submit
                    .as_ref()
                    .map(|(guide_id, walk)| GuideWalk {
                        version,
                        guide_id: guide_id.clone(),
                        answers: walk.answers.clone(),
                    }),
                title: title.get_untracked(),
                description: description.get_untracked(),
                symptoms: symptoms.get_untracked(),
                started: started.get_untracked(),
                service: service.get_untracked(),
                phone: phone.get_untracked(),
                impact: Some(impact.get_untracked()),
                urgency: Some(urgency.get_untracked()),
            },
        });
    };
    let back = move |_| {
        stage.set(match walked.clone() {
            Some((guide, walk)) if !walk.answers.is_empty() => Stage::Walking {
                guide,
                walk: walk.back(),
            },
            _ => Stage::Choose,
        })
    };
    let diagnosis = (!filled.diagnosis.is_empty()).then(|| view! {
        <details class="diagnosis-summary" open>
            <summary>"Your answers (sent with the report)"</summary>
            <dl class="diagnosis">
                {filled.diagnosis.into_iter().map(|(q, a)| view! { <dt>{q}</dt><dd>{a}</dd> }).collect_view()}
            </dl>
        </details>
    });
    let advice = (!filled.advice.is_empty()).then(|| view! {
        <section class="notice advice" class:urgent=security aria-labelledby="advice-heading">
            <h2 id="advice-heading">{if security { "Do this now" } else { "Before you send" }}</h2>
            <ul>{filled.advice.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
        </section>
    });
    let heading = if security {
        "Report a security problem"
    } else {
        "Describe the problem"
    };
    view! {
        <h1 id="report-heading" tabindex="-1">{heading}</h1>
        {advice}
        {filled.guide_title.map(|t| view! {
            <p class="muted">{t} {filled.category.map(|c| format!(" · {c}"))}</p>
        })}
        {diagnosis}
        <form class="report-form stack" on:submit=submit>
            <div class="field">
                <label for="report-title">"In a few words, what is wrong?"</label>
                <input id="report-title" type="text" required maxlength=TITLE_MAX_CHARS autocomplete="off"
                    on:input=on_title prop:value=move || title.get()/>
            </div>
            <Suggestions query/>
            <div class="field">
                <label for="report-description">"What happened? What were you doing?"</label>
                <textarea id="report-description" rows="4" maxlength="20000"
                    on:input=move |ev| description.set(event_target_value(&ev))
                    prop:value=move || description.get()></textarea>
            </div>
            {(!security).then(|| view! {
                <div class="field">
                    <label for="report-symptoms">"Error messages or what you see"</label>
                    <textarea id="report-symptoms" rows="2" maxlength="20000"
                        on:input=move |ev| symptoms.set(event_target_value(&ev))
                        prop:value=move || symptoms.get()></textarea>
                </div>
            })}
            <div class="fields">
                <div class="field">
                    <label for="report-started">"When did it start?"</label>
                    <input id="report-started" type="datetime-local"
                        on:input=move |ev| started.set(event_target_value(&ev))
                        prop:value=move || started.get()/>
                </div>
                <div class="field">
                    <label for="report-service">"Which service or device?"</label>
                    <input id="report-service" type="text" maxlength=SERVICE_MAX_CHARS autocomplete="off"
                        placeholder="e.g. VPN, laptop PC-0413"
                        on:input=move |ev| service.set(event_target_value(&ev))
                        prop:value=move || service.get()/>
                </div>
                <div class="field">
                    <label for="report-phone">"Phone number to reach you"</label>
                    <input id="report-phone" type="tel" autocomplete="tel" inputmode="tel"
                        on:input=move |ev| phone.set(event_target_value(&ev))
                        prop:value=move || phone.get()/>
                </div>
            </div>
            {scale("Who is affected?", "impact", Impact::ALL.into_iter().rev(), impact_words, impact)}
            {scale("How much does it stop you?", "urgency", Urgency::ALL.into_iter().rev(), urgency_words, urgency)}
            <div class="outcome" aria-live="assertive">{move || failed().map(error_notice)}</div>
            <div class="row wrap">
                <button type="submit" class="primary" disabled=move || !hydrated.get() || pending.get()>
                    {move || if pending.get() { "Sending…" } else { "Send report" }}
                </button>
                <button type="button" class="back" on:click=back>"← Back"</button>
            </div>
        </form>
    }
}

/// A choice of one level in the reporter's words (impact or urgency).
fn scale<T>(
    legend: &'static str,
    name: &'static str,
    levels: impl IntoIterator<Item = T>,
    words: fn(T) -> &'static str,
    chosen: RwSignal<T>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    view! {
        <fieldset class="scale">
            <legend>{legend}</legend>
            {levels.into_iter().map(|level| view! {
                <label class="option">
                    <input type="radio" name=name prop:checked=move || chosen.get() == level
                        on:change=move |_| chosen.set(level)/>
                    " " {words(level)}
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// Resolved tickets and known fixes like the title so far; each opens in
/// place, so the form is never lost.
#[component]
fn Suggestions(query: RwSignal<String>) -> impl IntoView {
    let similar = Resource::new(
        move || query.get(),
        |text| async move {
            if text.trim().chars().count() < 4 {
                Ok(Default::default())
            } else {
                similar_incidents(text).await
            }
        },
    );
    view! {
        <div class="suggestions" aria-live="polite">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let Ok(found) = similar.await else { return ().into_any() };
                    if found.incidents.is_empty() && found.fixes.is_empty() {
                        return ().into_any();
                    }
                    view! {
                        <p class="muted">"These may help:"</p>
                        <ul class="similar" role="list">
                            {found.incidents.into_iter().map(|s| view! {
                                <li>
                                    <details>
                                        <summary>{s.summary.reference.clone()} " " {s.summary.title.clone()} " (" {s.summary.state.label()} ")"</summary>
                                        <p>{s.resolution.unwrap_or_else(|| "No resolution note.".to_owned())}</p>
                                    </details>
                                </li>
                            }).collect_view()}
                            {found.fixes.into_iter().map(|fix| view! {
                                <li>
                                    <details>
                                        <summary>"Known fix: " {fix.title.clone()}</summary>
                                        <ol>{fix.steps.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ol>
                                    </details>
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                })}
            </Transition>
        </div>
    }
}

fn done(receipt: ReportReceipt) -> impl IntoView {
    let wait = receipt
        .response_due_ms
        .map(|due| describe_wait(due - receipt.server_now_ms));
    let href = format!("/incidents/{}", receipt.reference);
    let security = receipt.kind == Kind::SecurityIncident;
    view! {
        <h1 id="report-heading" tabindex="-1">"Thank you, it is logged"</h1>
        <p class="receipt" role="status">
            "Your reference is " <strong class="reference">{receipt.reference.clone()}</strong>
            " (" {kind_words(receipt.kind)} ")."
        </p>
        {wait.map(|wait| view! { <p>"Expect a first response " <strong>{wait}</strong> "."</p> })}
        {(!receipt.advice.is_empty()).then(|| view! {
            <section class="notice advice" class:urgent=security aria-labelledby="advice-again">
                <h2 id="advice-again">{if security { "Meanwhile, do this now" } else { "Meanwhile" }}</h2>
                <ul>{receipt.advice.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
            </section>
        })}
        <p><a class="button" href=href>"Follow your ticket"</a></p>
    }
}
