//! Impact × urgency → priority, through a configurable 3×3 matrix.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How many people or how critical a service the disruption touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    Low,
    Medium,
    High,
}

/// How fast the disruption hurts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Low,
    Medium,
    High,
}

/// P1 is the most urgent. The derived order follows the enum, so `P1 < P5`:
/// a *higher* priority is a *smaller* value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Priority {
    P1,
    P2,
    P3,
    P4,
    P5,
}

impl Impact {
    pub const ALL: [Impact; 3] = [Impact::High, Impact::Medium, Impact::Low];
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::High, Urgency::Medium, Urgency::Low];
}

impl Priority {
    pub const ALL: [Priority; 5] = [
        Priority::P1,
        Priority::P2,
        Priority::P3,
        Priority::P4,
        Priority::P5,
    ];

    /// The word agents and reporters see beside the code.
    pub fn label(self) -> &'static str {
        match self {
            Priority::P1 => "critical",
            Priority::P2 => "high",
            Priority::P3 => "medium",
            Priority::P4 => "low",
            Priority::P5 => "planning",
        }
    }

    /// True when `self` is more urgent than `other`.
    pub fn outranks(self, other: Priority) -> bool {
        self < other
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = match self {
            Priority::P1 => "P1",
            Priority::P2 => "P2",
            Priority::P3 => "P3",
            Priority::P4 => "P4",
            Priority::P5 => "P5",
        };
        write!(f, "{code} {}", self.label())
    }
}

/// Why a configured matrix was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatrixError {
    #[error(
        "raising {raised} from {from} to {to} would lower the priority from {before} to {after}; \
         a more serious or more urgent incident can never get a lower priority"
    )]
    NotMonotonic {
        raised: &'static str,
        from: String,
        to: String,
        before: Priority,
        after: Priority,
    },
}

/// Rows by impact (high, medium, low), columns by urgency (high, medium, low).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityMatrix {
    cells: [[Priority; 3]; 3],
}

impl Default for PriorityMatrix {
    /// The standard ITIL matrix.
    fn default() -> Self {
        use Priority::*;
        Self {
            cells: [[P1, P2, P3], [P2, P3, P4], [P3, P4, P5]],
        }
    }
}

fn row(impact: Impact) -> usize {
    match impact {
        Impact::High => 0,
        Impact::Medium => 1,
        Impact::Low => 2,
    }
}

fn column(urgency: Urgency) -> usize {
    match urgency {
        Urgency::High => 0,
        Urgency::Medium => 1,
        Urgency::Low => 2,
    }
}

impl PriorityMatrix {
    /// A custom matrix, refused if raising impact or urgency could lower the priority.
    pub fn new(cells: [[Priority; 3]; 3]) -> Result<Self, MatrixError> {
        let matrix = Self { cells };
        for impact in Impact::ALL {
            for urgency in Urgency::ALL {
                let here = matrix.priority(impact, urgency);
                // Each one-step raise, named for the message if it lowers the priority.
                let raises = [
                    raise_impact(impact).map(|up| {
                        (
                            "impact",
                            format!("{impact:?}"),
                            format!("{up:?}"),
                            matrix.priority(up, urgency),
                        )
                    }),
                    raise_urgency(urgency).map(|up| {
                        (
                            "urgency",
                            format!("{urgency:?}"),
                            format!("{up:?}"),
                            matrix.priority(impact, up),
                        )
                    }),
                ];
                for (raised, from, to, after) in raises.into_iter().flatten() {
                    if here.outranks(after) {
                        return Err(MatrixError::NotMonotonic {
                            raised,
                            from: from.to_lowercase(),
                            to: to.to_lowercase(),
                            before: here,
                            after,
                        });
                    }
                }
            }
        }
        Ok(matrix)
    }

    pub fn priority(&self, impact: Impact, urgency: Urgency) -> Priority {
        self.cells[row(impact)][column(urgency)]
    }
}

fn raise_impact(impact: Impact) -> Option<Impact> {
    match impact {
        Impact::Low => Some(Impact::Medium),
        Impact::Medium => Some(Impact::High),
        Impact::High => None,
    }
}

fn raise_urgency(urgency: Urgency) -> Option<Urgency> {
    match urgency {
        Urgency::Low => Some(Urgency::Medium),
        Urgency::Medium => Some(Urgency::High),
        Urgency::High => None,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn default_matrix_is_the_one_in_the_design() {
        let m = PriorityMatrix::default();
        use Impact as I;
        use Priority::*;
        use Urgency as U;
        let expected = [
            (I::High, U::High, P1),
            (I::High, U::Medium, P2),
            (I::High, U::Low, P3),
            (I::Medium, U::High, P2),
            (I::Medium, U::Medium, P3),
            (I::Medium, U::Low, P4),
            (I::Low, U::High, P3),
            (I::Low, U::Medium, P4),
            (I::Low, U::Low, P5),
        ];
        for (impact, urgency, priority) in expected {
            assert_eq!(
                m.priority(impact, urgency),
                priority,
                "{impact:?} × {urgency:?}"
            );
        }
    }

    #[test]
    fn a_matrix_that_lowers_priority_on_a_raise_is_refused() {
        use Priority::*;
        let err = PriorityMatrix::new([[P3, P2, P3], [P2, P3, P4], [P3, P4, P5]])
            .expect_err("high urgency gives P3 but medium gives P2");
        assert_eq!(
            err.to_string(),
            "raising urgency from medium to high would lower the priority from P2 high to P3 medium; \
             a more serious or more urgent incident can never get a lower priority"
        );
    }

    #[test]
    fn a_flat_custom_matrix_is_accepted() {
        let flat = PriorityMatrix::new([[Priority::P3; 3]; 3]).expect("a flat matrix is monotonic");
        assert_eq!(flat.priority(Impact::High, Urgency::High), Priority::P3);
    }

    #[test]
    fn priorities_read_as_code_and_word() {
        assert_eq!(Priority::P1.to_string(), "P1 critical");
        assert_eq!(Priority::P5.to_string(), "P5 planning");
        assert!(Priority::P1.outranks(Priority::P2));
        assert!(!Priority::P3.outranks(Priority::P3));
    }

    fn impact() -> impl Strategy<Value = Impact> {
        prop::sample::select(Impact::ALL.to_vec())
    }

    fn urgency() -> impl Strategy<Value = Urgency> {
        prop::sample::select(Urgency::ALL.to_vec())
    }

    fn priority() -> impl Strategy<Value = Priority> {
        prop::sample::select(Priority::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn priority_never_drops_when_impact_or_urgency_rises(
            i1 in impact(), i2 in impact(), u1 in urgency(), u2 in urgency()
        ) {
            let m = PriorityMatrix::default();
            let (lo_i, hi_i) = if i1 <= i2 { (i1, i2) } else { (i2, i1) };
            let (lo_u, hi_u) = if u1 <= u2 { (u1, u2) } else { (u2, u1) };
            // Raising either (or both) never gives a less urgent priority.
            prop_assert!(m.priority(hi_i, hi_u) <= m.priority(lo_i, lo_u));
            prop_assert!(m.priority(hi_i, lo_u) <= m.priority(lo_i, lo_u));
            prop_assert!(m.priority(lo_i, hi_u) <= m.priority(lo_i, lo_u));
        }

        #[test]
        fn every_accepted_custom_matrix_is_monotonic(
            cells in prop::array::uniform3(prop::array::uniform3(priority())),
            i1 in impact(), i2 in impact(), u1 in urgency(), u2 in urgency()
        ) {
            if let Ok(m) = PriorityMatrix::new(cells) {
                let (lo_i, hi_i) = if i1 <= i2 { (i1, i2) } else { (i2, i1) };
                let (lo_u, hi_u) = if u1 <= u2 { (u1, u2) } else { (u2, u1) };
                prop_assert!(m.priority(hi_i, hi_u) <= m.priority(lo_i, lo_u));
            }
        }
    }
}
