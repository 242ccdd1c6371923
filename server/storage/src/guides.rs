//! The troubleshooting guides (every imported version) and the problems
//! they solved without a ticket ("deflected" contacts).

use serde::{Deserialize, Serialize};

use crate::{
    categories::{add_category, category_by_path},
    database::Database,
    error::explain,
    StorageError,
};
use domain::category::child_path;
use domain::guide::{self, DiagnosisStep, GuideSet};
use domain::models::DeflectionCount;

/// The guides in use, importing the shipped set into a database that has none.
pub async fn ensure_guides(
    store: &crate::Store,
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

/// Every category path a set names, each level on its own, parents first.
fn category_paths(set: &GuideSet) -> Vec<Vec<String>> {
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

impl Database {
    /// The newest imported guides, if any were ever imported.
    pub async fn guides(&self) -> Result<Option<StoredGuides>, StorageError> {
        let row: Option<(i64, String, i64)> = sqlx::query_as(&format!(
            "SELECT version, document{} AS document, imported_at_ms FROM guide_sets \
             ORDER BY version DESC LIMIT 1",
            self.dialect.json_text
        ))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(version, document, imported_at_ms)| {
            let set = serde_json::from_str(&document).map_err(|_| {
                StorageError::Corrupt(format!("guide set {version} cannot be read"))
            })?;
            Ok(StoredGuides {
                version,
                set,
                imported_at_ms,
            })
        })
        .transpose()
    }

    /// Stores a validated set as the new version in use and creates any
    /// category it names that does not exist yet, in one transaction.
    pub async fn import_guides(
        &self,
        set: &GuideSet,
        by: Option<i64>,
        now_ms: i64,
    ) -> Result<i64, StorageError> {
        let document =
            serde_json::to_string(set).map_err(|e| StorageError::Invalid(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        for levels in category_paths(set) {
            let mut parent: Option<i64> = None;
            let mut path = String::new();
            for name in levels {
                path = child_path((!path.is_empty()).then_some(path.as_str()), &name)
                    .map_err(|e| StorageError::Invalid(format!("Category {path:?}: {e}")))?;
                parent = Some(match category_by_path(tx.conn(), &path).await? {
                    Some(id) => id,
                    None => add_category(&mut tx, parent, &name).await?.id,
                });
            }
        }
        let version: i64 = sqlx::query_scalar(&format!(
            "INSERT INTO guide_sets (document, imported_by, imported_at_ms) \
             VALUES ($1{}, $2, $3) RETURNING version",
            tx.dialect.json_param
        ))
        .bind(document)
        .bind(by)
        .bind(now_ms)
        .fetch_one(tx.conn())
        .await
        .map_err(explain)?;
        tx.commit().await?;
        Ok(version)
    }

    pub async fn record_deflection(&self, d: &Deflection) -> Result<i64, StorageError> {
        let path =
            serde_json::to_string(&d.path).map_err(|e| StorageError::Invalid(e.to_string()))?;
        let id: i64 = sqlx::query_scalar(&format!(
            "INSERT INTO deflections (guide_set_version, guide_id, fix_title, path, person_id, \
             at_ms) VALUES ($1, $2, $3, $4{}, $5, $6) RETURNING id",
            self.dialect.json_param
        ))
        .bind(d.guide_set_version)
        .bind(&d.guide_id)
        .bind(&d.fix_title)
        .bind(path)
        .bind(d.person_id)
        .bind(d.at_ms)
        .fetch_one(&self.pool)
        .await
        .map_err(explain)?;
        Ok(id)
    }

    /// Per fix, how often it solved the problem; most often first.
    pub async fn deflection_counts(&self) -> Result<Vec<DeflectionCount>, StorageError> {
        let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT guide_id, fix_title, count(*), max(at_ms) FROM deflections \
             GROUP BY guide_id, fix_title ORDER BY count(*) DESC, guide_id, fix_title",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(guide_id, fix_title, count, last_at_ms)| DeflectionCount {
                guide_id,
                fix_title,
                count,
                last_at_ms,
            })
            .collect())
    }
}
