//! The receipt once the report is logged.

use leptos::prelude::*;

use domain::{age::describe_wait, change::kind_words, kind::Kind};

use domain::models::ReportReceipt;

pub(super) fn done(receipt: ReportReceipt) -> impl IntoView {
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
