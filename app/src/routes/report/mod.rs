//! "Report a problem": pick what is wrong, answer a few questions, try the
//! suggested fix, and only then fill in the form, which arrives pre-filled.
//! Each step is an address (see [`address`]), so Back, Forward and reload
//! keep the answers and the steps work before the page is live.

mod address;
mod done;
mod form;
mod walk;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use domain::guide::Node;
use domain::models::GuideCatalog;

use crate::{
    components::{error_notice, refusal_in_address, signed_in},
    error::AppError,
    functions::{
        portal::{guides, RecordDeflection, ReportProblem},
        wire::{load, Loaded},
    },
};

pub(crate) use address::ReportAddress;
#[cfg(feature = "ssr")]
pub(crate) use form::keep_refused_report;
use form::{FormStep, ReportForm};
use walk::{choose, start_again, walking};

#[component]
pub fn ReportPage() -> impl IntoView {
    let catalog = load(|| (), |_| guides());
    signed_in(
        words::report::report_a_problem(crate::language::page_lang()),
        move |_| view! { <Report catalog/> }.into_any(),
    )
}

#[component]
fn Report(catalog: Loaded<Result<GuideCatalog, AppError>>) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p class="muted">{words::shell::loading(crate::language::page_lang())}</p> }>
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
    let query = use_query_map();
    let address = Memo::new(move |_| {
        let query = query.read();
        ReportAddress::read(
            query.get_str("guide"),
            query.get_str("answers"),
            query.get_str("form").is_some(),
            query.get_str("fixed").is_some(),
        )
    });
    // "This fixed it" is a plain form: the server answers with the next
    // step's address, or sends its refusal back in this one.
    let deflect_refused = refusal_in_address::<RecordDeflection>();
    // Each step after the first is a new page whose heading has `autofocus`,
    // so keyboard and screen-reader users continue from the new question.
    view! {
        <section class="panel report" aria-labelledby="report-heading">
            {move || step(catalog, address.get())}
            <div class="outcome" aria-live="assertive">
                {deflect_refused.map(error_notice)}
            </div>
        </section>
    }
}

/// The page for one address.
fn step(catalog: StoredValue<GuideCatalog>, at: ReportAddress) -> AnyView {
    let lang = crate::language::page_lang();
    if at.fixed {
        use words::report as says;
        return view! {
            <h1 id="report-heading" tabindex="-1" autofocus>{says::glad_it_works(lang)}</h1>
            <p>{says::nothing_more(lang)}</p>
            <p><a href="/">{says::back_to_my_tickets(lang)}</a></p>
        }
        .into_any();
    }
    let form = |catalog: &GuideCatalog, at: &ReportAddress, back: &ReportAddress| {
        let step = FormStep::new(catalog, at, back);
        let refused = refusal_in_address::<ReportProblem>();
        view! { <ReportForm step refused/> }.into_any()
    };
    let Some(guide_id) = at.guide.clone() else {
        return catalog.with_value(|c| {
            if at.form {
                form(c, &at, &ReportAddress::default())
            } else {
                choose(c).into_any()
            }
        });
    };
    catalog.with_value(|c| {
        let Some(guide) = c.set.guides.iter().find(|g| g.id == guide_id) else {
            return start_again(words::report::topic_gone(lang));
        };
        let Ok(replayed) = at.walk.replay(guide) else {
            return start_again(words::report::questions_changed(lang));
        };
        // A walk that ends at the report asks nothing more: its form is the step.
        let ends_in_form = matches!(replayed.current, Node::Report { .. });
        if at.form || ends_in_form {
            let back = if ends_in_form {
                let mut before = at.clone();
                before.form = true;
                before.back().back()
            } else {
                at.back()
            };
            form(c, &at, &back)
        } else {
            walking(c, guide, &at, &replayed)
        }
    })
}
