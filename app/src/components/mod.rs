//! Reusable pieces of the pages.

mod chunks;
mod live;
mod loader;
mod my_tickets;
mod presence;
mod quick_report;
mod recent_incidents;
mod refreshed;
mod session;
mod ticker;
mod timeline;
mod typed;

pub use chunks::island_chunks;
pub use live::{count_live_changes, follow_live_events, LiveNotice};
pub use loader::IslandScripts;
pub use my_tickets::MyTickets;
pub use presence::Presence;
pub use quick_report::QuickReport;
pub use recent_incidents::RecentIncidentList;
pub use refreshed::refreshed;
pub use session::{
    home_of, open_page, provide_session, refusal_in_address, safe_next, signed_in, this_visit,
    use_session, AccountMenu, LanguageSwitch, SessionContext, SignInPrompt,
};
pub use ticker::{use_hydrated, use_seconds_ticker};
pub use timeline::{tell, Told};
pub use typed::{typed_choice, typed_text};

use leptos::prelude::*;

/// A failed load, said in place. Pages match on their data's `Result` and
/// show this rather than using an ErrorBoundary, whose fallback did not
/// hydrate the same as the server rendered it.
pub fn error_notice(err: crate::error::AppError) -> AnyView {
    view! { <p class="notice error" role="alert">{err.to_string()}</p> }.into_any()
}
