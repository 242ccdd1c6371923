//! The storage layer's one error type. A database refusal the person can
//! fix becomes a sentence; anything else stays a database error, logged and
//! never shown (the server decides the status from the variant).

use domain::change::ChangeError;
use domain::incident::Incident;
use domain::models::TimelineEntry;

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
    pub(crate) fn new(
        incident: &Incident,
        expected_version: i64,
        since: &[&TimelineEntry],
    ) -> Self {
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

/// Maps a database refusal the user can fix to a sentence; anything else
/// stays a database error (logged, not shown).
pub(crate) fn explain(err: sqlx::Error) -> StorageError {
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
