//! One card: what the desk needs at a glance, a live SLA countdown, a grip
//! to drag it (mouse or finger), and a "Move…" menu for keyboards and for
//! anyone who would rather not drag.

use leptos::{html, prelude::*, server_fn::ServerFn};

use super::{cards::Held, desk::Desk};
use crate::functions::incidents::MoveCard;
use domain::models::{priority_code, IncidentSummary};
use domain::{
    board::{card_moves, column_label, initials, plan_card_move, CardMove, Plan},
    lifecycle::State,
    sla::{countdown, describe_remaining, Countdown, Promise, SlaStatus},
    tier::Tier,
};

/// Pixels a pointer must travel before a press becomes a drag.
const DRAG_THRESHOLD: f64 = 6.0;

#[component]
pub fn Card(held: Held) -> AnyView {
    let desk = expect_context::<Desk>();
    // The card reads its own signal: a later move sends the version the
    // board now has, and an open menu or the focus is not lost while only
    // its version, assignee or clock changes.
    let current = held.card;
    let card = current.get_untracked();
    let id = card.id;
    let item = NodeRef::<html::Li>::new();
    let summary = NodeRef::<html::Summary>::new();
    // A card that was just moved by keyboard keeps the focus on its menu.
    Effect::new(move |_| {
        if held.focus.get() {
            if let Some(summary) = summary.get() {
                let _ = summary.focus();
                held.focus.set(false);
            }
        }
    });

    let dragging = move || held.offset.with(Option::is_some);
    // Through the CSS object model: the page's policy forbids inline style attributes.
    Effect::new(move |_| {
        let offset = held
            .offset
            .get()
            .map(|(dx, dy)| format!("translate({dx}px, {dy}px)"))
            .unwrap_or_default();
        if let Some(item) = item.get() {
            let _ = web_sys::HtmlElement::style(&item).set_property("transform", &offset);
        }
    });
    let start = StoredValue::new((0.0_f64, 0.0_f64));
    let on_down = move |ev: leptos::ev::PointerEvent| {
        // One change at a time per card: the next one needs the version the
        // server is about to give.
        if held.sending.get_untracked() || (ev.pointer_type() == "mouse" && ev.button() != 0) {
            return;
        }
        ev.prevent_default();
        capture(&ev);
        start.set_value((f64::from(ev.client_x()), f64::from(ev.client_y())));
        held.offset.set(Some((0.0, 0.0)));
        desk.dragging.set(Some(id));
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        if held.offset.with_untracked(Option::is_none) {
            return;
        }
        let (x0, y0) = start.get_value();
        held.offset.set(Some((
            f64::from(ev.client_x()) - x0,
            f64::from(ev.client_y()) - y0,
        )));
    };
    let end_drag = move || {
        held.offset.set(None);
        desk.dragging.set(None);
    };
    let on_up = move |ev: leptos::ev::PointerEvent| {
        let Some((dx, dy)) = held.offset.get_untracked() else {
            return;
        };
        // Released: the card springs back; a move shows it in its new place.
        end_drag();
        if dx.hypot(dy) < DRAG_THRESHOLD {
            return;
        }
        let (column, lane) = drop_target(id, f64::from(ev.client_x()), f64::from(ev.client_y()));
        desk.dropped(&current.get_untracked(), column, lane);
    };
    let on_cancel = move |_| end_drag();

    let clock = move || {
        let policy = desk.policy.get_value();
        current.with(|card| {
            countdown(
                card.state,
                card.priority,
                card.response_due_ms,
                card.resolution_due_ms,
                &policy,
                desk.now.get(),
            )
        })
    };
    let clock_class = move || match clock() {
        Some(Countdown::Paused) => "sla sla-paused",
        Some(Countdown::Running {
            status: SlaStatus::Warning,
            ..
        }) => "sla sla-warning",
        Some(Countdown::Running {
            status: SlaStatus::Breached,
            ..
        }) => "sla sla-breached",
        Some(Countdown::Running { .. }) => "sla sla-ok",
        None => "sla",
    };
    let clock_text = move || match clock() {
        Some(Countdown::Paused) => "SLA paused: waiting on the reporter".to_owned(),
        Some(Countdown::Running {
            promise,
            remaining_ms,
            status,
        }) => {
            let what = match promise {
                Promise::FirstResponse => "Response",
                Promise::Resolution => "Resolution",
            };
            if status == SlaStatus::Breached {
                format!("{what} overdue by {}", describe_remaining(remaining_ms))
            } else {
                format!("{what} due in {}", describe_remaining(remaining_ms))
            }
        }
        None => String::new(),
    };
    let reported = card.reported_at_ms;
    let lang = crate::language::page_lang();
    let age = move || words::time::ago(lang, desk.now.get() - reported);
    let priority = move || current.with(|c| c.priority);
    let priority_class = move || {
        format!(
            "priority priority-{}",
            priority_code(priority()).to_lowercase()
        )
    };
    let title_id = format!("card-{id}-title");
    let labelled_by = title_id.clone();
    let sending = move || held.sending.get();
    let assignee = move || {
        current.with(|c| c.assignee.clone()).map_or_else(
            || view! { <span class="assignee unassigned">"unassigned"</span> }.into_any(),
            |name| {
                view! {
                    <span class="assignee">
                        <abbr title=name.clone()>{initials(&name)}</abbr>
                        <span class="visually-hidden">{format!("assigned to {name}")}</span>
                    </span>
                }
                .into_any()
            },
        )
    };

    view! {
        <li
            class="card"
            class:dragging=dragging
            class:sending=sending
            data-card=id.to_string()
            data-reference=card.reference.clone()
            node_ref=item
            aria-labelledby=labelled_by
            aria-busy=move || sending().to_string()
        >
            <div class="card-top">
                <span
                    class="grip"
                    title="Drag to move"
                    aria-hidden="true"
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=on_up
                    on:pointercancel=on_cancel
                >"⠿"</span>
                <a class="reference" href=format!("/incidents/{}", card.reference)>{card.reference.clone()}</a>
                <span class=priority_class>{move || priority().to_string()}</span>
            </div>
            <p class="title" id=title_id>{move || current.with(|c| c.title.clone())}</p>
            <p class="meta">
                <span class="tier">{card.tier.code()}</span>
                {assignee}
                <span class="age">{age}</span>
            </p>
            <p class=clock_class>{clock_text}</p>
            <details class="card-menu">
                <summary node_ref=summary>"Move…"<span class="visually-hidden">{format!(" {}", card.reference)}</span></summary>
                <MoveMenu current sending=held.sending/>
            </details>
        </li>
    }
    .into_any()
}

/// The moves the domain allows this agent, as the buttons of a form. Until
/// the board is live the form posts to `move_card`, which plans the same
/// move on the server; from then on a button plays it here.
#[component]
fn MoveMenu(current: RwSignal<IncidentSummary>, sending: RwSignal<bool>) -> impl IntoView {
    let desk = expect_context::<Desk>();
    let actor = desk.actor();
    // The card's column and lane are fixed for this menu (moving re-creates
    // it); the version sent is the one held when the button is pressed.
    // Whether it may be taken follows its assignee.
    let card = current.get_untracked();
    let button = move |wanted: CardMove, plan: Plan, label: String| {
        let dots = if matches!(plan, Plan::Ask(_)) {
            "…"
        } else {
            ""
        };
        view! {
            <li>
                <button
                    type="submit"
                    name="to"
                    value=wanted.code()
                    disabled=move || sending.get()
                    on:click=move |ev| {
                        ev.prevent_default();
                        desk.follow(&current.get_untracked(), Ok(plan.clone()));
                    }
                >{format!("{label}{dots}")}</button>
            </li>
        }
    };
    let fixed = card_moves(&card, desk.me, actor)
        .into_iter()
        .filter_map(|(wanted, plan)| {
            let label = match wanted {
                CardMove::To(to) => format!("Move to {}", column_label(to)),
                CardMove::Tier(to) if to > card.tier => format!("Escalate to {to}"),
                CardMove::Tier(to) => format!("De-escalate to {to}"),
                CardMove::Take => return None,
            };
            Some(button(wanted, plan, label))
        })
        .collect_view();
    let take = move || {
        current.with(|card| {
            plan_card_move(card, CardMove::Take, desk.me, actor)
                .ok()
                .map(|plan| button(CardMove::Take, plan, "Assign to me".to_owned()))
        })
    };
    view! {
        <form class="card-moves" method="post" action=MoveCard::url()>
            <input type="hidden" name="reference" value=card.reference.clone()/>
            <input type="hidden" name="version" value=move || current.with(|c| c.version.to_string())/>
            <input type="hidden" name="state" value=card.state.code()/>
            <input type="hidden" name="tier" value=card.tier.code()/>
            <ul class="menu">
                {fixed}
                {take}
            </ul>
        </form>
    }
}

/// Keeps the pointer's events on the grip while it is dragged, even when the
/// finger leaves it.
fn capture(ev: &leptos::ev::PointerEvent) {
    use wasm_bindgen::JsCast;
    if let Some(target) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    {
        let _ = target.set_pointer_capture(ev.pointer_id());
    }
}

/// The column and lane under the point, looking through the dragged card.
fn drop_target(dragged: i64, x: f64, y: f64) -> (Option<State>, Option<Tier>) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return (None, None);
    };
    let own = format!("[data-card=\"{dragged}\"]");
    for found in document.elements_from_point(x as f32, y as f32).iter() {
        let Ok(element) = found.dyn_into::<web_sys::Element>() else {
            continue;
        };
        if element.closest(&own).ok().flatten().is_some() {
            continue;
        }
        let attribute = |selector: &str, name: &str| {
            element
                .closest(selector)
                .ok()
                .flatten()
                .and_then(|e| e.get_attribute(name))
        };
        let column = attribute("[data-column]", "data-column").and_then(|c| State::from_code(&c));
        let lane = attribute("[data-lane]", "data-lane")
            .and_then(|l| Tier::ALL.into_iter().find(|t| t.code() == l));
        if column.is_some() || lane.is_some() {
            return (column, lane);
        }
    }
    (None, None)
}
