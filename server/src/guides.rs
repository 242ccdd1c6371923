//! `frontline guides import FILE` and `frontline guides export`: the
//! troubleshooting guides as a file an administrator keeps in version
//! control, edits, and loads back.

use std::path::Path;

use domain::guide;

use storage::{self, StorageError};

use crate::config::Config;

#[derive(Debug, thiserror::Error)]
pub enum GuidesError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} cannot be imported:\n  {}", .problems.join("\n  "))]
    Invalid { path: String, problems: Vec<String> },
    #[error("{0}")]
    Storage(#[from] StorageError),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write the document: {0}")]
    Write(String),
}

/// Validates the file and makes it the guides in use; returns the new version.
pub async fn import(config: &Config, path: &Path) -> Result<i64, GuidesError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| GuidesError::Read {
        path: shown.clone(),
        source,
    })?;
    let set = guide::parse(&text).map_err(|problems| GuidesError::Invalid {
        path: shown,
        problems: problems.iter().map(ToString::to_string).collect(),
    })?;
    let store = open(config).await?;
    let version = store.import_guides(&set, None, app::clock::now_ms()).await;
    store.close().await;
    Ok(version?)
}

/// The guides in use (the shipped set on a new database), as pretty JSON.
pub async fn export(config: &Config) -> Result<String, GuidesError> {
    let store = open(config).await?;
    let stored = storage::ensure_guides(&store, app::clock::now_ms()).await;
    store.close().await;
    serde_json::to_string_pretty(&stored?.set).map_err(|e| GuidesError::Write(e.to_string()))
}

async fn open(config: &Config) -> Result<storage::Store, GuidesError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|source| GuidesError::DataDir {
        path: config.data_dir.display().to_string(),
        source,
    })?;
    Ok(storage::connect_with(&config.database_url, config.rules.clone()).await?)
}
