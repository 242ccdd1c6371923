//! Password hashing with argon2id at the OWASP-recommended cost. Hashing is
//! slow and memory-hungry on purpose, so it runs off the async threads, and
//! only as many at once as [`queue`] admits.

mod queue;

use std::sync::OnceLock;

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error("the password hashing task failed: {0}")]
    Task(String),
    /// Too many hashes are running or waiting; try again shortly.
    #[error("too many passwords are being checked at once")]
    Busy,
}

/// Runs `work` on a blocking thread once the queue gives it a core. The
/// turn travels with the work: a caller that gives up (a client that hung
/// up) does not free the core while the hash is still running.
async fn on_a_core<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HashError> {
    let turn = queue::Queue::shared_turn()
        .await
        .map_err(|queue::Busy| HashError::Busy)?;
    tokio::task::spawn_blocking(move || {
        let done = work();
        drop(turn);
        done
    })
    .await
    .map_err(|e| HashError::Task(e.to_string()))
}

/// Argon2id, version 0x13, 19 MiB, 2 passes, 1 lane: the crate's default,
/// which is OWASP's first recommended setting.
fn argon2() -> Argon2<'static> {
    Argon2::default()
}

pub fn hash_blocking(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| HashError::Hash(e.to_string()))
}

/// False for a wrong password and for a stored hash that cannot be read.
pub fn verify_blocking(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(err) => {
            tracing::error!(error = %err, "a stored password hash cannot be parsed");
            false
        }
    }
}

pub async fn hash(password: String) -> Result<String, HashError> {
    on_a_core(move || hash_blocking(&password)).await?
}

/// Checks `password` against `hash`, or, when there is no account, against a
/// hash of nothing in particular: an unknown email then costs exactly as much
/// time as a wrong password, so timing does not tell which emails exist.
pub async fn verify(password: String, hash: Option<String>) -> Result<bool, HashError> {
    on_a_core(move || match hash {
        Some(hash) => verify_blocking(&password, &hash),
        None => {
            verify_blocking(&password, decoy());
            false
        }
    })
    .await
}

/// Computed once, at start-up (see [`warm_up`]), with the same parameters as real hashes.
fn decoy() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(salt.as_str().as_bytes(), &salt)
            .map(|h| h.to_string())
            // Unreachable with valid parameters; an unparsable decoy still
            // costs a parse instead of a hash, which the log would show.
            .unwrap_or_default()
    })
}

/// Prepares the decoy hash so the first unknown-email sign-in is not slower.
pub fn warm_up() {
    decoy();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let first = hash_blocking("correct horse battery").expect("hash");
        let second = hash_blocking("correct horse battery").expect("hash");
        assert!(
            first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{first}"
        );
        assert_ne!(first, second, "each hash has its own salt");
        assert!(verify_blocking("correct horse battery", &first));
        assert!(!verify_blocking("correct horse batter", &first));
        assert!(!verify_blocking("anything", "not a hash"));
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(!verify("".to_owned(), None).await.expect("verify"));
        assert!(!verify(decoy().to_owned(), None).await.expect("verify"));
    }
}
