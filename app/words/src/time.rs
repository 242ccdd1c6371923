//! How long ago something happened and how long until something is due,
//! in the short words a busy reader scans.

use crate::{plural, Lang, Plural};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// "just now", "4 min ago", "3 h ago", "2 d ago"; "à l’instant", "il y a
/// 4 min", "il y a 3 h", "il y a 2 j".
pub fn ago(lang: Lang, elapsed_ms: i64) -> String {
    // A clock a little behind the server's must not read as "in the future".
    let elapsed = elapsed_ms.max(0);
    let (count, unit) = if elapsed < MINUTE {
        return match lang {
            Lang::En => "just now",
            Lang::Fr => "à l’instant",
        }
        .to_owned();
    } else if elapsed < HOUR {
        (elapsed / MINUTE, "min")
    } else if elapsed < DAY {
        (elapsed / HOUR, "h")
    } else {
        (elapsed / DAY, if lang == Lang::Fr { "j" } else { "d" })
    };
    match lang {
        Lang::En => format!("{count} {unit} ago"),
        Lang::Fr => format!("il y a {count}\u{a0}{unit}"),
    }
}

/// When to expect something due in `remaining_ms`, rounded up so the
/// promise is kept: "within 15 minutes", "within 2 hours", "within 3
/// days"; "d’ici 15 minutes", "d’ici 2 heures", "d’ici 3 jours".
pub fn within(lang: Lang, remaining_ms: i64) -> String {
    let remaining = remaining_ms.max(MINUTE);
    let (count, unit) = if remaining <= 90 * MINUTE {
        ((remaining + MINUTE - 1) / MINUTE, Unit::Minute)
    } else if remaining <= 36 * HOUR {
        ((remaining + HOUR - 1) / HOUR, Unit::Hour)
    } else {
        ((remaining + DAY - 1) / DAY, Unit::Day)
    };
    let count = count.unsigned_abs();
    let one = plural(lang, count) == Plural::One;
    let unit = match (lang, unit, one) {
        (Lang::En, Unit::Minute, true) => "minute",
        (Lang::En, Unit::Minute, false) => "minutes",
        (Lang::En, Unit::Hour, true) => "hour",
        (Lang::En, Unit::Hour, false) => "hours",
        (Lang::En, Unit::Day, true) => "day",
        (Lang::En, Unit::Day, false) => "days",
        (Lang::Fr, Unit::Minute, true) => "minute",
        (Lang::Fr, Unit::Minute, false) => "minutes",
        (Lang::Fr, Unit::Hour, true) => "heure",
        (Lang::Fr, Unit::Hour, false) => "heures",
        (Lang::Fr, Unit::Day, true) => "jour",
        (Lang::Fr, Unit::Day, false) => "jours",
    };
    match lang {
        Lang::En => format!("within {count} {unit}"),
        Lang::Fr => format!("d’ici {count}\u{a0}{unit}"),
    }
}

#[derive(Clone, Copy)]
enum Unit {
    Minute,
    Hour,
    Day,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn waits_round_up_so_the_promise_holds() {
        let en = |ms| within(Lang::En, ms);
        assert_eq!(en(15 * 60_000), "within 15 minutes");
        assert_eq!(en(14 * 60_000 + 1), "within 15 minutes");
        assert_eq!(en(-3), "within 1 minute");
        assert_eq!(en(2 * 3_600_000), "within 2 hours");
        assert_eq!(en(2 * 3_600_000 - 60_000), "within 2 hours");
        assert_eq!(en(3_600_000), "within 60 minutes");
        assert_eq!(en(50 * 3_600_000), "within 3 days");
        let fr = |ms| within(Lang::Fr, ms);
        assert_eq!(fr(15 * 60_000), "d’ici 15\u{a0}minutes");
        assert_eq!(fr(-3), "d’ici 1\u{a0}minute");
        assert_eq!(fr(2 * 3_600_000), "d’ici 2\u{a0}heures");
        assert_eq!(fr(30 * 3_600_000), "d’ici 30\u{a0}heures");
        assert_eq!(fr(50 * 3_600_000), "d’ici 3\u{a0}jours");
    }

    #[test]
    fn ages_at_their_boundaries() {
        let en = |ms| ago(Lang::En, ms);
        assert_eq!(en(0), "just now");
        assert_eq!(en(59_999), "just now");
        assert_eq!(en(60_000), "1 min ago");
        assert_eq!(en(59 * 60_000 + 59_999), "59 min ago");
        assert_eq!(en(3_600_000), "1 h ago");
        assert_eq!(en(86_399_999), "23 h ago");
        assert_eq!(en(86_400_000), "1 d ago");
        assert_eq!(en(10 * 86_400_000), "10 d ago");
        let fr = |ms| ago(Lang::Fr, ms);
        assert_eq!(fr(0), "à l’instant");
        assert_eq!(fr(5 * 60_000), "il y a 5\u{a0}min");
        assert_eq!(fr(3_600_000), "il y a 1\u{a0}h");
        assert_eq!(fr(2 * 86_400_000), "il y a 2\u{a0}j");
    }

    proptest! {
        #[test]
        fn clock_skew_never_reads_as_future(ms in i64::MIN..0) {
            for lang in Lang::ALL {
                prop_assert_eq!(ago(lang, ms), ago(lang, 0));
            }
        }

        #[test]
        fn a_wait_never_promises_less_than_it_is(ms in 0i64..400 * 86_400_000) {
            let words = within(Lang::En, ms);
            let mut parts = words.split(' ').skip(1);
            let count: i64 = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            let unit = match parts.next().unwrap_or_default().trim_end_matches('s') {
                "minute" => MINUTE,
                "hour" => HOUR,
                _ => DAY,
            };
            prop_assert!(count * unit >= ms.max(MINUTE), "{} for {} ms", words, ms);
        }
    }
}
