//! The receipt once the report is logged.

use leptos::prelude::*;

use domain::{change::kind_in_words, kind::Kind};
use words::{portal as says, time::within};

use domain::models::ReportReceipt;

pub(super) fn done(receipt: ReportReceipt) -> impl IntoView {
    let lang = crate::language::page_lang();
    let wait = receipt
        .response_due_ms
        .map(|due| within(lang, due - receipt.server_now_ms));
    let href = format!("/incidents/{}", receipt.reference);
    let security = receipt.kind == Kind::SecurityIncident;
    view! {
        <h1 id="report-heading" tabindex="-1">{says::logged(lang)}</h1>
        <p class="receipt" role="status">
            {says::your_reference_is(lang)} " " <strong class="reference">{receipt.reference.clone()}</strong>
            " (" {kind_in_words(receipt.kind, lang)} ")."
        </p>
        {wait.map(|wait| view! {
            <p>{says::expect_first_response(lang)} " " <strong>{wait}</strong> "."</p>
        })}
        {(!receipt.advice.is_empty()).then(|| view! {
            <section class="notice advice" class:urgent=security aria-labelledby="advice-again">
                <h2 id="advice-again">{if security { says::meanwhile_now(lang) } else { says::meanwhile(lang) }}</h2>
                <ul>{receipt.advice.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
            </section>
        })}
        <p><a class="button" href=href>{says::follow_your_ticket(lang)}</a></p>
    }
}
