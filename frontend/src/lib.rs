//! The browser entry point: hydrates the server-rendered page.

use std::{cell::RefCell, panic::PanicHookInfo};

use wasm_bindgen::{closure::Closure, JsCast};

// The islands are exported from the `app` crate; naming it links them in.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    std::panic::set_hook(Box::new(on_panic));
    remember_link_taps();
    // The page is the server's HTML; Leptos's loader then makes each
    // `#[island]` in it live, in document order.
    leptos::mount::hydrate_islands();
}

/// What the chunk loader panics with when a chunk cannot be fetched.
const CHUNK_MISSING: &str = "load callback should succeed";

/// How long after one reload for a missing chunk another one is refused, so
/// a chunk that is gone for good cannot make the page reload forever.
const RELOAD_GUARD_MS: f64 = 60_000.0;

const RELOADED_AT: &str = "frontline-reloaded-for-chunk";

/// A link tapped this long before a chunk failed is where the person was going.
const TAP_WINDOW_MS: f64 = 10_000.0;

thread_local! {
    /// The last link tapped in the page, and when: the router fetches a
    /// page's chunk before it changes the address.
    static LAST_LINK: RefCell<Option<(String, f64)>> = const { RefCell::new(None) };
}

/// Notes every tapped link (capture phase, before the router takes it).
fn remember_link_taps() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let note = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        let href = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .and_then(|a| a.get_attribute("href"));
        if let Some(href) = href {
            LAST_LINK.with(|last| *last.borrow_mut() = Some((href, js_sys::Date::now())));
        }
    });
    let _ = document.add_event_listener_with_callback_and_bool(
        "click",
        note.as_ref().unchecked_ref(),
        true,
    );
    // Lives as long as the page.
    note.forget();
}

/// Logs the panic; when a desk page's chunk could not be fetched — a new
/// build was deployed while this page was open, and its chunks have new
/// names — loads the page the person was going to afresh from the server
/// instead of leaving this one dead.
fn on_panic(info: &PanicHookInfo) {
    console_error_panic_hook::hook(info);
    if info.to_string().contains(CHUNK_MISSING) {
        reload_once();
    }
}

fn reload_once() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let now = js_sys::Date::now();
    let storage = window.session_storage().ok().flatten();
    // Whole milliseconds: formatting an `f64` would pull float printing
    // into the first download for this one number.
    let last = storage
        .as_ref()
        .and_then(|s| s.get_item(RELOADED_AT).ok().flatten())
        .and_then(|v| v.parse::<i64>().ok());
    if last.is_some_and(|at| now - (at as f64) < RELOAD_GUARD_MS) {
        return;
    }
    if let Some(storage) = storage {
        let _ = storage.set_item(RELOADED_AT, &(now as i64).to_string());
    }
    let going_to = LAST_LINK.with(|last| last.borrow().clone());
    match going_to {
        Some((href, at)) if now - at < TAP_WINDOW_MS => {
            let _ = window.location().assign(&href);
        }
        _ => {
            let _ = window.location().reload();
        }
    }
}
