//! The report form, pre-filled from the walk, with suggestions under the
//! title. What the reporter types is kept in this tab's session storage
//! until it is sent, so a reload or a step back loses nothing.

use std::time::Duration;

use leptos::{prelude::*, server_fn::ServerFn};
use serde::{Deserialize, Serialize};

use domain::{
    guide::{impact_in_words, urgency_in_words, Node, DEFAULT_IMPACT, DEFAULT_URGENCY},
    incident::{SERVICE_MAX_CHARS, TITLE_MAX_CHARS},
    kind::Kind,
    priority::{Impact, Urgency},
};

use domain::models::{GuideCatalog, GuideWalk, ProblemReport, ReportReceipt};

use super::{done::done, ReportAddress};
use crate::{
    components::{error_notice, this_visit, typed_choice},
    error::AppError,
    functions::{
        portal::{similar_incidents, ReportProblem},
        wire::load,
    },
    language::page_lang,
};
use words::{report as says, Lang};

#[cfg(feature = "ssr")]
mod before_live;
mod draft;

#[cfg(feature = "ssr")]
pub(crate) use before_live::keep_refused_report;
use draft::Draft;

/// What the form step shows: what the walk says about the problem, the
/// walk itself, and where "← Back" goes. Worked out by the page (on the
/// server) and handed to the island, which never sees the guides.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct FormStep {
    guide_title: Option<String>,
    kind: Kind,
    category: Option<String>,
    diagnosis: Vec<(String, String)>,
    impact: Impact,
    urgency: Urgency,
    advice: Vec<String>,
    /// The walk as the server replays it, sent with the report.
    walk: Option<GuideWalk>,
    back: String,
}

impl FormStep {
    /// The form at `at`; `back` is where "← Back" goes.
    pub(super) fn new(catalog: &GuideCatalog, at: &ReportAddress, back: &ReportAddress) -> Self {
        let mut step = Self {
            guide_title: None,
            kind: Kind::Incident,
            category: None,
            diagnosis: Vec::new(),
            impact: DEFAULT_IMPACT,
            urgency: DEFAULT_URGENCY,
            advice: Vec::new(),
            walk: None,
            back: back.href(),
        };
        let Some(guide_id) = at.guide.as_ref() else {
            return step;
        };
        step.walk = Some(GuideWalk {
            version: catalog.version,
            guide_id: guide_id.clone(),
            answers: at.walk.answers.clone(),
        });
        let Some(guide) = catalog.set.guides.iter().find(|g| &g.id == guide_id) else {
            return step;
        };
        let Ok(replayed) = at.walk.replay(guide) else {
            return step;
        };
        let (impact, urgency) = replayed.suggested();
        Self {
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
            ..step
        }
    }
}

/// The form, live in the browser; once the report is accepted, its receipt
/// takes the form's place.
#[island]
pub(super) fn ReportForm(step: FormStep, refused: Option<AppError>) -> impl IntoView {
    let report = ServerAction::<ReportProblem>::new();
    let reported = this_visit(report, refused);
    // Once accepted, the typed text is dropped and the receipt shows, with
    // the focus on its heading so that keyboard and screen-reader users
    // carry on from there.
    Effect::new(move |_| {
        if let Some(Ok(_)) = reported() {
            Draft::forget();
            window().scroll_to_with_x_and_y(0.0, 0.0);
            if let Some(heading) = document()
                .get_element_by_id("report-heading")
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = heading.focus();
            }
        }
    });
    let step = StoredValue::new(step);
    // Only acceptance swaps the form out: a refusal keeps it, and what is typed.
    let receipt = Memo::new(move |_| reported().and_then(Result::ok));
    move || match receipt.get() {
        Some(sent) => done(sent).into_any(),
        None => form(step.get_value(), report, reported).into_any(),
    }
}

fn form(
    step: FormStep,
    report: ServerAction<ReportProblem>,
    reported: impl Fn() -> Option<Result<ReportReceipt, AppError>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let FormStep {
        guide_title,
        kind,
        category,
        diagnosis,
        impact,
        urgency,
        advice,
        walk,
        back,
    } = step;
    let security = kind == Kind::SecurityIncident;
    let lang = page_lang();
    // A level ticked before the page went live stands.
    let impact = RwSignal::new(
        typed_choice("report[impact]")
            .and_then(|code| Impact::from_code(&code))
            .unwrap_or(impact),
    );
    let urgency = RwSignal::new(
        typed_choice("report[urgency]")
            .and_then(|code| Urgency::from_code(&code))
            .unwrap_or(urgency),
    );
    let draft = Draft::new();
    let Draft {
        title,
        description,
        symptoms,
        started_day,
        started_time,
        service,
        phone,
    } = draft;
    let pending = report.pending();
    let failed = move || reported().and_then(Result::err);
    // Typed text outlives a reload until the report is accepted.
    draft.keep();

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

    // The walk as hidden fields for a plain post; the script sends the same value.
    let walk_fields = walk
        .as_ref()
        .map(|walk| super::walk::walk_fields("report[walk]", walk));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        report.dispatch(ReportProblem {
            report: ProblemReport {
                walk: walk.clone(),
                title: title.get_untracked(),
                description: description.get_untracked(),
                symptoms: symptoms.get_untracked(),
                started_day: started_day.get_untracked(),
                started_time: started_time.get_untracked(),
                service: service.get_untracked(),
                phone: phone.get_untracked(),
                impact: Some(impact.get_untracked()),
                urgency: Some(urgency.get_untracked()),
            },
        });
    };
    let diagnosis = (!diagnosis.is_empty()).then(|| view! {
        <details class="diagnosis-summary" open>
            <summary>{says::your_answers(lang)}</summary>
            <dl class="diagnosis">
                {diagnosis.into_iter().map(|(q, a)| view! { <dt>{q}</dt><dd>{a}</dd> }).collect_view()}
            </dl>
        </details>
    });
    let advice = (!advice.is_empty()).then(|| view! {
        <section class="notice advice" class:urgent=security aria-labelledby="advice-heading">
            <h2 id="advice-heading">{if security { says::do_this_now(lang) } else { says::before_you_send(lang) }}</h2>
            <ul>{advice.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
        </section>
    });
    let heading = if security {
        says::report_security_problem(lang)
    } else {
        says::describe_the_problem(lang)
    };
    view! {
        <h1 id="report-heading" tabindex="-1" autofocus>{heading}</h1>
        {advice}
        {guide_title.map(|t| view! {
            <p class="muted">{t} {category.map(|c| format!(" · {c}"))}</p>
        })}
        {diagnosis}
        // A plain form too: a report sent before the page is live is logged
        // all the same, and the server answers with the new ticket's page.
        <form class="report-form stack" method="post" action=ReportProblem::url() on:submit=submit>
            {walk_fields}
            <div class="field">
                <label for="report-title">{says::title_label(lang)}</label>
                <input id="report-title" name="report[title]" type="text" required maxlength=TITLE_MAX_CHARS autocomplete="off"
                    on:input=on_title prop:value=move || title.get()/>
            </div>
            <Suggestions query/>
            <div class="field">
                <label for="report-description">{says::description_label(lang)}</label>
                <textarea id="report-description" name="report[description]" rows="4" maxlength="20000"
                    on:input=move |ev| description.set(event_target_value(&ev))
                    prop:value=move || description.get()></textarea>
            </div>
            {(!security).then(|| view! {
                <div class="field">
                    <label for="report-symptoms">{says::symptoms_label(lang)}</label>
                    <textarea id="report-symptoms" name="report[symptoms]" rows="2" maxlength="20000"
                        on:input=move |ev| symptoms.set(event_target_value(&ev))
                        prop:value=move || symptoms.get()></textarea>
                </div>
            })}
            <div class="fields">
                // A day and a time rather than one datetime-local input: the
                // phone's browser builds that widget slowly enough to hold
                // the form's first paint back (docs/performance.md).
                <fieldset class="field started">
                    <legend>{says::started_legend(lang)}</legend>
                    <div class="when">
                        <label>
                            <span>{says::started_day(lang)}</span>
                            <input id="report-started_day" name="report[started_day]" type="date"
                                on:input=move |ev| started_day.set(event_target_value(&ev))
                                prop:value=move || started_day.get()/>
                        </label>
                        <label>
                            <span>{says::started_time(lang)}</span>
                            <input id="report-started_time" name="report[started_time]" type="time"
                                on:input=move |ev| started_time.set(event_target_value(&ev))
                                prop:value=move || started_time.get()/>
                        </label>
                    </div>
                </fieldset>
                <div class="field">
                    <label for="report-service">{says::service_label(lang)}</label>
                    <input id="report-service" name="report[service]" type="text" maxlength=SERVICE_MAX_CHARS autocomplete="off"
                        placeholder=says::service_example(lang)
                        on:input=move |ev| service.set(event_target_value(&ev))
                        prop:value=move || service.get()/>
                </div>
                <div class="field">
                    <label for="report-phone">{says::phone_label(lang)}</label>
                    <input id="report-phone" name="report[phone]" type="tel" autocomplete="tel" inputmode="tel"
                        on:input=move |ev| phone.set(event_target_value(&ev))
                        prop:value=move || phone.get()/>
                </div>
            </div>
            {scale(lang, says::who_is_affected(lang), "report[impact]", Impact::ALL.into_iter().rev(), impact_in_words, Impact::code, impact)}
            {scale(lang, says::how_much_stopped(lang), "report[urgency]", Urgency::ALL.into_iter().rev(), urgency_in_words, Urgency::code, urgency)}
            <div class="outcome" aria-live="assertive">{move || failed().map(error_notice)}</div>
            <div class="row wrap">
                <button type="submit" class="primary" disabled=move || pending.get()>
                    {move || if pending.get() { says::sending(lang) } else { says::send_report(lang) }}
                </button>
                <a class="back" href=back>{says::back(lang)}</a>
            </div>
        </form>
    }
}

/// A choice of one level in the reporter's words (impact or urgency).
fn scale<T>(
    lang: Lang,
    legend: &'static str,
    name: &'static str,
    levels: impl IntoIterator<Item = T>,
    words: fn(T, Lang) -> &'static str,
    code: fn(T) -> &'static str,
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
                    <input type="radio" name=name value=code(level)
                        checked=chosen.get_untracked() == level
                        prop:checked=move || chosen.get() == level
                        on:change=move |_| chosen.set(level)/>
                    " " {words(level, lang)}
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// Resolved tickets and known fixes like the title so far; each opens in
/// place, so the form is never lost.
#[component]
fn Suggestions(query: RwSignal<String>) -> impl IntoView {
    let lang = page_lang();
    let similar = load(
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
                        <p class="muted">{says::these_may_help(lang)}</p>
                        <ul class="similar" role="list">
                            {found.incidents.into_iter().map(|s| view! {
                                <li>
                                    <details>
                                        <summary>{s.summary.reference.clone()} " " {s.summary.title.clone()} " (" {s.summary.state.words(lang)} ")"</summary>
                                        <p>{s.resolution.unwrap_or_else(|| says::no_resolution_note(lang).to_owned())}</p>
                                    </details>
                                </li>
                            }).collect_view()}
                            {found.fixes.into_iter().map(|fix| view! {
                                <li>
                                    <details>
                                        <summary>{says::known_fix(lang)} " " {fix.title.clone()}</summary>
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
