//! Reusable pieces of the pages.

mod quick_report;
mod recent_incidents;
mod ticker;

pub use quick_report::QuickReport;
pub use recent_incidents::RecentIncidentList;
pub use ticker::{use_hydrated, use_seconds_ticker};
