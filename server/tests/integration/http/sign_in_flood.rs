//! A flood of sign-ins cannot take the server's memory: password checks
//! run one per core behind a short queue, and the rest are refused at once
//! with `Retry-After`, after which people sign in as usual. The server runs
//! as its own process, so its queue is not shared with the other tests.
//! How much memory the flood takes is measured by the `signin-flood`
//! benchmark (docs/performance.md).

use futures::future::join_all;
use serde_json::json;
use tempfile::TempDir;

use super::startup::{frontline, start_and_wait_ready};
use crate::{
    common::{create_postgres_database, drop_postgres_database, postgres_admin_url, send, Db},
    on_both_backends,
};

const ATTEMPTS: usize = 120;
const PASSWORD: &str = "a long enough password for the flood";

async fn a_flood_is_refused_quickly_and_people_still_sign_in(db: Db) {
    let dir = TempDir::new().expect("temp dir");
    let postgres = match db {
        Db::Sqlite => None,
        Db::Postgres => {
            let Some(admin) = postgres_admin_url() else {
                return;
            };
            Some((create_postgres_database(&admin).await, admin))
        }
    };
    let mut env = vec![("FRONTLINE_TRUSTED_PROXIES", "127.0.0.1".to_owned())];
    if let Some(((url, _), _)) = &postgres {
        env.push(("FRONTLINE_DATABASE_URL", url.clone()));
    }
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let mut add = frontline(&dir);
    add.envs(env.iter().copied()).args([
        "user",
        "add",
        "--name",
        "Lou Two",
        "--email",
        "lou@example.org",
        "--password-stdin",
    ]);
    add.stdin(std::process::Stdio::piped());
    let mut child = add.spawn().expect("run frontline user add");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(PASSWORD.as_bytes())
            .expect("write the password");
    }
    let added = child.wait_with_output().expect("user add finishes");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );

    let running = start_and_wait_ready(&dir, &env).await;
    let host = running.host.clone();
    // Every attempt an unknown email from its own client address, as an
    // attacker with many addresses would send them: no lockout applies.
    let attempts = (0..ATTEMPTS).map(|i| {
        let host = host.clone();
        async move {
            let origin = format!("http://{host}");
            let client = format!("198.18.{}.{}", i / 200, i % 200 + 1);
            let body = format!("email=nobody{i}%40flood.example&password=not+it");
            send(
                &host,
                "POST",
                "/api/sign_in",
                &[
                    ("Content-Type", "application/x-www-form-urlencoded"),
                    ("Origin", origin.as_str()),
                    ("X-Forwarded-For", client.as_str()),
                ],
                body.as_bytes(),
            )
            .await
            .expect("an answer")
        }
    });
    let answers = join_all(attempts).await;
    let checked = answers.iter().filter(|a| a.status() == 422).count();
    let busy: Vec<_> = answers.iter().filter(|a| a.status() == 503).collect();
    assert_eq!(
        checked + busy.len(),
        ATTEMPTS,
        "{:?}",
        answers.iter().map(|a| a.status()).collect::<Vec<_>>()
    );
    // Far more arrive at once than two cores' queue holds.
    assert!(!busy.is_empty(), "no attempt was refused");
    for answer in busy {
        assert_eq!(answer.header("retry-after"), Some("5"));
        assert_eq!(
            answer.json(),
            json!("Busy"),
            "a refusal names the reason: {}",
            answer.text()
        );
    }

    // The flood has passed: the real person signs in.
    let origin = format!("http://{host}");
    let body = format!(
        "email=lou%40example.org&password={}",
        PASSWORD.replace(' ', "+")
    );
    let signed_in = send(
        &host,
        "POST",
        "/api/sign_in",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", origin.as_str()),
        ],
        body.as_bytes(),
    )
    .await
    .expect("an answer");
    assert_eq!(signed_in.status(), 200, "{}", signed_in.text());

    drop(running);
    if let Some(((_, name), admin)) = postgres {
        drop_postgres_database(&admin, &name).await;
    }
}
on_both_backends!(a_flood_is_refused_quickly_and_people_still_sign_in);
