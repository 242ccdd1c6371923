use serde::{Deserialize, Serialize};

use crate::person::Person;

/// One line of the admin's directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    pub person: Person,
    /// False for people in the directory without a password (callers the
    /// desk logged tickets for); they cannot sign in.
    pub can_sign_in: bool,
}
