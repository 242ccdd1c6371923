//! tower-sessions records kept in the `sessions` table of whichever backend
//! the desk runs on, so a restart or a second server keeps everyone signed in.

use std::fmt;

use blake2::{Blake2s256, Digest};

use async_trait::async_trait;
use tower_sessions::{
    cookie::time::OffsetDateTime,
    session::{Id, Record},
    session_store::{self, SessionStore},
};

use storage::{SessionRecord, Store};

#[derive(Clone)]
pub struct DbSessions {
    store: Store,
}

impl fmt::Debug for DbSessions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DbSessions")
    }
}

impl DbSessions {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// Removes expired sessions; run periodically by the server.
    pub async fn sweep(&self, now_ms: i64) -> Result<u64, storage::StorageError> {
        self.store.delete_expired_sessions(now_ms).await
    }
}

/// Whether the session `id` is still signed in (not signed out, not
/// expired, not ended by a password change): long-lived requests such as
/// the live stream ask again now and then.
pub async fn still_signed_in(store: &Store, id: &Id, now_ms: i64) -> bool {
    matches!(store.load_session(&key(id), now_ms).await, Ok(Some(_)))
}

/// The table keys sessions by a hash of their id: someone who reads the
/// database (a backup, say) still cannot take over a session.
fn key(id: &Id) -> String {
    Blake2s256::digest(id.to_string().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn backend(err: impl fmt::Display) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

fn to_row(record: &Record) -> Result<SessionRecord, session_store::Error> {
    let data = serde_json::to_string(&record.data)
        .map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let expires_at_ms =
        i64::try_from(record.expiry_date.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX);
    Ok(SessionRecord {
        data,
        expires_at_ms,
    })
}

#[async_trait]
impl SessionStore for DbSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let row = to_row(record)?;
        // A fresh random id colliding is astronomically unlikely; if it
        // happens, draw another instead of overwriting someone's session.
        while !self
            .store
            .create_session(&key(&record.id), &row)
            .await
            .map_err(backend)?
        {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let row = to_row(record)?;
        let saved = self
            .store
            .save_session(&key(&record.id), &row, crate::clock::now_ms())
            .await
            .map_err(backend)?;
        if !saved {
            // Signed out or replaced while this request ran: it stays ended.
            tracing::debug!("a request finished after its session ended; not saved");
        }
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(row) = self
            .store
            .load_session(&key(id), crate::clock::now_ms())
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date =
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(row.expires_at_ms) * 1_000_000)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.store.delete_session(&key(id)).await.map_err(backend)
    }
}
