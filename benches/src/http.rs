//! A small HTTP/1.1 client of our own, so the benchmarks need no client
//! features in hyper and build nothing twice.

use std::{
    net::{IpAddr, SocketAddr},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use serde_json::Value;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpSocket, TcpStream},
    time::timeout,
};

/// Every demo account's password (server/src/demo.rs).
pub const DEMO_PASSWORD: &str = "frontline-demo";
/// Any single request (not a stream) taking longer than this is an error.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Microseconds since the Unix epoch: comparable with the server's `at_ms`,
/// which comes from the same machine's clock.
pub fn now_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Result<Value, String> {
        serde_json::from_slice(&self.body).map_err(|e| format!("not JSON ({e}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        text.chars().take(300).collect()
    }
}

/// Opens a connection to `host`, from the local address `source` if given
/// (any 127.x.y.z on Linux's loopback: a client of its own, to the server).
pub async fn connect(source: Option<IpAddr>, host: &str) -> std::io::Result<TcpStream> {
    let Some(source) = source else {
        return TcpStream::connect(host).await;
    };
    let target: SocketAddr = host
        .parse()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let socket = if source.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.bind(SocketAddr::new(source, 0))?;
    socket.connect(target).await
}

/// One request on a fresh connection (`Connection: close`), read to the end,
/// from the local address `source` if given.
pub async fn request_from(
    source: Option<IpAddr>,
    host: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Reply, String> {
    let exchange = async {
        let mut socket = connect(source, host).await?;
        socket.set_nodelay(true)?;
        let mut message = format!(
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            message.push_str(&format!("{name}: {value}\r\n"));
        }
        message.push_str("\r\n");
        let mut bytes = message.into_bytes();
        bytes.extend_from_slice(body);
        socket.write_all(&bytes).await?;
        let mut raw = Vec::new();
        socket.read_to_end(&mut raw).await?;
        Ok::<_, std::io::Error>(raw)
    };
    let raw = timeout(REQUEST_TIMEOUT, exchange)
        .await
        .map_err(|_| format!("{method} {path}: no answer within {REQUEST_TIMEOUT:?}"))?
        .map_err(|e| format!("{method} {path}: {e}"))?;
    let (status, headers, head_len) =
        parse_head(&raw).ok_or_else(|| format!("{method} {path}: not an HTTP response"))?;
    let rest = &raw[head_len..];
    let body = if is_chunked(&headers) {
        let mut body = Vec::new();
        let mut chunks = Dechunker::default();
        chunks.feed(rest, &mut body);
        body
    } else {
        rest.to_vec()
    };
    Ok(Reply {
        status,
        headers,
        body,
    })
}

type Head = (u16, Vec<(String, String)>, usize);

/// Status, headers and the length of the head, once the head is complete.
pub fn parse_head(raw: &[u8]) -> Option<Head> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Some((status, headers, end + 4))
}

pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

pub fn is_chunked(headers: &[(String, String)]) -> bool {
    header(headers, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
}

/// Undoes chunked transfer encoding as the bytes arrive, in any split.
#[derive(Default)]
pub struct Dechunker {
    /// Bytes not yet understood (a partial size line).
    pending: Vec<u8>,
    state: ChunkState,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum ChunkState {
    #[default]
    Size,
    Data(usize),
    /// The CRLF after a chunk's data; the number is how many bytes of it remain.
    DataEnd(usize),
    Done,
}

impl Dechunker {
    pub fn feed(&mut self, mut input: &[u8], out: &mut Vec<u8>) {
        while !input.is_empty() {
            match self.state {
                ChunkState::Done => return,
                ChunkState::Data(left) => {
                    let n = left.min(input.len());
                    out.extend_from_slice(&input[..n]);
                    input = &input[n..];
                    self.state = if n == left {
                        ChunkState::DataEnd(2)
                    } else {
                        ChunkState::Data(left - n)
                    };
                }
                ChunkState::DataEnd(left) => {
                    let n = left.min(input.len());
                    input = &input[n..];
                    self.state = if n == left {
                        ChunkState::Size
                    } else {
                        ChunkState::DataEnd(left - n)
                    };
                }
                ChunkState::Size => {
                    let Some(newline) = input.iter().position(|b| *b == b'\n') else {
                        self.pending.extend_from_slice(input);
                        return;
                    };
                    self.pending.extend_from_slice(&input[..newline]);
                    input = &input[newline + 1..];
                    let line = String::from_utf8_lossy(&self.pending);
                    let size = line
                        .split(';')
                        .next()
                        .and_then(|hex| usize::from_str_radix(hex.trim(), 16).ok());
                    self.pending.clear();
                    self.state = match size {
                        Some(0) | None => ChunkState::Done,
                        Some(size) => ChunkState::Data(size),
                    };
                }
            }
        }
    }

    pub fn done(&self) -> bool {
        self.state == ChunkState::Done
    }
}

/// A browser-style server function call; writes need a same-origin `Origin`.
pub async fn call(
    host: &str,
    function: &str,
    content_type: &str,
    body: &[u8],
    cookie: Option<&str>,
) -> Result<Reply, String> {
    let origin = format!("http://{host}");
    let mut headers = vec![("Content-Type", content_type), ("Origin", origin.as_str())];
    if let Some(cookie) = cookie {
        headers.push(("Cookie", cookie));
    }
    request_from(
        None,
        host,
        "POST",
        &format!("/api/{function}"),
        &headers,
        body,
    )
    .await
}

pub fn form_encode(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        for (j, text) in [key, value].into_iter().enumerate() {
            if j == 1 {
                out.push('=');
            }
            for byte in text.bytes() {
                match byte {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                        out.push(char::from(byte))
                    }
                    b' ' => out.push('+'),
                    other => out.push_str(&format!("%{other:02X}")),
                }
            }
        }
    }
    out
}

pub const FORM: &str = "application/x-www-form-urlencoded";

/// Signs in through the real sign-in function; returns `frontline_session=…`.
pub async fn sign_in(host: &str, email: &str) -> Result<String, String> {
    let body = form_encode(&[("email", email), ("password", DEMO_PASSWORD)]);
    let reply = call(host, "sign_in", FORM, body.as_bytes(), None).await?;
    if reply.status != 200 {
        return Err(format!(
            "signing in as {email} failed ({}): {}",
            reply.status,
            reply.text()
        ));
    }
    reply
        .headers
        .iter()
        .filter(|(key, _)| key.eq_ignore_ascii_case("set-cookie"))
        .find_map(|(_, value)| {
            value
                .starts_with("frontline_session=")
                .then(|| value.split(';').next().unwrap_or(value).to_owned())
        })
        .ok_or_else(|| format!("signing in as {email} set no session cookie"))
}
