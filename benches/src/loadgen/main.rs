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
    process::ExitCode,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use benches::{
    child::{
        cpu_seconds, free_port, positive, sample_memory, warn_about_open_files, RunningServer,
        ServerFlags, Workspace,
    },
    http::{
        call, form_encode, is_chunked, now_us, parse_head, sign_in, Dechunker, FORM,
        REQUEST_TIMEOUT,
    },
};
use clap::Parser;
use serde_json::{json, Value};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    sync::{watch, Mutex, Semaphore},
    task::JoinHandle,
    time::{sleep, timeout, MissedTickBehavior},
};

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

/// Starts the server on a fresh database with demo data, connects N boards
/// to the live event stream (GET /api/events), makes M comment changes a
/// second through change_incident, and reports fan-out latency (change
/// committed -> event received) p50/p99/max, events lost, duplicates,
/// out-of-order events and the server's memory. Exits 1 when any board lost,
/// repeated or reordered an event.
///
/// Each board holds a socket, and so does the server: raise the open-file
/// limit first if it is low, e.g. `ulimit -n 4096`.
#[derive(Debug, Parser)]
#[command(name = "loadgen")]
struct Options {
    /// Concurrent event streams
    #[arg(long, value_name = "N", default_value_t = 500, value_parser = positive::<usize>)]
    boards: usize,
    /// Changes per second
    #[arg(long, value_name = "M", default_value_t = 50, value_parser = positive::<u32>)]
    rate: u32,
    /// How long changes are made, in seconds
    #[arg(long, value_name = "S", default_value_t = 20, value_parser = positive::<u64>)]
    seconds: u64,
    /// Demo tickets to start from (about 1 % are open, and the changes go to the open ones)
    #[arg(long, value_name = "N", default_value_t = 5000, value_parser = positive::<u64>)]
    demo_size: u64,
    /// Keep the temporary data directory (and its server.log)
    #[arg(long)]
    keep: bool,
    #[command(flatten)]
    server: ServerFlags,
}

fn main() -> ExitCode {
    benches::main("loadgen", run)
}

/// Sets up the server, measures, and always cleans up; true when every
/// board received every change once and in order.
async fn run(options: Options) -> Result<bool, String> {
    warn_about_open_files(options.boards);
    let workspace = Workspace::prepare("loadgen", &options.server).await?;
    let result = serve_and_measure(&options, &workspace).await;
    workspace.clean_up(options.keep).await;
    result
}

async fn serve_and_measure(options: &Options, workspace: &Workspace) -> Result<bool, String> {
    let port = match options.server.port {
        Some(port) => port,
        None => free_port()?,
    };
    let host = format!("127.0.0.1:{port}");
    let environment = workspace.server(&host);
    let database = workspace.database.as_ref();

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
