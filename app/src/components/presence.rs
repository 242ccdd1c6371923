use leptos::prelude::*;

use crate::functions::presence::{viewing, HEARTBEAT_MS};

/// "Also viewing: Dana Reyes (L2)", kept fresh while the page is open.
/// Shown to the desk only; nothing is rendered on the server.
#[component]
pub fn Presence(reference: String) -> impl IntoView {
    let (others, set_others) = signal(Vec::<String>::new());
    let reference = StoredValue::new(reference);
    Effect::new(move |_| {
        let beat = move || {
            let reference = reference.get_value();
            leptos::task::spawn_local(async move {
                if let Ok(names) = viewing(reference).await {
                    set_others.set(names);
                }
            });
        };
        beat();
        let interval = gloo_timers::callback::Interval::new(HEARTBEAT_MS, beat);
        let interval = leptos::__reexports::send_wrapper::SendWrapper::new(interval);
        on_cleanup(move || drop(interval));
    });
    view! {
        <p class="presence" aria-live="polite">
            {move || {
                let names = others.get();
                (!names.is_empty()).then(|| format!("Also viewing: {}", names.join(", ")))
            }}
        </p>
    }
}
