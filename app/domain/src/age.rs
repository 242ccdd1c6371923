/// How long ago something happened, in the short words a busy agent scans:
/// "just now", "4 min ago", "3 h ago", "2 d ago".
pub fn describe_age(elapsed_ms: i64) -> String {
    const MINUTE: i64 = 60_000;
    const HOUR: i64 = 60 * MINUTE;
    const DAY: i64 = 24 * HOUR;
    // A clock a little behind the server's must not read as "in the future".
    let elapsed = elapsed_ms.max(0);
    if elapsed < MINUTE {
        "just now".to_owned()
    } else if elapsed < HOUR {
        format!("{} min ago", elapsed / MINUTE)
    } else if elapsed < DAY {
        format!("{} h ago", elapsed / HOUR)
    } else {
        format!("{} d ago", elapsed / DAY)
    }
}

/// When to expect something due in `remaining_ms`, rounded up so the
/// promise is kept: "within 15 minutes", "within 2 hours", "within 3 days".
pub fn describe_wait(remaining_ms: i64) -> String {
    const MINUTE: i64 = 60_000;
    const HOUR: i64 = 60 * MINUTE;
    const DAY: i64 = 24 * HOUR;
    let remaining = remaining_ms.max(MINUTE);
    let (count, unit) = if remaining <= 90 * MINUTE {
        ((remaining + MINUTE - 1) / MINUTE, "minute")
    } else if remaining <= 36 * HOUR {
        ((remaining + HOUR - 1) / HOUR, "hour")
    } else {
        ((remaining + DAY - 1) / DAY, "day")
    };
    let plural = if count == 1 { "" } else { "s" };
    format!("within {count} {unit}{plural}")
}

#[cfg(test)]
mod tests {
    use super::{describe_age, describe_wait};

    #[test]
    fn waits_round_up_so_the_promise_holds() {
        assert_eq!(describe_wait(15 * 60_000), "within 15 minutes");
        assert_eq!(describe_wait(14 * 60_000 + 1), "within 15 minutes");
        assert_eq!(describe_wait(-3), "within 1 minute");
        assert_eq!(describe_wait(2 * 3_600_000), "within 2 hours");
        assert_eq!(describe_wait(2 * 3_600_000 - 60_000), "within 2 hours");
        assert_eq!(describe_wait(3_600_000), "within 60 minutes");
        assert_eq!(describe_wait(50 * 3_600_000), "within 3 days");
    }

    #[test]
    fn boundaries() {
        assert_eq!(describe_age(0), "just now");
        assert_eq!(describe_age(59_999), "just now");
        assert_eq!(describe_age(60_000), "1 min ago");
        assert_eq!(describe_age(59 * 60_000 + 59_999), "59 min ago");
        assert_eq!(describe_age(3_600_000), "1 h ago");
        assert_eq!(describe_age(86_399_999), "23 h ago");
        assert_eq!(describe_age(86_400_000), "1 d ago");
        assert_eq!(describe_age(10 * 86_400_000), "10 d ago");
    }

    #[test]
    fn clock_skew_never_reads_as_future() {
        assert_eq!(describe_age(-5_000), "just now");
    }
}
