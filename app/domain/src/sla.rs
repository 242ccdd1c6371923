//! Turnaround targets and the clocks that measure them. Elapsed time is
//! computed from the ticket's state history every time, so a pause, a
//! reopen or a late event can never leave a stored counter wrong.

use serde::{Deserialize, Serialize};

use crate::{
    calendar::{Calendar, MINUTE_MS},
    lifecycle::State,
    priority::Priority,
};

/// Minutes of working time allowed, per priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub first_response_minutes: i64,
    pub resolution_minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPolicy {
    /// Indexed P1..P5.
    targets: [Target; 5],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("{0}: targets must be at least one minute.")]
    NotPositive(Priority),
    #[error("{0}: the first response must be due no later than the resolution.")]
    ResponseAfterResolution(Priority),
    #[error("{more} must not have a longer {what} target than {less}.")]
    NotOrdered {
        more: Priority,
        less: Priority,
        what: &'static str,
    },
}

impl Default for SlaPolicy {
    /// The organisation's promise: first response within 1–3 hours for what
    /// users raise, resolution within a day on average; faster for P1/P2.
    fn default() -> Self {
        let t = |response_h: f64, resolution_h: i64| Target {
            first_response_minutes: (response_h * 60.0) as i64,
            resolution_minutes: resolution_h * 60,
        };
        Self {
            targets: [t(0.25, 4), t(1.0, 8), t(2.0, 24), t(3.0, 48), t(3.0, 72)],
        }
    }
}

impl SlaPolicy {
    /// A custom policy: positive targets, response before resolution, and a
    /// more urgent priority never given more time than a less urgent one.
    pub fn new(targets: [Target; 5]) -> Result<Self, PolicyError> {
        for (priority, target) in Priority::ALL.iter().zip(&targets) {
            if target.first_response_minutes < 1 || target.resolution_minutes < 1 {
                return Err(PolicyError::NotPositive(*priority));
            }
            if target.first_response_minutes > target.resolution_minutes {
                return Err(PolicyError::ResponseAfterResolution(*priority));
            }
        }
        for i in 1..5 {
            let (more, less) = (Priority::ALL[i - 1], Priority::ALL[i]);
            let (a, b) = (targets[i - 1], targets[i]);
            if a.first_response_minutes > b.first_response_minutes {
                return Err(PolicyError::NotOrdered {
                    more,
                    less,
                    what: "first-response",
                });
            }
            if a.resolution_minutes > b.resolution_minutes {
                return Err(PolicyError::NotOrdered {
                    more,
                    less,
                    what: "resolution",
                });
            }
        }
        Ok(Self { targets })
    }

    pub fn target(&self, priority: Priority) -> Target {
        self.targets[priority as usize]
    }

    /// How long before its due time any promise can reach its warning: a
    /// quarter of the longest target. Tickets due later need no watching yet.
    pub fn warning_horizon_ms(&self) -> i64 {
        let longest = self
            .targets
            .iter()
            .map(|t| t.resolution_minutes.max(t.first_response_minutes))
            .max()
            .unwrap_or(0);
        (longest * MINUTE_MS + 3) / 4
    }
}

/// One entry of a ticket's state history: it entered `state` at `at_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateChange {
    pub at_ms: i64,
    pub state: State,
}

/// Whether the resolution clock runs in a state: paused while waiting on the
/// reporter, stopped once resolved or finished.
pub fn resolution_clock_runs(state: State) -> bool {
    matches!(state, State::New | State::Assigned | State::InProgress)
}

/// Working time the resolution clock has counted up to `now_ms`. The history
/// must start with the report; entries out of order are sorted first.
pub fn resolution_elapsed_ms(history: &[StateChange], now_ms: i64, calendar: &Calendar) -> i64 {
    let mut changes = history.to_vec();
    changes.sort_by_key(|c| c.at_ms);
    let mut total = 0;
    for (i, change) in changes.iter().enumerate() {
        let end = changes
            .get(i + 1)
            .map_or(now_ms, |next| next.at_ms)
            .min(now_ms);
        if resolution_clock_runs(change.state) {
            total += calendar.working_ms_between(change.at_ms, end);
        }
    }
    total
}

/// Working time from the report to the first response (or to now, if none yet).
pub fn first_response_elapsed_ms(
    reported_ms: i64,
    first_response_ms: Option<i64>,
    now_ms: i64,
    calendar: &Calendar,
) -> i64 {
    let end = first_response_ms.unwrap_or(now_ms).min(now_ms);
    calendar.working_ms_between(reported_ms, end)
}

/// Ordered by how bad it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaStatus {
    Ok,
    /// 75 % of the target used.
    Warning,
    Breached,
}

impl SlaStatus {
    /// How a promise in this status reads: "missed", "at risk", "on time".
    pub fn words(self) -> &'static str {
        match self {
            SlaStatus::Ok => "on time",
            SlaStatus::Warning => "at risk",
            SlaStatus::Breached => "missed",
        }
    }
}

pub fn status(elapsed_ms: i64, target_minutes: i64) -> SlaStatus {
    let target_ms = target_minutes * MINUTE_MS;
    if elapsed_ms >= target_ms {
        SlaStatus::Breached
    } else if elapsed_ms * 4 >= target_ms * 3 {
        SlaStatus::Warning
    } else {
        SlaStatus::Ok
    }
}

/// When the resolution target falls due, for a ticket now in `state` with
/// this state history; `None` while the clock is paused or stopped (there
/// is no due time then). Before the target is used up: `now_ms` plus the
/// working time left. After: the moment it was used up, whenever the
/// ticket is looked at or changed later, so "overdue by" keeps counting
/// from the real due time.
pub fn resolution_due_at(
    history: &[StateChange],
    target_minutes: i64,
    state: State,
    now_ms: i64,
    calendar: &Calendar,
) -> Option<i64> {
    if !resolution_clock_runs(state) {
        return None;
    }
    let target = target_minutes * MINUTE_MS;
    let mut changes = history.to_vec();
    changes.sort_by_key(|c| c.at_ms);
    let mut counted = 0;
    for (i, change) in changes.iter().enumerate() {
        if !resolution_clock_runs(change.state) {
            continue;
        }
        let end = changes
            .get(i + 1)
            .map_or(now_ms, |next| next.at_ms)
            .min(now_ms);
        let here = calendar.working_ms_between(change.at_ms, end);
        if counted + here >= target {
            return Some(calendar.add_working_ms(change.at_ms, target - counted));
        }
        counted += here;
    }
    Some(calendar.add_working_ms(now_ms, target - counted))
}

/// Which promise a card's countdown counts down to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Promise {
    FirstResponse,
    Resolution,
}

impl Promise {
    pub fn label(self) -> &'static str {
        match self {
            Promise::FirstResponse => "first response",
            Promise::Resolution => "resolution",
        }
    }
}

/// A card's SLA clock as the board shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Countdown {
    /// Waiting on the reporter: the clock stands still.
    Paused,
    Running {
        promise: Promise,
        /// Until the due time; negative once it has passed.
        remaining_ms: i64,
        status: SlaStatus,
    },
}

/// The countdown of an open ticket at `now_ms`: to the first response while
/// none was given, then to the resolution. `None` once resolved or finished.
/// Warnings come at 75 % of the target (counted back from the due time in
/// wall-clock time, which is exact on a 24/7 calendar and a close guide on
/// office hours, where the due time already skips the nights).
pub fn countdown(
    state: State,
    priority: Priority,
    response_due_ms: Option<i64>,
    resolution_due_ms: Option<i64>,
    policy: &SlaPolicy,
    now_ms: i64,
) -> Option<Countdown> {
    match state {
        State::Resolved | State::Closed | State::Cancelled => return None,
        State::Pending => return Some(Countdown::Paused),
        State::New | State::Assigned | State::InProgress => {}
    }
    let target = policy.target(priority);
    let (promise, due_ms, minutes) = match (response_due_ms, resolution_due_ms) {
        (Some(due), _) => (Promise::FirstResponse, due, target.first_response_minutes),
        (None, Some(due)) => (Promise::Resolution, due, target.resolution_minutes),
        (None, None) => return None,
    };
    let remaining_ms = due_ms - now_ms;
    Some(Countdown::Running {
        promise,
        remaining_ms,
        status: status(minutes * MINUTE_MS - remaining_ms, minutes),
    })
}

/// A promise that is at risk or already broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alarm {
    pub promise: Promise,
    /// `Warning` or `Breached`, never `Ok`.
    pub status: SlaStatus,
    pub due_ms: i64,
}

/// Every running promise of an open ticket that is at risk or broken at
/// `now_ms`, each judged on its own: a ticket nobody answered can miss its
/// resolution too. This is what the SLA watcher records; the card shows
/// only the [`countdown`] of the nearer promise.
pub fn alarms(
    state: State,
    priority: Priority,
    response_due_ms: Option<i64>,
    resolution_due_ms: Option<i64>,
    policy: &SlaPolicy,
    now_ms: i64,
) -> Vec<Alarm> {
    if !resolution_clock_runs(state) {
        return Vec::new();
    }
    let target = policy.target(priority);
    [
        (
            Promise::FirstResponse,
            response_due_ms,
            target.first_response_minutes,
        ),
        (
            Promise::Resolution,
            resolution_due_ms,
            target.resolution_minutes,
        ),
    ]
    .into_iter()
    .filter_map(|(promise, due_ms, minutes)| {
        let due_ms = due_ms?;
        let status = status(minutes * MINUTE_MS - (due_ms - now_ms), minutes);
        (status != SlaStatus::Ok).then_some(Alarm {
            promise,
            status,
            due_ms,
        })
    })
    .collect()
}

/// "1 h 05 m", "4 m 09 s", "12 s": how a countdown reads on a card.
pub fn describe_remaining(ms: i64) -> String {
    let total_s = ms.unsigned_abs() / 1000;
    let (h, m, s) = (total_s / 3600, total_s / 60 % 60, total_s % 60);
    if h >= 24 {
        format!("{} d {} h", h / 24, h % 24)
    } else if h > 0 {
        format!("{h} h {m:02} m")
    } else if m > 0 {
        format!("{m} m {s:02} s")
    } else {
        format!("{s} s")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const HOUR: i64 = 60 * MINUTE_MS;

    #[test]
    fn a_countdown_warns_at_three_quarters_and_breaches_at_the_due_time() {
        let policy = SlaPolicy::default();
        // P3: first response within 2 h.
        let due = 10 * HOUR;
        let at = |now| {
            countdown(
                State::New,
                Priority::P3,
                Some(due),
                Some(due + 20 * HOUR),
                &policy,
                now,
            )
        };
        assert_eq!(
            at(due - HOUR),
            Some(Countdown::Running {
                promise: Promise::FirstResponse,
                remaining_ms: HOUR,
                status: SlaStatus::Ok
            })
        );
        assert_eq!(
            at(due - 30 * MINUTE_MS),
            Some(Countdown::Running {
                promise: Promise::FirstResponse,
                remaining_ms: 30 * MINUTE_MS,
                status: SlaStatus::Warning
            })
        );
        assert_eq!(
            at(due + 1),
            Some(Countdown::Running {
                promise: Promise::FirstResponse,
                remaining_ms: -1,
                status: SlaStatus::Breached
            })
        );
        // After the first response the resolution clock shows.
        assert!(matches!(
            countdown(State::InProgress, Priority::P3, None, Some(due), &policy, 0),
            Some(Countdown::Running {
                promise: Promise::Resolution,
                ..
            })
        ));
        assert_eq!(
            countdown(State::Pending, Priority::P3, None, None, &policy, 0),
            Some(Countdown::Paused)
        );
        assert_eq!(
            countdown(State::Resolved, Priority::P3, None, None, &policy, 0),
            None
        );
    }

    #[test]
    fn remaining_time_reads_shortly() {
        assert_eq!(describe_remaining(65 * MINUTE_MS), "1 h 05 m");
        assert_eq!(describe_remaining(4 * MINUTE_MS + 9_000), "4 m 09 s");
        assert_eq!(describe_remaining(-12_400), "12 s");
        assert_eq!(describe_remaining(50 * HOUR), "2 d 2 h");
    }

    fn change(at_ms: i64, state: State) -> StateChange {
        StateChange { at_ms, state }
    }

    #[test]
    fn default_targets_follow_the_design() {
        let policy = SlaPolicy::default();
        let minutes = |p| {
            let t = policy.target(p);
            (t.first_response_minutes, t.resolution_minutes)
        };
        assert_eq!(minutes(Priority::P1), (15, 240));
        assert_eq!(minutes(Priority::P2), (60, 480));
        assert_eq!(minutes(Priority::P3), (120, 1440));
        assert_eq!(minutes(Priority::P4), (180, 2880));
        assert_eq!(minutes(Priority::P5), (180, 4320));
        // The promise to users: first response within 1–3 h for what they raise (P2–P5).
        for p in [Priority::P2, Priority::P3, Priority::P4, Priority::P5] {
            assert!((60..=180).contains(&policy.target(p).first_response_minutes));
        }
        assert!(
            SlaPolicy::new(policy.targets).is_ok(),
            "the defaults pass their own checks"
        );
    }

    #[test]
    fn custom_policies_are_checked() {
        let mut targets = SlaPolicy::default().targets;
        targets[0].resolution_minutes = 10_000;
        assert_eq!(
            SlaPolicy::new(targets)
                .expect_err("P1 slower than P2")
                .to_string(),
            "P1 critical must not have a longer resolution target than P2 high."
        );
        let mut targets = SlaPolicy::default().targets;
        targets[2].first_response_minutes = 2_000;
        assert_eq!(
            SlaPolicy::new(targets),
            Err(PolicyError::ResponseAfterResolution(Priority::P3))
        );
    }

    #[test]
    fn pending_pauses_and_resolved_stops_the_clock() {
        let history = [
            change(0, State::New),
            change(HOUR, State::InProgress),
            change(2 * HOUR, State::Pending),
            change(5 * HOUR, State::InProgress),
            change(6 * HOUR, State::Resolved),
        ];
        // Counted: 0–2 h and 5–6 h; the 3 h waiting and everything after resolution do not count.
        assert_eq!(
            resolution_elapsed_ms(&history, 10 * HOUR, &Calendar::Always),
            3 * HOUR
        );
        assert_eq!(
            resolution_elapsed_ms(&history, 3 * HOUR, &Calendar::Always),
            2 * HOUR
        );
    }

    #[test]
    fn a_reopen_resumes_counting_without_the_resolved_gap() {
        let history = [
            change(0, State::New),
            change(HOUR, State::Resolved),
            change(4 * HOUR, State::InProgress),
        ];
        assert_eq!(
            resolution_elapsed_ms(&history, 5 * HOUR, &Calendar::Always),
            2 * HOUR
        );
    }

    #[test]
    fn warning_at_three_quarters_and_breach_at_the_target() {
        assert_eq!(status(44 * MINUTE_MS, 60), SlaStatus::Ok);
        assert_eq!(status(45 * MINUTE_MS, 60), SlaStatus::Warning);
        assert_eq!(status(60 * MINUTE_MS - 1, 60), SlaStatus::Warning);
        assert_eq!(status(60 * MINUTE_MS, 60), SlaStatus::Breached);
    }

    #[test]
    fn due_time_exists_only_while_running() {
        let history = [change(0, State::New)];
        let due = |state, now| resolution_due_at(&history, 120, state, now, &Calendar::Always);
        assert_eq!(due(State::New, HOUR), Some(2 * HOUR));
        assert_eq!(due(State::Pending, HOUR), None);
        assert_eq!(due(State::Resolved, HOUR), None);
    }

    #[test]
    fn a_passed_due_time_stays_where_it_fell() {
        let history = [
            change(0, State::New),
            change(HOUR, State::Pending),
            change(3 * HOUR, State::InProgress),
        ];
        // 1 h counted before the pause, 1 h after it: due at 4 h, seen at 5 h or 9 h.
        for now in [4 * HOUR, 5 * HOUR, 9 * HOUR] {
            assert_eq!(
                resolution_due_at(&history, 120, State::InProgress, now, &Calendar::Always),
                Some(4 * HOUR),
                "at {now}"
            );
        }
        assert_eq!(
            resolution_due_at(
                &history,
                120,
                State::InProgress,
                3 * HOUR + 1,
                &Calendar::Always
            ),
            Some(4 * HOUR)
        );
    }

    #[test]
    fn first_response_counts_until_the_response() {
        assert_eq!(
            first_response_elapsed_ms(0, Some(20 * MINUTE_MS), HOUR, &Calendar::Always),
            20 * MINUTE_MS
        );
        assert_eq!(
            first_response_elapsed_ms(0, None, HOUR, &Calendar::Always),
            HOUR
        );
    }

    fn state() -> impl Strategy<Value = State> {
        prop::sample::select(State::ALL.to_vec())
    }

    proptest! {
        /// The watcher and the card never disagree: the promise a card counts
        /// down to is at risk or missed exactly when the watcher says so.
        #[test]
        fn alarms_agree_with_the_cards_countdown(
            state in state(),
            p in 0..5usize,
            response in prop::option::of(0..(100 * HOUR)),
            resolution_after in prop::option::of(0..(100 * HOUR)),
            now in 0..(200 * HOUR),
        ) {
            let policy = SlaPolicy::default();
            let priority = Priority::ALL[p];
            let resolution = resolution_after.map(|after| response.unwrap_or(0) + after);
            let alarms = alarms(state, priority, response, resolution, &policy, now);
            prop_assert!(alarms.iter().all(|a| a.status != SlaStatus::Ok));
            match countdown(state, priority, response, resolution, &policy, now) {
                Some(Countdown::Running { promise, status, remaining_ms }) => {
                    let alarm = alarms.iter().find(|a| a.promise == promise);
                    prop_assert_eq!(alarm.map(|a| a.status), (status != SlaStatus::Ok).then_some(status));
                    if let Some(alarm) = alarm {
                        prop_assert_eq!(alarm.due_ms, now + remaining_ms);
                    }
                }
                Some(Countdown::Paused) | None => prop_assert!(alarms.is_empty()),
            }
        }

        /// Once a ticket's resolution target has passed, its due time is the
        /// moment it passed: the same whenever it is computed again, and the
        /// moment the counted time reached the target.
        #[test]
        fn a_passed_due_time_never_moves(
            steps in prop::collection::vec((1..(10 * HOUR), state()), 0..12),
            target_minutes in 1..(40 * 60i64),
            later in prop::collection::vec(0..(50 * HOUR), 1..5),
        ) {
            let mut history = vec![change(0, State::New)];
            let mut at = 0;
            for (gap, state) in steps {
                at += gap;
                history.push(change(at, state));
            }
            let state = history.last().map_or(State::New, |c| c.state);
            let calendar = Calendar::Always;
            let first = resolution_due_at(&history, target_minutes, state, at, &calendar);
            prop_assert_eq!(first.is_some(), resolution_clock_runs(state));
            let Some(first) = first else { return Ok(()); };
            let elapsed = resolution_elapsed_ms(&history, at, &calendar);
            if elapsed >= target_minutes * MINUTE_MS {
                prop_assert!(first <= at);
                prop_assert_eq!(resolution_elapsed_ms(&history, first, &calendar), target_minutes * MINUTE_MS);
            } else {
                prop_assert_eq!(first, at + target_minutes * MINUTE_MS - elapsed);
            }
            // Looked at again later, with nothing new in the history.
            for extra in later {
                let now = at.max(first) + extra;
                prop_assert_eq!(resolution_due_at(&history, target_minutes, state, now, &calendar), Some(first));
            }
        }

        #[test]
        fn paused_time_never_counts(
            steps in prop::collection::vec((1..(10 * HOUR), state()), 1..20),
            extra_pause in 1..(10 * HOUR),
        ) {
            let mut at = 0;
            let mut history = vec![change(0, State::New)];
            for (gap, s) in &steps {
                at += gap;
                history.push(change(at, *s));
            }
            let now = at + HOUR;
            let elapsed = resolution_elapsed_ms(&history, now, &Calendar::Always);

            // Brute force: sum the spans spent in running states.
            let mut expected = 0;
            for (i, c) in history.iter().enumerate() {
                let end = history.get(i + 1).map_or(now, |n| n.at_ms);
                if resolution_clock_runs(c.state) {
                    expected += end - c.at_ms;
                }
            }
            prop_assert_eq!(elapsed, expected);
            prop_assert!(elapsed <= now);

            // Stretching any paused or stopped span changes nothing.
            if let Some(i) = history.iter().position(|c| !resolution_clock_runs(c.state)) {
                let stretched: Vec<StateChange> = history
                    .iter()
                    .enumerate()
                    .map(|(j, c)| if j > i { change(c.at_ms + extra_pause, c.state) } else { *c })
                    .collect();
                prop_assert_eq!(
                    resolution_elapsed_ms(&stretched, now + extra_pause, &Calendar::Always),
                    elapsed
                );
            }
        }
    }
}
