//! The browser entry point: hydrates the server-rendered page.

use std::panic::PanicHookInfo;

// The islands are exported from the `app` crate; naming it links them in.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    std::panic::set_hook(Box::new(on_panic));
    // The page is the server's HTML; the page's loader
    // (`app/src/components/island_loader.js`) then makes each `#[island]`
    // in it live.
    leptos::mount::hydrate_islands();
}

/// What the chunk loader panics with when a chunk cannot be fetched.
const CHUNK_MISSING: &str = "load callback should succeed";

/// How long after one reload for a missing chunk another one is refused, so
/// a chunk that is gone for good cannot make the page reload forever.
const RELOAD_GUARD_MS: f64 = 60_000.0;

const RELOADED_AT: &str = "frontline-reloaded-for-chunk";

/// Logs the panic; when an island's chunk could not be fetched — a new build
/// was deployed while this page was loading, and its chunks have new names —
/// loads the page afresh from the server instead of leaving it dead. Links
/// are full page loads, so the page that failed is the one the person is on.
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
    let _ = window.location().reload();
}
