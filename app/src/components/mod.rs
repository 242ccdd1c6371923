//! Reusable pieces of the pages.

mod quick_report;
mod recent_incidents;
mod session;
mod ticker;

pub use quick_report::QuickReport;
pub use recent_incidents::RecentIncidentList;
pub use session::{
    home_of, provide_session, safe_next, use_session, AccountMenu, SessionContext, SignInPrompt,
    SignedInOnly,
};
pub use ticker::{use_hydrated, use_seconds_ticker};
