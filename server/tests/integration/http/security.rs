//! Same-origin writes, response headers, and clear answers to oversized
//! or malformed requests.

use serde_json::{json, Value};

use crate::{
    common::{send, send_chunked, Db, TestApp, TEST_PASSWORD},
    on_both_backends,
};

#[tokio::test]
async fn writes_from_another_origin_are_refused() {
    let app = TestApp::sqlite().await;
    app.account(domain::person::Role::Admin, "Ada Admin", "ada@example.org")
        .await;
    let body = format!(
        "email=ada%40example.org&password={}",
        TEST_PASSWORD.replace(' ', "+")
    );
    let form = ("Content-Type", "application/x-www-form-urlencoded");
    let own = format!("http://{}", app.host);
    for (headers, expected) in [
        (vec![form, ("Origin", "https://evil.example")], 403),
        (vec![form, ("Referer", "https://evil.example/phish")], 403),
        (vec![form, ("Origin", "null")], 403),
        // A same-looking origin on another port is another origin.
        (vec![form, ("Origin", "http://127.0.0.1:1")], 403),
        (
            vec![
                form,
                ("Origin", own.as_str()),
                ("Sec-Fetch-Site", "cross-site"),
            ],
            403,
        ),
        // Neither header: not a browser we can vouch for.
        (vec![form], 403),
        (vec![form, ("Origin", own.as_str())], 200),
        (
            vec![form, ("Referer", format!("{own}/sign-in").as_str())],
            200,
        ),
    ] {
        let response = send(&app.host, "POST", "/api/sign_in", &headers, body.as_bytes())
            .await
            .expect("request");
        assert_eq!(
            response.status(),
            expected,
            "{headers:?}: {}",
            response.text()
        );
        if expected == 403 {
            let error: Value = response.json();
            assert!(
                error["Forbidden"]
                    .as_str()
                    .is_some_and(|m| m.contains("another site")),
                "{error}"
            );
            assert!(response.headers_named("set-cookie").next().is_none());
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn pages_carry_a_nonce_policy_and_the_other_headers() {
    let app = TestApp::sqlite().await;
    let response = app.get("/sign-in").await;
    assert_eq!(response.status(), 200);
    let csp = response
        .header("content-security-policy")
        .expect("a CSP")
        .to_owned();
    for part in [
        "default-src 'self'",
        "'wasm-unsafe-eval'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "style-src 'self';",
    ] {
        assert!(csp.contains(part), "{part} missing from {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    // Every inline script carries this response's nonce.
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    assert!(nonce.len() >= 16, "{nonce}");
    let html = response.text();
    let scripts = html.matches("<script").count();
    let with_nonce = html.matches(&format!("nonce=\"{nonce}\"")).count();
    assert!(
        scripts > 0 && with_nonce >= scripts,
        "{scripts} scripts, {with_nonce} with the nonce: {html}"
    );
    // A second response gets another nonce.
    let again = app.get("/sign-in").await;
    assert_ne!(again.header("content-security-policy"), Some(csp.as_str()));

    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
        ("cache-control", "no-store"),
    ] {
        assert_eq!(response.header(name), Some(value), "{name}");
    }
    // Non-page answers allow nothing at all.
    let api = app.call("current_user", &[]).await;
    assert_eq!(
        api.header("content-security-policy"),
        Some("default-src 'none'; frame-ancestors 'none'")
    );
    assert_eq!(api.header("x-content-type-options"), Some("nosniff"));
    app.stop().await;
}

#[tokio::test]
async fn oversized_and_malformed_requests_get_clear_answers() {
    let app = TestApp::sqlite().await;
    let own = format!("http://{}", app.host);
    let huge = format!("title={}", "x".repeat(300 * 1024));
    let response = send(
        &app.host,
        "POST",
        "/api/log_incident",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", own.as_str()),
        ],
        huge.as_bytes(),
    )
    .await
    .expect("request");
    assert_eq!(response.status(), 413);
    assert_eq!(
        response.json(),
        json!({ "TooLarge": "The request is too large: at most 256 KiB can be sent at once." })
    );

    let response = send(
        &app.host,
        "POST",
        "/api/change_incident",
        &[
            ("Content-Type", "application/json"),
            ("Origin", own.as_str()),
        ],
        b"{\"reference\": ",
    )
    .await
    .expect("request");
    assert_eq!(response.status(), 400, "{}", response.text());
    assert_eq!(
        response.json(),
        json!({ "BadRequest": "The request was incomplete or malformed." })
    );
    app.stop().await;
}

/// A body that does not declare its length is refused like one that does,
/// as soon as it passes the limit; a small one is read as usual.
async fn a_streamed_oversize_body_is_refused_like_a_declared_one(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let own = format!("http://{}", app.host);
    let form = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Origin", own.as_str()),
    ];
    let huge = format!("title={}", "x".repeat(300 * 1024));
    let response = send_chunked(
        &app.host,
        "POST",
        "/api/log_incident",
        &form,
        huge.as_bytes(),
    )
    .await
    .expect("request");
    assert_eq!(response.status(), 413, "{}", response.text());
    assert_eq!(
        response.json(),
        json!({ "TooLarge": "The request is too large: at most 256 KiB can be sent at once." })
    );

    let small = b"email=nobody%40example.org&password=not+a+password";
    let response = send_chunked(&app.host, "POST", "/api/sign_in", &form, small)
        .await
        .expect("request");
    assert_eq!(response.status(), 422, "{}", response.text());
    app.stop().await;
}

on_both_backends!(a_streamed_oversize_body_is_refused_like_a_declared_one);
