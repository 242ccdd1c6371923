//! A report sent as a plain form, before the page is live, that the server
//! refuses comes back as the report page with the refusal in its address
//! and an empty form: the browser posted the text and kept none of it. This
//! small script, in every page's head, keeps it: on such a submit it holds
//! the fields in session storage; on the refusal's page it puts them back
//! (at once, and as the draft that the live form restores); on any other
//! page it drops them, so an accepted report's text is never offered again.

use leptos::{nonce::use_nonce, prelude::*, server_fn::ServerFn};

use super::draft::{FIELDS, KEY};
use crate::functions::portal::ReportProblem;

/// Where the submitted fields wait for the next page.
const SENT: &str = "frontline-report-sent";

pub fn keep_refused_report() -> impl IntoView {
    let fields = FIELDS
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(",");
    let path = ReportProblem::PATH;
    let script = format!(
        r#"(()=>{{try{{const s=sessionStorage,F=[{fields}],get=(f,n)=>f.elements.namedItem("report["+n+"]");
document.addEventListener("submit",e=>{{const f=e.target;if(!f.matches("form.report-form")||document.body.hasAttribute("data-hydrated"))return;
const d={{}};for(const n of F){{const el=get(f,n);d[n]=el?el.value:""}}s.setItem("{SENT}",JSON.stringify(d))}},true);
const sent=s.getItem("{SENT}");if(sent===null)return;s.removeItem("{SENT}");
const q=new URLSearchParams(location.search);if(!q.has("__err")||q.get("__path")!=="{path}")return;
s.setItem("{KEY}",sent);document.addEventListener("DOMContentLoaded",()=>{{const f=document.querySelector("form.report-form");if(!f)return;
const d=JSON.parse(sent);for(const n of F){{const el=get(f,n);if(el&&!el.value)el.value=d[n]||""}}}})}}catch(_){{}}}})();"#
    );
    view! { <script nonce=use_nonce() inner_html=script></script> }
}
