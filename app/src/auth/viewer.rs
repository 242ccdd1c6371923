//! Who is asking: every server function starts here.

use domain::{
    access::works_the_desk,
    person::{Person, Role},
};

use crate::error::AppError;

use super::AuthSession;

/// The auth session of the request being served.
pub async fn session() -> Result<AuthSession, AppError> {
    leptos_axum::extract::<AuthSession>().await.map_err(|err| {
        tracing::error!(error = ?err, "no auth session on the request");
        AppError::Internal
    })
}

/// The signed-in person, if any.
pub async fn viewer() -> Result<Option<Person>, AppError> {
    Ok(session().await?.user.map(|user| user.person))
}

/// The signed-in person, or 401 with a sentence that says to sign in.
pub async fn require_signed_in() -> Result<Person, AppError> {
    viewer().await?.ok_or(AppError::SignInRequired)
}

/// An agent or admin, or 403.
pub async fn require_desk() -> Result<Person, AppError> {
    let person = require_signed_in().await?;
    if works_the_desk(person.role) {
        Ok(person)
    } else {
        Err(AppError::Forbidden(
            "Only the service desk can do that.".to_owned(),
        ))
    }
}

/// An administrator, or 403 saying that `what` is for administrators.
pub async fn require_admin(what: &str) -> Result<Person, AppError> {
    let person = require_signed_in().await?;
    if person.role == Role::Admin {
        Ok(person)
    } else {
        Err(AppError::Forbidden(format!(
            "Only an administrator can {what}."
        )))
    }
}
