//! Live fan-out load generator (issue 6): starts the real server on a fresh
//! database, connects N boards to the event stream, makes M changes a second
//! through the real `change_incident` function, and prints how long each
//! change took to reach each board, what never arrived, and the server's
//! memory. A benchmark to run by hand, not a test.
//!
//! cargo build --release -p server --bin frontline -p benches --bin loadgen
//! target/release/loadgen --boards 500 --rate 50 --seconds 20
//!
//! Everything goes over real HTTP with a small HTTP/1.1 client of its own, so
//! the benchmark needs no client features in hyper and builds nothing twice.

mod boards;
mod changes;
mod results;

use boards::*;
use changes::*;
use results::*;
use std::{
    collections::{HashMap, HashSet},
    fs,
    path::{Path, PathBuf},
    process::ExitCode,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use benches::{
    child::{
        cpu_seconds, free_port, sample_memory, warn_about_open_files, FreshDatabase, RunningServer,
        ServerEnvironment,
    },
    http::{
        call, form_encode, is_chunked, now_us, parse_head, sign_in, Dechunker, FORM,
        REQUEST_TIMEOUT,
    },
};
use serde_json::{json, Value};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    sync::{watch, Mutex, Semaphore},
    task::JoinHandle,
    time::{sleep, timeout, MissedTickBehavior},
};

const USAGE: &str = "\
Usage: loadgen [options]

Starts the server on a fresh database with demo data, connects N boards to
the live event stream (GET /api/events), makes M comment changes a second
through change_incident, and reports fan-out latency (change committed ->
event received) p50/p99/max, events lost, duplicates, out-of-order events
and the server's memory. Exits 1 when any board lost, repeated or reordered
an event.

Options:
  --boards N            concurrent event streams (default 500)
  --rate M              changes per second (default 50)
  --seconds S           how long changes are made (default 20)
  --binary PATH         the server binary (default target/release/frontline)
  --database-url URL    a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres;
                        a fresh database is created on it and dropped afterwards
                        (default: SQLite in the temporary data directory)
  --port P              port for the server (default: a free one)
  --demo-size N         demo tickets to start from (default 5000: about 1 % are
                        open, and the changes go to the open ones)
  --keep                keep the temporary data directory (and its server.log)
  -h, --help            show this help

Each board holds a socket, and so does the server: raise the open-file limit
first if it is low, e.g. `ulimit -n 4096`.
";

/// The desk people whose sessions the boards share: sign-in is throttled and
/// slow on purpose (argon2), so boards do not each sign in.
const BOARD_ACCOUNTS: [&str; 5] = [
    "l1.agent@example.org",
    "l2.agent@example.org",
    "l3.agent@example.org",
    "security@example.org",
    "admin@example.org",
];
/// Makes the changes; may comment on every ticket.
const WRITER_ACCOUNT: &str = "admin@example.org";
/// How long boards may take to receive the last changes.
const GRACE: Duration = Duration::from_secs(5);
/// How often the server's memory is sampled.
const MEMORY_SAMPLE: Duration = Duration::from_millis(500);
/// Streams opened at once; the rest wait so the accept queue never overflows.
const OPENING_AT_ONCE: usize = 50;

struct Options {
    boards: usize,
    rate: u32,
    seconds: u64,
    binary: PathBuf,
    database_url: Option<String>,
    port: Option<u16>,
    demo_size: u64,
    keep: bool,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        boards: 500,
        rate: 50,
        seconds: 20,
        binary: PathBuf::from("target/release/frontline"),
        database_url: None,
        port: None,
        demo_size: 5000,
        keep: false,
    };
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        if flag == "--keep" {
            options.keep = true;
            continue;
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number = || {
            value
                .replace('_', "")
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or(format!(
                    "{flag} needs a positive whole number, not {value:?}"
                ))
        };
        match flag.as_str() {
            "--boards" => options.boards = number()? as usize,
            "--rate" => {
                options.rate = u32::try_from(number()?).map_err(|_| "--rate is too large")?
            }
            "--seconds" => options.seconds = number()?,
            "--demo-size" => options.demo_size = number()?,
            "--port" => {
                options.port = Some(u16::try_from(number()?).map_err(|_| "--port is too large")?)
            }
            "--binary" => options.binary = PathBuf::from(value),
            "--database-url" if value.starts_with("postgres://") => {
                options.database_url = Some(value)
            }
            "--database-url" => return Err("--database-url must be a postgres:// URL".to_owned()),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(Some(options))
}

fn main() -> ExitCode {
    benches::main("loadgen", USAGE, parse, run)
}

/// Sets up the server, measures, and always cleans up; true when every
/// board received every change once and in order.
async fn run(options: Options) -> Result<bool, String> {
    warn_about_open_files(options.boards);
    let binary = fs::canonicalize(&options.binary).map_err(|e| {
        format!(
            "cannot find the server binary {} ({e}); build it with \
             `cargo build --release -p server --bin frontline` or pass --binary",
            options.binary.display()
        )
    })?;
    let dir = std::env::temp_dir().join(format!("frontline-loadgen-{}", std::process::id()));
    // A leftover from an earlier run with the same pid holds nothing of value.
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;

    let database = match &options.database_url {
        Some(admin_url) => match FreshDatabase::create(admin_url).await {
            Ok(database) => Some(database),
            Err(err) => {
                let _ = fs::remove_dir_all(&dir);
                return Err(err);
            }
        },
        None => None,
    };
    let result = serve_and_measure(&options, &binary, &dir, database.as_ref()).await;
    if let Some(database) = database {
        if let Err(err) = database.drop_it().await {
            eprintln!("loadgen: {err}");
        }
    }
    if options.keep {
        println!("kept {}", dir.display());
    } else {
        let _ = fs::remove_dir_all(&dir);
    }
    result
}

async fn serve_and_measure(
    options: &Options,
    binary: &Path,
    dir: &Path,
    database: Option<&FreshDatabase>,
) -> Result<bool, String> {
    let port = match options.port {
        Some(port) => port,
        None => free_port()?,
    };
    let host = format!("127.0.0.1:{port}");
    let environment = ServerEnvironment {
        binary,
        dir,
        listen: &host,
        database_url: database.map(|d| d.url.as_str()),
    };

    let started = Instant::now();
    environment.fill_with_demo_data(options.demo_size).await?;
    println!(
        "demo data: {} tickets in {:.1} s ({})",
        options.demo_size,
        started.elapsed().as_secs_f64(),
        if database.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    let server = environment.start()?;
    let result = measure(options, &host, &server).await;
    drop(server);
    result
}

/// Everything that runs against the started server.
async fn measure(options: &Options, host: &str, server: &RunningServer) -> Result<bool, String> {
    server.wait_until_ready(host).await?;
    println!("server pid {} listening on {host}", server.pid);

    let mut cookies = Vec::new();
    for email in BOARD_ACCOUNTS {
        cookies.push(sign_in(host, email).await?);
    }
    let writer = sign_in(host, WRITER_ACCOUNT).await?;
    // The L1 agent's board leaves out security incidents, so every board
    // session may see every ticket changed below.
    let tickets = open_tickets(host, &cookies[0]).await?;
    println!("changing {} open tickets", tickets.len());

    let idle = server.memory().unwrap_or_default();
    let boards = connect_boards(host, &cookies, options.boards).await?;
    sleep(Duration::from_millis(500)).await;
    let connected = server.memory().unwrap_or_default();
    println!(
        "{} boards connected; server RSS {:.1} MB idle, {:.1} MB with the boards",
        options.boards,
        mb(idle.rss_kb),
        mb(connected.rss_kb)
    );

    let peak = Arc::new(AtomicU64::new(connected.rss_kb));
    let (stop_sampling, sampling) = watch::channel(false);
    let sampler = tokio::spawn(sample_memory(
        server.pid,
        MEMORY_SAMPLE,
        Arc::clone(&peak),
        sampling,
    ));

    let cpu_before = (cpu_seconds(&server.pid.to_string()), cpu_seconds("self"));
    let started = Instant::now();
    let (made, failures) = make_changes(host, &writer, tickets, options).await;
    let changing = started.elapsed();
    let cpu_after = (cpu_seconds(&server.pid.to_string()), cpu_seconds("self"));

    // Wait for the boards to catch up, or for the grace period to pass.
    let expected = (made.len() * options.boards) as u64;
    let deadline = Instant::now() + GRACE;
    while boards.delivered.load(Ordering::Relaxed) < expected && Instant::now() < deadline {
        sleep(Duration::from_millis(20)).await;
    }
    // A little longer, to catch duplicates arriving after the last expected one.
    sleep(Duration::from_millis(300)).await;
    let loaded = server.memory().unwrap_or_default();
    let _ = stop_sampling.send(true);
    let _ = sampler.await;
    let logs = boards.stop().await;

    let report = Report::new(&made, &logs);
    let memory = Memory {
        idle_rss_kb: idle.rss_kb,
        connected_rss_kb: connected.rss_kb,
        end_rss_kb: loaded.rss_kb,
        peak_rss_kb: peak.load(Ordering::Relaxed).max(loaded.rss_kb),
        hwm_kb: loaded.hwm_kb,
    };
    let cpu = match (cpu_before, cpu_after) {
        ((Some(s0), Some(l0)), (Some(s1), Some(l1))) => Some((s1 - s0, l1 - l0)),
        _ => None,
    };
    print_report(options, &report, &failures, &memory, cpu, changing);
    Ok(report.lost == 0 && report.duplicates == 0 && report.out_of_order == 0)
}
