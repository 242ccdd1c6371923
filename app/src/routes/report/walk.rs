//! The topics, the questions and the suggested fix. Every choice is a link
//! to the next step's address: it works before the page is live, and Back
//! and Forward walk the questions.

use leptos::{prelude::*, server_fn::ServerFn};

use domain::{
    guide::{Guide, Node, Replayed},
    kind::Kind,
};

use domain::models::{GuideCatalog, GuideWalk};

use super::ReportAddress;
use crate::{functions::portal::RecordDeflection, language::page_lang};
use words::report as says;

pub(super) fn choose(catalog: &GuideCatalog) -> impl IntoView {
    let choices = catalog.set.guides.clone();
    let lang = page_lang();
    view! {
        <h1 id="report-heading" tabindex="-1">{says::report_a_problem(lang)}</h1>
        <p>{says::what_about(lang)}</p>
        <ul class="choices" role="list">
            {choices.into_iter().map(|guide| {
                let security = guide.kind == Kind::SecurityIncident;
                view! {
                    <li>
                        <a class="choice" class:urgent=security href=ReportAddress::start(&guide.id).href()>
                            <span class="choice-title">{guide.title}</span>
                            <span class="choice-hint">{guide.hint}</span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
        <p>
            <a href=ReportAddress::skip().href()>{says::skip_questions(lang)}</a>
        </p>
    }
}

/// The walk no longer fits the guides (they were edited meanwhile).
pub(super) fn start_again(why: &'static str) -> AnyView {
    let lang = page_lang();
    view! {
        <h1 id="report-heading" tabindex="-1" autofocus>{says::report_a_problem(lang)}</h1>
        <p>{why}</p>
        <p><a class="button" href=ReportAddress::default().href()>{says::start_again(lang)}</a></p>
    }
    .into_any()
}

pub(super) fn walking(
    catalog: &GuideCatalog,
    guide: &Guide,
    at: &ReportAddress,
    replayed: &Replayed<'_>,
) -> AnyView {
    let (done, ahead) = replayed.progress(guide);
    let lang = page_lang();
    let back = view! { <a class="back" href=at.back().href()>{says::back(lang)}</a> };
    match replayed.current.clone() {
        Node::Question {
            text,
            help,
            answers,
        } => {
            let total = done + ahead;
            view! {
                <p class="muted">{guide.title.clone()}</p>
                <progress class="steps" max=total value=done aria-label=says::progress(lang)>{says::steps_done(lang, done, total)}</progress>
                <h1 id="report-heading" tabindex="-1" autofocus>{text}</h1>
                {help.map(|help| view! { <p>{help}</p> })}
                <ul class="answers" role="list">
                    {answers.into_iter().enumerate().map(|(i, answer)| view! {
                        <li><a class="answer" href=at.answered(i).href()>{answer.label}</a></li>
                    }).collect_view()}
                </ul>
                {back}
            }
            .into_any()
        }
        Node::Fix { title, steps } => {
            let walk = GuideWalk {
                version: catalog.version,
                guide_id: guide.id.clone(),
                answers: at.walk.answers.clone(),
            };
            let fields = walk_fields("walk", &walk);
            view! {
                <p class="muted">{guide.title.clone()}</p>
                <h1 id="report-heading" tabindex="-1" autofocus>{says::try_this(lang)} " " {title}</h1>
                <ol class="fix-steps">
                    {steps.into_iter().map(|step| view! { <li>{step}</li> }).collect_view()}
                </ol>
                // A plain form: "This fixed it" counts before the page is live,
                // and the server answers with the "it works again" page.
                <form class="row wrap" method="post" action=RecordDeflection::url()>
                    {fields}
                    <button type="submit" class="primary">{says::this_fixed_it(lang)}</button>
                    <a class="button" href=at.to_form().href()>{says::still_broken(lang)}</a>
                </form>
                {back}
            }
            .into_any()
        }
        // `step` shows the form for a walk that ends here.
        Node::Report { .. } => {
            view! { <a class="button" href=at.to_form().href()>{says::continue_(lang)}</a> }
                .into_any()
        }
    }
}

/// The walk as hidden form fields, named the way the server function reads
/// a form (`walk[guide_id]`, `walk[answers][0]`, …).
pub(super) fn walk_fields(prefix: &str, walk: &GuideWalk) -> impl IntoView {
    let mut fields = vec![
        (format!("{prefix}[version]"), walk.version.to_string()),
        (format!("{prefix}[guide_id]"), walk.guide_id.clone()),
    ];
    for (i, answer) in walk.answers.iter().enumerate() {
        fields.push((format!("{prefix}[answers][{i}]"), answer.to_string()));
    }
    fields
        .into_iter()
        .map(|(name, value)| view! { <input type="hidden" name=name value=value/> })
        .collect_view()
}
