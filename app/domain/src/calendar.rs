//! Working time: around the clock, or business hours on working days minus
//! holidays, in a time zone with its daylight-saving changes. Times are
//! milliseconds since the Unix epoch; no I/O and no system clock (the server
//! reads a named zone's changes from the time-zone database and hands them in).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub const MINUTE_MS: i64 = 60_000;
pub const DAY_MS: i64 = 24 * 60 * MINUTE_MS;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Calendar {
    /// 24×7: every millisecond counts.
    #[default]
    Always,
    Business(BusinessHours),
}

/// A time zone as the calendar needs it: the offset from UTC in force at
/// each moment. Within the span between two changes the offset is constant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Zone {
    /// `Europe/Berlin`, or `UTC+01:00` for a fixed offset.
    name: String,
    /// In force before the first change.
    initial_offset_minutes: i32,
    /// (from this UTC millisecond, this offset in minutes), ascending.
    changes: Vec<(i64, i32)>,
}

const MAX_OFFSET_MINUTES: i32 = 14 * 60;

impl Zone {
    /// Local time = UTC + `offset_minutes`, all year.
    pub fn fixed(offset_minutes: i32) -> Result<Self, CalendarError> {
        if offset_minutes.abs() > MAX_OFFSET_MINUTES {
            return Err(CalendarError::OffsetOutOfRange);
        }
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let abs = offset_minutes.abs();
        Ok(Self {
            name: format!("UTC{sign}{:02}:{:02}", abs / 60, abs % 60),
            initial_offset_minutes: offset_minutes,
            changes: Vec::new(),
        })
    }

    /// A named zone with its offset changes (daylight saving, redefinitions).
    pub fn with_changes(
        name: &str,
        initial_offset_minutes: i32,
        changes: Vec<(i64, i32)>,
    ) -> Result<Self, CalendarError> {
        let offsets = std::iter::once(initial_offset_minutes).chain(changes.iter().map(|c| c.1));
        if offsets.into_iter().any(|o| o.abs() > MAX_OFFSET_MINUTES) {
            return Err(CalendarError::OffsetOutOfRange);
        }
        if changes.windows(2).any(|w| w[0].0 >= w[1].0) {
            return Err(CalendarError::ChangesOutOfOrder);
        }
        Ok(Self {
            name: name.to_owned(),
            initial_offset_minutes,
            changes,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many changes come at or before `at_ms`.
    fn changes_until(&self, at_ms: i64) -> usize {
        self.changes.partition_point(|(from, _)| *from <= at_ms)
    }

    fn offset_after(&self, changes_seen: usize) -> i64 {
        let minutes = match changes_seen {
            0 => self.initial_offset_minutes,
            n => self.changes[n - 1].1,
        };
        i64::from(minutes) * MINUTE_MS
    }

    /// The offset in force at `at_ms`, in milliseconds.
    pub fn offset_ms_at(&self, at_ms: i64) -> i64 {
        self.offset_after(self.changes_until(at_ms))
    }

    /// The same zone with only the changes in `(from_ms, until_ms)`: what a
    /// browser needs to read and write times in that window.
    pub fn between(&self, from_ms: i64, until_ms: i64) -> Zone {
        Zone {
            name: self.name.clone(),
            initial_offset_minutes: i32::try_from(self.offset_ms_at(from_ms) / MINUTE_MS)
                .unwrap_or(self.initial_offset_minutes),
            changes: self
                .changes
                .iter()
                .filter(|(at, _)| *at > from_ms && *at < until_ms)
                .copied()
                .collect(),
        }
    }

    /// Splits `[start, end)` into spans of constant offset: (from, to, offset ms).
    /// `end = None` leaves the last span open.
    fn spans(
        &self,
        start_ms: i64,
        end_ms: Option<i64>,
    ) -> impl Iterator<Item = (i64, Option<i64>, i64)> + '_ {
        let first = self.changes_until(start_ms);
        let mut from = start_ms;
        let mut index = first;
        let mut done = false;
        std::iter::from_fn(move || {
            if done {
                return None;
            }
            let next_change = self.changes.get(index).map(|c| c.0);
            let to = match (next_change, end_ms) {
                (Some(change), Some(end)) => Some(change.min(end)),
                (Some(change), None) => Some(change),
                (None, end) => end,
            };
            let span = (from, to, self.offset_after(index));
            match to {
                Some(to) if Some(to) != end_ms => {
                    from = to;
                    index += 1;
                }
                _ => done = true,
            }
            Some(span)
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessHours {
    zone: Zone,
    /// Minutes after local midnight.
    open_minute: u32,
    close_minute: u32,
    /// Monday first.
    working_days: [bool; 7],
    /// Local dates, as days since 1970-01-01.
    holidays: BTreeSet<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("Opening time must be before closing time, within one day.")]
    HoursOutOfOrder,
    #[error("At least one day of the week must be a working day.")]
    NoWorkingDays,
    #[error("The offset from UTC must be between -14:00 and +14:00.")]
    OffsetOutOfRange,
    #[error("A time zone's offset changes must be in time order.")]
    ChangesOutOfOrder,
    #[error("{0:?} is not a time zone this server knows (use a name such as Europe/Berlin).")]
    UnknownZone(String),
    #[error("{0:?} is not a date in the form YYYY-MM-DD.")]
    BadDate(String),
}

impl BusinessHours {
    pub fn new(
        zone: Zone,
        open_minute: u32,
        close_minute: u32,
        working_days: [bool; 7],
        holidays: BTreeSet<i64>,
    ) -> Result<Self, CalendarError> {
        if open_minute >= close_minute || close_minute > 24 * 60 {
            return Err(CalendarError::HoursOutOfOrder);
        }
        if !working_days.iter().any(|d| *d) {
            return Err(CalendarError::NoWorkingDays);
        }
        Ok(Self {
            zone,
            open_minute,
            close_minute,
            working_days,
            holidays,
        })
    }

    /// Monday to Friday, 09:00–17:00 local time.
    pub fn office(zone: Zone, holidays: BTreeSet<i64>) -> Result<Self, CalendarError> {
        Self::new(
            zone,
            9 * 60,
            17 * 60,
            [true, true, true, true, true, false, false],
            holidays,
        )
    }

    pub fn zone(&self) -> &Zone {
        &self.zone
    }

    fn is_working_day(&self, local_day: i64) -> bool {
        // 1970-01-01 was a Thursday (index 3 with Monday = 0).
        let weekday = (local_day + 3).rem_euclid(7) as usize;
        self.working_days[weekday] && !self.holidays.contains(&local_day)
    }

    /// The working window of one local day, in UTC milliseconds, as it
    /// would be if `offset_ms` held all day.
    fn window(&self, local_day: i64, offset_ms: i64) -> Option<(i64, i64)> {
        if !self.is_working_day(local_day) {
            return None;
        }
        let midnight_utc = local_day * DAY_MS - offset_ms;
        Some((
            midnight_utc + i64::from(self.open_minute) * MINUTE_MS,
            midnight_utc + i64::from(self.close_minute) * MINUTE_MS,
        ))
    }

    /// Working time in `[start, end)` where the offset is constant.
    fn between_at_offset(&self, start_ms: i64, end_ms: i64, offset_ms: i64) -> i64 {
        let local_day = |at: i64| (at + offset_ms).div_euclid(DAY_MS);
        let mut total = 0;
        for day in local_day(start_ms)..=local_day(end_ms) {
            if let Some((open, close)) = self.window(day, offset_ms) {
                total += (close.min(end_ms) - open.max(start_ms)).max(0);
            }
        }
        total
    }

    /// The moment `amount_ms` of working time after `start_ms` has passed,
    /// when the offset is constant from `start_ms` on.
    fn add_at_offset(&self, start_ms: i64, amount_ms: i64, offset_ms: i64) -> i64 {
        let mut remaining = amount_ms;
        let mut day = (start_ms + offset_ms).div_euclid(DAY_MS);
        // Holidays are finite and at least one weekday works, so this ends.
        loop {
            if let Some((open, close)) = self.window(day, offset_ms) {
                let from = open.max(start_ms);
                let available = (close - from).max(0);
                if available >= remaining {
                    return from + remaining;
                }
                remaining -= available;
            }
            day += 1;
        }
    }
}

impl Calendar {
    /// The desk's time zone: the business hours' zone, or UTC around the clock.
    pub fn zone(&self) -> Zone {
        match self {
            Calendar::Always => Zone {
                name: "UTC".to_owned(),
                initial_offset_minutes: 0,
                changes: Vec::new(),
            },
            Calendar::Business(hours) => hours.zone.clone(),
        }
    }

    /// Working milliseconds in `[start, end)`; zero when `end <= start`.
    pub fn working_ms_between(&self, start_ms: i64, end_ms: i64) -> i64 {
        if end_ms <= start_ms {
            return 0;
        }
        match self {
            Calendar::Always => end_ms - start_ms,
            Calendar::Business(hours) => hours
                .zone
                .spans(start_ms, Some(end_ms))
                .map(|(from, to, offset)| {
                    hours.between_at_offset(from, to.unwrap_or(end_ms), offset)
                })
                .sum(),
        }
    }

    /// The moment `amount_ms` of working time after `start_ms` has passed.
    pub fn add_working_ms(&self, start_ms: i64, amount_ms: i64) -> i64 {
        if amount_ms <= 0 {
            return start_ms;
        }
        match self {
            Calendar::Always => start_ms.saturating_add(amount_ms),
            Calendar::Business(hours) => {
                let mut remaining = amount_ms;
                for (from, to, offset) in hours.zone.spans(start_ms, None) {
                    let Some(to) = to else {
                        return hours.add_at_offset(from, remaining, offset);
                    };
                    let available = hours.between_at_offset(from, to, offset);
                    if available >= remaining {
                        return hours.add_at_offset(from, remaining, offset);
                    }
                    remaining -= available;
                }
                // `spans` without an end always finishes with an open span.
                start_ms
            }
        }
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day counted from 1970-01-01: the inverse of
/// [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Parses `YYYY-MM-DD` into days since 1970-01-01, checking the day exists.
pub fn parse_date(text: &str) -> Result<i64, CalendarError> {
    let bad = || CalendarError::BadDate(text.to_owned());
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    let month: u32 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    let day: u32 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    if !(1..=12).contains(&month) || day == 0 {
        return Err(bad());
    }
    let days = days_from_civil(year, month, day);
    // Round trip through the next month's first day rejects 2026-02-30 and friends.
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    if days >= days_from_civil(next_year, next_month, 1) {
        return Err(bad());
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const HOUR_MS: i64 = 60 * MINUTE_MS;

    /// Europe in winter: UTC+1.
    fn office_with_christmas() -> Calendar {
        let holidays = BTreeSet::from([parse_date("2026-12-25").expect("date")]);
        Calendar::Business(
            BusinessHours::office(Zone::fixed(60).expect("valid offset"), holidays)
                .expect("valid hours"),
        )
    }

    fn at(date: &str, hour: i64, minute: i64) -> i64 {
        // Local time in UTC+1, converted to UTC.
        parse_date(date).expect("date") * DAY_MS + hour * HOUR_MS + minute * MINUTE_MS - HOUR_MS
    }

    #[test]
    fn dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(parse_date("2000-03-01"), Ok(11_017));
        assert_eq!(
            parse_date("2024-02-29").map(|d| d - parse_date("2024-02-28").unwrap_or(0)),
            Ok(1)
        );
        assert!(parse_date("2026-02-29").is_err());
        assert!(parse_date("2026-13-01").is_err());
        assert!(parse_date("Christmas").is_err());
    }

    #[test]
    fn always_counts_everything() {
        assert_eq!(Calendar::Always.working_ms_between(1_000, 61_000), 60_000);
        assert_eq!(Calendar::Always.add_working_ms(1_000, 60_000), 61_000);
    }

    #[test]
    fn friday_afternoon_rolls_over_the_weekend() {
        let office = office_with_christmas();
        // Friday 2026-11-27 16:00 local + 2 working hours = Monday 10:00.
        let due = office.add_working_ms(at("2026-11-27", 16, 0), 2 * HOUR_MS);
        assert_eq!(due, at("2026-11-30", 10, 0));
        assert_eq!(
            office.working_ms_between(at("2026-11-27", 16, 0), due),
            2 * HOUR_MS
        );
    }

    #[test]
    fn holidays_do_not_count() {
        let office = office_with_christmas();
        // Thursday 24 December 16:30 + 1 h: Christmas is skipped, Friday the 25th is a holiday.
        let due = office.add_working_ms(at("2026-12-24", 16, 30), HOUR_MS);
        assert_eq!(due, at("2026-12-28", 9, 30));
    }

    #[test]
    fn before_opening_starts_at_opening() {
        let office = office_with_christmas();
        assert_eq!(
            office.add_working_ms(at("2026-11-30", 6, 0), 15 * MINUTE_MS),
            at("2026-11-30", 9, 15)
        );
        assert_eq!(
            office.working_ms_between(at("2026-11-30", 6, 0), at("2026-11-30", 9, 30)),
            30 * MINUTE_MS
        );
    }

    #[test]
    fn invalid_hours_are_refused() {
        let utc = || Zone::fixed(0).expect("UTC");
        assert_eq!(
            BusinessHours::new(utc(), 17 * 60, 9 * 60, [true; 7], BTreeSet::new()),
            Err(CalendarError::HoursOutOfOrder)
        );
        assert_eq!(
            BusinessHours::new(utc(), 9 * 60, 17 * 60, [false; 7], BTreeSet::new()),
            Err(CalendarError::NoWorkingDays)
        );
        assert_eq!(Zone::fixed(15 * 60), Err(CalendarError::OffsetOutOfRange));
        assert_eq!(
            Zone::with_changes("Nowhere/Odd", 0, vec![(10, 60), (5, 0)]),
            Err(CalendarError::ChangesOutOfOrder)
        );
        assert_eq!(
            Zone::fixed(-330).map(|z| z.name().to_owned()),
            Ok("UTC-05:30".to_owned())
        );
    }

    /// Berlin in 2026: CET (+1) until 29 March 01:00 UTC, CEST (+2) until 25 October 01:00 UTC.
    fn berlin_2026() -> Calendar {
        let spring = parse_date("2026-03-29").expect("date") * DAY_MS + HOUR_MS;
        let autumn = parse_date("2026-10-25").expect("date") * DAY_MS + HOUR_MS;
        let zone = Zone::with_changes("Europe/Berlin", 60, vec![(spring, 120), (autumn, 60)])
            .expect("zone");
        Calendar::Business(BusinessHours::office(zone, BTreeSet::new()).expect("hours"))
    }

    fn utc(date: &str, hour: i64, minute: i64) -> i64 {
        parse_date(date).expect("date") * DAY_MS + hour * HOUR_MS + minute * MINUTE_MS
    }

    #[test]
    fn opening_hours_follow_daylight_saving_time() {
        let berlin = berlin_2026();
        // Friday 27 March 16:00 CET (15:00 UTC) + 2 working hours: one hour
        // on Friday, one on Monday from 09:00 CEST, which is 07:00 UTC.
        let due = berlin.add_working_ms(utc("2026-03-27", 15, 0), 2 * HOUR_MS);
        assert_eq!(due, utc("2026-03-30", 8, 0));
        // A summer working day is 07:00–15:00 UTC; a winter one 08:00–16:00.
        assert_eq!(
            berlin.working_ms_between(utc("2026-06-01", 6, 0), utc("2026-06-01", 8, 0)),
            HOUR_MS
        );
        assert_eq!(
            berlin.working_ms_between(utc("2026-12-01", 6, 0), utc("2026-12-01", 8, 0)),
            0
        );
        // Over the autumn change the clock counts each working hour once.
        assert_eq!(
            berlin.working_ms_between(utc("2026-10-23", 0, 0), utc("2026-10-27", 0, 0)),
            2 * 8 * HOUR_MS
        );
    }

    /// A zone with up to four offset changes inside the test window.
    fn zone() -> impl Strategy<Value = Zone> {
        let offset = || (-48..=56i32).prop_map(|quarters| quarters * 15);
        (
            offset(),
            prop::collection::btree_map(
                20_400 * DAY_MS / MINUTE_MS..20_430 * DAY_MS / MINUTE_MS,
                offset(),
                0..4,
            ),
        )
            .prop_map(|(initial, changes)| {
                let changes = changes
                    .into_iter()
                    .map(|(minute, o)| (minute * MINUTE_MS, o))
                    .collect();
                Zone::with_changes("Test/Zone", initial, changes).expect("valid zone")
            })
    }

    fn business_hours() -> impl Strategy<Value = Calendar> {
        (
            zone(),
            0..23 * 60u32,
            1..=12 * 60u32,
            prop::array::uniform7(any::<bool>()),
            prop::collection::btree_set(20_400..20_430i64, 0..6),
        )
            .prop_filter_map(
                "needs a working day",
                |(offset, open, length, days, holidays)| {
                    let close = (open + length).min(24 * 60);
                    BusinessHours::new(offset, open, close, days, holidays)
                        .ok()
                        .map(Calendar::Business)
                },
            )
    }

    /// The slow, obviously right answer: look at every minute.
    fn brute_force_minutes(calendar: &Calendar, start: i64, end: i64) -> i64 {
        let Calendar::Business(hours) = calendar else {
            return (end - start) / MINUTE_MS;
        };
        let mut count = 0;
        let mut t = start;
        while t < end {
            let local = t + hours.zone.offset_ms_at(t);
            let day = local.div_euclid(DAY_MS);
            let minute = u32::try_from(local.rem_euclid(DAY_MS) / MINUTE_MS).unwrap_or(0);
            if hours.is_working_day(day)
                && minute >= hours.open_minute
                && minute < hours.close_minute
            {
                count += 1;
            }
            t += MINUTE_MS;
        }
        count
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn working_time_agrees_with_a_minute_by_minute_count(
            calendar in business_hours(),
            start_minute in 0..(20 * 24 * 60i64),
            length_minutes in 0..(10 * 24 * 60i64),
        ) {
            // Around 2025-11 to 2025-12, so the holiday range above is hit.
            let start = 20_400 * DAY_MS + start_minute * MINUTE_MS;
            let end = start + length_minutes * MINUTE_MS;
            prop_assert_eq!(
                calendar.working_ms_between(start, end) / MINUTE_MS,
                brute_force_minutes(&calendar, start, end)
            );
        }

        #[test]
        fn adding_working_time_lands_on_the_earliest_moment(
            calendar in business_hours(),
            start_minute in 0..(20 * 24 * 60i64),
            amount_minutes in 1..(3 * 24 * 60i64),
        ) {
            let start = 20_400 * DAY_MS + start_minute * MINUTE_MS;
            let amount = amount_minutes * MINUTE_MS;
            let due = calendar.add_working_ms(start, amount);
            prop_assert_eq!(calendar.working_ms_between(start, due), amount);
            prop_assert!(calendar.working_ms_between(start, due - MINUTE_MS) < amount);
        }
    }
}
