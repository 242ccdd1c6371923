//! Accounts: the rules a password and a sign-in name follow. Hashing and
//! sessions are the server's business; these rules are shared with the
//! browser so a form can say what is wrong before it is sent.

use crate::person::{parse_email, ContactError};

/// Long enough to resist guessing, as NIST SP 800-63B asks; no composition rules.
pub const PASSWORD_MIN_CHARS: usize = 10;
/// Hashing cost grows with length; a passphrase never needs more.
pub const PASSWORD_MAX_CHARS: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Please choose a password of at least {PASSWORD_MIN_CHARS} characters.")]
    TooShort,
    #[error("Please keep the password to {PASSWORD_MAX_CHARS} characters or fewer.")]
    TooLong,
    #[error("Please choose a password that is not your email address.")]
    SameAsEmail,
    #[error("The new password must differ from the current one.")]
    Unchanged,
}

/// A password that meets the rules for a new one. Existing passwords are
/// checked against their hash as typed, whatever rules were in force.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

impl NewPassword {
    pub fn parse(password: &str, email: &str) -> Result<Self, PasswordError> {
        let chars = password.chars().count();
        if chars < PASSWORD_MIN_CHARS || password.trim().is_empty() {
            return Err(PasswordError::TooShort);
        }
        if chars > PASSWORD_MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        if password.trim().eq_ignore_ascii_case(email.trim()) {
            return Err(PasswordError::SameAsEmail);
        }
        Ok(Self(password.to_owned()))
    }

    /// For a change of password: also refuses the current one.
    pub fn replacing(current: &str, password: &str, email: &str) -> Result<Self, PasswordError> {
        if current == password {
            return Err(PasswordError::Unchanged);
        }
        Self::parse(password, email)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The form a sign-in name is looked up in: trimmed, lower case, so
/// " Ada@Example.org" finds ada@example.org. Also the throttling key.
pub fn sign_in_name(email: &str) -> String {
    email.trim().to_lowercase()
}

/// An email address good enough to create an account with.
pub fn account_email(email: &str) -> Result<String, ContactError> {
    parse_email(email.trim())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn short_long_and_obvious_passwords_are_refused() {
        let email = "ada@example.org";
        assert_eq!(
            NewPassword::parse("short", email),
            Err(PasswordError::TooShort)
        );
        assert_eq!(
            NewPassword::parse("          ", email),
            Err(PasswordError::TooShort)
        );
        assert_eq!(
            NewPassword::parse(&"x".repeat(129), email),
            Err(PasswordError::TooLong)
        );
        assert_eq!(
            NewPassword::parse("ADA@example.org", email),
            Err(PasswordError::SameAsEmail)
        );
        assert_eq!(
            NewPassword::replacing("correct horse", "correct horse", email),
            Err(PasswordError::Unchanged)
        );
        let ok = NewPassword::parse("correct horse battery", email).expect("valid");
        assert_eq!(ok.expose(), "correct horse battery");
        assert_eq!(format!("{ok:?}"), "NewPassword(***)");
    }

    #[test]
    fn sign_in_names_ignore_case_and_spaces() {
        assert_eq!(sign_in_name("  Ada@Example.ORG "), "ada@example.org");
        assert!(account_email(" ada@example.org ").is_ok());
        assert!(account_email("ada").is_err());
    }

    proptest! {
        /// Counting characters, not bytes: a passphrase in any script is
        /// judged by its length as a person sees it.
        #[test]
        fn length_is_counted_in_characters(word in "[a-zé漢]{1,20}") {
            let chars = word.chars().count();
            let parsed = NewPassword::parse(&word, "x@example.org");
            prop_assert_eq!(parsed.is_ok(), chars >= PASSWORD_MIN_CHARS);
        }
    }
}
