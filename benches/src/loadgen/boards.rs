//! The boards: event streams opened as signed-in agents, and what each
//! received, read from the raw chunked stream.

use super::*;

/// One `change` event as a board received it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Delivery {
    pub(crate) event_id: i64,
    pub(crate) incident_id: i64,
    pub(crate) version: i64,
    pub(crate) at_ms: i64,
    pub(crate) received_us: i64,
}

/// What one board saw until it was stopped.
#[derive(Default)]
pub(crate) struct BoardLog {
    pub(crate) deliveries: Vec<Delivery>,
    /// Why the stream ended before it was stopped, if it did.
    pub(crate) ended: Option<String>,
    /// `change` events whose data could not be read.
    pub(crate) unreadable: u64,
}

pub(crate) struct Boards {
    pub(crate) tasks: Vec<JoinHandle<BoardLog>>,
    pub(crate) stop: watch::Sender<bool>,
    /// `change` events received by all boards together.
    pub(crate) delivered: Arc<AtomicU64>,
}

impl Boards {
    pub(crate) async fn stop(self) -> Vec<BoardLog> {
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
pub(crate) async fn connect_boards(
    host: &str,
    cookies: &[String],
    count: usize,
) -> Result<Boards, String> {
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
pub(crate) struct OpenStream {
    pub(crate) socket: TcpStream,
    /// Body bytes that came with the head.
    pub(crate) leftover: Vec<u8>,
    pub(crate) chunked: bool,
}

pub(crate) async fn open_stream(host: &str, cookie: &str) -> Result<OpenStream, String> {
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
pub(crate) async fn follow(
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
pub(crate) fn read_events(text: &mut Vec<u8>, received_us: i64, log: &mut BoardLog) {
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
