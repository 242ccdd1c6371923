//! DNS rebinding: requests addressed to a name the desk does not know are
//! refused, and a fresh install is claimed only from the server itself or
//! through a name its operator configured.

use serde_json::{json, Value};

use crate::{
    common::{send_as, Db, HttpResponse, TestApp, TEST_PASSWORD},
    on_both_backends,
};

/// A POST to `path` sent to the app's address under the name `host`, from
/// a page on that same name (so its origin matches, as after rebinding).
async fn post_as(
    app: &TestApp,
    host: &str,
    path: &str,
    body: &str,
    extra: &[(&str, &str)],
) -> HttpResponse {
    let origin = format!("http://{host}");
    let mut headers = vec![
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Origin", origin.as_str()),
    ];
    headers.extend_from_slice(extra);
    send_as(&app.host, host, "POST", path, &headers, body.as_bytes())
        .await
        .expect("request")
}

async fn get_as(app: &TestApp, host: &str, path: &str) -> HttpResponse {
    send_as(&app.host, host, "GET", path, &[], b"")
        .await
        .expect("request")
}

fn port(app: &TestApp) -> &str {
    app.host.rsplit(':').next().expect("a port")
}

async fn requests_to_unknown_names_are_refused(db: Db) {
    let Some(app) = TestApp::on_with(db, |config| {
        config.sessions.allowed_hosts = vec!["desk.example.org".to_owned()];
    })
    .await
    else {
        return;
    };
    app.account(domain::person::Role::Admin, "Ada Admin", "ada@example.org")
        .await;
    let sign_in = format!(
        "email=ada%40example.org&password={}",
        TEST_PASSWORD.replace(' ', "+")
    );

    // A page on the attacker's name, rebound to the desk's address: the
    // browser thinks it is same-origin and sends its guesses.
    let rebound = format!("rebind.attacker.example:{}", port(&app));
    for response in [
        post_as(&app, &rebound, "/api/sign_in", &sign_in, &[]).await,
        get_as(&app, &rebound, "/sign-in").await,
        get_as(&app, "", "/sign-in").await,
    ] {
        assert_eq!(response.status(), 400, "{}", response.text());
        let error: Value = response.json();
        assert!(
            error["BadRequest"]
                .as_str()
                .is_some_and(|m| m.contains("allowed_hosts (FRONTLINE_ALLOWED_HOSTS)")),
            "{error}"
        );
        assert!(response.headers_named("set-cookie").next().is_none());
    }

    // The configured name, in any case and on any port; the localhost names.
    for host in [
        "DESK.example.org:8443".to_owned(),
        "desk.example.org".to_owned(),
        format!("localhost:{}", port(&app)),
        format!("[::1]:{}", port(&app)),
        app.host.clone(),
    ] {
        let response = post_as(&app, &host, "/api/sign_in", &sign_in, &[]).await;
        assert_eq!(response.status(), 200, "{host}: {}", response.text());
    }

    // Load balancers probe by address.
    assert_eq!(get_as(&app, "10.9.8.7", "/healthz").await.status(), 200);
    assert_eq!(get_as(&app, "10.9.8.7", "/readyz").await.status(), 200);
    app.stop().await;
}

on_both_backends!(requests_to_unknown_names_are_refused);

const FIRST_ADMIN: &str = "name=Ada+Admin&email=ada%40example.org&password=a+long+admin+passphrase";

async fn a_fresh_install_is_claimed_from_the_server_or_a_configured_name(db: Db) {
    // Behind a trusted proxy, so the client is the address it forwards.
    let Some(app) = TestApp::on_with(db, |config| {
        config.sessions.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
        config.sessions.allowed_hosts = vec!["desk.example.org".to_owned()];
    })
    .await
    else {
        return;
    };
    let remote = [("X-Forwarded-For", "203.0.113.7")];
    // Someone elsewhere who reaches the bare address first cannot claim it.
    let refused = post_as(
        &app,
        &app.host,
        "/api/create_first_admin",
        FIRST_ADMIN,
        &remote,
    )
    .await;
    assert_eq!(refused.status(), 403, "{}", refused.text());
    let error: Value = refused.json();
    let message = error["Forbidden"].as_str().unwrap_or_default();
    for part in [
        "from the server itself",
        "public_url",
        "allowed_hosts",
        "frontline user add --role admin",
    ] {
        assert!(message.contains(part), "{part} missing from {error}");
    }
    assert_eq!(
        app.call("setup_needed", &[]).await.json(),
        json!(true),
        "nothing was created"
    );
    // Through the name the operator configured, it works.
    let made = post_as(
        &app,
        "desk.example.org",
        "/api/create_first_admin",
        FIRST_ADMIN,
        &remote,
    )
    .await;
    assert_eq!(made.status(), 200, "{}", made.text());
    app.stop().await;

    // Without a trusted proxy: a loopback peer relaying someone else's
    // request is not the server itself; a browser on the server is.
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let relayed = post_as(
        &app,
        &app.host,
        "/api/create_first_admin",
        FIRST_ADMIN,
        &remote,
    )
    .await;
    assert_eq!(relayed.status(), 403, "{}", relayed.text());
    let local = post_as(&app, &app.host, "/api/create_first_admin", FIRST_ADMIN, &[]).await;
    assert_eq!(local.status(), 200, "{}", local.text());
    app.stop().await;
}

on_both_backends!(a_fresh_install_is_claimed_from_the_server_or_a_configured_name);
