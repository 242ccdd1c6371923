//! Who leads each tier: the person the SLA watcher alerts.

use sqlx::FromRow;

use super::{person, PersonRow, PERSON_COLUMNS};
use crate::{database::Database, error::explain, tickets::rows::tier, StorageError};
use domain::{person::Person, tier::Tier};

/// A tier's lead: `lead_tier` and the person's columns.
#[derive(Debug, FromRow)]
struct TierLeadRow {
    lead_tier: String,
    #[sqlx(flatten)]
    person: PersonRow,
}

/// The lead of one tier (`$1`, its code), or of every tier.
pub(crate) fn leads_sql(one_tier: bool) -> String {
    let which = if one_tier { " WHERE l.tier = $1" } else { "" };
    format!(
        "SELECT l.tier AS lead_tier, p.* FROM tier_leads l \
         JOIN (SELECT {PERSON_COLUMNS} FROM people) p ON p.id = l.person_id{which} ORDER BY l.tier"
    )
}

pub(crate) async fn tier_lead(
    conn: &mut sqlx::AnyConnection,
    of: Tier,
) -> Result<Option<Person>, StorageError> {
    let row: Option<TierLeadRow> = sqlx::query_as(&leads_sql(true))
        .bind(of.code())
        .fetch_optional(conn)
        .await?;
    row.map(|row| row.person.into_person()).transpose()
}

impl Database {
    /// The tiers that have a lead, with their lead, L1 first.
    pub async fn tier_leads(&self) -> Result<Vec<(Tier, Person)>, StorageError> {
        let rows: Vec<TierLeadRow> = sqlx::query_as(&leads_sql(false))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|row| {
                let person = row.person.into_person()?;
                Ok((tier(person.id, &row.lead_tier)?, person))
            })
            .collect()
    }

    /// Makes `person_id` the lead of `tier`, or leaves the tier without one.
    /// The domain decides who may lead ([`check_lead`](domain::escalation::check_lead)).
    pub async fn set_tier_lead(
        &self,
        of: Tier,
        person_id: Option<i64>,
        now_ms: i64,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        match person_id {
            None => {
                sqlx::query("DELETE FROM tier_leads WHERE tier = $1")
                    .bind(of.code())
                    .execute(tx.conn())
                    .await?;
            }
            Some(id) => {
                let person = person(tx.conn(), id).await?.ok_or_else(|| {
                    StorageError::NotFound(format!("There is no person with id {id}."))
                })?;
                domain::escalation::check_lead(of, &person)
                    .map_err(|e| StorageError::Invalid(e.to_string()))?;
                sqlx::query(
                    "INSERT INTO tier_leads (tier, person_id, set_at_ms) VALUES ($1, $2, $3) \
                     ON CONFLICT (tier) DO UPDATE SET person_id = excluded.person_id, \
                     set_at_ms = excluded.set_at_ms",
                )
                .bind(of.code())
                .bind(id)
                .bind(now_ms)
                .execute(tx.conn())
                .await
                .map_err(explain)?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
