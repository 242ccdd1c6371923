//! What the self-service portal stores besides tickets: the troubleshooting
//! guides (every imported version), the problems they solved ("deflected"
//! contacts), a reporter's own ticket list, and the resolved tickets the
//! auto-close job looks for. Written once in [`impl_portal_store!`]; the
//! backends differ only in how a JSON parameter is cast and read.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::StorageError;
use domain::guide::{self, DiagnosisStep, GuideSet};
use domain::models::{DeflectionCount, IncidentSummary};

/// The guides in use, importing the shipped set into a database that has none.
pub async fn ensure_guides(
    store: &super::Store,
    now_ms: i64,
) -> Result<StoredGuides, StorageError> {
    if let Some(stored) = store.guides().await? {
        return Ok(stored);
    }
    let set = guide::parse(guide::DEFAULT_GUIDES).map_err(|problems| {
        StorageError::Corrupt(format!("the shipped guides are invalid: {problems:?}"))
    })?;
    store.import_guides(&set, None, now_ms).await?;
    store
        .guides()
        .await?
        .ok_or_else(|| StorageError::Corrupt("the imported guides cannot be read".to_owned()))
}

/// The guide document in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredGuides {
    pub version: i64,
    pub set: GuideSet,
    pub imported_at_ms: i64,
}

/// "This fixed it", as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deflection {
    pub guide_set_version: i64,
    pub guide_id: String,
    pub fix_title: String,
    pub path: Vec<DiagnosisStep>,
    pub person_id: Option<i64>,
    pub at_ms: i64,
}

/// A resolved ticket waiting for its reporter's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwaitingConfirmation {
    pub id: i64,
    pub version: i64,
}

#[async_trait]
pub trait PortalStore: Send + Sync {
    /// The newest imported guides, if any were ever imported.
    async fn guides(&self) -> Result<Option<StoredGuides>, StorageError>;

    /// Stores a validated set as the new version in use and creates any
    /// category it names that does not exist yet, in one transaction.
    async fn import_guides(
        &self,
        set: &GuideSet,
        by: Option<i64>,
        now_ms: i64,
    ) -> Result<i64, StorageError>;

    async fn record_deflection(&self, deflection: &Deflection) -> Result<i64, StorageError>;

    /// Per fix, how often it solved the problem; most often first.
    async fn deflection_counts(&self) -> Result<Vec<DeflectionCount>, StorageError>;

    /// The category with this path (`Network › VPN`), if it exists.
    async fn category_by_path(&self, path: &str) -> Result<Option<i64>, StorageError>;

    /// A reporter's own tickets: open ones first, then the rest; each group
    /// most recently updated first.
    async fn tickets_of(
        &self,
        reporter_id: i64,
        limit: i64,
    ) -> Result<Vec<IncidentSummary>, StorageError>;

    /// Tickets resolved before `cutoff_ms` and still waiting for their
    /// reporter, oldest first.
    async fn resolved_before(
        &self,
        cutoff_ms: i64,
        limit: i64,
    ) -> Result<Vec<AwaitingConfirmation>, StorageError>;
}

/// Every category path a set names, each level on its own, parents first.
pub(super) fn category_paths(set: &GuideSet) -> Vec<Vec<String>> {
    use domain::category::SEPARATOR;
    let mut paths: Vec<Vec<String>> = set
        .guides
        .iter()
        .flat_map(|guide| {
            let answers = guide.nodes.values().flat_map(|node| match node {
                domain::guide::Node::Question { answers, .. } => answers.as_slice(),
                _ => &[],
            });
            guide
                .category
                .iter()
                .chain(answers.filter_map(|a| a.category.as_ref()))
        })
        .map(|path| path.split(SEPARATOR).map(|s| s.trim().to_owned()).collect())
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Implements [`PortalStore`] for a backend with a `pool` field.
/// `json_cast` turns a bound JSON text into the column's type (`::jsonb`
/// on PostgreSQL), and `json_text` reads the document column back as text.
macro_rules! impl_portal_store {
    ($storage:ty, begin_write: $begin:literal, json_cast: $cast:literal, json_text: $json_text:literal) => {
        #[async_trait::async_trait]
        impl $crate::portal::PortalStore for $storage {
            async fn guides(&self) -> Result<Option<$crate::portal::StoredGuides>, StorageError> {
                let row: Option<(i64, String, i64)> = sqlx::query_as(concat!(
                    "SELECT version, ",
                    $json_text,
                    ", imported_at_ms FROM guide_sets ORDER BY version DESC LIMIT 1"
                ))
                .fetch_optional(&self.pool)
                .await?;
                row.map(|(version, document, imported_at_ms)| {
                    let set = serde_json::from_str(&document).map_err(|_| {
                        StorageError::Corrupt(format!("guide set {version} cannot be read"))
                    })?;
                    Ok($crate::portal::StoredGuides {
                        version,
                        set,
                        imported_at_ms,
                    })
                })
                .transpose()
            }

            async fn import_guides(
                &self,
                set: &::domain::guide::GuideSet,
                by: Option<i64>,
                now_ms: i64,
            ) -> Result<i64, StorageError> {
                let document =
                    serde_json::to_string(set).map_err(|e| StorageError::Invalid(e.to_string()))?;
                let mut tx = self.pool.begin_with($begin).await?;
                for levels in $crate::portal::category_paths(set) {
                    let mut parent: Option<i64> = None;
                    let mut path = String::new();
                    for name in levels {
                        path = ::domain::category::child_path(
                            (!path.is_empty()).then_some(path.as_str()),
                            &name,
                        )
                        .map_err(|e| StorageError::Invalid(format!("Category {path:?}: {e}")))?;
                        let found: Option<i64> =
                            sqlx::query_scalar("SELECT id FROM categories WHERE path = $1")
                                .bind(&path)
                                .fetch_optional(&mut *tx)
                                .await?;
                        parent = Some(match found {
                            Some(id) => id,
                            None => $crate::tx::add_category(&mut tx, parent, &name).await?.id,
                        });
                    }
                }
                let version: i64 = sqlx::query_scalar(concat!(
                    "INSERT INTO guide_sets (document, imported_by, imported_at_ms) VALUES ($1",
                    $cast,
                    ", $2, $3) RETURNING version"
                ))
                .bind(document)
                .bind(by)
                .bind(now_ms)
                .fetch_one(&mut *tx)
                .await
                .map_err($crate::explain)?;
                tx.commit().await?;
                Ok(version)
            }

            async fn record_deflection(
                &self,
                d: &$crate::portal::Deflection,
            ) -> Result<i64, StorageError> {
                let path = serde_json::to_string(&d.path)
                    .map_err(|e| StorageError::Invalid(e.to_string()))?;
                let id: i64 = sqlx::query_scalar(concat!(
                    "INSERT INTO deflections (guide_set_version, guide_id, fix_title, path, \
                     person_id, at_ms) VALUES ($1, $2, $3, $4",
                    $cast,
                    ", $5, $6) RETURNING id"
                ))
                .bind(d.guide_set_version)
                .bind(&d.guide_id)
                .bind(&d.fix_title)
                .bind(path)
                .bind(d.person_id)
                .bind(d.at_ms)
                .fetch_one(&self.pool)
                .await
                .map_err($crate::explain)?;
                Ok(id)
            }

            async fn deflection_counts(
                &self,
            ) -> Result<Vec<::domain::models::DeflectionCount>, StorageError> {
                let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
                    "SELECT guide_id, fix_title, count(*), max(at_ms) FROM deflections \
                     GROUP BY guide_id, fix_title ORDER BY count(*) DESC, guide_id, fix_title",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(guide_id, fix_title, count, last_at_ms)| {
                        ::domain::models::DeflectionCount {
                            guide_id,
                            fix_title,
                            count,
                            last_at_ms,
                        }
                    })
                    .collect())
            }

            async fn category_by_path(&self, path: &str) -> Result<Option<i64>, StorageError> {
                Ok(
                    sqlx::query_scalar("SELECT id FROM categories WHERE path = $1")
                        .bind(path)
                        .fetch_optional(&self.pool)
                        .await?,
                )
            }

            async fn tickets_of(
                &self,
                reporter_id: i64,
                limit: i64,
            ) -> Result<Vec<::domain::models::IncidentSummary>, StorageError> {
                use $crate::rows::{summaries, SummaryRow, SUMMARY_COLUMNS};
                let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
                    "SELECT {SUMMARY_COLUMNS} FROM incidents i \
                     LEFT JOIN people p ON p.id = i.assignee_id WHERE i.reporter_id = $1 \
                     ORDER BY CASE WHEN i.state IN ('closed', 'cancelled') THEN 1 ELSE 0 END, \
                     i.updated_at_ms DESC, i.id DESC LIMIT $2"
                ))
                .bind(reporter_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                summaries(rows)
            }

            async fn resolved_before(
                &self,
                cutoff_ms: i64,
                limit: i64,
            ) -> Result<Vec<$crate::portal::AwaitingConfirmation>, StorageError> {
                let rows: Vec<(i64, i64)> = sqlx::query_as(
                    "SELECT id, version FROM incidents WHERE state = 'resolved' \
                     AND resolved_at_ms < $1 ORDER BY resolved_at_ms, id LIMIT $2",
                )
                .bind(cutoff_ms)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, version)| $crate::portal::AwaitingConfirmation { id, version })
                    .collect())
            }
        }
    };
}
pub(super) use impl_portal_store;
