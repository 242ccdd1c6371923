//! Probes for process supervisors and load balancers.

use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use serde::Serialize;

use crate::router::AppState;

#[derive(Serialize)]
struct Health {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    database: Option<&'static str>,
}

/// The process is up and answering requests.
pub async fn healthz() -> impl IntoResponse {
    Json(Health {
        status: "ok",
        database: None,
    })
}

/// The process can serve real traffic: its database answers.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let database = match state.store.backend() {
        storage::Backend::Sqlite => "sqlite",
        storage::Backend::Postgres => "postgres",
    };
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(Health {
                status: "ready",
                database: Some(database),
            }),
        ),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(Health {
                    status: "database unavailable",
                    database: Some(database),
                }),
            )
        }
    }
}
