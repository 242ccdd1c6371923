//! Named time zones from the time-zone database (the system's, else the copy
//! built into the binary), turned into the offset changes the pure calendar
//! works with.

use domain::calendar::{CalendarError, Zone};
use jiff::{tz::TimeZone, Timestamp};

/// From 1970 to 2100: every date a ticket or an SLA due time can have.
const FROM_MS: i64 = 0;
const UNTIL_MS: i64 = 4_102_444_800_000;

/// `Europe/Berlin` with its offset changes; `UTC` works too.
pub fn zone_named(name: &str) -> Result<Zone, CalendarError> {
    let unknown = || CalendarError::UnknownZone(name.to_owned());
    let tz = TimeZone::get(name.trim()).map_err(|_| unknown())?;
    let start = Timestamp::from_millisecond(FROM_MS).map_err(|_| unknown())?;
    let minutes = |offset: jiff::tz::Offset| offset.seconds() / 60;
    let initial = minutes(tz.to_offset(start));
    let mut changes: Vec<(i64, i32)> = Vec::new();
    let mut last = initial;
    for transition in tz.following(start) {
        let at = transition.timestamp().as_millisecond();
        if at >= UNTIL_MS {
            break;
        }
        let offset = minutes(transition.offset());
        // Some transitions change only the abbreviation or the DST flag.
        if offset != last {
            changes.push((at, offset));
            last = offset;
        }
    }
    Zone::with_changes(name.trim(), initial, changes)
}

#[cfg(test)]
mod tests {
    use domain::calendar::parse_date;

    use super::*;

    const HOUR_MS: i64 = 3_600_000;

    #[test]
    fn berlin_switches_to_summer_time_on_the_last_sunday_of_march() {
        let zone = zone_named("Europe/Berlin").expect("known zone");
        let change = parse_date("2026-03-29").expect("date") * 24 * HOUR_MS + HOUR_MS;
        assert_eq!(zone.offset_ms_at(change - 1), HOUR_MS);
        assert_eq!(zone.offset_ms_at(change), 2 * HOUR_MS);
        let back = parse_date("2026-10-25").expect("date") * 24 * HOUR_MS + HOUR_MS;
        assert_eq!(zone.offset_ms_at(back), HOUR_MS);
        // Still changing in 2090.
        let later = parse_date("2090-07-01").expect("date") * 24 * HOUR_MS;
        assert_eq!(zone.offset_ms_at(later), 2 * HOUR_MS);
    }

    #[test]
    fn zones_without_daylight_saving_have_one_offset() {
        let kolkata = zone_named("Asia/Kolkata").expect("known zone");
        let now = parse_date("2026-11-27").expect("date") * 24 * HOUR_MS;
        assert_eq!(kolkata.offset_ms_at(now), 5 * HOUR_MS + 30 * 60_000);
        assert_eq!(zone_named("UTC").map(|z| z.offset_ms_at(now)), Ok(0));
    }

    #[test]
    fn unknown_names_are_refused_with_the_name() {
        assert_eq!(
            zone_named("Mars/Olympus_Mons").map_err(|e| e.to_string()),
            Err("\"Mars/Olympus_Mons\" is not a time zone this server knows (use a name such as Europe/Berlin).".to_owned())
        );
    }
}
