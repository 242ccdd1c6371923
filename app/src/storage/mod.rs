//! Storage: one interface, one implementation per backend, chosen at run time
//! from the database URL (`sqlite://…` or `postgres://…`).

mod postgres;
mod rows;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;

use crate::{domain::incident::IncidentTitle, models::IncidentSummary};

pub use postgres::PostgresStorage;
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

#[async_trait]
pub trait Storage: Send + Sync + 'static {
    fn backend(&self) -> Backend;

    /// Cheap round trip used by the readiness probe.
    async fn ping(&self) -> Result<(), StorageError>;

    async fn log_incident(
        &self,
        title: &IncidentTitle,
        reported_at_ms: i64,
    ) -> Result<IncidentSummary, StorageError>;

    /// Newest first.
    async fn recent_incidents(&self, limit: i64) -> Result<Vec<IncidentSummary>, StorageError>;

    /// Waits for in-flight queries, then closes every connection.
    async fn close(&self);
}

/// What the server and its server functions hold: a shared handle to the chosen backend.
pub type Store = Arc<dyn Storage>;

/// Opens the database the URL names, creating an SQLite file if needed, and
/// applies that backend's migrations.
pub async fn connect(url: &str) -> Result<Store, StorageError> {
    match Backend::from_url(url)? {
        Backend::Sqlite => Ok(Arc::new(SqliteStorage::connect(url).await?)),
        Backend::Postgres => Ok(Arc::new(PostgresStorage::connect(url).await?)),
    }
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
