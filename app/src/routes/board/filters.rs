//! The board's filter bar. Every choice goes into the address (replacing
//! the history entry), so a view can be bookmarked or sent to a colleague.
//! Until the board is live it is a plain form that loads the board again
//! (`GET /board`), and the board's other view controls (the column a phone
//! shows, folding and dismissing alerts) are its buttons too.

use leptos::prelude::*;

use super::{alerts::Alerts, desk::Desk};
use domain::models::{priority_code, AssigneeFilter, BoardFilter};
use domain::{kind::Kind, priority::Priority, tier::Tier};

/// The id of the filter form, which the board's other view buttons join.
pub const FORM: &str = "board-filters";

/// The parts of the view that have no field of their own in the form, as
/// hidden fields: a pressed button's value comes after them (the board reads
/// the last value of a name), and one that is not pressed keeps them.
#[component]
pub fn KeptInForm(filter: RwSignal<BoardFilter>, alerts: Alerts) -> AnyView {
    let desk = expect_context::<Desk>();
    view! {
        <div class="kept-in-form">
            <input type="hidden" form=FORM name="tier" value=move || filter.with(|f| f.tier.map_or("", |t| t.code()))/>
            <input type="hidden" form=FORM name="column" value=move || desk.column.get().code()/>
            <input type="hidden" form=FORM name="alerts" value=move || if alerts.open.get() { "show" } else { "hide" }/>
            {move || alerts.dismissed.get().into_iter().map(|id| view! {
                <input type="hidden" form=FORM name="dismiss" value=id.to_string()/>
            }).collect_view()}
        </div>
    }
    .into_any()
}

/// The filter bar. `filter` is the board's own: a choice changes it and
/// replaces the address, so the view can be bookmarked without a reload.
#[component]
pub fn Filters(filter: RwSignal<BoardFilter>) -> AnyView {
    let desk = expect_context::<Desk>();
    let apply = move |change: &dyn Fn(&mut BoardFilter)| {
        let mut next = filter.get_untracked();
        change(&mut next);
        let query = next.to_query();
        let url = if query.is_empty() {
            "/board".to_owned()
        } else {
            format!("/board?{query}")
        };
        filter.set(next);
        #[cfg(feature = "hydrate")]
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = url;
    };
    let apply = StoredValue::new(apply);
    let set = move |change: &dyn Fn(&mut BoardFilter)| apply.with_value(|apply| apply(change));

    let categories = move || {
        let mut paths = desk.cards.categories();
        if let Some(chosen) = filter.with(|f| f.category.clone()) {
            paths.push(chosen);
        }
        paths.sort();
        paths.dedup();
        paths
    };

    // Folded away on a phone until needed; open when the address sets some.
    let active = move || {
        filter.with(|f| {
            [
                f.priority.is_some(),
                f.category.is_some(),
                f.assignee != AssigneeFilter::Anyone,
                f.kind.is_some(),
                !f.text.trim().is_empty(),
                f.finished,
            ]
            .into_iter()
            .filter(|on| *on)
            .count()
        })
    };
    let open_filters = active() > 0;
    let summary = move || match active() {
        0 => "More filters".to_owned(),
        1 => "More filters (1 on)".to_owned(),
        n => format!("More filters ({n} on)"),
    };
    view! {
        <form id=FORM class="board-filters" method="get" action="/board" role="search" aria-label="Filter the board"
            on:submit=|ev| ev.prevent_default()>
            <fieldset class="tier-filter">
                <legend>"Tier"</legend>
                {[None, Some(Tier::L1), Some(Tier::L2), Some(Tier::L3)].into_iter().map(|tier| {
                    let label = tier.map_or("All", |t| t.code());
                    view! {
                        <button
                            type="submit"
                            name="tier"
                            value=tier.map_or("", |t| t.code())
                            aria-pressed=move || (filter.with(|f| f.tier) == tier).to_string()
                            on:click=move |ev| {
                                ev.prevent_default();
                                set(&|f| f.tier = tier);
                            }
                        >{label}</button>
                    }
                }).collect_view()}
            </fieldset>
            <details class="more-filters" open=open_filters>
            <summary>{summary}</summary>
            <div class="filter-fields">
            <label>
                "Priority"
                <select name="priority" on:change=move |ev| {
                    let code = event_target_value(&ev);
                    set(&|f| f.priority = Priority::ALL.into_iter().find(|p| priority_code(*p) == code));
                }>
                    <option value="" selected=move || filter.with(|f| f.priority.is_none())>"Any"</option>
                    {Priority::ALL.into_iter().map(|p| view! {
                        <option value=priority_code(p) selected=move || filter.with(|f| f.priority == Some(p))>
                            {p.to_string()}
                        </option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                "Category"
                <select name="category" on:change=move |ev| {
                    let path = event_target_value(&ev);
                    set(&|f| f.category = Some(path.clone()).filter(|p| !p.is_empty()));
                }>
                    <option value="" selected=move || filter.with(|f| f.category.is_none())>"Any"</option>
                    {move || categories().into_iter().map(|path| {
                        let chosen = path.clone();
                        view! {
                            <option value=path.clone() selected=move || filter.with(|f| f.category.as_deref() == Some(chosen.as_str()))>
                                {path.clone()}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </label>
            <label>
                "Assignee"
                <select name="assignee" on:change=move |ev| {
                    let code = event_target_value(&ev);
                    set(&|f| f.assignee = AssigneeFilter::from_code(&code));
                }>
                    {[AssigneeFilter::Anyone, AssigneeFilter::Me, AssigneeFilter::Unassigned].into_iter().map(|a| {
                        let label = match a {
                            AssigneeFilter::Anyone => "Anyone",
                            AssigneeFilter::Me => "Me",
                            AssigneeFilter::Unassigned => "Unassigned",
                        };
                        view! { <option value=a.code() selected=move || filter.with(|f| f.assignee == a)>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                "Kind"
                <select name="kind" on:change=move |ev| {
                    let code = event_target_value(&ev);
                    set(&|f| f.kind = Kind::from_code(&code));
                }>
                    <option value="" selected=move || filter.with(|f| f.kind.is_none())>"Any"</option>
                    {[Kind::Incident, Kind::ServiceRequest, Kind::SecurityIncident].into_iter().map(|k| {
                        let label = match k {
                            Kind::Incident => "Incident",
                            Kind::ServiceRequest => "Service request",
                            Kind::SecurityIncident => "Security incident",
                        };
                        view! { <option value=k.code() selected=move || filter.with(|f| f.kind == Some(k))>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="search">
                "Search"
                <input
                    type="search"
                    name="q"
                    maxlength="200"
                    placeholder="Reference or title"
                    value=filter.with_untracked(|f| f.text.clone())
                    prop:value=move || filter.with(|f| f.text.clone())
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        set(&|f| f.text = text.clone());
                    }
                />
            </label>
            <label class="check">
                <input
                    type="checkbox"
                    name="finished"
                    value="1"
                    checked=filter.with_untracked(|f| f.finished)
                    prop:checked=move || filter.with(|f| f.finished)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        set(&|f| f.finished = on);
                    }
                />
                "Closed and cancelled (last 7 days)"
            </label>
            // Only until the board is live: from then on each choice shows at once.
            <button type="submit" class="apply-filters">"Show"</button>
            </div>
            </details>
        </form>
    }
    .into_any()
}
