//! Shapes that travel between server and browser.

mod desk;
mod incident;
mod person;
mod portal;

pub use desk::{AgentChoices, Assignable};
pub use incident::{
    Category, IncidentDetail, IncidentSummary, LiveEvent, RecentIncidents, TimelineEntry,
};
pub use person::DirectoryEntry;
pub use portal::{
    DeflectionCount, GuideCatalog, GuideWalk, ProblemReport, ReportReceipt, Similar,
    SimilarIncident,
};
