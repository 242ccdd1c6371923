//! Shapes that travel between server and browser.

mod incident;
mod person;

pub use incident::{Category, IncidentDetail, IncidentSummary, RecentIncidents, TimelineEntry};
pub use person::DirectoryEntry;
