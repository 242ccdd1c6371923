use leptos::prelude::*;

use domain::models::LiveEvent;

/// Counts the live changes this page cares about, from the server's event
/// stream (`/api/events`). Resources keyed on it reload when an agent or
/// the reporter acts elsewhere. It also moves once when the stream
/// (re)connects, so a change made between loading the page and connecting
/// is never missed. Stays 0 on the server. The counter is made by the
/// caller, with its route's data (see [`crate::components::signed_in`]).
pub fn count_live_changes(
    changes: WriteSignal<u64>,
    relevant: impl Fn(&LiveEvent) -> bool + Send + Sync + 'static,
) {
    #[cfg(feature = "hydrate")]
    {
        let relevant = std::sync::Arc::new(relevant);
        Effect::new(move |_| {
            let relevant = relevant.clone();
            connect(
                "/api/events".to_owned(),
                move |event: LiveEvent| {
                    if relevant(&event) {
                        changes.update(|n| *n += 1);
                    }
                },
                move || changes.update(|n| *n += 1),
            );
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (relevant, changes);
}

/// Every event after `after` (the event id the page's data already
/// reflects), handed to `on_event` in order. The browser reconnects by
/// itself after a drop, sending the last id it saw, and the server resumes
/// right after it: nothing is missed or repeated. Does nothing on the server.
pub fn follow_live_events(
    after: i64,
    on_event: impl Fn(LiveEvent) + Send + Sync + 'static,
    on_open: impl Fn() + Send + Sync + 'static,
) {
    #[cfg(feature = "hydrate")]
    connect(format!("/api/events?after={after}"), on_event, on_open);
    #[cfg(not(feature = "hydrate"))]
    let _ = (after, on_event, on_open);
}

#[cfg(feature = "hydrate")]
fn connect(url: String, on_event: impl Fn(LiveEvent) + 'static, on_open: impl Fn() + 'static) {
    use leptos::__reexports::send_wrapper::SendWrapper;
    use wasm_bindgen::{closure::Closure, JsCast};

    let Ok(source) = web_sys::EventSource::new(&url) else {
        return;
    };
    let on_change =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |message: web_sys::MessageEvent| {
            let Some(data) = message.data().as_string() else {
                return;
            };
            // From bytes, as server functions' answers are read: one decoder
            // per type in the WASM (functions/wire.rs).
            if let Ok(event) = serde_json::from_slice::<LiveEvent>(data.as_bytes()) {
                on_event(event);
            }
        });
    let on_open = Closure::<dyn Fn()>::new(on_open);
    let _ = source.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    let held = SendWrapper::new((source, on_change, on_open));
    on_cleanup(move || {
        let (source, _on_change, _on_open) = held.take();
        source.close();
    });
}
