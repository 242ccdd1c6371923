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

// ---------------------------------------------------------------------------
// Changes

/// A ticket a writer comments on, and the version it last saw.
struct Ticket {
    id: i64,
    reference: String,
    version: i64,
}

/// A change the server accepted: the event every board should receive.
#[derive(Debug, Clone, Copy)]
struct Made {
    incident_id: i64,
    version: i64,
    sent_us: i64,
    answered_us: i64,
}

/// The open tickets on the board of the given session.
async fn open_tickets(host: &str, cookie: &str) -> Result<Vec<Ticket>, String> {
    let reply = call(host, "board", FORM, b"", Some(cookie)).await?;
    if reply.status != 200 {
        return Err(format!(
            "the board failed ({}): {}",
            reply.status,
            reply.text()
        ));
    }
    let board = reply.json()?;
    // `incidents` until the board sends cards, `cards` after (issue 6).
    let tickets: Vec<Ticket> = board["cards"]
        .as_array()
        .or_else(|| board["incidents"].as_array())
        .ok_or("the board has neither cards nor incidents")?
        .iter()
        // Resolved tickets may be closed by the server's own job meanwhile.
        .filter(|t| {
            matches!(
                t["state"].as_str(),
                Some("new" | "assigned" | "in_progress" | "pending")
            )
        })
        .filter_map(|t| {
            Some(Ticket {
                id: t["id"].as_i64()?,
                reference: t["reference"].as_str()?.to_owned(),
                version: t["version"].as_i64()?,
            })
        })
        .collect();
    if tickets.is_empty() {
        return Err("the demo data has no open tickets to change".to_owned());
    }
    Ok(tickets)
}

/// Makes `rate` changes a second, evenly spaced, for `seconds`, spread over
/// the tickets round-robin. Each ticket has a lock, so its changes go one
/// after another with the version the last one returned: no conflicts.
async fn make_changes(
    host: &str,
    writer: &str,
    tickets: Vec<Ticket>,
    options: &Options,
) -> (Vec<Made>, Vec<String>) {
    let tickets: Arc<Vec<Mutex<Ticket>>> = Arc::new(tickets.into_iter().map(Mutex::new).collect());
    let total = options.rate as u64 * options.seconds;
    let mut every = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(options.rate)));
    // A late tick is made up at once, so the total stays rate × seconds.
    every.set_missed_tick_behavior(MissedTickBehavior::Burst);
    let mut changes: Vec<JoinHandle<Result<Made, String>>> = Vec::new();
    for n in 0..total {
        every.tick().await;
        let tickets = Arc::clone(&tickets);
        let host = host.to_owned();
        let writer = writer.to_owned();
        changes.push(tokio::spawn(async move {
            let index = (n % tickets.len() as u64) as usize;
            let mut ticket = tickets[index].lock().await;
            comment(&host, &writer, &mut ticket, n).await
        }));
    }
    let mut made = Vec::new();
    let mut failures = Vec::new();
    for change in changes {
        match change.await {
            Ok(Ok(m)) => made.push(m),
            Ok(Err(message)) => failures.push(message),
            Err(err) => failures.push(format!("a writer task failed: {err}")),
        }
    }
    (made, failures)
}

async fn comment(host: &str, writer: &str, ticket: &mut Ticket, n: u64) -> Result<Made, String> {
    let body = json!({
        "reference": ticket.reference,
        "version": ticket.version,
        "change": { "Comment": { "text": format!("Load test comment {n}"), "internal": false } },
    })
    .to_string();
    let sent_us = now_us();
    let reply = call(
        host,
        "change_incident",
        "application/json",
        body.as_bytes(),
        Some(writer),
    )
    .await?;
    let answered_us = now_us();
    if reply.status != 200 {
        // Someone else (a server job) may have changed it: start again from
        // its current version next time.
        if let Some(version) = current_version(host, writer, &ticket.reference).await {
            ticket.version = version;
        }
        return Err(format!(
            "change to {} refused ({}): {}",
            ticket.reference,
            reply.status,
            reply.text()
        ));
    }
    let version = reply.json()?["version"]
        .as_i64()
        .ok_or_else(|| format!("the change to {} returned no version", ticket.reference))?;
    ticket.version = version;
    Ok(Made {
        incident_id: ticket.id,
        version,
        sent_us,
        answered_us,
    })
}

async fn current_version(host: &str, cookie: &str, reference: &str) -> Option<i64> {
    let body = form_encode(&[("reference", reference)]);
    let reply = call(host, "incident", FORM, body.as_bytes(), Some(cookie))
        .await
        .ok()?;
    reply.json().ok()?["incident"]["version"].as_i64()
}

// ---------------------------------------------------------------------------
// Boards

/// One `change` event as a board received it.
#[derive(Debug, Clone, Copy)]
struct Delivery {
    event_id: i64,
    incident_id: i64,
    version: i64,
    at_ms: i64,
    received_us: i64,
}

/// What one board saw until it was stopped.
#[derive(Default)]
struct BoardLog {
    deliveries: Vec<Delivery>,
    /// Why the stream ended before it was stopped, if it did.
    ended: Option<String>,
    /// `change` events whose data could not be read.
    unreadable: u64,
}

struct Boards {
    tasks: Vec<JoinHandle<BoardLog>>,
    stop: watch::Sender<bool>,
    /// `change` events received by all boards together.
    delivered: Arc<AtomicU64>,
}

impl Boards {
    async fn stop(self) -> Vec<BoardLog> {
        let _ = self.stop.send(true);
        let mut logs = Vec::new();
        for task in self.tasks {
            logs.push(task.await.unwrap_or_else(|err| BoardLog {
                ended: Some(format!("the board task failed: {err}")),
                ..BoardLog::default()
            }));
        }
        logs
    }
}

/// Opens `count` streams over the sessions in turn; returns once every one
/// has answered 200, so no change is made before a board listens.
async fn connect_boards(host: &str, cookies: &[String], count: usize) -> Result<Boards, String> {
    let (stop, stopped) = watch::channel(false);
    let delivered = Arc::new(AtomicU64::new(0));
    let gate = Arc::new(Semaphore::new(OPENING_AT_ONCE));
    let mut openings = Vec::new();
    for n in 0..count {
        let host = host.to_owned();
        let cookie = cookies[n % cookies.len()].clone();
        let gate = Arc::clone(&gate);
        openings.push(tokio::spawn(async move {
            let _turn = gate.acquire_owned().await;
            open_stream(&host, &cookie).await
        }));
    }
    let mut tasks = Vec::new();
    let mut first_error = None;
    for opening in openings {
        match opening.await {
            Ok(Ok(stream)) => tasks.push(tokio::spawn(follow(
                stream,
                stopped.clone(),
                Arc::clone(&delivered),
            ))),
            Ok(Err(message)) => {
                first_error.get_or_insert(message);
            }
            Err(err) => {
                first_error.get_or_insert(format!("opening a stream failed: {err}"));
            }
        }
    }
    let boards = Boards {
        tasks,
        stop,
        delivered,
    };
    if let Some(message) = first_error {
        let opened = boards.tasks.len();
        boards.stop().await;
        return Err(format!(
            "only {opened} of {count} boards connected; first error: {message}"
        ));
    }
    Ok(boards)
}

/// A stream whose response head has arrived.
struct OpenStream {
    socket: TcpStream,
    /// Body bytes that came with the head.
    leftover: Vec<u8>,
    chunked: bool,
}

async fn open_stream(host: &str, cookie: &str) -> Result<OpenStream, String> {
    let opening = async {
        let mut socket = TcpStream::connect(host)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        socket.set_nodelay(true).map_err(|e| e.to_string())?;
        // No Accept-Encoding: the stream comes uncompressed.
        let message = format!(
            "GET /api/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n\r\n"
        );
        socket
            .write_all(message.as_bytes())
            .await
            .map_err(|e| format!("send: {e}"))?;
        let mut raw = Vec::new();
        let mut buffer = [0_u8; 4096];
        loop {
            let n = socket
                .read(&mut buffer)
                .await
                .map_err(|e| format!("read: {e}"))?;
            if n == 0 {
                return Err("the server closed the stream before answering".to_owned());
            }
            raw.extend_from_slice(&buffer[..n]);
            if let Some((status, headers, head_len)) = parse_head(&raw) {
                if status != 200 {
                    return Err(format!(
                        "GET /api/events answered {status}: {}",
                        String::from_utf8_lossy(&raw[head_len..])
                    ));
                }
                return Ok(OpenStream {
                    socket,
                    leftover: raw[head_len..].to_vec(),
                    chunked: is_chunked(&headers),
                });
            }
        }
    };
    timeout(REQUEST_TIMEOUT, opening)
        .await
        .map_err(|_| "GET /api/events: no answer within 30 s".to_owned())?
}

/// Reads one stream until told to stop, noting when each event arrived.
async fn follow(
    stream: OpenStream,
    mut stop: watch::Receiver<bool>,
    delivered: Arc<AtomicU64>,
) -> BoardLog {
    let OpenStream {
        mut socket,
        leftover,
        chunked,
    } = stream;
    let mut log = BoardLog::default();
    let mut chunks = Dechunker::default();
    let mut text = Vec::new();
    let mut receive = |bytes: &[u8], log: &mut BoardLog, text: &mut Vec<u8>| {
        let received_us = now_us();
        if chunked {
            chunks.feed(bytes, text);
        } else {
            text.extend_from_slice(bytes);
        }
        let before = log.deliveries.len();
        read_events(text, received_us, log);
        delivered.fetch_add((log.deliveries.len() - before) as u64, Ordering::Relaxed);
        chunks.done()
    };
    if receive(&leftover, &mut log, &mut text) {
        log.ended = Some("the server ended the stream".to_owned());
        return log;
    }
    let mut buffer = vec![0_u8; 8192];
    loop {
        tokio::select! {
            _ = stop.changed() => return log,
            read = socket.read(&mut buffer) => match read {
                Ok(0) => {
                    log.ended = Some("the server closed the connection".to_owned());
                    return log;
                }
                Ok(n) => {
                    if receive(&buffer[..n], &mut log, &mut text) {
                        log.ended = Some("the server ended the stream".to_owned());
                        return log;
                    }
                }
                Err(err) => {
                    log.ended = Some(format!("read failed: {err}"));
                    return log;
                }
            }
        }
    }
}

/// Takes every complete server-sent event out of `text`. An event is its
/// lines up to a blank line; only `change` events are recorded, keep-alive
/// comments are skipped.
fn read_events(text: &mut Vec<u8>, received_us: i64, log: &mut BoardLog) {
    let mut start = 0;
    while let Some(end) = text[start..].windows(2).position(|w| w == b"\n\n") {
        let block = &text[start..start + end];
        start += end + 2;
        let mut name = "message";
        let mut id = None;
        let mut data: Vec<u8> = Vec::new();
        for line in block.split(|b| *b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let (field, value) = match line.iter().position(|b| *b == b':') {
                Some(0) => continue,
                Some(i) => (&line[..i], &line[i + 1..]),
                None => (line, &[][..]),
            };
            let value = value.strip_prefix(b" ").unwrap_or(value);
            match field {
                b"event" => {
                    name = if value == b"change" {
                        "change"
                    } else {
                        "other"
                    }
                }
                b"id" => id = std::str::from_utf8(value).ok().and_then(|v| v.parse().ok()),
                b"data" => {
                    if !data.is_empty() {
                        data.push(b'\n');
                    }
                    data.extend_from_slice(value);
                }
                _ => {}
            }
        }
        if name != "change" {
            continue;
        }
        // Lenient: the event may carry more fields than these.
        let delivery = serde_json::from_slice::<Value>(&data)
            .ok()
            .and_then(|event| {
                Some(Delivery {
                    event_id: id.or_else(|| event["id"].as_i64())?,
                    incident_id: event["incident_id"].as_i64()?,
                    version: event["version"].as_i64()?,
                    at_ms: event["at_ms"].as_i64()?,
                    received_us,
                })
            });
        match delivery {
            Some(delivery) => log.deliveries.push(delivery),
            None => log.unreadable += 1,
        }
    }
    text.drain(..start);
}

// ---------------------------------------------------------------------------
// Results

struct Report {
    boards: usize,
    changes: usize,
    /// Deliveries of the changes made here.
    deliveries: usize,
    /// Events from elsewhere (the server's own jobs), per all boards.
    other_events: usize,
    /// Received − the change's server timestamp (taken just before commit).
    from_commit_us: Vec<i64>,
    /// Received − the moment the change request was sent.
    from_send_us: Vec<i64>,
    /// The change request alone: sent → answered.
    request_us: Vec<i64>,
    /// Fan-out latencies by the second of the run the change was made in:
    /// shows whether the tail is spread out or comes in bursts.
    by_second: Vec<Vec<i64>>,
    lost: usize,
    boards_losing: usize,
    /// Changes at least one board missed, and those every board missed.
    changes_missed: usize,
    changes_missed_by_all: usize,
    duplicates: usize,
    out_of_order: usize,
    unreadable: u64,
    ended: Vec<String>,
}

impl Report {
    fn new(made: &[Made], logs: &[BoardLog]) -> Self {
        let by_key: HashMap<(i64, i64), &Made> = made
            .iter()
            .map(|m| ((m.incident_id, m.version), m))
            .collect();
        let mut report = Report {
            boards: logs.len(),
            changes: made.len(),
            deliveries: 0,
            other_events: 0,
            from_commit_us: Vec::with_capacity(made.len() * logs.len()),
            from_send_us: Vec::with_capacity(made.len() * logs.len()),
            request_us: made.iter().map(|m| m.answered_us - m.sent_us).collect(),
            by_second: Vec::new(),
            lost: 0,
            boards_losing: 0,
            changes_missed: 0,
            changes_missed_by_all: 0,
            duplicates: 0,
            out_of_order: 0,
            unreadable: 0,
            ended: Vec::new(),
        };
        let first_sent_us = made.iter().map(|m| m.sent_us).min().unwrap_or(0);
        let mut misses: HashMap<(i64, i64), usize> = HashMap::new();
        for log in logs {
            let mut seen_ids = HashSet::new();
            let mut received = HashSet::new();
            let mut last_id = i64::MIN;
            for delivery in &log.deliveries {
                if !seen_ids.insert(delivery.event_id) {
                    report.duplicates += 1;
                    continue;
                }
                if delivery.event_id <= last_id {
                    report.out_of_order += 1;
                }
                last_id = last_id.max(delivery.event_id);
                let key = (delivery.incident_id, delivery.version);
                match by_key.get(&key) {
                    Some(change) => {
                        received.insert(key);
                        report.deliveries += 1;
                        let latency = delivery.received_us - delivery.at_ms * 1000;
                        report.from_commit_us.push(latency);
                        let second = ((change.sent_us - first_sent_us) / 1_000_000) as usize;
                        if report.by_second.len() <= second {
                            report.by_second.resize_with(second + 1, Vec::new);
                        }
                        report.by_second[second].push(latency);
                        report
                            .from_send_us
                            .push(delivery.received_us - change.sent_us);
                    }
                    None => report.other_events += 1,
                }
            }
            let lost = made.len() - received.len();
            for key in by_key.keys().filter(|key| !received.contains(key)) {
                *misses.entry(*key).or_default() += 1;
            }
            report.lost += lost;
            report.boards_losing += usize::from(lost > 0);
            report.unreadable += log.unreadable;
            if let Some(why) = &log.ended {
                report.ended.push(why.clone());
            }
        }
        report.changes_missed = misses.len();
        report.changes_missed_by_all = misses.values().filter(|n| **n == logs.len()).count();
        report.from_commit_us.sort_unstable();
        report.from_send_us.sort_unstable();
        report.request_us.sort_unstable();
        for second in &mut report.by_second {
            second.sort_unstable();
        }
        report
    }
}

struct Memory {
    idle_rss_kb: u64,
    connected_rss_kb: u64,
    end_rss_kb: u64,
    peak_rss_kb: u64,
    hwm_kb: u64,
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

/// Nearest-rank percentile of sorted microseconds, in milliseconds.
fn percentile_ms(sorted_us: &[i64], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return f64::NAN;
    }
    let rank = ((p * sorted_us.len() as f64).ceil() as usize).clamp(1, sorted_us.len());
    sorted_us[rank - 1] as f64 / 1000.0
}

fn spread(sorted_us: &[i64]) -> String {
    format!(
        "p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms",
        percentile_ms(sorted_us, 0.50),
        percentile_ms(sorted_us, 0.99),
        percentile_ms(sorted_us, 1.0)
    )
}

fn print_report(
    options: &Options,
    report: &Report,
    failures: &[String],
    memory: &Memory,
    cpu: Option<(f64, f64)>,
    changing: Duration,
) {
    let seconds = changing.as_secs_f64();
    println!();
    println!(
        "changes: {} accepted, {} refused, in {seconds:.1} s ({:.1}/s)",
        report.changes,
        failures.len(),
        report.changes as f64 / seconds
    );
    if let Some(first) = failures.first() {
        println!("  first refusal: {first}");
    }
    println!(
        "  change request (sent -> answered): {}",
        spread(&report.request_us)
    );
    println!(
        "deliveries: {} of {} expected ({} boards x {} changes); {} other events",
        report.deliveries,
        report.boards * report.changes,
        report.boards,
        report.changes,
        report.other_events
    );
    println!(
        "  fan-out (committed -> received):   {}",
        spread(&report.from_commit_us)
    );
    println!(
        "  end to end (request sent -> received): {}",
        spread(&report.from_send_us)
    );
    let mut seconds_p99: Vec<(usize, f64)> = report
        .by_second
        .iter()
        .enumerate()
        .filter(|(_, latencies)| !latencies.is_empty())
        .map(|(second, latencies)| (second, percentile_ms(latencies, 0.99)))
        .collect();
    seconds_p99.sort_by(|a, b| b.1.total_cmp(&a.1));
    if let Some((worst, worst_p99)) = seconds_p99.first() {
        println!(
            "  fan-out p99 by second of the run: worst {worst_p99:.1} ms (second {worst}), \
             median second {:.1} ms",
            seconds_p99[seconds_p99.len() / 2].1
        );
    }
    println!(
        "  lost {} (on {} boards)  duplicates {}  out of order {}  unreadable {}",
        report.lost,
        report.boards_losing,
        report.duplicates,
        report.out_of_order,
        report.unreadable
    );
    if report.lost > 0 {
        println!(
            "  {} changes never reached some board; {} reached none",
            report.changes_missed, report.changes_missed_by_all
        );
    }
    if !report.ended.is_empty() {
        println!(
            "  {} streams ended early; first: {}",
            report.ended.len(),
            report.ended[0]
        );
    }
    println!(
        "server memory: RSS {:.1} MB idle, {:.1} MB with boards, {:.1} MB at the end; \
         sampled peak {:.1} MB; high-water mark {:.1} MB",
        mb(memory.idle_rss_kb),
        mb(memory.connected_rss_kb),
        mb(memory.end_rss_kb),
        mb(memory.peak_rss_kb),
        mb(memory.hwm_kb)
    );
    if let Some((server_s, loadgen_s)) = cpu {
        println!(
            "cpu while changing: server {:.0} %, loadgen {:.0} % (100 % = one core)",
            server_s / seconds * 100.0,
            loadgen_s / seconds * 100.0
        );
    }
    let p99 = percentile_ms(&report.from_commit_us, 0.99);
    let peak_mb = mb(memory.peak_rss_kb.max(memory.hwm_kb));
    println!(
        "targets: p99 < 100 ms {}; RSS < 200 MB {}; lost = 0 {}",
        verdict(p99 < 100.0),
        verdict(peak_mb < 200.0),
        verdict(report.lost == 0)
    );
    println!(
        "boards={} changes_per_s={} seconds={} changes={} deliveries={} p50_ms={:.1} p99_ms={:.1} \
         max_ms={:.1} lost={} duplicates={} out_of_order={} rss_mb={:.1} peak_rss_mb={:.1}",
        options.boards,
        options.rate,
        options.seconds,
        report.changes,
        report.deliveries,
        percentile_ms(&report.from_commit_us, 0.50),
        p99,
        percentile_ms(&report.from_commit_us, 1.0),
        report.lost,
        report.duplicates,
        report.out_of_order,
        mb(memory.end_rss_kb),
        peak_mb
    );
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "NOT met"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_split_anywhere_are_joined() {
        let raw = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        for split in 0..raw.len() {
            let mut chunks = Dechunker::default();
            let mut out = Vec::new();
            chunks.feed(&raw[..split], &mut out);
            chunks.feed(&raw[split..], &mut out);
            assert_eq!(out, b"hello world", "split at {split}");
            assert!(chunks.done());
        }
    }

    #[test]
    fn change_events_are_read_and_comments_skipped() {
        let mut text = b": keep-alive\n\nevent: change\ndata: {\"id\":7,\"incident_id\":3,\"version\":4,\"at_ms\":1000,\"card\":{}}\nid: 7\n\nevent: cha".to_vec();
        let mut log = BoardLog::default();
        read_events(&mut text, 1_005_000, &mut log);
        assert_eq!(log.deliveries.len(), 1);
        let d = log.deliveries[0];
        assert_eq!(
            (d.event_id, d.incident_id, d.version, d.at_ms),
            (7, 3, 4, 1000)
        );
        assert_eq!(text, b"event: cha");
    }
}
