//! Signing in and out, passwords, the first admin and new accounts.

use leptos::prelude::*;

use domain::person::Person;

use crate::error::AppError;

/// Who is signed in on this browser, if anyone.
#[server(endpoint = "current_user")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn current_user() -> Result<Option<Person>, AppError> {
    crate::auth::viewer().await
}

/// Signs in with email and password. Wrong password, unknown email and an
/// account without a password all get the same answer. `next` is where the
/// person was going (checked to stay on this site).
#[server(endpoint = "sign_in")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<Person, AppError> {
    use crate::auth::{self, AuthError, Credentials};
    use axum::Extension;

    let mut session = auth::viewer::session().await?;
    let address = leptos_axum::extract::<Extension<auth::ClientAddress>>()
        .await
        .ok()
        .map(|Extension(auth::ClientAddress(ip))| ip.to_string());
    let credentials = Credentials {
        email,
        password,
        address,
    };
    let user = match session.authenticate(credentials).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            return Err(AppError::Invalid(
                words::sign_in::no_match(crate::language::page_lang()).to_owned(),
            ))
        }
        Err(axum_login::Error::Backend(AuthError::Hash(err))) => return Err(err.into()),
        Err(axum_login::Error::Backend(AuthError::Throttled(locked))) => {
            let minutes = (locked.retry_after_ms + 59_999) / 60_000;
            return Err(AppError::TooManyAttempts {
                message: words::sign_in::too_many_attempts(
                    crate::language::page_lang(),
                    minutes.unsigned_abs(),
                ),
                retry_after_seconds: Some(seconds_to_wait(&locked)),
            });
        }
        Err(err) => {
            tracing::error!(error = ?err, "sign-in failed");
            return Err(AppError::Internal);
        }
    };
    auth::establish(&mut session, &user).await?;
    tracing::info!(person = user.person.id, "signed in");
    let target = crate::components::safe_next(next)
        .unwrap_or_else(|| crate::components::home_of(&user.person).to_owned());
    super::after_plain_form(&target);
    Ok(user.person)
}

/// Ends the session on this browser. Harmless when nobody is signed in.
#[server(endpoint = "sign_out")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn sign_out() -> Result<(), AppError> {
    let mut session = crate::auth::viewer::session().await?;
    if let Err(err) = session.logout().await {
        tracing::error!(error = ?err, "sign-out failed");
        return Err(AppError::Internal);
    }
    // The browser goes to the sign-in page, with or without the WASM.
    leptos_axum::redirect("/sign-in");
    Ok(())
}

/// Changes the signed-in person's password after checking the current one.
/// Every other session of theirs ends; this one continues under a new id.
#[server(endpoint = "change_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    use crate::auth::{self, AuthError, Credentials};
    use domain::account::NewPassword;

    let mut session = auth::viewer::session().await?;
    let person = auth::require_signed_in().await?;
    let new = NewPassword::replacing(&current, &new, &person.email)
        .map_err(|e| AppError::Invalid(e.to_string()))?;
    let credentials = Credentials {
        email: person.email.clone(),
        password: current,
        address: None,
    };
    match session.authenticate(credentials).await {
        Ok(Some(user)) if user.person.id == person.id => {}
        Ok(_) => {
            return Err(AppError::Invalid(
                "Your current password is not correct.".to_owned(),
            ))
        }
        Err(axum_login::Error::Backend(AuthError::Hash(err))) => return Err(err.into()),
        Err(axum_login::Error::Backend(AuthError::Throttled(locked))) => {
            return Err(AppError::TooManyAttempts {
                message: "Too many wrong passwords. Please wait a few minutes and try again."
                    .to_owned(),
                retry_after_seconds: Some(seconds_to_wait(&locked)),
            })
        }
        Err(err) => {
            tracing::error!(error = ?err, "password check failed");
            return Err(AppError::Internal);
        }
    }
    let store = super::store()?;
    let hash = auth::password::hash(new.expose().to_owned()).await?;
    store
        .set_password(person.id, &hash, crate::clock::now_ms())
        .await?;
    sign_in_again(&store, &mut session, person.id).await?;
    tracing::info!(person = person.id, "password changed");
    Ok(())
}

/// True while the desk has no administrator: the first-run page is open.
#[server(endpoint = "setup_needed")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn setup_needed() -> Result<bool, AppError> {
    let store = super::store()?;
    let has_admin = store.has_admin().await?;
    Ok(!has_admin)
}

/// The first-run page: creates the first administrator and signs them in.
/// Refused once any administrator exists.
#[server(endpoint = "create_first_admin")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn create_first_admin(
    name: String,
    email: String,
    password: String,
) -> Result<Person, AppError> {
    use crate::auth;
    use domain::person::Role;

    let store = super::store()?;
    if store.has_admin().await? {
        return Err(AppError::Forbidden(
            "Frontline already has an administrator. Please sign in instead.".to_owned(),
        ));
    }
    // Whoever reaches a fresh install first would own it: only the person
    // at the server, or one using a name the operator set, may claim it.
    let allowed = leptos_axum::extract::<axum::Extension<auth::FirstRunAllowed>>()
        .await
        .is_ok_and(|axum::Extension(auth::FirstRunAllowed(allowed))| allowed);
    if !allowed {
        return Err(AppError::Forbidden(
            "The first administrator can only be created from the server itself (open this \
             page in a browser on it, at localhost), or at an address set in public_url or \
             allowed_hosts. Or run `frontline user add --role admin` on the server."
                .to_owned(),
        ));
    }
    let (new, hash) = new_account(&name, &email, &password, Role::Admin).await?;
    let person = store
        .add_first_admin(&new, &hash, crate::clock::now_ms())
        .await?;
    let mut session = auth::viewer::session().await?;
    sign_in_again(&store, &mut session, person.id).await?;
    tracing::info!(person = person.id, "first administrator created");
    Ok(person)
}

/// An admin adds someone who can sign in. `role` is "reporter", "agent" or
/// "admin"; agents need a `tier` (L1, L2, L3).
#[server(endpoint = "add_account")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn add_account(
    name: String,
    email: String,
    role: String,
    tier: Option<String>,
    security_team: Option<bool>,
    password: String,
) -> Result<Person, AppError> {
    use crate::auth;
    use domain::person::Role;

    let admin = auth::require_signed_in().await?;
    if admin.role != Role::Admin {
        return Err(AppError::Forbidden(
            "Only an administrator can add accounts.".to_owned(),
        ));
    }
    let role = role_from_form(&role, tier.as_deref(), security_team.unwrap_or(false))
        .map_err(AppError::Invalid)?;
    let (new, hash) = new_account(&name, &email, &password, role).await?;
    let store = super::store()?;
    let person = store
        .add_account(&new, &hash, crate::clock::now_ms())
        .await?;
    tracing::info!(by = admin.id, person = person.id, "account added");
    Ok(person)
}

/// How many people the directory page lists.
pub const DIRECTORY_LIMIT: i64 = 500;

/// The directory, for admins: everyone, by name.
#[server(endpoint = "people")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn people() -> Result<Vec<domain::models::DirectoryEntry>, AppError> {
    use crate::auth;
    use domain::models::DirectoryEntry;
    use domain::person::Role;

    let admin = auth::require_signed_in().await?;
    if admin.role != Role::Admin {
        return Err(AppError::Forbidden(
            "Only an administrator can see the directory.".to_owned(),
        ));
    }
    let store = super::store()?;
    let people = store.directory(DIRECTORY_LIMIT).await?;
    Ok(people
        .into_iter()
        .map(|(person, can_sign_in)| DirectoryEntry {
            person,
            can_sign_in,
        })
        .collect())
}

/// Signs `person_id` in on this session as they are stored now (after a
/// password change, or as the first admin just made).
#[cfg(feature = "ssr")]
async fn sign_in_again(
    store: &storage::Store,
    session: &mut crate::auth::AuthSession,
    person_id: i64,
) -> Result<(), AppError> {
    use crate::auth;
    let account = store
        .account(person_id)
        .await?
        .and_then(auth::Accounts::signed_in)
        .ok_or(AppError::Internal)?;
    auth::establish(session, &account).await
}

/// Reads a role as a form or the command line gives it.
pub fn role_from_form(
    role: &str,
    tier: Option<&str>,
    security_team: bool,
) -> Result<domain::person::Role, String> {
    use domain::{person::Role, tier::Tier};
    let tier = match tier.map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(code) => Some(
            Tier::ALL
                .into_iter()
                .find(|t| t.code().eq_ignore_ascii_case(code))
                .ok_or_else(|| format!("{code:?} is not a tier; use L1, L2 or L3."))?,
        ),
    };
    match (role.trim(), tier) {
        ("reporter", None) if !security_team => Ok(Role::Reporter),
        ("admin", None) if !security_team => Ok(Role::Admin),
        ("agent", Some(tier)) => Ok(Role::Agent {
            tier,
            security_team,
        }),
        ("agent", None) => Err("An agent needs a tier: L1, L2 or L3.".to_owned()),
        ("reporter" | "admin", _) => {
            Err("Only agents have a tier or belong to the security team.".to_owned())
        }
        (other, _) => Err(format!(
            "{other:?} is not a role; use reporter, agent or admin."
        )),
    }
}

/// Checks a new account's details and hashes its password.
#[cfg(feature = "ssr")]
pub async fn new_account(
    name: &str,
    email: &str,
    password: &str,
    role: domain::person::Role,
) -> Result<(storage::NewPerson, String), AppError> {
    use domain::{
        account::{account_email, NewPassword},
        person::Contact,
    };
    let invalid = AppError::Invalid;
    let email = account_email(email).map_err(|e| invalid(e.to_string()))?;
    let contact = Contact::new(name, &email, "").map_err(|e| invalid(e.to_string()))?;
    let password = NewPassword::parse(password, &email).map_err(|e| invalid(e.to_string()))?;
    let hash = crate::auth::password::hash(password.expose().to_owned()).await?;
    Ok((storage::NewPerson { contact, role }, hash))
}

/// A lockout's wait in whole seconds, rounded up, for `Retry-After`.
#[cfg(feature = "ssr")]
fn seconds_to_wait(locked: &domain::lockout::Locked) -> u64 {
    u64::try_from(locked.retry_after_ms.max(1))
        .unwrap_or(1)
        .div_ceil(1000)
}
