//! Shapes that travel between server and browser.

mod incident;

pub use incident::{Category, IncidentDetail, IncidentSummary, RecentIncidents, TimelineEntry};
