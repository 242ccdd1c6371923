//! A session's life over real HTTP on both backends: a sign-out stays a
//! sign-out whatever requests were in flight, and a session in use is
//! written once a minute, not on every request.

use domain::{person::Role, tier::Tier};

use app::auth::{LAST_SEEN, RENEW_EVERY_MS};
use serde_json::Value;
use sqlx::{Connection, PgConnection, SqliteConnection};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::{
    common::{session_cookie, Db, TestApp, TEST_PASSWORD},
    on_both_backends,
};

const L2: Role = Role::Agent {
    tier: Tier::L2,
    security_team: false,
};

/// Every stored session as (key, data, expiry), straight from the table.
async fn stored_sessions(db: Db, url: &str) -> Vec<(String, String, i64)> {
    const SQL: &str = "SELECT id, data, expires_at_ms FROM sessions ORDER BY id";
    match db {
        Db::Sqlite => {
            let mut c = SqliteConnection::connect(url).await.expect("open SQLite");
            sqlx::query_as(SQL).fetch_all(&mut c).await.expect("read")
        }
        Db::Postgres => {
            let mut c = PgConnection::connect(url).await.expect("open PostgreSQL");
            sqlx::query_as(SQL).fetch_all(&mut c).await.expect("read")
        }
    }
}

/// Moves every session's last renewal two minutes back, so that the next
/// request renews it.
async fn age_last_renewal(db: Db, url: &str) {
    const SQL: &str = "UPDATE sessions SET data = $1 WHERE id = $2";
    for (id, data, _) in stored_sessions(db, url).await {
        let mut data: serde_json::Map<String, Value> =
            serde_json::from_str(&data).expect("session data is JSON");
        data.insert(
            LAST_SEEN.to_owned(),
            (app::clock::now_ms() - 2 * RENEW_EVERY_MS).into(),
        );
        let data = Value::Object(data).to_string();
        let written = match db {
            Db::Sqlite => {
                let mut c = SqliteConnection::connect(url).await.expect("open SQLite");
                let done = sqlx::query(SQL).bind(data).bind(id).execute(&mut c).await;
                done.expect("age the session").rows_affected()
            }
            Db::Postgres => {
                let mut c = PgConnection::connect(url).await.expect("open PostgreSQL");
                let done = sqlx::query(SQL).bind(data).bind(id).execute(&mut c).await;
                done.expect("age the session").rows_affected()
            }
        };
        assert_eq!(written, 1);
    }
}

async fn a_request_in_flight_cannot_undo_a_sign_out(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    app.account(L2, "Lou Two", "lou@example.org").await;
    let (_, lou) = app.sign_in("lou@example.org", TEST_PASSWORD).await;
    let cookie = lou.cookie.clone().expect("signed in");
    // The held request will want to renew the session when it ends.
    age_last_renewal(db, &app.database_url).await;

    // A request with the cookie whose body is held back.
    let mut held = TcpStream::connect(&app.host).await.expect("connect");
    let head = format!(
        "POST /api/current_user HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\n\
         Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: 2\r\nConnection: close\r\n\r\n",
        host = app.host
    );
    held.write_all(head.as_bytes())
        .await
        .expect("send the head");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    // Signed out meanwhile.
    assert_eq!(lou.call("sign_out", &[]).await.status(), 200);
    assert_eq!(lou.call("current_user", &[]).await.json(), Value::Null);
    assert!(stored_sessions(db, &app.database_url).await.is_empty());

    // The held request finishes; the session must stay dead.
    held.write_all(b"x=").await.expect("send the body");
    let mut answer = Vec::new();
    held.read_to_end(&mut answer)
        .await
        .expect("read the answer");
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    assert_eq!(lou.call("current_user", &[]).await.json(), Value::Null);
    assert_eq!(lou.call("board", &[]).await.status(), 401);
    assert!(
        stored_sessions(db, &app.database_url).await.is_empty(),
        "the signed-out session came back"
    );
    app.stop().await;
}

on_both_backends!(a_request_in_flight_cannot_undo_a_sign_out);

async fn a_session_in_use_is_written_once_a_minute(db: Db) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    app.account(L2, "Lou Two", "lou@example.org").await;
    let (_, lou) = app.sign_in("lou@example.org", TEST_PASSWORD).await;
    let signed_in = stored_sessions(db, &app.database_url).await;
    assert_eq!(signed_in.len(), 1);

    // Within the minute: answered, but nothing written and no new cookie.
    for _ in 0..5 {
        let me = lou.call("current_user", &[]).await;
        assert_eq!(me.json()["email"], "lou@example.org");
        assert_eq!(session_cookie(&me), None, "cookie sent again");
    }
    lou.call("board", &[]).await;
    assert_eq!(stored_sessions(db, &app.database_url).await, signed_in);

    // A minute on, the next request renews it: a later idle expiry in the
    // row, and the cookie again with its full lifetime.
    age_last_renewal(db, &app.database_url).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let me = lou.call("current_user", &[]).await;
    assert_eq!(me.json()["email"], "lou@example.org");
    let renewed = session_cookie(&me).expect("the cookie is renewed");
    assert_eq!(Some(&renewed), lou.cookie.as_ref(), "same session id");
    let after = stored_sessions(db, &app.database_url).await;
    assert_eq!(after.len(), 1);
    assert!(after[0].2 > signed_in[0].2, "{after:?} vs {signed_in:?}");
    app.stop().await;
}

on_both_backends!(a_session_in_use_is_written_once_a_minute);
