//! People: who reports, who works tickets, and how to reach them.

use serde::{Deserialize, Serialize};

use crate::{lifecycle::Actor, tier::Tier};

/// What someone may do on the desk. Agents have a tier and may belong to the
/// security team, which alone sees suspected data breaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    Reporter,
    Agent { tier: Tier, security_team: bool },
    Admin,
}

impl Role {
    /// How the lifecycle sees this person on a ticket they did not report.
    pub fn actor(self) -> Actor {
        match self {
            Role::Reporter => Actor::Reporter,
            Role::Agent { tier, .. } => Actor::Agent { tier },
            Role::Admin => Actor::Admin,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Role::Reporter => "reporter",
            Role::Agent { .. } => "agent",
            Role::Admin => "admin",
        }
    }

    /// Rebuilds a role from its stored parts; `None` when they do not fit together.
    pub fn from_parts(code: &str, tier: Option<Tier>, security_team: bool) -> Option<Self> {
        match (code, tier) {
            ("reporter", None) => Some(Role::Reporter),
            ("agent", Some(tier)) => Some(Role::Agent {
                tier,
                security_team,
            }),
            ("admin", None) => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn tier(self) -> Option<Tier> {
        match self {
            Role::Agent { tier, .. } => Some(tier),
            _ => None,
        }
    }

    pub fn in_security_team(self) -> bool {
        matches!(
            self,
            Role::Agent {
                security_team: true,
                ..
            }
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub role: Role,
}

/// How the desk reaches the person who reported a ticket. Someone calling
/// the desk may have no account, so this is kept on the ticket itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

pub const NAME_MAX_CHARS: usize = 120;
const EMAIL_MAX_CHARS: usize = 254;
const PHONE_MAX_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("Please give the name of the person reporting the problem.")]
    NameMissing,
    #[error("Please keep the name to {NAME_MAX_CHARS} characters or fewer.")]
    NameTooLong,
    #[error("Please give an email address or a phone number, so the desk can reach the reporter.")]
    NoWayToReach,
    #[error("{0:?} does not look like an email address (it should be like name@example.org).")]
    BadEmail(String),
    #[error("{0:?} does not look like a phone number (digits, spaces, and + - ( ) only).")]
    BadPhone(String),
}

impl Contact {
    /// Trims every part; blank email or phone counts as not given.
    pub fn new(name: &str, email: &str, phone: &str) -> Result<Self, ContactError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ContactError::NameMissing);
        }
        if name.chars().count() > NAME_MAX_CHARS || name.chars().any(char::is_control) {
            return Err(ContactError::NameTooLong);
        }
        let email = non_blank(email).map(parse_email).transpose()?;
        let phone = non_blank(phone).map(parse_phone).transpose()?;
        if email.is_none() && phone.is_none() {
            return Err(ContactError::NoWayToReach);
        }
        Ok(Self {
            name: name.to_owned(),
            email,
            phone,
        })
    }
}

fn non_blank(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

/// Deliberately loose: one `@`, something on each side, a dot in the domain.
/// Whether the mailbox exists is for a confirmation email to find out.
pub fn parse_email(text: &str) -> Result<String, ContactError> {
    let bad = || ContactError::BadEmail(text.to_owned());
    let (local, domain) = text.split_once('@').ok_or_else(bad)?;
    let plausible = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && text.chars().count() <= EMAIL_MAX_CHARS
        && !text.chars().any(|c| c.is_whitespace() || c.is_control());
    if plausible {
        Ok(text.to_owned())
    } else {
        Err(bad())
    }
}

pub fn parse_phone(text: &str) -> Result<String, ContactError> {
    let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
    let digits = text.chars().filter(char::is_ascii_digit).count();
    if text.chars().all(allowed) && digits >= 3 && text.chars().count() <= PHONE_MAX_CHARS {
        Ok(text.to_owned())
    } else {
        Err(ContactError::BadPhone(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_needs_a_name_and_a_way_to_reach_them() {
        assert_eq!(
            Contact::new(" ", "a@b.org", ""),
            Err(ContactError::NameMissing)
        );
        assert_eq!(
            Contact::new("Ada", " ", ""),
            Err(ContactError::NoWayToReach)
        );
        let by_phone = Contact::new(" Ada ", "", "+44 20 7946 0958").expect("valid");
        assert_eq!(by_phone.name, "Ada");
        assert_eq!(by_phone.email, None);
        assert_eq!(by_phone.phone.as_deref(), Some("+44 20 7946 0958"));
    }

    #[test]
    fn implausible_addresses_and_numbers_are_refused() {
        for email in [
            "ada",
            "ada@",
            "@example.org",
            "ada@example",
            "a b@example.org",
            "a@b@c.org",
        ] {
            assert!(
                matches!(
                    Contact::new("Ada", email, ""),
                    Err(ContactError::BadEmail(_))
                ),
                "{email} accepted"
            );
        }
        assert!(matches!(
            Contact::new("Ada", "", "call me"),
            Err(ContactError::BadPhone(_))
        ));
        assert!(Contact::new("Ada", "ada.l@example.org", "").is_ok());
    }

    #[test]
    fn roles_round_trip_through_their_stored_parts() {
        for role in [
            Role::Reporter,
            Role::Admin,
            Role::Agent {
                tier: Tier::L2,
                security_team: true,
            },
        ] {
            assert_eq!(
                Role::from_parts(role.code(), role.tier(), role.in_security_team()),
                Some(role)
            );
        }
        assert_eq!(Role::from_parts("agent", None, false), None);
        assert_eq!(Role::from_parts("reporter", Some(Tier::L1), false), None);
    }
}
