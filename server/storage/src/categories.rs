//! The category tree tickets and guides are filed under, each category
//! known by its path (`Network › VPN`).

use sqlx::{Any, Executor};

use crate::{
    database::{Database, Tx},
    error::explain,
    StorageError,
};
use domain::{category::child_path, incident::CategoryRef, models::Category};

type CategoryRow = (i64, Option<i64>, String, String);

fn category((id, parent_id, name, path): CategoryRow) -> Category {
    Category {
        id,
        parent_id,
        name,
        path,
    }
}

pub(crate) async fn category_ref<'c>(
    conn: impl Executor<'c, Database = Any>,
    id: i64,
) -> Result<Option<CategoryRef>, StorageError> {
    let path: Option<String> = sqlx::query_scalar("SELECT path FROM categories WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(path.map(|path| CategoryRef { id, path }))
}

pub(crate) async fn category_by_path<'c>(
    conn: impl Executor<'c, Database = Any>,
    path: &str,
) -> Result<Option<i64>, StorageError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM categories WHERE path = $1")
            .bind(path)
            .fetch_optional(conn)
            .await?,
    )
}

/// Adds `name` under `parent_id` (or at the top), inside `tx`.
pub(crate) async fn add_category(
    tx: &mut Tx,
    parent_id: Option<i64>,
    name: &str,
) -> Result<Category, StorageError> {
    let parent = match parent_id {
        None => None,
        Some(id) => Some(category_ref(tx.conn(), id).await?.ok_or_else(|| {
            StorageError::NotFound(format!("There is no category with id {id}."))
        })?),
    };
    let path = child_path(parent.as_ref().map(|p| p.path.as_str()), name)
        .map_err(|e| StorageError::Invalid(e.to_string()))?;
    let row: CategoryRow = sqlx::query_as(
        "INSERT INTO categories (parent_id, name, path) VALUES ($1, $2, $3) \
         RETURNING id, parent_id, name, path",
    )
    .bind(parent_id)
    .bind(name.trim())
    .bind(&path)
    .fetch_one(tx.conn())
    .await
    .map_err(explain)?;
    Ok(category(row))
}

impl Database {
    pub async fn add_category(
        &self,
        parent_id: Option<i64>,
        name: &str,
    ) -> Result<Category, StorageError> {
        let mut tx = self.begin_write().await?;
        let category = add_category(&mut tx, parent_id, name).await?;
        tx.commit().await?;
        Ok(category)
    }

    /// The whole tree, ordered by path.
    pub async fn categories(&self) -> Result<Vec<Category>, StorageError> {
        let rows: Vec<CategoryRow> =
            sqlx::query_as("SELECT id, parent_id, name, path FROM categories ORDER BY path")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(category).collect())
    }

    /// The category with this path, if it exists.
    pub async fn category_by_path(&self, path: &str) -> Result<Option<i64>, StorageError> {
        category_by_path(&self.pool, path).await
    }
}
