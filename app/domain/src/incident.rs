use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{
    guide::DiagnosisStep,
    kind::Kind,
    lifecycle::State,
    person::Contact,
    priority::{Impact, Priority, Urgency},
    tier::Tier,
};

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

/// Longest description, symptoms, resolution note or comment: enough for a
/// pasted log excerpt, not for a whole log file (attachments are for that).
pub const TEXT_MAX_CHARS: usize = 20_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Please keep the {field} to {max} characters or fewer (it has {chars}).", max = TEXT_MAX_CHARS)]
pub struct TextTooLong {
    pub field: &'static str,
    pub chars: usize,
}

/// Trims free text and checks its length; `field` names it in the error.
pub fn parse_text(field: &'static str, raw: &str) -> Result<String, TextTooLong> {
    let text = raw.trim();
    let chars = text.chars().count();
    if chars > TEXT_MAX_CHARS {
        return Err(TextTooLong { field, chars });
    }
    Ok(text.to_owned())
}

/// Why "When did it start?" was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StartedError {
    #[error("Please give the day it started as a date, like 2026-11-27.")]
    Day,
    #[error("Please give the time it started as hours and minutes, like 09:30.")]
    Time,
    #[error("Please give the day it started as well as the time.")]
    TimeWithoutDay,
}

/// "When did it start?" as the report form's date and time inputs send it
/// (`2026-11-27` and `09:30`, the reporter's local time). The time is
/// optional: people often know the day and not the hour. Kept as given
/// (`2026-11-27T09:30` or `2026-11-27`): the reporter's time zone is not
/// known, and agents read it as a hint.
pub fn parse_started(day: &str, time: &str) -> Result<Option<String>, StartedError> {
    let (day, time) = (day.trim(), time.trim());
    if day.is_empty() {
        return if time.is_empty() {
            Ok(None)
        } else {
            Err(StartedError::TimeWithoutDay)
        };
    }
    let numbers = |text: &str, sep: char, lens: &[usize]| -> Option<Vec<u32>> {
        let parts: Vec<&str> = text.split(sep).collect();
        (parts.len() == lens.len()
            && parts
                .iter()
                .zip(lens)
                .all(|(p, n)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit())))
        .then(|| parts.iter().filter_map(|p| p.parse().ok()).collect())
    };
    let ymd = numbers(day, '-', &[4, 2, 2])
        .filter(|ymd| ymd[0] >= 1970 && (1..=12).contains(&ymd[1]) && (1..=31).contains(&ymd[2]))
        .ok_or(StartedError::Day)?;
    let day = format!("{:04}-{:02}-{:02}", ymd[0], ymd[1], ymd[2]);
    if time.is_empty() {
        return Ok(Some(day));
    }
    // Seconds are optional in a time input's value; a typed "9:30" is fine.
    let hm = numbers(time, ':', &[2, 2])
        .or_else(|| numbers(time, ':', &[1, 2]))
        .or_else(|| numbers(time, ':', &[2, 2, 2]))
        .filter(|hm| hm[0] < 24 && hm[1] < 60)
        .ok_or(StartedError::Time)?;
    Ok(Some(format!("{day}T{:02}:{:02}", hm[0], hm[1])))
}

/// Longest name of an affected service or item ("VPN", "Laptop PC-0413").
pub const SERVICE_MAX_CHARS: usize = 120;

/// A ticket as it is first logged, validated field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncident {
    pub kind: Kind,
    pub title: IncidentTitle,
    pub description: String,
    pub symptoms: String,
    pub reporter: Contact,
    /// The reporter's account, when they have one.
    pub reporter_id: Option<i64>,
    pub service: Option<String>,
    pub category_id: Option<i64>,
    pub impact: Impact,
    pub urgency: Urgency,
    /// The questions answered in guided troubleshooting.
    pub diagnosis: Vec<DiagnosisStep>,
    /// When the reporter says it started, as they gave it (see [`parse_started`]).
    pub started: Option<String>,
}

/// Where a ticket sits in the category tree, with its full path for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRef {
    pub id: i64,
    /// `Network › VPN`
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssigneeRef {
    pub id: i64,
    pub name: String,
}

/// The current state of one ticket. Every field is derived from the event
/// log by the rules in this module's siblings; `version` counts the events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    pub id: i64,
    pub version: i64,
    pub kind: Kind,
    pub title: String,
    pub description: String,
    pub symptoms: String,
    pub reporter: Contact,
    pub reporter_id: Option<i64>,
    pub service: Option<String>,
    pub category: Option<CategoryRef>,
    pub impact: Impact,
    pub urgency: Urgency,
    pub diagnosis: Vec<DiagnosisStep>,
    pub started: Option<String>,
    pub priority: Priority,
    /// Set when an agent overrode the matrix; cleared when impact or urgency change.
    pub priority_reason: Option<String>,
    pub tier: Tier,
    pub state: State,
    pub assignee: Option<AssigneeRef>,
    pub resolution: Option<String>,
    pub reported_at_ms: i64,
    pub first_response_at_ms: Option<i64>,
    pub resolved_at_ms: Option<i64>,
    pub closed_at_ms: Option<i64>,
    /// When the first response falls due; `None` once it has happened.
    pub response_due_ms: Option<i64>,
    /// When resolution falls due; `None` while the clock is paused or stopped.
    pub resolution_due_ms: Option<i64>,
    pub updated_at_ms: i64,
}

impl Incident {
    /// `INC-000123`, `REQ-…` or `SEC-…`.
    pub fn reference(&self) -> String {
        reference(self.kind, self.id)
    }

    /// Whether the ticket still needs work (it appears on the board).
    pub fn is_open(&self) -> bool {
        is_open(self.state)
    }
}

/// The states shown on the board.
pub fn is_open(state: State) -> bool {
    matches!(
        state,
        State::New | State::Assigned | State::InProgress | State::Pending
    )
}

/// Parses the `INC-000123` form back to its kind and id.
pub fn parse_reference(text: &str) -> Option<(Kind, i64)> {
    let (prefix, number) = text.trim().split_once('-')?;
    let kind = [Kind::Incident, Kind::ServiceRequest, Kind::SecurityIncident]
        .into_iter()
        .find(|k| k.prefix().eq_ignore_ascii_case(prefix))?;
    let id = number.parse().ok().filter(|id: &i64| *id > 0)?;
    Some((kind, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_times_are_checked_not_reinterpreted() {
        assert_eq!(parse_started(" ", ""), Ok(None));
        assert_eq!(
            parse_started("2026-11-27", "09:30"),
            Ok(Some("2026-11-27T09:30".to_owned()))
        );
        assert_eq!(
            parse_started("2026-11-27", "09:30:15"),
            Ok(Some("2026-11-27T09:30".to_owned()))
        );
        assert_eq!(
            parse_started("2026-11-27", "9:05"),
            Ok(Some("2026-11-27T09:05".to_owned()))
        );
        assert_eq!(
            parse_started(" 2026-11-27 ", " "),
            Ok(Some("2026-11-27".to_owned()))
        );
        for bad in ["yesterday", "2026-13-01", "27/11/2026", "1969-12-31", "<b>"] {
            assert_eq!(parse_started(bad, "10:00"), Err(StartedError::Day), "{bad}");
        }
        for bad in ["24:00", "10:60", "half past nine", "1030", "<b>"] {
            assert_eq!(
                parse_started("2026-11-27", bad),
                Err(StartedError::Time),
                "{bad}"
            );
        }
        assert_eq!(
            parse_started("", "09:30"),
            Err(StartedError::TimeWithoutDay)
        );
    }

    #[test]
    fn references_parse_back() {
        assert_eq!(parse_reference("INC-000123"), Some((Kind::Incident, 123)));
        assert_eq!(
            parse_reference(" sec-7 "),
            Some((Kind::SecurityIncident, 7))
        );
        assert_eq!(parse_reference("INC-0"), None);
        assert_eq!(parse_reference("BUG-12"), None);
        assert_eq!(parse_reference("INC12"), None);
    }

    #[test]
    fn long_text_is_refused_with_its_field_named() {
        assert_eq!(parse_text("description", "  ok \n"), Ok("ok".to_owned()));
        let long = "x".repeat(TEXT_MAX_CHARS + 1);
        assert_eq!(
            parse_text("description", &long).map_err(|e| e.to_string()),
            Err(format!(
                "Please keep the description to {TEXT_MAX_CHARS} characters or fewer (it has {}).",
                TEXT_MAX_CHARS + 1
            ))
        );
    }

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
