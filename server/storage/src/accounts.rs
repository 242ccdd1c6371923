//! Accounts and sessions. The SQL is the same on both backends, written
//! once in [`impl_account_store!`]; only how the first-admin check is made
//! race-free differs.

use async_trait::async_trait;
use sqlx::FromRow;

use super::{rows::PersonRow, NewPerson, StorageError};
use domain::person::Person;

/// Someone who may be able to sign in.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    pub person: Person,
    /// The argon2id PHC string; `None` until a password is set.
    pub password_hash: Option<String>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("person", &self.person)
            .field("password_hash", &self.password_hash.as_ref().map(|_| "***"))
            .finish()
    }
}

/// A stored session: its JSON data and when it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub data: String,
    pub expires_at_ms: i64,
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Looks the address up case-insensitively.
    async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StorageError>;

    async fn account(&self, person_id: i64) -> Result<Option<Account>, StorageError>;

    /// Adds a person who can sign in with the hashed password.
    async fn add_account(
        &self,
        person: &NewPerson,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<Person, StorageError>;

    /// The first-run page: adds the first admin only while there is none, so
    /// two people racing through the page cannot both become admin.
    async fn add_first_admin(
        &self,
        person: &NewPerson,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<Person, StorageError>;

    async fn has_admin(&self) -> Result<bool, StorageError>;

    /// The directory, by name: everyone, and whether they can sign in.
    async fn directory(&self, limit: i64) -> Result<Vec<(Person, bool)>, StorageError>;

    /// The agents, by name: who tickets can be assigned to.
    async fn agents(&self, limit: i64) -> Result<Vec<Person>, StorageError>;

    async fn set_password(
        &self,
        person_id: i64,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<(), StorageError>;

    /// A live (unexpired) session.
    async fn load_session(
        &self,
        id: &str,
        now_ms: i64,
    ) -> Result<Option<SessionRecord>, StorageError>;

    /// Inserts a new session; `false` if the id is taken.
    async fn create_session(&self, id: &str, record: &SessionRecord) -> Result<bool, StorageError>;

    /// Writes a live session's new data and expiry; `false` (and nothing
    /// written) when it was signed out, replaced or expired meanwhile.
    async fn save_session(
        &self,
        id: &str,
        record: &SessionRecord,
        now_ms: i64,
    ) -> Result<bool, StorageError>;

    async fn delete_session(&self, id: &str) -> Result<(), StorageError>;

    /// Removes expired sessions; returns how many.
    async fn delete_expired_sessions(&self, now_ms: i64) -> Result<u64, StorageError>;
}

#[derive(Debug, FromRow)]
pub(super) struct AccountRow {
    #[sqlx(flatten)]
    person: PersonRow,
    password_hash: Option<String>,
}

impl AccountRow {
    pub(super) fn into_account(self) -> Result<Account, StorageError> {
        Ok(Account {
            person: self.person.into_person()?,
            password_hash: self.password_hash,
        })
    }
}

pub(super) const ACCOUNT_COLUMNS: &str =
    "id, name, email, phone, role, tier, security_team, password_hash";

pub(super) const INSERT_ACCOUNT: &str = "INSERT INTO people \
    (name, email, phone, role, tier, security_team, created_at_ms, password_hash, password_changed_at_ms) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7)";

/// Implements [`AccountStore`] for a backend with a `pool` field.
/// `first_admin_lock` runs first in the first-admin transaction: PostgreSQL
/// needs a table lock for "insert if none exists" to be race-free; SQLite's
/// `BEGIN IMMEDIATE` already serialises writers.
macro_rules! impl_account_store {
    ($storage:ty, $tx:ty, begin_write: $begin:literal, first_admin_lock: $lock:literal) => {
        #[async_trait::async_trait]
        impl $crate::accounts::AccountStore for $storage {
            async fn account_by_email(
                &self,
                email: &str,
            ) -> Result<Option<$crate::accounts::Account>, StorageError> {
                use $crate::accounts::{AccountRow, ACCOUNT_COLUMNS};
                let row: Option<AccountRow> = sqlx::query_as(&format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM people WHERE lower(email) = lower($1)"
                ))
                .bind(email.trim())
                .fetch_optional(&self.pool)
                .await?;
                row.map(AccountRow::into_account).transpose()
            }

            async fn account(
                &self,
                person_id: i64,
            ) -> Result<Option<$crate::accounts::Account>, StorageError> {
                use $crate::accounts::{AccountRow, ACCOUNT_COLUMNS};
                let row: Option<AccountRow> = sqlx::query_as(&format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM people WHERE id = $1"
                ))
                .bind(person_id)
                .fetch_optional(&self.pool)
                .await?;
                row.map(AccountRow::into_account).transpose()
            }

            async fn add_account(
                &self,
                person: &$crate::NewPerson,
                password_hash: &str,
                now_ms: i64,
            ) -> Result<::domain::person::Person, StorageError> {
                let mut tx = self.pool.begin_with($begin).await?;
                let added = insert_account(&mut tx, person, password_hash, now_ms).await?;
                tx.commit().await?;
                Ok(added)
            }

            async fn add_first_admin(
                &self,
                person: &$crate::NewPerson,
                password_hash: &str,
                now_ms: i64,
            ) -> Result<::domain::person::Person, StorageError> {
                let mut tx = self.pool.begin_with($begin).await?;
                if !$lock.is_empty() {
                    sqlx::query($lock).execute(&mut *tx).await?;
                }
                let admins: i64 =
                    sqlx::query_scalar("SELECT count(*) FROM people WHERE role = 'admin'")
                        .fetch_one(&mut *tx)
                        .await?;
                if admins > 0 {
                    return Err(StorageError::Invalid(
                        "Frontline already has an administrator. Please sign in instead."
                            .to_owned(),
                    ));
                }
                let added = insert_account(&mut tx, person, password_hash, now_ms).await?;
                tx.commit().await?;
                Ok(added)
            }

            async fn has_admin(&self) -> Result<bool, StorageError> {
                let found: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM people WHERE role = 'admin' LIMIT 1")
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(found.is_some())
            }

            async fn directory(
                &self,
                limit: i64,
            ) -> Result<Vec<(::domain::person::Person, bool)>, StorageError> {
                use $crate::accounts::{AccountRow, ACCOUNT_COLUMNS};
                let rows: Vec<AccountRow> = sqlx::query_as(&format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM people ORDER BY lower(name), id LIMIT $1"
                ))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|row| {
                        row.into_account()
                            .map(|a| (a.person, a.password_hash.is_some()))
                    })
                    .collect()
            }

            async fn agents(
                &self,
                limit: i64,
            ) -> Result<Vec<::domain::person::Person>, StorageError> {
                use $crate::accounts::{AccountRow, ACCOUNT_COLUMNS};
                let rows: Vec<AccountRow> = sqlx::query_as(&format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM people WHERE role = 'agent' \
                     ORDER BY lower(name), id LIMIT $1"
                ))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|row| row.into_account().map(|a| a.person))
                    .collect()
            }

            async fn set_password(
                &self,
                person_id: i64,
                password_hash: &str,
                now_ms: i64,
            ) -> Result<(), StorageError> {
                let done = sqlx::query(
                    "UPDATE people SET password_hash = $2, password_changed_at_ms = $3 WHERE id = $1",
                )
                .bind(person_id)
                .bind(password_hash)
                .bind(now_ms)
                .execute(&self.pool)
                .await?;
                if done.rows_affected() == 1 {
                    Ok(())
                } else {
                    Err(StorageError::NotFound(format!(
                        "There is no person with id {person_id}."
                    )))
                }
            }

            async fn load_session(
                &self,
                id: &str,
                now_ms: i64,
            ) -> Result<Option<$crate::accounts::SessionRecord>, StorageError> {
                let row: Option<(String, i64)> = sqlx::query_as(
                    "SELECT data, expires_at_ms FROM sessions WHERE id = $1 AND expires_at_ms > $2",
                )
                .bind(id)
                .bind(now_ms)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(
                    |(data, expires_at_ms)| $crate::accounts::SessionRecord {
                        data,
                        expires_at_ms,
                    },
                ))
            }

            async fn create_session(
                &self,
                id: &str,
                record: &$crate::accounts::SessionRecord,
            ) -> Result<bool, StorageError> {
                let done = sqlx::query(
                    "INSERT INTO sessions (id, data, expires_at_ms) VALUES ($1, $2, $3) \
                     ON CONFLICT (id) DO NOTHING",
                )
                .bind(id)
                .bind(&record.data)
                .bind(record.expires_at_ms)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn save_session(
                &self,
                id: &str,
                record: &$crate::accounts::SessionRecord,
                now_ms: i64,
            ) -> Result<bool, StorageError> {
                // Never an upsert: a request still in flight when its session
                // was signed out or replaced must not bring the row back.
                let done = sqlx::query(
                    "UPDATE sessions SET data = $2, expires_at_ms = $3 \
                     WHERE id = $1 AND expires_at_ms > $4",
                )
                .bind(id)
                .bind(&record.data)
                .bind(record.expires_at_ms)
                .bind(now_ms)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn delete_session(&self, id: &str) -> Result<(), StorageError> {
                sqlx::query("DELETE FROM sessions WHERE id = $1")
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn delete_expired_sessions(&self, now_ms: i64) -> Result<u64, StorageError> {
                let done = sqlx::query("DELETE FROM sessions WHERE expires_at_ms <= $1")
                    .bind(now_ms)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }
        }

        async fn insert_account(
            tx: &mut $tx,
            person: &$crate::NewPerson,
            password_hash: &str,
            now_ms: i64,
        ) -> Result<::domain::person::Person, StorageError>
        {
            let id: i64 = sqlx::query_scalar(&format!(
                "{} RETURNING id",
                $crate::accounts::INSERT_ACCOUNT
            ))
            .bind(&person.contact.name)
            .bind(person.contact.email.as_deref().unwrap_or_default())
            .bind(&person.contact.phone)
            .bind(person.role.code())
            .bind(person.role.tier().map(|t| t.code()))
            .bind(person.role.in_security_team())
            .bind(now_ms)
            .bind(password_hash)
            .fetch_one(&mut **tx)
            .await
            .map_err($crate::explain)?;
            Ok(::domain::person::Person {
                id,
                name: person.contact.name.clone(),
                email: person.contact.email.clone().unwrap_or_default(),
                phone: person.contact.phone.clone(),
                role: person.role,
            })
        }
    };
}
pub(super) use impl_account_store;
