use std::fmt;

use serde::{Deserialize, Serialize};

/// What a ticket is: identification decides between the first two; a
/// suspected data breach is its own kind, seen only by the security team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Incident,
    ServiceRequest,
    SecurityIncident,
}

impl Kind {
    /// The prefix of the human reference.
    pub fn prefix(self) -> &'static str {
        match self {
            Kind::Incident => "INC",
            Kind::ServiceRequest => "REQ",
            Kind::SecurityIncident => "SEC",
        }
    }
}

/// The longest title a reporter may give; longer text belongs in the description.
pub const TITLE_MAX_CHARS: usize = 200;

/// Why a title was refused, worded for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TitleError {
    #[error("Please describe the problem in a few words.")]
    Empty,
    #[error("Please keep the title to {max} characters or fewer (it has {0}).", max = TITLE_MAX_CHARS)]
    TooLong(usize),
    #[error("The title cannot contain control characters such as tabs or line breaks.")]
    ControlCharacters,
}

/// A validated one-line summary of an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentTitle(String);

impl IncidentTitle {
    /// Trims surrounding white space; refuses empty, overlong or multi-line titles.
    pub fn parse(raw: &str) -> Result<Self, TitleError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(TitleError::Empty);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(TitleError::ControlCharacters);
        }
        let chars = trimmed.chars().count();
        if chars > TITLE_MAX_CHARS {
            return Err(TitleError::TooLong(chars));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IncidentTitle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The human reference agents and reporters quote on the phone: `INC-000123`.
pub fn reference(kind: Kind, id: i64) -> String {
    format!("{}-{id:06}", kind.prefix())
}

pub fn incident_reference(id: i64) -> String {
    reference(Kind::Incident, id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_trimmed() {
        let title = IncidentTitle::parse("  VPN drops every hour \n").expect("valid title");
        assert_eq!(title.as_str(), "VPN drops every hour");
    }

    #[test]
    fn blank_title_is_refused() {
        assert_eq!(IncidentTitle::parse(""), Err(TitleError::Empty));
        assert_eq!(IncidentTitle::parse(" \t\n "), Err(TitleError::Empty));
    }

    #[test]
    fn title_length_counts_characters_not_bytes() {
        let at_limit = "é".repeat(TITLE_MAX_CHARS);
        assert!(IncidentTitle::parse(&at_limit).is_ok());
        let over = "é".repeat(TITLE_MAX_CHARS + 1);
        assert_eq!(
            IncidentTitle::parse(&over),
            Err(TitleError::TooLong(TITLE_MAX_CHARS + 1))
        );
    }

    #[test]
    fn inner_line_breaks_are_refused() {
        assert_eq!(
            IncidentTitle::parse("printer\nis on fire"),
            Err(TitleError::ControlCharacters)
        );
    }

    #[test]
    fn markup_is_kept_as_text() {
        // Escaping happens when rendering; the domain keeps what was typed.
        let title = IncidentTitle::parse("<script>alert(1)</script>").expect("valid title");
        assert_eq!(title.as_str(), "<script>alert(1)</script>");
    }

    #[test]
    fn errors_read_as_sentences() {
        assert_eq!(
            TitleError::TooLong(250).to_string(),
            "Please keep the title to 200 characters or fewer (it has 250)."
        );
    }

    #[test]
    fn references_are_zero_padded() {
        assert_eq!(incident_reference(1), "INC-000001");
        assert_eq!(incident_reference(123_456), "INC-123456");
        assert_eq!(incident_reference(1_234_567), "INC-1234567");
        assert_eq!(reference(Kind::ServiceRequest, 42), "REQ-000042");
        assert_eq!(reference(Kind::SecurityIncident, 7), "SEC-000007");
    }
}
