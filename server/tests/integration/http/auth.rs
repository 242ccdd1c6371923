//! Accounts and sessions over real HTTP: cookie flags, a new session id at
//! sign-in, sign-out, password changes, throttling, no user enumeration,
//! and the first-run page.

use std::time::Instant;

use domain::{person::Role, tier::Tier};
use serde_json::{json, Value};

use crate::{
    common::{session_cookie, Db, TestApp, TEST_PASSWORD},
    on_both_backends,
};

const L2: Role = Role::Agent {
    tier: Tier::L2,
    security_team: false,
};

async fn sessions_are_safe_cookies_renewed_at_sign_in(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    app.account(L2, "Lou Two", "lou@example.org").await;

    // A visitor holding a session before signing in (set here by a failed
    // attempt that still stored nothing) gets a different id after.
    let before = app.anonymous().call("current_user", &[]).await;
    assert_eq!(before.json(), Value::Null);
    assert_eq!(
        session_cookie(&before),
        None,
        "no session for anonymous reads"
    );

    let (response, visitor) = app.sign_in("  LOU@example.org ", TEST_PASSWORD).await;
    assert_eq!(response.status(), 200, "{}", response.text());
    assert_eq!(response.json()["name"], "Lou Two");
    let set_cookie = response
        .headers_named("set-cookie")
        .find(|c| c.starts_with("frontline_session="))
        .expect("a session cookie")
        .to_owned();
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(flag), "{flag} missing: {set_cookie}");
    }
    // Served over plain http without a public https address: not Secure,
    // or the browser would drop it.
    assert!(!set_cookie.contains("Secure"), "{set_cookie}");
    assert!(set_cookie.contains("Max-Age="), "idle expiry: {set_cookie}");
    let first = visitor.cookie.clone().expect("cookie");

    // The session works, and signing in again renews the id.
    let me = visitor.call("current_user", &[]).await;
    assert_eq!(me.json()["email"], "lou@example.org");
    let again = visitor
        .call(
            "sign_in",
            &[("email", "lou@example.org"), ("password", TEST_PASSWORD)],
        )
        .await;
    let second = session_cookie(&again).expect("a renewed cookie");
    assert_ne!(first, second, "the session id is renewed at sign-in");
    // The old id no longer signs anyone in.
    let stale = crate::common::Visitor {
        host: app.host.clone(),
        cookie: Some(first),
        person: None,
    };
    assert_eq!(stale.call("current_user", &[]).await.json(), Value::Null);

    // Signing out ends the session on the server, not just in the browser.
    let mut current = visitor;
    current.cookie = Some(second.clone());
    assert_eq!(current.call("sign_out", &[]).await.status(), 200);
    assert_eq!(current.call("current_user", &[]).await.json(), Value::Null);
    assert_eq!(current.call("board", &[]).await.status(), 401);
    app.stop().await;
}

on_both_backends!(sessions_are_safe_cookies_renewed_at_sign_in);

async fn a_password_change_ends_the_other_sessions(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    app.account(L2, "Lou Two", "lou@example.org").await;
    let (_, laptop) = app.sign_in("lou@example.org", TEST_PASSWORD).await;
    let (_, phone) = app.sign_in("lou@example.org", TEST_PASSWORD).await;

    let short = laptop
        .call(
            "change_password",
            &[("current", TEST_PASSWORD), ("new", "short")],
        )
        .await;
    assert_eq!(short.status(), 422);
    assert_eq!(
        short.json(),
        json!({ "Invalid": "Please choose a password of at least 10 characters." })
    );

    let changed = laptop
        .call(
            "change_password",
            &[
                ("current", TEST_PASSWORD),
                ("new", "a whole new passphrase"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 200, "{}", changed.text());
    // This browser continues, under a new session id.
    let mut laptop = laptop;
    let renewed = session_cookie(&changed).expect("a renewed cookie");
    assert_ne!(Some(&renewed), laptop.cookie.as_ref());
    laptop.cookie = Some(renewed);
    assert_eq!(
        laptop.call("current_user", &[]).await.json()["email"],
        "lou@example.org"
    );
    // The other device is signed out.
    assert_eq!(phone.call("current_user", &[]).await.json(), Value::Null);
    // Only the new password works now.
    let (old, _) = app.sign_in("lou@example.org", TEST_PASSWORD).await;
    assert_eq!(old.status(), 422);
    let (new, _) = app
        .sign_in("lou@example.org", "a whole new passphrase")
        .await;
    assert_eq!(new.status(), 200);
    app.stop().await;
}

on_both_backends!(a_password_change_ends_the_other_sessions);

/// An unknown email and a wrong password get the same status, the same
/// words, and take about as long (both verify one argon2 hash).
#[tokio::test]
async fn sign_in_answers_do_not_reveal_which_emails_exist() {
    let app = TestApp::sqlite().await;
    app.account(L2, "Lou Two", "lou@example.org").await;

    let mut timings = [Vec::new(), Vec::new()];
    let mut bodies = Vec::new();
    for round in 0..4 {
        for (i, email) in ["lou@example.org", "nobody@example.org"].iter().enumerate() {
            let started = Instant::now();
            let (response, visitor) = app.sign_in(email, &format!("wrong guess {round}")).await;
            timings[i].push(started.elapsed().as_secs_f64());
            assert_eq!(response.status(), 422);
            assert!(visitor.cookie.is_none());
            bodies.push(response.text());
        }
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "{bodies:?}");
    assert_eq!(
        bodies[0],
        json!({ "Invalid": "That email and password do not match an account. Check both and try again." })
            .to_string()
    );
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (known, unknown) = (median(&mut timings[0]), median(&mut timings[1]));
    let ratio = known / unknown;
    assert!(
        (0.5..2.0).contains(&ratio),
        "a wrong password took {known:.4} s, an unknown email {unknown:.4} s"
    );
    app.stop().await;
}

/// After five wrong passwords the account is locked for a while, even
/// for the right password; the answer says to wait, and is the same for an
/// email nobody has.
#[tokio::test]
async fn repeated_failures_are_throttled() {
    let app = TestApp::sqlite().await;
    app.account(L2, "Lou Two", "lou@example.org").await;
    for email in ["lou@example.org", "nobody@example.org"] {
        for _ in 0..5 {
            let (response, _) = app.sign_in(email, "wrong guess").await;
            assert_eq!(response.status(), 422);
        }
        let (response, _) = app.sign_in(email, TEST_PASSWORD).await;
        assert_eq!(response.status(), 429, "{email}: {}", response.text());
        let refusal = &response.json()["TooManyAttempts"];
        assert_eq!(
            refusal["message"],
            json!("Too many sign-in attempts. Please wait 15 minutes and try again.")
        );
        // The wait in the body and in Retry-After is the one the lockout set.
        let wait = refusal["retry_after_seconds"].as_u64().expect("seconds");
        assert!((880..=900).contains(&wait), "{wait}");
        assert_eq!(
            response.header("retry-after"),
            Some(wait.to_string().as_str())
        );
    }
    // Other accounts from the same address still work.
    app.account(Role::Reporter, "Ada", "ada@example.org").await;
    let (response, _) = app.sign_in("ada@example.org", TEST_PASSWORD).await;
    assert_eq!(response.status(), 200);
    app.stop().await;
}

async fn the_first_admin_is_made_once_on_an_empty_desk(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let visitor = app.anonymous();
    assert_eq!(visitor.call("setup_needed", &[]).await.json(), json!(true));
    let page = app.get("/setup").await.text();
    assert!(page.contains("Create the first administrator"), "{page}");

    let weak = visitor
        .call(
            "create_first_admin",
            &[
                ("name", "Ada Admin"),
                ("email", "ada@example.org"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(weak.status(), 422);

    let made = visitor
        .call(
            "create_first_admin",
            &[
                ("name", "Ada Admin"),
                ("email", "ada@example.org"),
                ("password", "a long admin passphrase"),
            ],
        )
        .await;
    assert_eq!(made.status(), 200, "{}", made.text());
    assert_eq!(made.json()["role"]["role"], "admin");
    // They are signed in straight away.
    let admin = crate::common::Visitor {
        host: app.host.clone(),
        cookie: session_cookie(&made),
        person: None,
    };
    assert_eq!(
        admin.call("current_user", &[]).await.json()["email"],
        "ada@example.org"
    );

    // The page is closed now, to everyone.
    assert_eq!(visitor.call("setup_needed", &[]).await.json(), json!(false));
    let second = visitor
        .call(
            "create_first_admin",
            &[
                ("name", "Mallory"),
                ("email", "mallory@example.org"),
                ("password", "another passphrase"),
            ],
        )
        .await;
    assert_eq!(second.status(), 403);
    let page = app.get("/setup").await.text();
    assert!(page.contains("Frontline is set up"), "{page}");
    app.stop().await;
}

on_both_backends!(the_first_admin_is_made_once_on_an_empty_desk);

/// Behind https the cookie is Secure, and only the public origin may write.
#[tokio::test]
async fn behind_https_the_cookie_is_secure() {
    let app = TestApp::sqlite_with(server::config::Sessions {
        public_origin: Some("https://desk.example.org".to_owned()),
        ..Default::default()
    })
    .await;
    app.account(L2, "Lou Two", "lou@example.org").await;
    let body = format!(
        "email=lou%40example.org&password={}",
        TEST_PASSWORD.replace(' ', "+")
    );
    let response = crate::common::send(
        &app.host,
        "POST",
        "/api/sign_in",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", "https://desk.example.org"),
        ],
        body.as_bytes(),
    )
    .await
    .expect("sign in");
    assert_eq!(response.status(), 200, "{}", response.text());
    let cookie = response
        .headers_named("set-cookie")
        .find(|c| c.starts_with("frontline_session="))
        .expect("a session cookie");
    assert!(cookie.contains("Secure"), "{cookie}");
    // The server's own address is not the public origin.
    let (direct, _) = app.sign_in("lou@example.org", TEST_PASSWORD).await;
    assert_eq!(direct.status(), 403);
    app.stop().await;
}

/// Sessions end after the idle time and after the absolute limit, however
/// active; both are checked by moving the stored session back in time.
#[tokio::test]
async fn sessions_expire_when_idle_and_at_the_absolute_limit() {
    use sqlx::{Connection, SqliteConnection};

    let app = TestApp::sqlite().await;
    app.account(L2, "Lou Two", "lou@example.org").await;
    let mut db = SqliteConnection::connect(&app.database_url)
        .await
        .expect("open the test database");

    // Idle: the record's expiry has passed.
    let (_, idle) = app.sign_in("lou@example.org", TEST_PASSWORD).await;
    sqlx::query("UPDATE sessions SET expires_at_ms = 1")
        .execute(&mut db)
        .await
        .expect("age the session");
    assert_eq!(idle.call("current_user", &[]).await.json(), Value::Null);

    // Absolute: active a moment ago, but signed in eight days ago.
    let (_, active) = app.sign_in("lou@example.org", TEST_PASSWORD).await;
    assert_eq!(
        active.call("current_user", &[]).await.json()["email"],
        "lou@example.org"
    );
    let eight_days_ago = app::clock::now_ms() - 8 * 24 * 3_600_000;
    sqlx::query(
        "UPDATE sessions SET data = json_set(data, '$.\"frontline.signed_in_at_ms\"', $1) \
         WHERE expires_at_ms > 1",
    )
    .bind(eight_days_ago)
    .execute(&mut db)
    .await
    .expect("backdate the sign-in");
    assert_eq!(active.call("current_user", &[]).await.json(), Value::Null);
    assert_eq!(active.call("board", &[]).await.status(), 401);
    app.stop().await;
}

/// Sends wrong passwords for new emails, as if from `forwarded_for`.
async fn fail_from(app: &TestApp, forwarded_for: &str, times: usize) -> Vec<u16> {
    let origin = format!("http://{}", app.host);
    let mut statuses = Vec::new();
    for i in 0..times {
        let body = format!("email=stranger{i}%40example.org&password=wrong+guess");
        let response = crate::common::send(
            &app.host,
            "POST",
            "/api/sign_in",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Origin", origin.as_str()),
                ("X-Forwarded-For", forwarded_for),
            ],
            body.as_bytes(),
        )
        .await
        .expect("sign in");
        statuses.push(response.status());
    }
    statuses
}

/// Fifty failures from one address lock that address. Behind a trusted
/// proxy the address is the one the proxy forwards; otherwise a forwarded
/// header is ignored and the socket peer counts.
#[tokio::test]
async fn addresses_are_throttled_as_the_trusted_proxy_reports_them() {
    let proxied = TestApp::sqlite_with(server::config::Sessions {
        trusted_proxies: vec!["127.0.0.1".parse().expect("an address")],
        ..Default::default()
    })
    .await;
    let statuses = fail_from(&proxied, "198.51.100.7", 51).await;
    assert!(statuses[..50].iter().all(|s| *s == 422), "{statuses:?}");
    assert_eq!(statuses[50], 429);
    // Another client behind the same proxy is not locked out.
    assert_eq!(fail_from(&proxied, "198.51.100.8", 1).await, [422]);
    proxied.stop().await;

    let direct = TestApp::sqlite().await;
    let statuses = fail_from(&direct, "198.51.100.7", 50).await;
    assert!(statuses.iter().all(|s| *s == 422), "{statuses:?}");
    // Not a trusted proxy: a different forwarded address changes nothing.
    assert_eq!(fail_from(&direct, "198.51.100.8", 1).await, [429]);
    direct.stop().await;
}
