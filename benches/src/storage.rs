//! Storage benchmark: fills a database with realistic tickets (about 1 %
//! open), then prints creation throughput through the storage layer beside
//! a raw sqlx insert of the same row, and p50/p95 latencies of the board,
//! one ticket with its timeline, and search.
//!
//! cargo run --release -p benches --bin storage-bench -- sqlite [--size N]
//! cargo run --release -p benches --bin storage-bench -- postgres [--size N] [--admin-url URL]

use std::{
    process::ExitCode,
    time::{Duration, Instant},
};

use domain::{
    access::Scope,
    change::{self, Acting},
    incident::{IncidentTitle, NewIncident},
    kind::Kind,
    lifecycle::Actor,
    person::Contact,
    priority::{Impact, Urgency},
};

use sqlx::{Connection, Executor, PgConnection, SqliteConnection};
use storage::{self, BoardQuery, Store};

const USAGE: &str = "\
Usage: storage-bench sqlite|postgres [options]

Options:
  --size N          tickets to fill the database with (default 1000000)
  --create N        tickets created one by one for the throughput figures (default 5000)
  --writers N       concurrent writers for the throughput figures (default 4)
  --samples N       queries per latency figure (default 300)
  --sqlite-file F   SQLite database file (default target/bench/frontline-bench.db; replaced)
  --admin-url URL   PostgreSQL server to create the database frontline_bench on
                    (default postgres://postgres@127.0.0.1:5432/postgres; replaced)
";

struct Options {
    backend: String,
    size: u64,
    create: u64,
    writers: u64,
    samples: usize,
    sqlite_file: String,
    admin_url: String,
}

fn parse() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let backend = args.next().ok_or("say which backend: sqlite or postgres")?;
    if backend != "sqlite" && backend != "postgres" {
        return Err(format!("unknown backend {backend:?}"));
    }
    let mut options = Options {
        backend,
        size: 1_000_000,
        create: 5_000,
        writers: 4,
        samples: 300,
        sqlite_file: "target/bench/frontline-bench.db".to_owned(),
        admin_url: "postgres://postgres@127.0.0.1:5432/postgres".to_owned(),
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number = || {
            value
                .replace('_', "")
                .parse::<u64>()
                .map_err(|_| format!("{flag} needs a number"))
        };
        match flag.as_str() {
            "--size" => options.size = number()?,
            "--create" => options.create = number()?,
            "--writers" => options.writers = number()?.max(1),
            "--samples" => options.samples = number()?.max(1) as usize,
            "--sqlite-file" => options.sqlite_file = value,
            "--admin-url" => options.admin_url = value,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("storage-bench: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(options).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("storage-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(options: Options) -> Result<(), String> {
    let url = fresh_database(&options).await?;
    println!(
        "backend: {}  size: {}  database: {}",
        options.backend,
        options.size,
        storage::redact_url(&url)
    );
    let store = storage::connect(&url).await.map_err(|e| e.to_string())?;

    let now_ms = app::clock::now_ms();
    let started = Instant::now();
    let mut last_print = Instant::now();
    server::demo::fill(&store, options.size, now_ms, 42, |written| {
        if last_print.elapsed() > Duration::from_secs(15) || written == options.size {
            last_print = Instant::now();
            eprintln!(
                "  filled {written} of {} ({:.0} s)",
                options.size,
                started.elapsed().as_secs_f64()
            );
        }
    })
    .await
    .map_err(|e| e.to_string())?;
    let fill_s = started.elapsed().as_secs_f64();
    println!(
        "fill (demo data, batched import with histories): {} tickets in {fill_s:.1} s = {:.0} tickets/s",
        options.size,
        options.size as f64 / fill_s
    );
    if options.backend == "sqlite" {
        let mut conn = SqliteConnection::connect(&url)
            .await
            .map_err(|e| e.to_string())?;
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .map_err(|e| e.to_string())?;
    } else {
        let mut conn = PgConnection::connect(&url)
            .await
            .map_err(|e| e.to_string())?;
        conn.execute("VACUUM ANALYZE")
            .await
            .map_err(|e| e.to_string())?;
    }

    // Latencies first, on the demo distribution (about 1 % open); the
    // creation runs add open tickets of their own.
    latencies(&options, &store).await?;
    creation(&options, &store, &url).await?;
    store.close().await;
    Ok(())
}

async fn fresh_database(options: &Options) -> Result<String, String> {
    if options.backend == "sqlite" {
        let path = std::path::Path::new(&options.sqlite_file);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", options.sqlite_file));
        }
        return Ok(format!("sqlite://{}", options.sqlite_file));
    }
    let mut admin = PgConnection::connect(&options.admin_url)
        .await
        .map_err(|e| {
            format!(
                "cannot reach PostgreSQL at {}: {e}",
                storage::redact_url(&options.admin_url)
            )
        })?;
    admin
        .execute("DROP DATABASE IF EXISTS frontline_bench WITH (FORCE)")
        .await
        .map_err(|e| e.to_string())?;
    admin
        .execute("CREATE DATABASE frontline_bench")
        .await
        .map_err(|e| e.to_string())?;
    let base = options
        .admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .ok_or("the admin URL must name a database")?;
    Ok(format!("{base}/frontline_bench"))
}

fn sample_report(i: u64) -> NewIncident {
    let titles = [
        "VPN disconnects every few minutes",
        "Printer on floor 2 jams",
        "Outlook keeps asking for my password",
    ];
    NewIncident {
        kind: Kind::Incident,
        title: IncidentTitle::parse(titles[(i % 3) as usize])
            .unwrap_or_else(|_| unreachable!("fixed titles are valid")),
        description:
            "Started this morning after the update; colleagues on the same floor see it too."
                .to_owned(),
        symptoms: String::new(),
        reporter: Contact {
            name: "Bench Reporter".to_owned(),
            email: Some("bench@example.org".to_owned()),
            phone: None,
        },
        reporter_id: None,
        service: Some("VPN".to_owned()),
        category_id: None,
        impact: Impact::Medium,
        urgency: Urgency::Medium,
        diagnosis: Vec::new(),
        started: None,
    }
}

/// Runs `per_writer` operations on each of `writers` tasks; returns operations per second.
async fn throughput<F, Fut>(writers: u64, total: u64, op: F) -> Result<f64, String>
where
    F: Fn(u64) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + Send,
{
    let per_writer = total / writers;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..writers {
        let op = op.clone();
        tasks.push(tokio::spawn(async move {
            for n in 0..per_writer {
                op(w * per_writer + n).await?;
            }
            Ok::<_, String>(())
        }));
    }
    for task in tasks {
        task.await.map_err(|e| e.to_string())??;
    }
    Ok((per_writer * writers) as f64 / started.elapsed().as_secs_f64())
}

async fn creation(options: &Options, store: &Store, url: &str) -> Result<(), String> {
    let by = Acting {
        person_id: None,
        name: "Bench Reporter".to_owned(),
        actor: Actor::Reporter,
    };
    let rules = store.rules().clone();
    let now = app::clock::now_ms();
    let raw_row = move |i: u64| change::report(&sample_report(i), None, now, &rules).incident;
    // The same database and connection set-up as the store's, for the bare INSERT.
    let raw = std::sync::Arc::new(
        storage::Database::connect(url, store.rules().clone())
            .await
            .map_err(|e| e.to_string())?,
    );

    // The raw insert is the storage layer's own INSERT of the same row, alone
    // (autocommit, no event, no transaction), through the same driver.
    // Alternate raw and storage rounds so neither gets a warmer cache or a
    // quieter disk; report the totals.
    let rounds = 4;
    let per_round = options.create / rounds;
    let (mut raw_rate, mut storage_rate) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let raw = raw.clone();
        let raw_row = raw_row.clone();
        let rate = throughput(options.writers, per_round, move |i| {
            let (raw, row) = (raw.clone(), raw_row(i));
            async move {
                raw.insert_alone(&row).await.map_err(|e| e.to_string())?;
                Ok(())
            }
        })
        .await?;
        raw_rate.push(rate);
        let (store, by) = (store.clone(), by.clone());
        let rate = throughput(options.writers, per_round, move |i| {
            let (store, by) = (store.clone(), by.clone());
            async move {
                store
                    .report(&sample_report(i), &by, app::clock::now_ms())
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(())
            }
        })
        .await?;
        storage_rate.push(rate);
    }
    raw.close().await;
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (raw, through) = (mean(&raw_rate), mean(&storage_rate));
    println!(
        "create, {} writers, {} tickets each way: storage layer {through:.0}/s (ticket + event + search index, one transaction) \
         vs raw insert {raw:.0}/s (ticket row + search index, autocommit) = {:.0} %",
        options.writers,
        per_round * rounds,
        100.0 * through / raw
    );
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)].as_secs_f64() * 1_000.0
}

fn report(name: &str, mut times: Vec<Duration>, rows: usize) {
    times.sort();
    println!(
        "{name:<34} p50 {:>7.2} ms   p95 {:>7.2} ms   max {:>7.2} ms   ({} samples, {rows} rows last)",
        percentile(&times, 0.50),
        percentile(&times, 0.95),
        percentile(&times, 1.0),
        times.len()
    );
}

async fn latencies(options: &Options, store: &Store) -> Result<(), String> {
    let err = |e: storage::StorageError| e.to_string();
    let open = store
        .board(BoardQuery {
            tier: None,
            limit: 100_000,
            finished_since_ms: None,
            scope: Scope::Everything,
        })
        .await
        .map_err(err)?;
    println!("open tickets: {} of {}", open.len(), options.size);

    for (name, limit) in [
        ("board (open, first 200)", 200),
        ("board (all open)", 100_000),
    ] {
        let mut times = Vec::with_capacity(options.samples);
        let mut rows = 0;
        for _ in 0..options.samples {
            let started = Instant::now();
            rows = store
                .board(BoardQuery {
                    tier: None,
                    limit,
                    finished_since_ms: None,
                    scope: Scope::Everything,
                })
                .await
                .map_err(err)?
                .len();
            times.push(started.elapsed());
        }
        report(name, times, rows);
    }

    let mut rng = fastrand::Rng::with_seed(9);
    let mut times = Vec::with_capacity(options.samples);
    let mut rows = 0;
    for _ in 0..options.samples {
        let id = rng.i64(1..=options.size as i64);
        let started = Instant::now();
        let detail = store
            .incident(id)
            .await
            .map_err(err)?
            .ok_or(format!("ticket {id} missing"))?;
        times.push(started.elapsed());
        rows = detail.timeline.len();
    }
    report("one ticket with its timeline", times, rows);

    let queries = [
        "vpn",
        "printer jams",
        "outlook password",
        "certificate",
        "laptop",
        "wi-fi slow floor",
        "phishing email",
        "erp invoice timeout",
        "shared mailbox access",
        "mfa codes rejected",
    ];
    let mut times = Vec::with_capacity(options.samples);
    let mut rows = 0;
    for n in 0..options.samples {
        let started = Instant::now();
        rows = store
            .search(queries[n % queries.len()], 20, Scope::Everything)
            .await
            .map_err(err)?
            .len();
        times.push(started.elapsed());
    }
    report("search (top 20)", times, rows);
    Ok(())
}
