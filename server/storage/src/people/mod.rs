//! The directory: people, whether and how they sign in, and who leads each
//! tier ([`leads`]).

pub(crate) mod leads;

use sqlx::{Any, Executor, FromRow};

use crate::{
    database::{Database, Tx},
    error::explain,
    tickets::rows::{corrupt, tier},
    NewPerson, StorageError,
};
use domain::person::{Person, Role};
use words::Lang;

/// Someone who may be able to sign in.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    pub person: Person,
    /// The argon2id PHC string; `None` until a password is set.
    pub password_hash: Option<String>,
    /// The language they chose to read the desk in; `None` until they do.
    pub language: Option<Lang>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("person", &self.person)
            .field("password_hash", &self.password_hash.as_ref().map(|_| "***"))
            .field("language", &self.language)
            .finish()
    }
}

/// Selects a [`PersonRow`] from `people`. The flag is read as a number:
/// SQLite stores it as one, PostgreSQL as a boolean.
pub(crate) const PERSON_COLUMNS: &str = "id, name, email, phone, role, tier, \
    CASE WHEN security_team THEN 1 ELSE 0 END AS security_team";

#[derive(Debug, FromRow)]
pub(crate) struct PersonRow {
    id: i64,
    name: String,
    email: String,
    phone: Option<String>,
    role: String,
    tier: Option<String>,
    security_team: i64,
}

impl PersonRow {
    pub(crate) fn into_person(self) -> Result<Person, StorageError> {
        let id = self.id;
        let tier = self.tier.as_deref().map(|t| tier(id, t)).transpose()?;
        let role = Role::from_parts(&self.role, tier, self.security_team != 0)
            .ok_or_else(|| corrupt("role", id, &self.role))?;
        Ok(Person {
            id,
            name: self.name,
            email: self.email,
            phone: self.phone,
            role,
        })
    }
}

#[derive(Debug, FromRow)]
struct AccountRow {
    #[sqlx(flatten)]
    person: PersonRow,
    password_hash: Option<String>,
    language: Option<String>,
}

impl AccountRow {
    fn into_account(self) -> Result<Account, StorageError> {
        Ok(Account {
            person: self.person.into_person()?,
            password_hash: self.password_hash,
            // A language this build no longer speaks falls back like no choice.
            language: self.language.as_deref().and_then(Lang::from_code),
        })
    }
}

/// Reads [`AccountRow`]s: `{where}` follows `FROM people`.
fn accounts_sql(rest: &str) -> String {
    format!("SELECT {PERSON_COLUMNS}, password_hash, language FROM people {rest}")
}

pub(crate) async fn person<'c>(
    conn: impl Executor<'c, Database = Any>,
    id: i64,
) -> Result<Option<Person>, StorageError> {
    let row: Option<PersonRow> = sqlx::query_as(&format!(
        "SELECT {PERSON_COLUMNS} FROM people WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(PersonRow::into_person).transpose()
}

impl Tx {
    /// Adds someone, with a password when they may sign in.
    async fn insert_person(
        &mut self,
        person: &NewPerson,
        password_hash: Option<&str>,
        now_ms: i64,
    ) -> Result<Person, StorageError> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO people (name, email, phone, role, tier, security_team, created_at_ms, \
             password_hash, password_changed_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             RETURNING id",
        )
        .bind(&person.contact.name)
        .bind(person.contact.email.as_deref().unwrap_or_default())
        .bind(&person.contact.phone)
        .bind(person.role.code())
        .bind(person.role.tier().map(|t| t.code()))
        .bind(person.role.in_security_team())
        .bind(now_ms)
        .bind(password_hash)
        .bind(password_hash.map(|_| now_ms))
        .fetch_one(self.conn())
        .await
        .map_err(explain)?;
        Ok(Person {
            id,
            name: person.contact.name.clone(),
            email: person.contact.email.clone().unwrap_or_default(),
            phone: person.contact.phone.clone(),
            role: person.role,
        })
    }
}

impl Database {
    /// Adds someone who cannot sign in yet (a reporter who phoned in, say).
    pub async fn add_person(
        &self,
        person: &NewPerson,
        now_ms: i64,
    ) -> Result<Person, StorageError> {
        let mut tx = self.begin_write().await?;
        let added = tx.insert_person(person, None, now_ms).await?;
        tx.commit().await?;
        Ok(added)
    }

    pub async fn person(&self, id: i64) -> Result<Option<Person>, StorageError> {
        person(&self.pool, id).await
    }

    /// Looks the address up case-insensitively.
    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StorageError> {
        let row: Option<AccountRow> =
            sqlx::query_as(&accounts_sql("WHERE lower(email) = lower($1)"))
                .bind(email.trim())
                .fetch_optional(&self.pool)
                .await?;
        row.map(AccountRow::into_account).transpose()
    }

    pub async fn account(&self, person_id: i64) -> Result<Option<Account>, StorageError> {
        let row: Option<AccountRow> = sqlx::query_as(&accounts_sql("WHERE id = $1"))
            .bind(person_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(AccountRow::into_account).transpose()
    }

    /// Adds a person who can sign in with the hashed password.
    pub async fn add_account(
        &self,
        person: &NewPerson,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<Person, StorageError> {
        let mut tx = self.begin_write().await?;
        let added = tx
            .insert_person(person, Some(password_hash), now_ms)
            .await?;
        tx.commit().await?;
        Ok(added)
    }

    /// The first-run page: adds the first admin only while there is none, so
    /// two people racing through the page cannot both become admin.
    pub async fn add_first_admin(
        &self,
        person: &NewPerson,
        password_hash: &str,
        now_ms: i64,
    ) -> Result<Person, StorageError> {
        let mut tx = self.begin_write().await?;
        tx.run(tx.dialect.first_admin_lock).await?;
        let admins: i64 = sqlx::query_scalar("SELECT count(*) FROM people WHERE role = 'admin'")
            .fetch_one(tx.conn())
            .await?;
        if admins > 0 {
            return Err(StorageError::Invalid(
                "Frontline already has an administrator. Please sign in instead.".to_owned(),
            ));
        }
        let added = tx
            .insert_person(person, Some(password_hash), now_ms)
            .await?;
        tx.commit().await?;
        Ok(added)
    }

    pub async fn has_admin(&self) -> Result<bool, StorageError> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT id FROM people WHERE role = 'admin' LIMIT 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }

    /// The directory, by name: everyone, and whether they can sign in.
    pub async fn directory(&self, limit: i64) -> Result<Vec<(Person, bool)>, StorageError> {
        let rows: Vec<AccountRow> =
            sqlx::query_as(&accounts_sql("ORDER BY lower(name), id LIMIT $1"))
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

    /// The agents, by name: who tickets can be assigned to.
    pub async fn agents(&self, limit: i64) -> Result<Vec<Person>, StorageError> {
        let rows: Vec<PersonRow> = sqlx::query_as(&format!(
            "SELECT {PERSON_COLUMNS} FROM people WHERE role = 'agent' ORDER BY lower(name), id LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(PersonRow::into_person).collect()
    }

    /// Keeps the language someone chose; `None` goes back to their
    /// browser's preference.
    pub async fn set_language(
        &self,
        person_id: i64,
        language: Option<Lang>,
    ) -> Result<(), StorageError> {
        let done = sqlx::query("UPDATE people SET language = $2 WHERE id = $1")
            .bind(person_id)
            .bind(language.map(Lang::code))
            .execute(&self.pool)
            .await?;
        one_person(done.rows_affected(), person_id)
    }

    pub async fn set_password(
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
        one_person(done.rows_affected(), person_id)
    }
}

/// An update of one person's row found them, or says who was not there.
fn one_person(rows_affected: u64, person_id: i64) -> Result<(), StorageError> {
    if rows_affected == 1 {
        Ok(())
    } else {
        Err(StorageError::NotFound(format!(
            "There is no person with id {person_id}."
        )))
    }
}
