//! Data an island holds: what the server loaded for the page, handed in as
//! a prop, then loaded again in the browser whenever something says it has
//! changed (the live stream, an accepted form). It does for islands what a
//! resource keyed on a counter does for a page: an island cannot share a
//! page's resources, and one made inside it would be loaded on the server
//! as often as Leptos walks the page.

use std::future::Future;

use leptos::prelude::*;

use crate::error::AppError;

/// `initial`, replaced by `fetch()`'s answer each time `changes` moves. A
/// slow answer that arrives after a newer one was asked for is dropped.
pub fn refreshed<T, Fut>(
    initial: Result<T, AppError>,
    changes: impl Fn() -> u64 + Send + Sync + 'static,
    fetch: impl Fn() -> Fut + Send + Sync + 'static,
) -> ReadSignal<Result<T, AppError>>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + 'static,
{
    let value = RwSignal::new(initial);
    let asked = StoredValue::new(0_u64);
    Effect::watch(
        changes,
        move |_, _, _| {
            asked.update_value(|n| *n += 1);
            let this = asked.get_value();
            let answer = fetch();
            leptos::task::spawn_local(async move {
                let answer = answer.await;
                if asked.try_get_value() == Some(this) {
                    value.try_set(answer);
                }
            });
        },
        false,
    );
    value.read_only()
}
