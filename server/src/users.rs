//! `frontline user add`: accounts from the command line, for the first
//! admin on a server nobody has opened yet, and for scripted set-ups.

use std::io::BufRead;

use domain::{
    account::{account_email, NewPassword},
    person::{Contact, Person},
};

use storage::{NewPerson, StorageError};

use app::functions::auth::role_from_form;

use crate::Config;

#[derive(Debug, Default)]
pub struct NewUser {
    pub name: Option<String>,
    pub email: Option<String>,
    pub role: Option<String>,
    pub tier: Option<String>,
    pub security_team: bool,
    /// Read the password from the first line of standard input; otherwise
    /// one is generated and printed once.
    pub password_stdin: bool,
    /// `user set-password`: a new password for the account with `email`.
    pub reset: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("{0}")]
    Invalid(String),
    #[error("cannot read the password from standard input: {0}")]
    Stdin(std::io::Error),
    #[error("cannot use the database {url}: {source}")]
    Database { url: String, source: StorageError },
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

/// Adds the account; returns it and the password when one was generated.
pub async fn add(config: &Config, user: NewUser) -> Result<(Person, Option<String>), UserError> {
    let invalid = |m: String| UserError::Invalid(m);
    let name = user
        .name
        .ok_or_else(|| invalid("--name is required".to_owned()))?;
    let email = user
        .email
        .ok_or_else(|| invalid("--email is required".to_owned()))?;
    let role = role_from_form(
        user.role.as_deref().unwrap_or("reporter"),
        user.tier.as_deref(),
        user.security_team,
    )
    .map_err(invalid)?;
    let email = account_email(&email).map_err(|e| invalid(e.to_string()))?;
    let contact = Contact::new(&name, &email, "").map_err(|e| invalid(e.to_string()))?;
    let (password, hash) = new_password(user.password_stdin, &email).await?;
    let (store, failed) = open(config).await?;
    let added = store
        .add_account(&NewPerson { contact, role }, &hash, app::clock::now_ms())
        .await;
    store.close().await;
    let person = added.map_err(|err| match err {
        StorageError::Invalid(message) => UserError::Invalid(message),
        other => failed(other),
    })?;
    Ok((person, password))
}

/// `user set-password`: a new password for an existing account. Sessions
/// made with the old one stop working (their stored hash no longer matches).
pub async fn set_password(
    config: &Config,
    user: NewUser,
) -> Result<(Person, Option<String>), UserError> {
    let email = user
        .email
        .ok_or_else(|| UserError::Invalid("--email is required".to_owned()))?;
    let (store, failed) = open(config).await?;
    let found = store.account_by_email(&email).await;
    let person = match found {
        Ok(Some(account)) => account.person,
        Ok(None) => {
            store.close().await;
            return Err(UserError::Invalid(format!(
                "There is no account with the email {}.",
                email.trim()
            )));
        }
        Err(err) => {
            store.close().await;
            return Err(failed(err));
        }
    };
    let (password, hash) = match new_password(user.password_stdin, &person.email).await {
        Ok(new) => new,
        Err(err) => {
            store.close().await;
            return Err(err);
        }
    };
    let done = store
        .set_password(person.id, &hash, app::clock::now_ms())
        .await;
    store.close().await;
    done.map_err(failed)?;
    Ok((person, password))
}

/// The password from standard input, or a generated one (returned, to be
/// shown once), with its hash.
async fn new_password(
    from_stdin: bool,
    email: &str,
) -> Result<(Option<String>, String), UserError> {
    let (password, generated) = if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(UserError::Stdin)?;
        (line.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        (generate_password(), true)
    };
    let password =
        NewPassword::parse(&password, email).map_err(|e| UserError::Invalid(e.to_string()))?;
    let hash = app::auth::password::hash(password.expose().to_owned())
        .await
        .map_err(|e| UserError::Invalid(e.to_string()))?;
    Ok((generated.then(|| password.expose().to_owned()), hash))
}

type Failed = Box<dyn Fn(StorageError) -> UserError + Send + Sync>;

/// Opens the configured database (creating the data directory for SQLite).
async fn open(config: &Config) -> Result<(storage::Store, Failed), UserError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|source| UserError::DataDir {
        path: config.data_dir.clone(),
        source,
    })?;
    let url = config.database_url_redacted();
    let failed: Failed = Box::new(move |source| UserError::Database {
        url: url.clone(),
        source,
    });
    let store = storage::connect_with(&config.database_url, config.rules.clone())
        .await
        .map_err(&failed)?;
    Ok((store, failed))
}

/// 20 characters from the OS's secure random source, without look-alikes.
fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    // Without an OS random source nothing here is safe; stop rather than guess.
    getrandom::fill(&mut bytes).expect("the operating system's random source is unavailable");
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let a = generate_password();
        let b = generate_password();
        assert_eq!(a.chars().count(), 20);
        assert_ne!(a, b);
        assert!(NewPassword::parse(&a, "x@example.org").is_ok());
    }
}
