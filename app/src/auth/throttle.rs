//! Sign-in throttling: too many failures for one account, or from one
//! address, within a window lock further attempts until the oldest failure
//! ages out. Keys are what was typed, so an unknown email is throttled
//! exactly like a real one and the answer reveals nothing.

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
};

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

/// Beyond this many tracked keys, stale ones are swept on the next failure.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Debug, Default)]
pub struct Throttle {
    limits: Limits,
    failures: Mutex<HashMap<String, VecDeque<i64>>>,
}

/// Locked; try again after this many milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locked {
    pub retry_after_ms: i64,
}

impl Throttle {
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            failures: Mutex::default(),
        }
    }

    fn keys(&self, account: &str, address: Option<&str>) -> [(Option<String>, usize); 2] {
        [
            (Some(format!("account:{account}")), self.limits.per_account),
            (
                address.map(|a| format!("address:{a}")),
                self.limits.per_address,
            ),
        ]
    }

    /// Whether an attempt may go ahead now.
    pub fn check(&self, account: &str, address: Option<&str>, now_ms: i64) -> Result<(), Locked> {
        let mut failures = self.lock();
        let mut wait = 0;
        for (key, limit) in self.keys(account, address) {
            let Some(times) = key.and_then(|k| failures.get_mut(&k)) else {
                continue;
            };
            prune(times, now_ms - self.limits.window_ms);
            if times.len() >= limit {
                let oldest_relevant = times[times.len() - limit];
                wait = wait.max(oldest_relevant + self.limits.window_ms - now_ms);
            }
        }
        if wait > 0 {
            Err(Locked {
                retry_after_ms: wait,
            })
        } else {
            Ok(())
        }
    }

    pub fn failed(&self, account: &str, address: Option<&str>, now_ms: i64) {
        let mut failures = self.lock();
        if failures.len() > SWEEP_ABOVE {
            let cutoff = now_ms - self.limits.window_ms;
            failures.retain(|_, times| {
                prune(times, cutoff);
                !times.is_empty()
            });
        }
        for (key, _) in self.keys(account, address) {
            if let Some(key) = key {
                failures.entry(key).or_default().push_back(now_ms);
            }
        }
    }

    /// A correct password clears the account's failures (not the address's:
    /// one good account must not unlock guessing at others).
    pub fn succeeded(&self, account: &str) {
        self.lock().remove(&format!("account:{account}"));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<i64>>> {
        // A panic while holding the lock leaves plain data behind; keep using it.
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn prune(times: &mut VecDeque<i64>, cutoff: i64) {
    while times.front().is_some_and(|&t| t <= cutoff) {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const MIN: i64 = 60_000;

    fn small() -> Throttle {
        Throttle::new(Limits {
            per_account: 3,
            per_address: 5,
            window_ms: 10 * MIN,
        })
    }

    #[test]
    fn an_account_locks_after_its_limit_and_unlocks_as_failures_age() {
        let t = small();
        for i in 0..3 {
            assert_eq!(
                t.check("ada@example.org", Some("10.0.0.1"), i * MIN),
                Ok(())
            );
            t.failed("ada@example.org", Some("10.0.0.1"), i * MIN);
        }
        assert_eq!(
            t.check("ada@example.org", Some("10.0.0.2"), 3 * MIN),
            Err(Locked {
                retry_after_ms: 7 * MIN
            })
        );
        // Another account from the same address is still fine.
        assert_eq!(
            t.check("bob@example.org", Some("10.0.0.1"), 3 * MIN),
            Ok(())
        );
        // Once the first failure is older than the window, one attempt frees up.
        assert_eq!(t.check("ada@example.org", None, 10 * MIN + 1), Ok(()));
    }

    #[test]
    fn an_address_locks_across_accounts() {
        let t = small();
        for i in 0..5 {
            t.failed(&format!("user{i}@example.org"), Some("10.0.0.9"), MIN);
        }
        assert!(t
            .check("new@example.org", Some("10.0.0.9"), 2 * MIN)
            .is_err());
        assert!(t
            .check("new@example.org", Some("10.0.0.8"), 2 * MIN)
            .is_ok());
    }

    #[test]
    fn success_clears_the_account_only() {
        let t = small();
        for _ in 0..2 {
            t.failed("ada@example.org", Some("10.0.0.1"), MIN);
        }
        t.succeeded("ada@example.org");
        for _ in 0..2 {
            t.failed("ada@example.org", Some("10.0.0.1"), MIN);
        }
        assert!(t.check("ada@example.org", None, MIN).is_ok());
        t.failed("ada@example.org", Some("10.0.0.1"), MIN);
        // Five failures from the address in all, despite the success between.
        assert!(t.check("zed@example.org", Some("10.0.0.1"), MIN).is_err());
    }

    proptest! {
        /// However failures are spread in time, an account is never allowed
        /// more than its limit within any one window.
        #[test]
        fn never_more_than_the_limit_per_window(gaps in proptest::collection::vec(0i64..(4 * MIN), 1..60)) {
            let t = small();
            let mut now = 0;
            let mut allowed = Vec::new();
            for gap in gaps {
                now += gap;
                if t.check("ada@example.org", None, now).is_ok() {
                    allowed.push(now);
                    t.failed("ada@example.org", None, now);
                }
            }
            for (i, start) in allowed.iter().enumerate() {
                let within = allowed[i..].iter().take_while(|&&t| t < start + 10 * MIN).count();
                prop_assert!(within <= 3, "{within} attempts within one window from {start}");
            }
        }
    }
}
