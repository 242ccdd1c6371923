//! Shapes that travel between server and browser: what pages show and
//! server functions return, built from domain records.

mod board;
mod desk;
mod incident;
mod person;
mod portal;

pub use board::{priority_code, AssigneeFilter, BoardFilter, BoardView, LeadAlert};
pub use desk::{AgentChoices, Assignable, TierLead};
pub use incident::{
    Category, IncidentDetail, IncidentSummary, LiveEvent, RecentIncidents, TimelineEntry,
};
pub use person::DirectoryEntry;
pub use portal::{
    DeflectionCount, GuideCatalog, GuideWalk, ProblemReport, ReportReceipt, Similar,
    SimilarIncident,
};
