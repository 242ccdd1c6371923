//! A call with the reporter, scheduled on the ticket: by phone or by video
//! link, at a time in the future. What is a valid call, how its time reads
//! in the desk's time zone, and the iCalendar invitation the reporter and
//! the desk can add to their calendars. No I/O.

use serde::{Deserialize, Serialize};

use crate::{
    calendar::{civil_from_days, days_from_civil, Zone, DAY_MS, MINUTE_MS},
    person::parse_phone,
};

pub const MIN_MINUTES: u32 = 5;
pub const MAX_MINUTES: u32 = 240;
/// How far ahead a call may be scheduled.
pub const MAX_DAYS_AHEAD: i64 = 90;
pub const LINK_MAX_CHARS: usize = 300;
pub const NOTE_MAX_CHARS: usize = 500;

/// How the call happens: the number the desk calls, or the link both open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "via", rename_all = "snake_case")]
pub enum CallChannel {
    Phone { number: String },
    Video { link: String },
}

impl CallChannel {
    /// The number or the link.
    pub fn address(&self) -> &str {
        match self {
            CallChannel::Phone { number } => number,
            CallChannel::Video { link } => link,
        }
    }

    /// "by phone (+44 20 7946 0958)", "by video (https://…)".
    pub fn words(&self) -> String {
        match self {
            CallChannel::Phone { number } => format!("by phone ({number})"),
            CallChannel::Video { link } => format!("by video ({link})"),
        }
    }
}

/// A call that passed the rules: trimmed and checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    pub at_ms: i64,
    pub minutes: u32,
    pub channel: CallChannel,
    pub note: Option<String>,
}

impl Call {
    pub fn end_ms(&self) -> i64 {
        self.at_ms + i64::from(self.minutes) * MINUTE_MS
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    #[error("The call must be in the future; please pick a later date and time.")]
    InThePast,
    #[error("Please schedule the call within the next {MAX_DAYS_AHEAD} days.")]
    TooFarAhead,
    #[error("A call lasts between {MIN_MINUTES} and {MAX_MINUTES} minutes.")]
    BadLength,
    #[error("{0:?} does not look like a phone number (digits, spaces, and + - ( ) only).")]
    BadPhone(String),
    #[error("A video link must be a web address starting with https://, like https://meet.example.org/desk.")]
    BadLink,
    #[error("Please keep the video link to {LINK_MAX_CHARS} characters or fewer.")]
    LinkTooLong,
    #[error("Please keep the note to {NOTE_MAX_CHARS} characters or fewer.")]
    NoteTooLong,
    #[error("Please give the date and time of the call, like 2026-12-01T14:00.")]
    BadTime,
}

/// Checks a call the desk wants to schedule at `now_ms`.
pub fn plan(
    at_ms: i64,
    minutes: u32,
    channel: &CallChannel,
    note: &str,
    now_ms: i64,
) -> Result<Call, CallError> {
    if !(MIN_MINUTES..=MAX_MINUTES).contains(&minutes) {
        return Err(CallError::BadLength);
    }
    if at_ms <= now_ms {
        return Err(CallError::InThePast);
    }
    if at_ms - now_ms > MAX_DAYS_AHEAD * DAY_MS {
        return Err(CallError::TooFarAhead);
    }
    let channel = match channel {
        CallChannel::Phone { number } => CallChannel::Phone {
            number: parse_phone(number.trim())
                .map_err(|_| CallError::BadPhone(number.trim().to_owned()))?,
        },
        CallChannel::Video { link } => CallChannel::Video {
            link: parse_link(link)?,
        },
    };
    let note = note.trim();
    if note.chars().count() > NOTE_MAX_CHARS {
        return Err(CallError::NoteTooLong);
    }
    Ok(Call {
        at_ms,
        minutes,
        channel,
        note: (!note.is_empty()).then(|| note.to_owned()),
    })
}

/// An https address with a plain host: nothing a browser would run, no
/// user name before the host, no spaces or quotes.
pub fn parse_link(raw: &str) -> Result<String, CallError> {
    let link = raw.trim();
    if link.chars().count() > LINK_MAX_CHARS {
        return Err(CallError::LinkTooLong);
    }
    let lower = link.to_ascii_lowercase();
    let Some(rest) = lower.strip_prefix("https://") else {
        return Err(CallError::BadLink);
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let plain_host = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    let plain = link
        .chars()
        .all(|c| c.is_ascii_graphic() && !"\"'<>\\`{}|^".contains(c));
    if !plain_host || !plain || lower.contains("javascript:") {
        return Err(CallError::BadLink);
    }
    Ok(link.to_owned())
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Local (days since 1970-01-01, minute of the day) at `offset_minutes`.
fn local(at_ms: i64, offset_minutes: i32) -> (i64, i64) {
    let local_ms = at_ms + i64::from(offset_minutes) * MINUTE_MS;
    (
        local_ms.div_euclid(DAY_MS),
        local_ms.rem_euclid(DAY_MS) / MINUTE_MS,
    )
}

fn clock(minute_of_day: i64) -> String {
    format!("{:02}:{:02}", minute_of_day / 60, minute_of_day % 60)
}

/// "Tue 1 Dec 2026, 14:00–14:30 (Europe/Berlin)": the call's time as the
/// desk's clock reads it (`offset_minutes` is the zone's offset at the call).
pub fn when_words(at_ms: i64, minutes: u32, offset_minutes: i32, zone: &str) -> String {
    let (day, start) = local(at_ms, offset_minutes);
    let (_, end) = local(at_ms + i64::from(minutes) * MINUTE_MS, offset_minutes);
    let (year, month, date) = civil_from_days(day);
    let weekday = WEEKDAYS[(day + 3).rem_euclid(7) as usize];
    let month = MONTHS[(month as usize).saturating_sub(1) % 12];
    format!(
        "{weekday} {date} {month} {year}, {}–{} ({zone})",
        clock(start),
        clock(end)
    )
}

/// The offset of `zone` at `at_ms`, in minutes.
pub fn offset_minutes_at(zone: &Zone, at_ms: i64) -> i32 {
    i32::try_from(zone.offset_ms_at(at_ms) / MINUTE_MS).unwrap_or(0)
}

/// Reads a `datetime-local` value (`2026-12-01T14:00`) as a time in `zone`.
pub fn parse_local(text: &str, zone: &Zone) -> Result<i64, CallError> {
    let bad = || CallError::BadTime;
    let (date, time) = text.trim().split_once('T').ok_or_else(bad)?;
    let days = crate::calendar::parse_date(date).map_err(|_| bad())?;
    let mut parts = time.split(':');
    let hour: i64 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    let minute: i64 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    if !(0..24).contains(&hour) || !(0..60).contains(&minute) {
        return Err(bad());
    }
    let local_ms = days * DAY_MS + (hour * 60 + minute) * MINUTE_MS;
    let guess = local_ms - zone.offset_ms_at(local_ms);
    Ok(local_ms - zone.offset_ms_at(guess))
}

/// The `datetime-local` value for `at_ms` in `zone`.
pub fn local_input(at_ms: i64, zone: &Zone) -> String {
    let (day, minute) = local(at_ms, offset_minutes_at(zone, at_ms));
    let (year, month, date) = civil_from_days(day);
    format!("{year:04}-{month:02}-{date:02}T{}", clock(minute))
}

/// Where the invitation for the call recorded as event `event_id` is downloaded.
pub fn invite_path(reference: &str, event_id: i64) -> String {
    format!("/api/incidents/{reference}/calls/{event_id}.ics")
}

/// What an invitation says, besides the call itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite<'a> {
    /// Stable across downloads, so a calendar updates rather than duplicates.
    pub uid: &'a str,
    /// When the invitation was made (the scheduling time).
    pub stamp_ms: i64,
    pub summary: &'a str,
    pub description: &'a str,
}

/// An RFC 5545 calendar with one event: CRLF line endings, text escaped,
/// lines folded at 75 octets, times in UTC.
pub fn ics(call: &Call, invite: &Invite<'_>) -> String {
    let mut description = invite.description.to_owned();
    description.push_str(&format!(
        "\nHow: {}",
        match &call.channel {
            CallChannel::Phone { number } => format!("the desk calls you on {number}"),
            CallChannel::Video { link } => format!("open {link}"),
        }
    ));
    if let Some(note) = &call.note {
        description.push_str(&format!("\n{note}"));
    }
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Frontline//Service desk//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}", escape_text(invite.uid)),
        format!("DTSTAMP:{}", utc_stamp(invite.stamp_ms)),
        format!("DTSTART:{}", utc_stamp(call.at_ms)),
        format!("DTEND:{}", utc_stamp(call.end_ms())),
        format!("SUMMARY:{}", escape_text(invite.summary)),
        format!("DESCRIPTION:{}", escape_text(&description)),
        format!("LOCATION:{}", escape_text(call.channel.address())),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    lines.iter().map(|line| fold(line) + "\r\n").collect()
}

/// `20261201T140000Z`
pub fn utc_stamp(at_ms: i64) -> String {
    let (day, _) = local(at_ms, 0);
    let seconds = at_ms.div_euclid(1000).rem_euclid(86_400);
    let (year, month, date) = civil_from_days(day);
    format!(
        "{year:04}{month:02}{date:02}T{:02}{:02}{:02}Z",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// TEXT values: backslash, semicolon, comma and newlines escaped; other
/// control characters dropped.
pub fn escape_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line so no line is longer than 75 octets; continuation
/// lines start with one space. Never splits a UTF-8 character.
pub fn fold(line: &str) -> String {
    const LIMIT: usize = 75;
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > LIMIT {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out
}

/// Milliseconds since the epoch of a UTC date and time.
pub fn at_utc(year: i64, month: u32, day: u32, hour: i64, minute: i64) -> i64 {
    days_from_civil(year, month, day) * DAY_MS + (hour * 60 + minute) * MINUTE_MS
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const NOW: i64 = 1_790_000_000_000;

    fn phone(number: &str) -> CallChannel {
        CallChannel::Phone {
            number: number.to_owned(),
        }
    }

    fn video(link: &str) -> CallChannel {
        CallChannel::Video {
            link: link.to_owned(),
        }
    }

    #[test]
    fn a_call_is_in_the_future_within_ninety_days_and_of_sensible_length() {
        let soon = NOW + 60 * MINUTE_MS;
        let call = plan(soon, 30, &phone(" +44 20 7946 0958 "), "  ", NOW).expect("valid");
        assert_eq!(call.channel, phone("+44 20 7946 0958"));
        assert_eq!(call.note, None);
        assert_eq!(call.end_ms(), soon + 30 * MINUTE_MS);
        assert_eq!(
            plan(NOW, 30, &phone("123"), "", NOW),
            Err(CallError::InThePast)
        );
        assert_eq!(
            plan(NOW + 91 * DAY_MS, 30, &phone("123"), "", NOW),
            Err(CallError::TooFarAhead)
        );
        assert!(plan(NOW + 90 * DAY_MS, 30, &phone("123"), "", NOW).is_ok());
        for minutes in [0, 4, 241] {
            assert_eq!(
                plan(soon, minutes, &phone("123"), "", NOW),
                Err(CallError::BadLength)
            );
        }
        assert_eq!(
            plan(soon, 30, &phone("call me"), "", NOW),
            Err(CallError::BadPhone("call me".to_owned()))
        );
        assert_eq!(
            plan(soon, 30, &phone("123"), &"x".repeat(501), NOW),
            Err(CallError::NoteTooLong)
        );
    }

    #[test]
    fn video_links_are_plain_https_addresses() {
        assert_eq!(
            parse_link(" https://meet.example.org/desk?id=42 "),
            Ok("https://meet.example.org/desk?id=42".to_owned())
        );
        for bad in [
            "http://meet.example.org/desk",
            "javascript:alert(1)",
            "https://",
            "https:///path",
            "https://user@evil.example/",
            "https://meet.example.org/a b",
            "https://meet.example.org/\"onmouseover",
            "https://meet.example.org/?next=javascript:alert(1)",
            "meet.example.org",
        ] {
            assert_eq!(parse_link(bad), Err(CallError::BadLink), "{bad}");
        }
        let long = format!("https://meet.example.org/{}", "a".repeat(300));
        assert_eq!(parse_link(&long), Err(CallError::LinkTooLong));
    }

    #[test]
    fn times_read_in_the_desks_zone() {
        let at = at_utc(2026, 12, 1, 13, 0);
        assert_eq!(
            when_words(at, 30, 60, "Europe/Berlin"),
            "Tue 1 Dec 2026, 14:00–14:30 (Europe/Berlin)"
        );
        assert_eq!(
            when_words(at, 45, 0, "UTC"),
            "Tue 1 Dec 2026, 13:00–13:45 (UTC)"
        );
        let berlin = Zone::fixed(60).expect("zone");
        assert_eq!(parse_local("2026-12-01T14:00", &berlin), Ok(at));
        assert_eq!(local_input(at, &berlin), "2026-12-01T14:00");
        assert_eq!(parse_local("2026-12-01", &berlin), Err(CallError::BadTime));
        assert_eq!(
            parse_local("2026-12-01T25:00", &berlin),
            Err(CallError::BadTime)
        );
        assert_eq!(
            invite_path("INC-000007", 42),
            "/api/incidents/INC-000007/calls/42.ics"
        );
    }

    #[test]
    fn the_invitation_is_rfc_5545() {
        let call = Call {
            at_ms: at_utc(2026, 12, 1, 13, 0),
            minutes: 30,
            channel: video("https://meet.example.org/desk"),
            note: Some("Have the laptop at hand; charger too".to_owned()),
        };
        let text = ics(
            &call,
            &Invite {
                uid: "call-42.incident-7@frontline",
                stamp_ms: at_utc(2026, 11, 27, 9, 5) + 7_000,
                summary: "INC-000007: VPN drops, every hour; since Monday",
                description: "A call with the service desk about INC-000007.",
            },
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'));
        for line in [
            "UID:call-42.incident-7@frontline",
            "DTSTAMP:20261127T090507Z",
            "DTSTART:20261201T130000Z",
            "DTEND:20261201T133000Z",
            "SUMMARY:INC-000007: VPN drops\\, every hour\\; since Monday",
            "LOCATION:https://meet.example.org/desk",
        ] {
            assert!(
                text.contains(&format!("\r\n{line}\r\n")),
                "{line} in {text}"
            );
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(
            unfolded.contains("\\nHow: open https://meet.example.org/desk\\nHave the laptop at hand\\; charger too"),
            "{unfolded}"
        );
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
    }

    #[test]
    fn text_is_escaped_and_long_lines_fold_between_characters() {
        assert_eq!(
            escape_text("a\\b;c,d\r\ne\nf\u{7}"),
            "a\\\\b\\;c\\,d\\ne\\nf"
        );
        let line = format!("DESCRIPTION:{}", "é".repeat(60));
        let folded = fold(&line);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert!(folded.split("\r\n").skip(1).all(|l| l.starts_with(' ')));
        assert_eq!(folded.replace("\r\n ", ""), line);
        assert_eq!(fold("SHORT:x"), "SHORT:x");
    }

    proptest! {
        #[test]
        fn folding_keeps_the_text_and_the_limit(text in "\\PC{0,300}") {
            let line = format!("DESCRIPTION:{}", escape_text(&text));
            let folded = fold(&line);
            prop_assert_eq!(folded.replace("\r\n ", ""), line);
            for part in folded.split("\r\n") {
                prop_assert!(part.len() <= 75);
            }
        }

        #[test]
        fn escaped_text_has_no_bare_separators(text in "\\PC{0,100}") {
            let escaped = escape_text(&text);
            let mut chars = escaped.chars();
            while let Some(c) = chars.next() {
                prop_assert!(c != ';' && c != ',' && c != '\n' && c != '\r');
                if c == '\\' {
                    prop_assert!(matches!(chars.next(), Some('\\' | ';' | ',' | 'n')));
                }
            }
        }

        #[test]
        fn accepted_calls_keep_to_the_rules(
            ahead in -DAY_MS..(100 * DAY_MS),
            minutes in 0u32..300,
            link in prop_oneof![Just("https://meet.example.org/x".to_owned()), "\\PC{0,40}"],
        ) {
            if let Ok(call) = plan(NOW + ahead, minutes, &video(&link), "", NOW) {
                prop_assert!(call.at_ms > NOW && call.at_ms <= NOW + MAX_DAYS_AHEAD * DAY_MS);
                prop_assert!((MIN_MINUTES..=MAX_MINUTES).contains(&call.minutes));
                let CallChannel::Video { link } = call.channel else { unreachable!() };
                prop_assert!(link.starts_with("https://"));
                prop_assert!(!link.to_ascii_lowercase().contains("javascript:"));
            }
        }

        #[test]
        fn local_times_round_trip(at in 0i64..4_000_000_000_000, offset in -720i32..840) {
            let zone = Zone::fixed(offset).expect("zone");
            let minute = at - at.rem_euclid(MINUTE_MS);
            prop_assert_eq!(parse_local(&local_input(minute, &zone), &zone), Ok(minute));
        }
    }
}
