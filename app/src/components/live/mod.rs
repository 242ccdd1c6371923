use leptos::prelude::*;

use domain::models::LiveEvent;

#[cfg(feature = "hydrate")]
mod stream;

/// Whether this page's live stream is down. A refused stream (signed out
/// in another tab, too many tabs, the server restarting) is not retried by
/// the browser, and a page that quietly stops moving shows stale tickets:
/// the stream retries by itself and the page says so meanwhile. Made by
/// the pages that follow the stream, so pages without one (the report
/// form) carry none of this.
#[derive(Clone, Copy)]
pub struct LiveStopped(RwSignal<bool>);

/// Said only while the stream is down; empty on the server and while live,
/// so hydration always agrees.
#[component]
pub fn LiveNotice(status: LiveStopped) -> impl IntoView {
    view! {
        <div class="live-notice" aria-live="polite">
            {move || status.0.get().then(|| view! {
                <p class="notice error">
                    "Live updates have stopped, so this page may be out of date. Reconnecting…"
                </p>
            })}
        </div>
    }
}

/// Counts the live changes this page cares about, from the server's event
/// stream (`/api/events`). Resources keyed on it reload when an agent or
/// the reporter acts elsewhere. It also moves once when the stream
/// (re)connects, so a change made between loading the page and connecting,
/// or while the stream was down, is never missed. Stays 0 on the server.
/// The counter is made by the caller, with its route's data (see
/// [`crate::components::signed_in`]).
pub fn count_live_changes(
    changes: WriteSignal<u64>,
    relevant: impl Fn(&LiveEvent) -> bool + Send + Sync + 'static,
) -> LiveStopped {
    let stopped = LiveStopped(RwSignal::new(false));
    #[cfg(feature = "hydrate")]
    {
        let relevant = std::sync::Arc::new(relevant);
        Effect::new(move |_| {
            let relevant = relevant.clone();
            stream::open(
                None,
                stopped,
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
    stopped
}

/// Every event after `after` (the event id the page's data already
/// reflects), handed to `on_event` in order. After a drop or a refusal the
/// stream reconnects from the last id it saw, and the server resumes right
/// after it: nothing is missed or repeated. Does nothing on the server.
pub fn follow_live_events(
    after: i64,
    on_event: impl Fn(LiveEvent) + Send + Sync + 'static,
    on_open: impl Fn() + Send + Sync + 'static,
) -> LiveStopped {
    let stopped = LiveStopped(RwSignal::new(false));
    #[cfg(feature = "hydrate")]
    stream::open(Some(after), stopped, on_event, on_open);
    #[cfg(not(feature = "hydrate"))]
    let _ = (after, on_event, on_open);
    stopped
}
