//! Storage: one interface, one implementation per backend, chosen at run time
//! from the database URL (`sqlite://…` or `postgres://…`).

mod accounts;
mod attempts;
mod desk;
mod portal;
mod postgres;
mod rows;
mod sqlite;
mod tx;

use std::sync::Arc;

use async_trait::async_trait;

use domain::{
    access::Scope,
    change::{Acting, Change, ChangeError, Event, Rules},
    incident::{Incident, NewIncident},
    person::{Contact, Person, Role},
    tier::Tier,
};

use domain::models::{Category, IncidentDetail, IncidentSummary, TimelineEntry};

pub use accounts::{Account, AccountStore, SessionRecord};
pub use attempts::{AttemptCounter, AttemptStore};
pub use desk::{DeskStore, SlaWatch};
pub use portal::{ensure_guides, AwaitingConfirmation, Deflection, PortalStore, StoredGuides};
pub use postgres::PostgresStorage;
pub use rows::{diagnosis_json, INSERT_INCIDENT};
pub use sqlite::SqliteStorage;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("the database URL must start with sqlite:// or postgres:// (got {0:?})")]
    UnsupportedUrl(String),
    #[error("the database URL is not valid: {0}")]
    InvalidUrl(#[source] sqlx::Error),
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// What was asked for does not exist; the message names it.
    #[error("{0}")]
    NotFound(String),
    /// The input breaks a rule the database enforces (a duplicate email, say).
    #[error("{0}")]
    Invalid(String),
    /// The domain refused the change.
    #[error(transparent)]
    Refused(#[from] ChangeError),
    /// Someone else changed the ticket since the caller read it.
    #[error(transparent)]
    Conflict(#[from] Conflict),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
}

impl StorageError {
    /// True when the database could not be reached at all, as opposed to a query failing.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StorageError::Connect(_) => true,
            StorageError::Database(err) => matches!(
                err,
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)
            ),
            _ => false,
        }
    }
}

/// A write carried a version that is no longer the ticket's latest. Says
/// what happened in between, so the person can decide what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reference} was changed after you opened it{}. Reload it to see the changes, then try again.", describe_changes(.changes))]
pub struct Conflict {
    pub reference: String,
    pub expected_version: i64,
    pub current_version: i64,
    /// "Dana Reyes: moved from new to assigned", oldest first.
    pub changes: Vec<String>,
}

/// ": Dana Reyes: assigned to Dana Reyes; …", or nothing when the writer
/// named a version the ticket never had.
fn describe_changes(changes: &[String]) -> String {
    if changes.is_empty() {
        String::new()
    } else {
        format!(": {}", changes.join("; "))
    }
}

impl Conflict {
    /// `since`: only the events the writer may see (see `access::missed_by`).
    fn new(incident: &Incident, expected_version: i64, since: &[&TimelineEntry]) -> Self {
        Self {
            reference: incident.reference(),
            expected_version,
            current_version: incident.version,
            changes: since
                .iter()
                .map(|e| format!("{}: {}", e.actor_name, e.event.summary()))
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Self, StorageError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StorageError::UnsupportedUrl(redact_url(url)))
        }
    }
}

/// Someone to add to the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub contact: Contact,
    pub role: Role,
}

/// Which open tickets the board shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardQuery {
    pub tier: Option<Tier>,
    /// The most cards each part (open, resolved, finished) returns.
    pub limit: i64,
    /// Also closed and cancelled tickets finished at or after this time.
    pub finished_since_ms: Option<i64>,
    /// What the reader may see; the board never shows more.
    pub scope: Scope,
}

/// A ticket written in one piece with its whole history, for demo data and
/// imports: the incident is stored as given (its id is assigned), then its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedTicket {
    pub incident: Incident,
    pub events: Vec<(Acting, Event, i64)>,
}

#[async_trait]
pub trait Storage:
    AccountStore + AttemptStore + PortalStore + DeskStore + Send + Sync + 'static
{
    fn backend(&self) -> Backend;

    /// The rules every decision is made with.
    fn rules(&self) -> &Rules;

    /// Changes after every ticket write this process commits: live streams
    /// wait on it instead of polling. Writes by other server instances are
    /// not seen here; streams also look again every few seconds.
    fn writes(&self) -> tokio::sync::watch::Receiver<u64>;

    /// Cheap round trip used by the readiness probe.
    async fn ping(&self) -> Result<(), StorageError>;

    async fn add_person(&self, person: &NewPerson, now_ms: i64) -> Result<Person, StorageError>;

    async fn person(&self, id: i64) -> Result<Option<Person>, StorageError>;

    async fn add_category(
        &self,
        parent_id: Option<i64>,
        name: &str,
    ) -> Result<Category, StorageError>;

    /// The whole tree, ordered by path.
    async fn categories(&self) -> Result<Vec<Category>, StorageError>;

    /// Logs a new ticket and its `reported` event in one transaction.
    async fn report(
        &self,
        new: &NewIncident,
        by: &Acting,
        now_ms: i64,
    ) -> Result<Incident, StorageError>;

    /// Applies one change to the ticket at `expected_version`, appending its
    /// event in the same transaction. A stale version is a [`Conflict`].
    async fn change(
        &self,
        id: i64,
        expected_version: i64,
        change: &Change,
        by: &Acting,
        now_ms: i64,
    ) -> Result<Incident, StorageError>;

    /// One ticket with its timeline.
    async fn incident(&self, id: i64) -> Result<Option<IncidentDetail>, StorageError>;

    /// Open tickets, most urgent first: by priority, then resolution due time.
    async fn board(&self, query: BoardQuery) -> Result<Vec<IncidentSummary>, StorageError>;

    /// The cards of these tickets, in no particular order; missing ids are skipped.
    async fn cards(&self, ids: &[i64]) -> Result<Vec<IncidentSummary>, StorageError>;

    /// Newest first, within what `scope` lets the reader see.
    async fn recent_incidents(
        &self,
        limit: i64,
        scope: Scope,
    ) -> Result<Vec<IncidentSummary>, StorageError>;

    /// Full-text search over title, description and resolution, best match
    /// first. It ranks the matches among the newest [`SEARCH_WINDOW`] tickets
    /// and looks further back only when those give fewer than `limit`:
    /// ranking every match of a common word ("password") across a million
    /// tickets takes hundreds of milliseconds, and recent fixes are the
    /// likelier ones to reuse.
    async fn search(
        &self,
        text: &str,
        limit: i64,
        scope: Scope,
    ) -> Result<Vec<IncidentSummary>, StorageError>;

    /// Events after `after_id` across all tickets, oldest first: what a live
    /// client replays after a reconnect. Only tickets in `scope`; the
    /// caller still filters internal notes for reporters.
    async fn events_since(
        &self,
        after_id: i64,
        limit: i64,
        scope: Scope,
    ) -> Result<Vec<TimelineEntry>, StorageError>;

    /// The newest event's id (0 when there is none): where a new live stream starts.
    async fn latest_event_id(&self) -> Result<i64, StorageError>;

    /// Writes whole tickets with their histories in one transaction; returns their ids.
    async fn import(&self, tickets: &[ImportedTicket]) -> Result<Vec<i64>, StorageError>;

    /// Waits for in-flight queries, then closes every connection.
    async fn close(&self);
}

/// How many of the newest tickets a search ranks first (about a week of a
/// large organisation's tickets); see [`Storage::search`].
pub const SEARCH_WINDOW: i64 = 10_000;

/// The lower id bounds a search tries: the newest window, then everything.
fn search_floors(newest_id: i64) -> impl Iterator<Item = i64> {
    let window = newest_id - SEARCH_WINDOW;
    (window > 0).then_some(window).into_iter().chain([0])
}

/// What the server and its server functions hold: a shared handle to the chosen backend.
pub type Store = Arc<dyn Storage>;

/// Opens the database the URL names, creating an SQLite file if needed, and
/// applies that backend's migrations.
pub async fn connect(url: &str) -> Result<Store, StorageError> {
    connect_with(url, Rules::default()).await
}

pub async fn connect_with(url: &str, rules: Rules) -> Result<Store, StorageError> {
    match Backend::from_url(url)? {
        Backend::Sqlite => Ok(Arc::new(SqliteStorage::connect(url, rules).await?)),
        Backend::Postgres => Ok(Arc::new(PostgresStorage::connect(url, rules).await?)),
    }
}

/// An imported ticket's version must count its events, as if each had been
/// applied through [`Storage::change`].
fn check_import(tickets: &[ImportedTicket]) -> Result<(), StorageError> {
    for ticket in tickets {
        let events = i64::try_from(ticket.events.len()).unwrap_or(i64::MAX);
        if events == 0 || ticket.incident.version != events {
            return Err(StorageError::Invalid(format!(
                "An imported ticket at version {} must come with exactly that many events (it has {events}).",
                ticket.incident.version
            )));
        }
    }
    Ok(())
}

/// Maps a database refusal the user can fix to a sentence; anything else
/// stays a database error (logged, not shown).
fn explain(err: sqlx::Error) -> StorageError {
    if let sqlx::Error::Database(db) = &err {
        let message = db.message().to_owned();
        let constraint = db.constraint().unwrap_or_default().to_owned();
        let names = |needle: &str| constraint.contains(needle) || message.contains(needle);
        if db.is_unique_violation() && (names("people.email") || names("people_email_key")) {
            return StorageError::Invalid(
                "Someone with that email address is already in the directory.".to_owned(),
            );
        }
        if db.is_unique_violation() && (names("categories.path") || names("categories_path_key")) {
            return StorageError::Invalid(
                "A category with that name already exists there.".to_owned(),
            );
        }
        if db.is_foreign_key_violation() && names("categor") {
            return StorageError::Invalid("That category does not exist.".to_owned());
        }
        if db.is_foreign_key_violation() && (names("reporter") || names("people")) {
            return StorageError::Invalid("That person is not in the directory.".to_owned());
        }
    }
    StorageError::Database(err)
}

/// Hides a password in a URL before it is logged or shown.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_follows_the_url_scheme() {
        assert_eq!(
            Backend::from_url("sqlite://data/frontline.db").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("sqlite::memory:").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/db").ok(),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::from_url("postgresql://u@h/db").ok(),
            Some(Backend::Postgres)
        );
        assert!(matches!(
            Backend::from_url("mysql://root:secret@h/db"),
            Err(StorageError::UnsupportedUrl(shown)) if shown == "mysql://root:***@h/db"
        ));
    }

    #[test]
    fn search_windows_widen_until_they_cover_everything() {
        assert_eq!(search_floors(10).collect::<Vec<_>>(), [0]);
        assert_eq!(search_floors(1_000_000).collect::<Vec<_>>(), [990_000, 0]);
    }

    #[test]
    fn a_conflict_says_what_changed_or_just_that_it_did() {
        let conflict = |changes: Vec<String>| Conflict {
            reference: "INC-000001".to_owned(),
            expected_version: 4,
            current_version: 3,
            changes,
        };
        assert_eq!(
            conflict(vec![]).to_string(),
            "INC-000001 was changed after you opened it. Reload it to see the changes, then try again."
        );
        assert_eq!(
            conflict(vec!["Dana Reyes: a comment was added".to_owned()]).to_string(),
            "INC-000001 was changed after you opened it: Dana Reyes: a comment was added. Reload it to see the changes, then try again."
        );
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://desk:s3cr@t@db:5432/frontline"),
            "postgres://desk:***@db:5432/frontline"
        );
        assert_eq!(
            redact_url("postgres://desk@db/frontline"),
            "postgres://desk@db/frontline"
        );
        assert_eq!(
            redact_url("sqlite://data/frontline.db"),
            "sqlite://data/frontline.db"
        );
    }
}
