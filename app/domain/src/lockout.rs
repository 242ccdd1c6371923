//! Sign-in lockout: every attempt counts against the account typed and the
//! address it came from, and an attempt is refused while either counter
//! already holds its limit within the window. Counting happens *before* the
//! password is checked, so attempts sent all at once cannot all slip
//! through; storage applies [`verdict`] inside one transaction per attempt.

/// How many attempts each counter allows per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub per_account: usize,
    pub per_address: usize,
    pub window_ms: i64,
}

impl Default for Limits {
    /// Five wrong passwords per account, fifty per address, in 15 minutes:
    /// a person who mistypes is not locked out; guessing stays impractical.
    fn default() -> Self {
        Self {
            per_account: 5,
            per_address: 50,
            window_ms: 15 * 60 * 1000,
        }
    }
}

/// Locked; try again after this many milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locked {
    pub retry_after_ms: i64,
}

/// What an attempt is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// The sign-in name typed, known or not: an unknown email is locked
    /// exactly like a real one, so the answer reveals nothing.
    Account,
    /// The client's address, so one client cannot try many accounts.
    Address,
}

impl Counter {
    pub fn limit(self, limits: &Limits) -> usize {
        match self {
            Counter::Account => limits.per_account,
            Counter::Address => limits.per_address,
        }
    }

    /// The counter's name for `value` ("account:ada@example.org").
    pub fn key(self, value: &str) -> String {
        match self {
            Counter::Account => format!("account:{value}"),
            Counter::Address => format!("address:{value}"),
        }
    }
}

/// Whether one more attempt may be counted now, given the counter's recent
/// attempt times (any order) and its limit.
pub fn verdict(recent: &[i64], limit: usize, window_ms: i64, now_ms: i64) -> Result<(), Locked> {
    let mut within: Vec<i64> = recent
        .iter()
        .copied()
        .filter(|&at| at > now_ms - window_ms)
        .collect();
    if within.len() < limit {
        return Ok(());
    }
    // The attempt that must age out before one more fits.
    within.sort_unstable_by(|a, b| b.cmp(a));
    let Some(&freeing) = within.get(limit.saturating_sub(1)) else {
        // A limit of zero never lets an attempt through.
        return Err(Locked {
            retry_after_ms: window_ms.max(1),
        });
    };
    Err(Locked {
        retry_after_ms: (freeing + window_ms - now_ms).max(1),
    })
}

/// The longest wait among counters: an attempt goes ahead only when all agree.
pub fn combine(verdicts: impl IntoIterator<Item = Result<(), Locked>>) -> Result<(), Locked> {
    verdicts
        .into_iter()
        .filter_map(Result::err)
        .max_by_key(|l| l.retry_after_ms)
        .map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const MIN: i64 = 60_000;
    const WINDOW: i64 = 10 * MIN;

    #[test]
    fn a_counter_locks_at_its_limit_until_the_oldest_attempt_ages_out() {
        let recent = [0, MIN, 2 * MIN];
        assert_eq!(verdict(&recent[..2], 3, WINDOW, 3 * MIN), Ok(()));
        assert_eq!(
            verdict(&recent, 3, WINDOW, 3 * MIN),
            Err(Locked {
                retry_after_ms: 7 * MIN
            })
        );
        // Once the first attempt is older than the window, one more fits.
        assert_eq!(verdict(&recent, 3, WINDOW, WINDOW + 1), Ok(()));
    }

    #[test]
    fn only_the_newest_attempts_decide_the_wait() {
        // Six attempts with a limit of three: the third newest frees a place.
        let recent = [5 * MIN, 0, 4 * MIN, MIN, 3 * MIN, 2 * MIN];
        assert_eq!(
            verdict(&recent, 3, WINDOW, 6 * MIN),
            Err(Locked {
                retry_after_ms: 7 * MIN
            })
        );
    }

    #[test]
    fn the_longest_wait_wins() {
        let short = Err(Locked { retry_after_ms: 5 });
        let long = Err(Locked { retry_after_ms: 9 });
        assert_eq!(combine([Ok(()), short, long]), long);
        assert_eq!(combine([Ok(()), Ok(())]), Ok(()));
    }

    #[test]
    fn counters_have_their_own_keys_and_limits() {
        let limits = Limits::default();
        assert_eq!(Counter::Account.limit(&limits), 5);
        assert_eq!(Counter::Address.limit(&limits), 50);
        assert_ne!(Counter::Account.key("x"), Counter::Address.key("x"));
    }

    proptest! {
        /// However attempts are spread in time, a counter never lets more
        /// than its limit through within any one window.
        #[test]
        fn never_more_than_the_limit_per_window(gaps in proptest::collection::vec(0i64..(4 * MIN), 1..60)) {
            let mut now = 0;
            let mut counted: Vec<i64> = Vec::new();
            for gap in gaps {
                now += gap;
                if verdict(&counted, 3, WINDOW, now).is_ok() {
                    counted.push(now);
                }
            }
            for (i, start) in counted.iter().enumerate() {
                let within = counted[i..].iter().take_while(|&&t| t < start + WINDOW).count();
                prop_assert!(within <= 3, "{within} attempts within one window from {start}");
            }
        }

        /// A refused attempt is told a wait after which it is accepted.
        #[test]
        fn the_wait_is_exact(times in proptest::collection::vec(0i64..WINDOW, 3..10), now_offset in 0i64..WINDOW) {
            let now = WINDOW + now_offset;
            if let Err(locked) = verdict(&times, 3, WINDOW, now) {
                prop_assert!(verdict(&times, 3, WINDOW, now + locked.retry_after_ms).is_ok());
                prop_assert!(locked.retry_after_ms == 1
                    || verdict(&times, 3, WINDOW, now + locked.retry_after_ms - 1).is_err());
            }
        }
    }
}
