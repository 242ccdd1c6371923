//! Sign-in flood: starts the real server on a fresh database, sends N
//! sign-ins at once, each with an unknown email and from its own loopback
//! address (so no per-address limit applies), and prints the server's
//! resident memory before, at the peak and 5 s after, the answers by
//! status, and sign-in latency under the flood. A benchmark to run by hand.
//!
//! cargo build --release -p server --bin frontline -p benches --bin signin-flood
//! target/release/signin-flood --attempts 200

use std::{
    collections::BTreeMap,
    net::{IpAddr, Ipv4Addr},
    process::ExitCode,
    sync::{atomic::AtomicU64, atomic::Ordering, Arc},
    time::{Duration, Instant},
};

use benches::{
    child::{free_port, positive, sample_memory, warn_about_open_files, ServerFlags, Workspace},
    http::{form_encode, header, request_from, DEMO_PASSWORD, FORM},
};
use clap::Parser;
use tokio::{sync::watch, time::sleep};

/// Memory is read this often during the flood, to catch its peak.
const SAMPLE_EVERY: Duration = Duration::from_millis(5);
/// When "after" is read, counted from the last answer.
const SETTLE: Duration = Duration::from_secs(5);

/// Starts the server on a fresh database with a little demo data, sends N
/// sign-in attempts at once (unknown emails, each from its own address
/// 127.1.x.y), and prints the server's resident memory before the flood, at
/// its peak and 5 s after it, how the attempts were answered, and their
/// latency. Then one real sign-in, to show the desk still lets people in.
#[derive(Debug, Parser)]
#[command(name = "signin-flood")]
struct Options {
    /// Simultaneous sign-in attempts (127.1.0.0/16 holds 65,534 client addresses)
    #[arg(long, value_name = "N", default_value_t = 200, value_parser = attempts)]
    attempts: usize,
    #[command(flatten)]
    server: ServerFlags,
}

fn attempts(value: &str) -> Result<usize, String> {
    match positive::<usize>(value)? {
        n if n < 65_000 => Ok(n),
        _ => Err("it must be below 65000".to_owned()),
    }
}

fn main() -> ExitCode {
    benches::main("signin-flood", run)
}

/// True when a real person could sign in after the flood.
async fn run(options: Options) -> Result<bool, String> {
    warn_about_open_files(options.attempts);
    let workspace = Workspace::prepare("flood", &options.server).await?;
    let result = async {
        let host = format!(
            "127.0.0.1:{}",
            options.server.port.map_or_else(free_port, Ok)?
        );
        let environment = workspace.server(&host);
        environment.fill_with_demo_data(10).await?;
        let server = environment.start()?;
        server.wait_until_ready(&host).await?;
        flood(&options, &host, server.pid).await
    }
    .await;
    workspace.clean_up(false).await;
    result
}

/// One attempt's answer: status, whether it said when to retry, and how long it took.
struct Answer {
    status: u16,
    retry_after: bool,
    took: Duration,
}

async fn flood(options: &Options, host: &str, pid: u32) -> Result<bool, String> {
    // Settle after start-up, so "before" is the idle server.
    sleep(Duration::from_secs(1)).await;
    let before = benches::child::memory_of(pid).ok_or("cannot read the server's memory")?;
    let peak = Arc::new(AtomicU64::new(before.rss_kb));
    let (stop, stopped) = watch::channel(false);
    let sampler = tokio::spawn(sample_memory(pid, SAMPLE_EVERY, Arc::clone(&peak), stopped));

    let started = Instant::now();
    let attempts = (0..options.attempts).map(|i| {
        let host = host.to_owned();
        // 127.1.0.1, 127.1.0.2, …: each attempt is a client of its own.
        let n = i + 1;
        let source = IpAddr::V4(Ipv4Addr::new(127, 1, (n / 256) as u8, (n % 256) as u8));
        tokio::spawn(async move {
            let email = format!("nobody{i}@flood.example");
            let body = form_encode(&[("email", &email), ("password", "not the password")]);
            let origin = format!("http://{host}");
            let headers = [("Content-Type", FORM), ("Origin", origin.as_str())];
            let sent = Instant::now();
            let reply = request_from(
                Some(source),
                &host,
                "POST",
                "/api/sign_in",
                &headers,
                body.as_bytes(),
            )
            .await?;
            Ok::<_, String>(Answer {
                status: reply.status,
                retry_after: header(&reply.headers, "retry-after").is_some(),
                took: sent.elapsed(),
            })
        })
    });
    let mut answers = Vec::new();
    let mut failures = BTreeMap::<String, usize>::new();
    for task in attempts.collect::<Vec<_>>() {
        match task.await {
            Ok(Ok(answer)) => answers.push(answer),
            Ok(Err(err)) => *failures.entry(err).or_default() += 1,
            Err(err) => *failures.entry(err.to_string()).or_default() += 1,
        }
    }
    let flood_took = started.elapsed();
    sleep(SETTLE).await;
    let after = benches::child::memory_of(pid).ok_or("cannot read the server's memory")?;
    let _ = stop.send(true);
    let _ = sampler.await;
    let peak_kb = peak.load(Ordering::Relaxed).max(after.hwm_kb);

    println!(
        "{} simultaneous sign-ins, unknown emails, each from its own address; {}",
        options.attempts,
        if options.server.database_url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    println!(
        "resident memory: before {:.1} MB, peak {:.1} MB, {} s after {:.1} MB",
        mb(before.rss_kb),
        mb(peak_kb),
        SETTLE.as_secs(),
        mb(after.rss_kb)
    );
    let mut by_status = BTreeMap::<u16, Vec<&Answer>>::new();
    for answer in &answers {
        by_status.entry(answer.status).or_default().push(answer);
    }
    for (status, group) in &by_status {
        let mut took: Vec<Duration> = group.iter().map(|a| a.took).collect();
        took.sort();
        let with_retry = group.iter().filter(|a| a.retry_after).count();
        println!(
            "  {status}: {:>4} answers, latency p50 {:.0} ms, p90 {:.0} ms, max {:.0} ms{}",
            group.len(),
            ms(percentile(&took, 0.5)),
            ms(percentile(&took, 0.9)),
            ms(took.last().copied().unwrap_or_default()),
            if with_retry > 0 {
                format!(", {with_retry} with Retry-After")
            } else {
                String::new()
            }
        );
    }
    for (error, count) in &failures {
        println!("  no answer: {count} × {error}");
    }
    println!("all answered within {:.0} ms", ms(flood_took));

    // The desk still lets a real person in once the flood has passed.
    let origin = format!("http://{host}");
    let headers = [("Content-Type", FORM), ("Origin", origin.as_str())];
    let body = form_encode(&[
        ("email", "l1.agent@example.org"),
        ("password", DEMO_PASSWORD),
    ]);
    let sent = Instant::now();
    let reply = request_from(
        None,
        host,
        "POST",
        "/api/sign_in",
        &headers,
        body.as_bytes(),
    )
    .await?;
    println!(
        "then a real sign-in: {} in {:.0} ms",
        reply.status,
        ms(sent.elapsed())
    );
    if reply.status != 200 {
        eprintln!("signin-flood: the real sign-in failed: {}", reply.text());
    }
    Ok(reply.status == 200)
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}
