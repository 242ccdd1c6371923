use leptos::prelude::*;

/// Becomes `true` once the browser has hydrated the page. Controls that need
/// the WASM stay disabled until then, so an early tap is never lost.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    // Effects only run in the browser.
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}

/// Counts whole seconds since the page hydrated (0 on the server), so that
/// times on screen age without asking the server again.
pub fn use_seconds_ticker() -> ReadSignal<i64> {
    let (seconds, set_seconds) = signal(0_i64);
    Effect::new(move |_| {
        let interval = gloo_timers::callback::Interval::new(1_000, move || {
            set_seconds.update(|s| *s += 1);
        });
        // The interval lives in the browser's single thread; dropping it stops it.
        let interval = leptos::__reexports::send_wrapper::SendWrapper::new(interval);
        on_cleanup(move || drop(interval));
    });
    seconds
}
