//! Sign-in attempts in the database, so every instance of the desk counts
//! against the same limits. The backends differ only in how one counter is
//! held while it is read and added to (`Dialect::attempt_lock`).

use crate::{database::Database, StorageError};
use domain::lockout::{combine, verdict, Locked};

/// One counter an attempt goes against: its stored key (a hash, so the
/// table holds no email addresses) and its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptCounter {
    pub key: String,
    pub limit: usize,
}

impl AttemptCounter {
    /// A number to lock this counter by on PostgreSQL: two attempts on the
    /// same counter wait for each other, different counters do not.
    pub(crate) fn lock_number(&self) -> i32 {
        let hex = self.key.get(..8).unwrap_or(&self.key);
        // Keys are hex hashes; anything else still gets a stable number.
        u32::from_str_radix(hex, 16).unwrap_or_else(|_| {
            self.key
                .bytes()
                .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
        }) as i32
    }
}

impl Database {
    /// Counts one attempt against every counter, unless one of them is full
    /// (then nothing is counted and the wait comes back). The check and the
    /// count are one step for every instance on the database, so attempts
    /// sent at once are counted one after another. Returns the new rows' ids,
    /// in the order of `counters`.
    pub async fn count_attempt(
        &self,
        counters: &[AttemptCounter],
        window_ms: i64,
        now_ms: i64,
    ) -> Result<Result<Vec<i64>, Locked>, StorageError> {
        let mut tx = self.begin_write().await?;
        if !tx.dialect.attempt_lock.is_empty() {
            // Lowest first, so two attempts never wait on each other in a circle.
            let mut numbers: Vec<i32> = counters.iter().map(|c| c.lock_number()).collect();
            numbers.sort_unstable();
            numbers.dedup();
            for number in numbers {
                sqlx::query(tx.dialect.attempt_lock)
                    .bind(number)
                    .execute(tx.conn())
                    .await?;
            }
        }
        let mut verdicts = Vec::with_capacity(counters.len());
        for counter in counters {
            let recent: Vec<i64> = sqlx::query_scalar(
                "SELECT at_ms FROM sign_in_attempts WHERE key = $1 AND at_ms > $2 \
                 ORDER BY at_ms DESC LIMIT $3",
            )
            .bind(&counter.key)
            .bind(now_ms - window_ms)
            .bind(i64::try_from(counter.limit.max(1)).unwrap_or(i64::MAX))
            .fetch_all(tx.conn())
            .await?;
            verdicts.push(verdict(&recent, counter.limit, window_ms, now_ms));
        }
        if let Err(locked) = combine(verdicts) {
            tx.rollback().await?;
            return Ok(Err(locked));
        }
        let mut ids = Vec::with_capacity(counters.len());
        for counter in counters {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO sign_in_attempts (key, at_ms) VALUES ($1, $2) RETURNING id",
            )
            .bind(&counter.key)
            .bind(now_ms)
            .fetch_one(tx.conn())
            .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(Ok(ids))
    }

    /// Forgets every attempt on the counters `keys`, and the attempts `ids`.
    pub async fn forget_attempts(&self, keys: &[String], ids: &[i64]) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        for key in keys {
            sqlx::query("DELETE FROM sign_in_attempts WHERE key = $1")
                .bind(key)
                .execute(tx.conn())
                .await?;
        }
        for id in ids {
            sqlx::query("DELETE FROM sign_in_attempts WHERE id = $1")
                .bind(id)
                .execute(tx.conn())
                .await?;
        }
        tx.commit().await
    }

    /// Removes attempts made at or before `before_ms`; returns how many.
    pub async fn delete_old_attempts(&self, before_ms: i64) -> Result<u64, StorageError> {
        let done = sqlx::query("DELETE FROM sign_in_attempts WHERE at_ms <= $1")
            .bind(before_ms)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_numbers_are_stable_and_come_from_the_key() {
        let counter = |key: &str| AttemptCounter {
            key: key.to_owned(),
            limit: 5,
        };
        assert_eq!(counter("0000002a99").lock_number(), 42);
        assert_eq!(counter("ffffffff").lock_number(), -1);
        assert_eq!(
            counter("not hex at all").lock_number(),
            counter("not hex at all").lock_number()
        );
        assert_ne!(
            counter("not hex at all").lock_number(),
            counter("not hex at alm").lock_number()
        );
    }
}
