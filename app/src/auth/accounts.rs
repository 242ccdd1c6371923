//! The axum-login backend: checks a password against the directory and
//! loads the signed-in person on each request.

use axum_login::{AuthUser, AuthnBackend, UserId};
use blake2::{Blake2s256, Digest};

use super::password;
use domain::{
    account::sign_in_name,
    lockout::{Counter, Limits, Locked},
    person::Person,
};
use storage::{AttemptCounter, StorageError, Store};

/// A person with a password, as the session knows them.
#[derive(Clone)]
pub struct SignedIn {
    pub person: Person,
    /// The stored password hash: a session made before a password change
    /// no longer matches it, so changing a password signs out everywhere else.
    auth_hash: Vec<u8>,
    /// The language they chose to read the desk in, if they did.
    pub language: Option<words::Lang>,
}

impl std::fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedIn")
            .field("person", &self.person)
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

impl AuthUser for SignedIn {
    type Id = i64;

    fn id(&self) -> i64 {
        self.person.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

#[derive(Clone)]
pub struct Credentials {
    pub email: String,
    pub password: String,
    /// The client's address, for the per-address lockout.
    pub address: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Hash(#[from] password::HashError),
    #[error("too many sign-in attempts")]
    Throttled(Locked),
}

#[derive(Clone)]
pub struct Accounts {
    store: Store,
    limits: Limits,
}

impl Accounts {
    pub fn new(store: Store, limits: Limits) -> Self {
        password::warm_up();
        Self { store, limits }
    }

    fn counter(&self, counter: Counter, value: &str) -> AttemptCounter {
        let key = Blake2s256::digest(counter.key(value).as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        AttemptCounter {
            key,
            limit: counter.limit(&self.limits),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The signed-in form of an account, or `None` if it cannot sign in.
    pub fn signed_in(account: storage::Account) -> Option<SignedIn> {
        let hash = account.password_hash?;
        Some(SignedIn {
            person: account.person,
            auth_hash: hash.into_bytes(),
            language: account.language,
        })
    }
}

impl AuthnBackend for Accounts {
    type User = SignedIn;
    type Credentials = Credentials;
    type Error = AuthError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<SignedIn>, AuthError> {
        let name = sign_in_name(&creds.email);
        let account_counter = self.counter(Counter::Account, &name);
        let mut counters = vec![account_counter.clone()];
        if let Some(address) = creds.address.as_deref() {
            counters.push(self.counter(Counter::Address, address));
        }
        // Counted before the password is checked: attempts sent at once are
        // refused once the limit is reached, not after they were all tried.
        let counted = self
            .store
            .count_attempt(&counters, self.limits.window_ms, crate::clock::now_ms())
            .await?
            .map_err(AuthError::Throttled)?;
        let account = self.store.account_by_email(&name).await?;
        let hash = account.as_ref().and_then(|a| a.password_hash.clone());
        // An unknown email and an account without a password are checked
        // against the decoy, so each answer takes as long as a wrong password.
        let matches = password::verify(creds.password, hash).await?;
        match account.and_then(Self::signed_in) {
            Some(user) if matches => {
                // The right password clears the account's count, and this
                // attempt is taken back from the address: the address counts
                // failures, yet one good account must not unlock guessing
                // at others.
                let address_attempt = counted.get(1).copied();
                self.store
                    .forget_attempts(&[account_counter.key], address_attempt.as_slice())
                    .await?;
                Ok(Some(user))
            }
            _ => Ok(None),
        }
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<SignedIn>, AuthError> {
        Ok(self.store.account(*id).await?.and_then(Self::signed_in))
    }
}
