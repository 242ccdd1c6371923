//! Slow and greedy clients: connections that trickle their headers, a body
//! that never finishes arriving, and more live streams than the caps allow.

use std::time::Duration;

use domain::person::Role;
use serde_json::Value;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    task::JoinHandle,
    time::{sleep, timeout, Instant},
};

use crate::{
    common::{Db, TestApp, Visitor},
    on_both_backends,
};

const TRICKLERS: usize = 600;
const HEADER_TIMEOUT: Duration = Duration::from_secs(2);

/// Sends a request head a line at a time, never finishing it; returns when
/// the server closed the connection, or `None` if it still had not by `give_up`.
fn trickle(mut socket: TcpStream, host: String, give_up: Instant) -> JoinHandle<Option<Instant>> {
    tokio::spawn(async move {
        let start = format!("GET /sign-in HTTP/1.1\r\nHost: {host}\r\n");
        if socket.write_all(start.as_bytes()).await.is_err() {
            return Some(Instant::now());
        }
        let mut line = 0_u32;
        while Instant::now() < give_up {
            let mut byte = [0_u8; 1];
            match timeout(Duration::from_millis(200), socket.read(&mut byte)).await {
                // Closed (or reset): what the header timeout does.
                Ok(Ok(0) | Err(_)) => return Some(Instant::now()),
                Ok(Ok(_)) => {}
                Err(_) => {
                    line += 1;
                    let header = format!("X-Slow-{line}: still typing\r\n");
                    if socket.write_all(header.as_bytes()).await.is_err() {
                        return Some(Instant::now());
                    }
                }
            }
        }
        None
    })
}

async fn trickling_headers_neither_block_others_nor_stay_open(db: Db) {
    let Some(app) = TestApp::on_with(db, |config| {
        config.limits.header_timeout = HEADER_TIMEOUT;
    })
    .await
    else {
        return;
    };
    let give_up = Instant::now() + HEADER_TIMEOUT + Duration::from_secs(8);
    let mut tricklers = Vec::with_capacity(TRICKLERS);
    for _ in 0..TRICKLERS {
        let socket = TcpStream::connect(&app.host).await.expect("connect");
        tricklers.push(trickle(socket, app.host.clone(), give_up));
    }
    sleep(Duration::from_millis(300)).await;

    // Someone else still gets a page, at once.
    let asked = Instant::now();
    let page = app.get("/sign-in").await;
    let answered_in = asked.elapsed();
    assert_eq!(page.status(), 200);
    assert!(
        answered_in < Duration::from_secs(1),
        "a page took {answered_in:?} beside {TRICKLERS} trickling connections"
    );
    let still_open = tricklers.iter().filter(|t| !t.is_finished()).count();
    assert_eq!(
        still_open, TRICKLERS,
        "all were open while the page was served"
    );

    // The header timeout closes every one of them.
    let mut closed = 0;
    for trickler in tricklers {
        if trickler.await.expect("trickler").is_some() {
            closed += 1;
        }
    }
    assert_eq!(closed, TRICKLERS, "connections the header timeout closed");
    app.stop().await;
}

on_both_backends!(trickling_headers_neither_block_others_nor_stay_open);

async fn a_body_that_never_arrives_gets_408(db: Db) {
    let Some(app) = TestApp::on_with(db, |config| {
        config.limits.request_timeout = Duration::from_secs(1);
    })
    .await
    else {
        return;
    };
    let mut socket = TcpStream::connect(&app.host).await.expect("connect");
    let head = format!(
        "POST /api/sign_in HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=",
        host = app.host
    );
    socket.write_all(head.as_bytes()).await.expect("send");
    let mut raw = Vec::new();
    let read = timeout(Duration::from_secs(10), socket.read_to_end(&mut raw)).await;
    assert!(read.is_ok(), "no answer to a request whose body stopped");
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("HTTP/1.1 408 "), "{text}");
    assert!(
        text.contains("The request took too long to arrive."),
        "{text}"
    );
    app.stop().await;
}

on_both_backends!(a_body_that_never_arrives_gets_408);

/// Opens `GET /api/events`; the status, and the socket to keep it open.
async fn open_stream(visitor: &Visitor) -> (u16, String, TcpStream) {
    let mut socket = TcpStream::connect(&visitor.host).await.expect("connect");
    let head = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\nCookie: {}\r\n\
         Connection: close\r\n\r\n",
        server::router::LIVE_STREAM,
        visitor.host,
        visitor.cookie.as_deref().unwrap_or_default()
    );
    socket.write_all(head.as_bytes()).await.expect("send");
    let mut raw = Vec::new();
    let mut chunk = [0_u8; 4096];
    while !raw.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = timeout(Duration::from_secs(5), socket.read(&mut chunk))
            .await
            .expect("an answer in time")
            .expect("read");
        assert!(n > 0, "closed before answering");
        raw.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    (status, text, socket)
}

/// The refusal's sentence, read to the end of the (closed) answer.
async fn refusal(head: String, mut socket: TcpStream) -> String {
    let mut rest = Vec::new();
    let _ = timeout(Duration::from_secs(5), socket.read_to_end(&mut rest)).await;
    let text = head + &String::from_utf8_lossy(&rest);
    let body = text.split("\r\n\r\n").nth(1).unwrap_or_default();
    let error: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("JSON: {text}"));
    error["TooManyAttempts"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("a TooManyAttempts sentence: {text}"))
        .to_owned()
}

async fn live_streams_are_capped_per_session_and_per_address(db: Db) {
    let Some(app) = TestApp::on_with(db, |config| {
        config.limits.streams_per_session = 2;
        config.limits.streams_per_address = 3;
    })
    .await
    else {
        return;
    };
    let ada = app
        .signed_in(Role::Reporter, "Ada", "ada@example.org")
        .await;
    let bob = app
        .signed_in(Role::Reporter, "Bob", "bob@example.org")
        .await;

    let (status, _, first) = open_stream(&ada).await;
    assert_eq!(status, 200);
    let (status, _, _second) = open_stream(&ada).await;
    assert_eq!(status, 200);
    let (status, head, socket) = open_stream(&ada).await;
    assert_eq!(status, 429, "{head}");
    let sentence = refusal(head, socket).await;
    assert!(
        sentence.contains("2 tabs or windows of this browser"),
        "{sentence}"
    );

    // Another session from the same address fills the address's cap.
    let (status, _, _third) = open_stream(&bob).await;
    assert_eq!(status, 200);
    let (status, head, socket) = open_stream(&bob).await;
    assert_eq!(status, 429, "{head}");
    let sentence = refusal(head, socket).await;
    assert!(
        sentence.contains("3 times from your network address"),
        "{sentence}"
    );

    // A stream that ends gives its place back.
    drop(first);
    let deadline = Instant::now() + Duration::from_secs(5);
    let reopened = loop {
        let (status, _, socket) = open_stream(&bob).await;
        if status == 200 || Instant::now() > deadline {
            break (status, socket);
        }
        sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(reopened.0, 200, "the closed stream's place came free");
    app.stop().await;
}

on_both_backends!(live_streams_are_capped_per_session_and_per_address);
