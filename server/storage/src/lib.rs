//! Storage: one [`Database`], SQLite or PostgreSQL chosen at run time from
//! the database URL (`sqlite://…` or `postgres://…`). Each aggregate has its
//! module of `Database` methods and writes its statements once; what the two
//! backends do differently is data in `dialect.rs`.

mod attempts;
mod categories;
mod database;
mod dialect;
mod error;
mod guides;
mod people;
mod presence;
mod sessions;
mod tickets;

use std::sync::Arc;

use domain::{
    access::Scope,
    change::{Acting, Event, Rules},
    incident::Incident,
    person::{Contact, Role},
    tier::Tier,
};

pub use attempts::AttemptCounter;
pub use database::Database;
pub use error::{Conflict, StorageError};
pub use guides::{ensure_guides, Deflection, StoredGuides};
pub use people::Account;
pub use sessions::SessionRecord;
pub use tickets::{lists::AwaitingConfirmation, sla::SlaWatch};

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

/// What the server and its server functions hold: a shared handle to the database.
pub type Store = Arc<Database>;

/// Opens the database the URL names, creating an SQLite file if needed, and
/// applies that backend's migrations.
pub async fn connect(url: &str) -> Result<Store, StorageError> {
    connect_with(url, Rules::default()).await
}

pub async fn connect_with(url: &str, rules: Rules) -> Result<Store, StorageError> {
    Ok(Arc::new(Database::connect(url, rules).await?))
}

/// How many of the newest tickets a search ranks first (about a week of a
/// large organisation's tickets); see [`Database::search`].
pub const SEARCH_WINDOW: i64 = 10_000;

/// The lower id bounds a search tries: the newest window, then everything.
fn search_floors(newest_id: i64) -> impl Iterator<Item = i64> {
    let window = newest_id - SEARCH_WINDOW;
    (window > 0).then_some(window).into_iter().chain([0])
}

/// An imported ticket's version must count its events, as if each had been
/// applied through [`Database::change`].
pub(crate) fn check_import(tickets: &[ImportedTicket]) -> Result<(), StorageError> {
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
