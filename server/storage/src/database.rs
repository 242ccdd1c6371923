//! The one implementation: a pool of connections to SQLite or PostgreSQL
//! through sqlx's run-time driver, the backend's [`Dialect`], and the
//! wake-ups live streams wait on.

use std::{str::FromStr, time::Duration};

use sqlx::{
    any::{AnyConnectOptions, AnyPoolOptions},
    Any, AnyConnection, AnyPool, Executor,
};

use super::{dialect::Dialect, Backend, StorageError};
use domain::change::Rules;

pub struct Database {
    pub(crate) pool: AnyPool,
    pub(crate) dialect: &'static Dialect,
    pub(crate) rules: Rules,
    /// Bumped after every committed ticket write, to wake live streams.
    written: tokio::sync::watch::Sender<u64>,
    /// PostgreSQL: the task that hears other instances' writes.
    listener: std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

/// An open transaction and the dialect its statements are written in.
pub(crate) struct Tx {
    tx: sqlx::Transaction<'static, Any>,
    pub dialect: &'static Dialect,
}

impl Tx {
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// Runs one of the dialect's statements, unless it has none.
    pub async fn run(&mut self, statement: &str) -> Result<(), StorageError> {
        if !statement.is_empty() {
            sqlx::query(statement).execute(self.conn()).await?;
        }
        Ok(())
    }

    pub async fn commit(self) -> Result<(), StorageError> {
        Ok(self.tx.commit().await?)
    }

    pub async fn rollback(self) -> Result<(), StorageError> {
        Ok(self.tx.rollback().await?)
    }
}

impl Database {
    pub async fn connect(url: &str, rules: Rules) -> Result<Self, StorageError> {
        sqlx::any::install_default_drivers();
        let dialect = Dialect::of(Backend::from_url(url)?);
        let options = AnyConnectOptions::from_str(&dialect.connect_url(url))
            .map_err(StorageError::InvalidUrl)?;
        let on_connect = dialect.on_connect;
        let pool = AnyPoolOptions::new()
            .max_connections(dialect.max_connections)
            // Fail start-up quickly with a clear message instead of hanging on a dead host.
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    conn.execute(sqlx::raw_sql(on_connect)).await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(StorageError::Connect)?;
        dialect.migrations.run(&pool).await?;
        let written = tokio::sync::watch::Sender::new(0);
        let listener = (dialect.backend == Backend::Postgres).then(|| {
            tokio::spawn(listen_for_writes(
                url.to_owned(),
                pool.clone(),
                written.clone(),
            ))
        });
        Ok(Self {
            pool,
            dialect,
            rules,
            written,
            listener: std::sync::Mutex::new(listener),
        })
    }

    /// A transaction that writes (see [`Dialect::begin_write`]).
    pub(crate) async fn begin_write(&self) -> Result<Tx, StorageError> {
        self.begin(self.dialect.begin_write).await
    }

    /// A transaction that reads from one snapshot.
    pub(crate) async fn begin_snapshot(&self) -> Result<Tx, StorageError> {
        self.begin(self.dialect.begin_snapshot).await
    }

    async fn begin(&self, statement: &'static str) -> Result<Tx, StorageError> {
        Ok(Tx {
            tx: self.pool.begin_with(statement).await?,
            dialect: self.dialect,
        })
    }

    pub(crate) fn wrote(&self) {
        self.written.send_modify(|n| *n = n.wrapping_add(1));
    }
}

impl Database {
    pub fn backend(&self) -> Backend {
        self.dialect.backend
    }

    /// The rules every decision is made with.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Changes after every ticket write this process commits: live streams
    /// wait on it instead of polling. On PostgreSQL, other instances' writes
    /// too (through their notifications); streams also look again every few
    /// seconds.
    pub fn writes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.written.subscribe()
    }

    /// Cheap round trip used by the readiness probe.
    pub async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Waits for in-flight queries, then closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
        let listener = self.listener.lock().ok().and_then(|mut held| held.take());
        if let Some(listener) = listener {
            // Ends once it sees the pool closed; its own connection closes with it.
            let _ = listener.await;
        }
    }
}

/// The channel every PostgreSQL instance listens on for other instances'
/// writes (see `Dialect::before_append`).
const EVENTS_CHANNEL: &str = "frontline_events";

/// Turns other instances' notifications into wake-ups of this one's live
/// streams. A lost connection is re-established; meanwhile the streams'
/// own poll keeps them correct, only slower. Ends, its connection closed,
/// when the pool closes.
async fn listen_for_writes(url: String, pool: AnyPool, written: tokio::sync::watch::Sender<u64>) {
    use sqlx::postgres::{PgListener, PgPoolOptions};
    let Ok(own) = PgPoolOptions::new().max_connections(1).connect_lazy(&url) else {
        return;
    };
    let wake = || written.send_modify(|n| *n = n.wrapping_add(1));
    let mut closed = pool.close_event();
    loop {
        let listening = closed
            .do_until(async {
                let mut listener = PgListener::connect_with(&own).await?;
                listener.listen(EVENTS_CHANNEL).await?;
                Ok::<_, sqlx::Error>(listener)
            })
            .await;
        let mut listener = match listening {
            Err(_) => break,
            Ok(Ok(listener)) => listener,
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "cannot listen for other instances' writes; retrying");
                if closed
                    .do_until(tokio::time::sleep(Duration::from_secs(2)))
                    .await
                    .is_err()
                {
                    break;
                }
                continue;
            }
        };
        // Writes made while no one listened are found by a wake-up now.
        wake();
        let lost = loop {
            match closed.do_until(listener.try_recv()).await {
                Err(_) => break false,
                // A notification, or a lost connection that the next call
                // re-establishes: either way the streams look again.
                Ok(Ok(_)) => wake(),
                Ok(Err(err)) => {
                    tracing::warn!(error = %err, "lost the notification connection; reconnecting");
                    break true;
                }
            }
        };
        drop(listener);
        if !lost
            || closed
                .do_until(tokio::time::sleep(Duration::from_secs(1)))
                .await
                .is_err()
        {
            break;
        }
    }
    own.close().await;
}
