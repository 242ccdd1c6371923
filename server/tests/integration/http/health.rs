use serde_json::{json, Value};

use crate::common::{Db, TestApp};

#[tokio::test]
async fn healthz_answers_while_the_process_runs() {
    let app = TestApp::sqlite().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json();
    assert_eq!(body, json!({ "status": "ok" }));
    app.stop().await;
}

async fn readyz_follows_the_database(db: Db, name: &str) {
    let Some(app) = TestApp::on(db).await else {
        return;
    };
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json();
    assert_eq!(body, json!({ "status": "ready", "database": name }));

    // With the database gone the process is alive but not ready.
    app.store.close().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    let body: Value = response.json();
    assert_eq!(
        body,
        json!({ "status": "database unavailable", "database": name })
    );
    assert_eq!(app.get("/healthz").await.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn readyz_follows_the_database_on_sqlite() {
    readyz_follows_the_database(Db::Sqlite, "sqlite").await;
}

#[tokio::test]
async fn readyz_follows_the_database_on_postgres() {
    readyz_follows_the_database(Db::Postgres, "postgres").await;
}
