//! Demo data: a directory of people, a category tree and tickets with
//! realistic histories. Every history is made by the domain's own rules
//! (`report` then `decide`), so demo tickets are ones the desk could have
//! produced; nothing is written that the lifecycle forbids.

mod directory;
mod tickets;

pub use directory::{seed_directory, Directory, DEMO_ACCOUNTS, DEMO_LEADS, DEMO_PASSWORD};
pub use tickets::Generator;

use domain::access::Scope;
use storage::{ImportedTicket, StorageError, Store};

/// Fills the store with `total` tickets in batches, calling `progress` with
/// the number written so far.
pub async fn fill(
    store: &Store,
    total: u64,
    now_ms: i64,
    seed: u64,
    mut progress: impl FnMut(u64),
) -> Result<(), StorageError> {
    let directory = seed_directory(store, now_ms).await?;
    let mut generator = Generator::new(&directory, store.rules().clone(), now_ms, total, seed);
    const BATCH: u64 = 2_000;
    let mut written = 0;
    while written < total {
        let batch: Vec<ImportedTicket> = (written..(written + BATCH).min(total))
            .map(|i| generator.ticket(i))
            .collect();
        store.import(&batch).await?;
        written += batch.len() as u64;
        progress(written);
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("cannot use the database {url}: {source}")]
    Database { url: String, source: StorageError },
    #[error("the database {0} already holds tickets; demo data only goes into an empty database (point FRONTLINE_DATABASE_URL at a new one)")]
    NotEmpty(String),
}

/// `frontline demo-data`: opens the configured database, checks it is empty,
/// and fills it, printing progress.
pub async fn fill_database(config: &crate::Config, total: u64, seed: u64) -> Result<(), DemoError> {
    let url = config.database_url_redacted();
    let failed = |source| DemoError::Database {
        url: url.clone(),
        source,
    };
    std::fs::create_dir_all(&config.data_dir).map_err(|source| DemoError::DataDir {
        path: config.data_dir.clone(),
        source,
    })?;
    let store = storage::connect_with(&config.database_url, config.rules.clone())
        .await
        .map_err(failed)?;
    if !store
        .recent_incidents(1, Scope::Everything)
        .await
        .map_err(failed)?
        .is_empty()
    {
        return Err(DemoError::NotEmpty(url));
    }
    let started = std::time::Instant::now();
    let now_ms = app::clock::now_ms();
    let step = (total / 20).max(1);
    fill(&store, total, now_ms, seed, |written| {
        if written % step < 2_000 || written == total {
            println!("{written} of {total} tickets written");
        }
    })
    .await
    .map_err(failed)?;
    store.close().await;
    println!(
        "Demo data ready in {url}: {total} tickets in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    println!("Sign in with any of these (password {DEMO_PASSWORD}):");
    for (_, email) in DEMO_ACCOUNTS {
        println!("  {email}");
    }
    Ok(())
}
