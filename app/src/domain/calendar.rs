//! Working time: around the clock, or business hours on working days minus
//! holidays, in a fixed offset from UTC. Times are milliseconds since the
//! Unix epoch; no I/O and no system clock.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub const MINUTE_MS: i64 = 60_000;
pub const DAY_MS: i64 = 24 * 60 * MINUTE_MS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Calendar {
    /// 24×7: every millisecond counts.
    Always,
    Business(BusinessHours),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessHours {
    /// Local time = UTC + this offset. (Daylight-saving zones need one
    /// calendar per season until named time zones are supported.)
    utc_offset_minutes: i32,
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
    #[error("{0:?} is not a date in the form YYYY-MM-DD.")]
    BadDate(String),
}

impl BusinessHours {
    pub fn new(
        utc_offset_minutes: i32,
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
        if utc_offset_minutes.abs() > 14 * 60 {
            return Err(CalendarError::OffsetOutOfRange);
        }
        Ok(Self {
            utc_offset_minutes,
            open_minute,
            close_minute,
            working_days,
            holidays,
        })
    }

    /// Monday to Friday, 09:00–17:00 local time.
    pub fn office(utc_offset_minutes: i32, holidays: BTreeSet<i64>) -> Result<Self, CalendarError> {
        Self::new(
            utc_offset_minutes,
            9 * 60,
            17 * 60,
            [true, true, true, true, true, false, false],
            holidays,
        )
    }

    fn offset_ms(&self) -> i64 {
        i64::from(self.utc_offset_minutes) * MINUTE_MS
    }

    fn is_working_day(&self, local_day: i64) -> bool {
        // 1970-01-01 was a Thursday (index 3 with Monday = 0).
        let weekday = (local_day + 3).rem_euclid(7) as usize;
        self.working_days[weekday] && !self.holidays.contains(&local_day)
    }

    /// The working window of one local day, in UTC milliseconds.
    fn window(&self, local_day: i64) -> Option<(i64, i64)> {
        if !self.is_working_day(local_day) {
            return None;
        }
        let midnight_utc = local_day * DAY_MS - self.offset_ms();
        Some((
            midnight_utc + i64::from(self.open_minute) * MINUTE_MS,
            midnight_utc + i64::from(self.close_minute) * MINUTE_MS,
        ))
    }

    fn local_day(&self, at_ms: i64) -> i64 {
        (at_ms + self.offset_ms()).div_euclid(DAY_MS)
    }
}

impl Calendar {
    /// Working milliseconds in `[start, end)`; zero when `end <= start`.
    pub fn working_ms_between(&self, start_ms: i64, end_ms: i64) -> i64 {
        if end_ms <= start_ms {
            return 0;
        }
        match self {
            Calendar::Always => end_ms - start_ms,
            Calendar::Business(hours) => {
                let mut total = 0;
                for day in hours.local_day(start_ms)..=hours.local_day(end_ms) {
                    if let Some((open, close)) = hours.window(day) {
                        total += (close.min(end_ms) - open.max(start_ms)).max(0);
                    }
                }
                total
            }
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
                let mut day = hours.local_day(start_ms);
                // Holidays are finite and at least one weekday works, so this ends.
                loop {
                    if let Some((open, close)) = hours.window(day) {
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
        Calendar::Business(BusinessHours::office(60, holidays).expect("valid hours"))
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
        assert_eq!(
            BusinessHours::new(0, 17 * 60, 9 * 60, [true; 7], BTreeSet::new()),
            Err(CalendarError::HoursOutOfOrder)
        );
        assert_eq!(
            BusinessHours::new(0, 9 * 60, 17 * 60, [false; 7], BTreeSet::new()),
            Err(CalendarError::NoWorkingDays)
        );
        assert_eq!(
            BusinessHours::new(15 * 60, 9 * 60, 17 * 60, [true; 7], BTreeSet::new()),
            Err(CalendarError::OffsetOutOfRange)
        );
    }

    fn business_hours() -> impl Strategy<Value = Calendar> {
        (
            -12 * 60..=14 * 60i32,
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
            let local = t + hours.offset_ms();
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
