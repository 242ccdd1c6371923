use domain::{person::Role, tier::Tier};

use crate::common::TestApp;

const L1: Role = Role::Agent {
    tier: Tier::L1,
    security_team: false,
};

#[tokio::test]
async fn the_home_page_is_rendered_on_the_server_with_its_data() {
    let app = TestApp::sqlite().await;
    let desk = app.signed_in(L1, "Dana Reyes", "dana@example.org").await;
    let response = desk
        .call(
            "log_incident",
            &[
                ("title", "Email is not syncing on phones"),
                ("name", "Ada Lovelace"),
                ("contact", "ada@example.org"),
            ],
        )
        .await;
    assert_eq!(response.status(), 200);

    let response = desk.get("/").await;
    assert_eq!(response.status(), 200);
    assert!(response
        .header("content-type")
        .is_some_and(|v| v.starts_with("text/html")));
    let html = response.text();
    assert!(html.contains("<html lang=\"en\""), "{html}");
    assert!(
        html.contains("<title>Service desk · Frontline</title>"),
        "{html}"
    );
    assert!(
        html.contains("<label for=\"incident-title\">What is broken?</label>"),
        "{html}"
    );
    // The list was read from the database while rendering, not fetched later.
    assert!(html.contains("INC-000001"), "{html}");
    assert!(html.contains("Email is not syncing on phones"), "{html}");
    // The page loads the browser bundle that hydrates it.
    assert!(html.contains("/pkg/frontline.js"), "{html}");
    assert!(html.contains("/pkg/frontline.css"), "{html}");
    app.stop().await;
}

#[tokio::test]
async fn incident_text_is_escaped_in_the_page() {
    let app = TestApp::sqlite().await;
    let desk = app.signed_in(L1, "Dana Reyes", "dana@example.org").await;
    let title = "<script>alert('pwned')</script><img src=x onerror=alert(1)>";
    assert_eq!(
        desk.call(
            "log_incident",
            &[
                ("title", title),
                ("name", "Ada Lovelace"),
                ("contact", "ada@example.org")
            ]
        )
        .await
        .status(),
        200
    );

    let html = desk.get("/").await.text();
    assert!(!html.contains("<script>alert('pwned')"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_page_is_a_404_with_a_way_home() {
    let app = TestApp::sqlite().await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    let html = response.text();
    assert!(html.contains("Page not found"), "{html}");
    assert!(html.contains("href=\"/\""), "{html}");
    app.stop().await;
}

/// Pages and data are compressed for browsers that accept it; the live
/// event stream never is (a compressor would hold events back).
#[tokio::test]
async fn responses_are_compressed_but_the_event_stream_is_not() {
    let app = TestApp::sqlite().await;
    let page = crate::common::send(
        &app.host,
        "GET",
        "/sign-in",
        &[("Accept-Encoding", "br, gzip")],
        b"",
    )
    .await
    .expect("GET");
    assert_eq!(page.status(), 200);
    assert_eq!(page.header("content-encoding"), Some("br"));
    let gzip = crate::common::send(
        &app.host,
        "GET",
        "/sign-in",
        &[("Accept-Encoding", "gzip")],
        b"",
    )
    .await
    .expect("GET");
    assert_eq!(gzip.header("content-encoding"), Some("gzip"));
    let plain = crate::common::send(&app.host, "GET", "/sign-in", &[], b"")
        .await
        .expect("GET");
    assert_eq!(plain.header("content-encoding"), None);
    assert!(plain.text().contains("<html"));

    // The stream: read its head only, it does not end by itself.
    let desk = app.signed_in(L1, "Dana Reyes", "dana@example.org").await;
    let mut socket = tokio::net::TcpStream::connect(&app.host)
        .await
        .expect("connect");
    let request = format!(
        "GET {}?after=0 HTTP/1.1\r\nHost: {}\r\nAccept-Encoding: br, gzip\r\nCookie: {}\r\n\r\n",
        server::router::LIVE_STREAM,
        app.host,
        desk.cookie.as_deref().unwrap_or_default()
    );
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    socket.write_all(request.as_bytes()).await.expect("send");
    let mut head = Vec::new();
    let mut byte = [0_u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = tokio::time::timeout(std::time::Duration::from_secs(5), socket.read(&mut byte))
            .await
            .expect("the head arrives")
            .expect("read");
        assert!(n > 0, "closed early");
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).to_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-type: text/event-stream"), "{head}");
    assert!(!head.contains("content-encoding"), "{head}");
    drop(socket);
    app.stop().await;
}

/// A page's data is read once and sent at most once. Leptos walks a waiting
/// view up to three times on the server before writing it, so a resource
/// made inside `signed_in`'s render was fetched three times and its answer
/// sent three times in the page (the report page carried the guides
/// 3 × 30 kB). Only an island's props travel as data now: the guides are
/// HTML, and a live list is sent once, to the island that keeps it.
#[tokio::test]
async fn each_page_reads_and_sends_its_data_once() {
    let app = TestApp::sqlite().await;
    let desk = app.signed_in(L1, "Dana Reyes", "dana@example.org").await;
    let reporter = app
        .signed_in(Role::Reporter, "Ada Lovelace", "ada@example.org")
        .await;
    let sent = |html: &str, marker: &str| html.matches(marker).count();

    let report = reporter.get("/report").await.text();
    // Neither as a resource's data nor as an island's (HTML-escaped) props.
    assert_eq!(sent(&report, r#"guides\":["#), 0, "{report}");
    assert_eq!(sent(&report, "guides&quot;"), 0, "{report}");
    assert!(report.contains("Network or VPN"), "{report}");
    let board = desk.get("/board").await.text();
    assert_eq!(sent(&board, "server_now_ms"), 1, "{board}");
    let home = desk.get("/").await.text();
    assert_eq!(sent(&home, "server_now_ms"), 1, "{home}");
    let mine = reporter.get("/").await.text();
    assert_eq!(sent(&mine, "server_now_ms"), 1, "{mine}");
    app.stop().await;
}
