use leptos::prelude::*;

use crate::models::LiveEvent;

/// Counts the live changes this page cares about, from the server's event
/// stream (`/api/events`). Resources keyed on it reload when an agent or
/// the reporter acts elsewhere. It also moves once when the stream
/// (re)connects, so a change made between loading the page and connecting
/// is never missed. Stays 0 on the server.
pub fn use_live_changes(
    relevant: impl Fn(&LiveEvent) -> bool + Send + Sync + 'static,
) -> ReadSignal<u64> {
    let (changes, set_changes) = signal(0_u64);
    #[cfg(feature = "hydrate")]
    {
        let relevant: std::sync::Arc<dyn Fn(&LiveEvent) -> bool + Send + Sync> =
            std::sync::Arc::new(relevant);
        Effect::new(move |_| connect(set_changes, relevant.clone()));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (relevant, set_changes);
    changes
}

#[cfg(feature = "hydrate")]
fn connect(
    set_changes: WriteSignal<u64>,
    relevant: std::sync::Arc<dyn Fn(&LiveEvent) -> bool + Send + Sync>,
) {
    use leptos::__reexports::send_wrapper::SendWrapper;
    use wasm_bindgen::{closure::Closure, JsCast};

    // The browser reconnects by itself after a drop, sending the last id
    // it saw as Last-Event-ID; the server resumes right after it.
    let Ok(source) = web_sys::EventSource::new("/api/events") else {
        return;
    };
    let on_change =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |message: web_sys::MessageEvent| {
            let Some(data) = message.data().as_string() else {
                return;
            };
            if let Ok(event) = serde_json::from_str::<LiveEvent>(&data) {
                if relevant(&event) {
                    set_changes.update(|n| *n += 1);
                }
            }
        });
    let on_open = Closure::<dyn Fn()>::new(move || set_changes.update(|n| *n += 1));
    let _ = source.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    let held = SendWrapper::new((source, on_change, on_open));
    on_cleanup(move || {
        let (source, _on_change, _on_open) = held.take();
        source.close();
    });
}
