//! Stable text codes for domain enums, as stored in the database and written
//! in event data. Renaming a variant must not change its code.

/// Implements `code()` and `from_code()` for a field-less enum.
macro_rules! codes {
    ($ty:ty { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $ty {
            pub fn code(self) -> &'static str {
                match self {
                    $(<$ty>::$variant => $code),+
                }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some(<$ty>::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

use crate::{
    kind::Kind,
    lifecycle::{Actor, State},
    priority::{Impact, Priority, Urgency},
    tier::Tier,
};

codes!(Kind { Incident => "incident", ServiceRequest => "service_request", SecurityIncident => "security_incident" });
codes!(State {
    New => "new",
    Assigned => "assigned",
    InProgress => "in_progress",
    Pending => "pending",
    Resolved => "resolved",
    Closed => "closed",
    Cancelled => "cancelled",
});
codes!(Impact { Low => "low", Medium => "medium", High => "high" });
codes!(Urgency { Low => "low", Medium => "medium", High => "high" });
codes!(Tier { L1 => "L1", L2 => "L2", L3 => "L3" });

impl Priority {
    /// 1 for P1 … 5 for P5: stored as a number so the board can sort on it.
    pub fn rank(self) -> i32 {
        self as i32 + 1
    }

    pub fn from_rank(rank: i32) -> Option<Self> {
        usize::try_from(rank - 1)
            .ok()
            .and_then(|i| Priority::ALL.get(i).copied())
    }
}

impl Actor {
    /// `reporter`, `agent:L2`, `admin` or `system`, as the event log records it.
    pub fn code(self) -> String {
        match self {
            Actor::Reporter => "reporter".to_owned(),
            Actor::Agent { tier } => format!("agent:{}", tier.code()),
            Actor::Admin => "admin".to_owned(),
            Actor::System => "system".to_owned(),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "reporter" => Some(Actor::Reporter),
            "admin" => Some(Actor::Admin),
            "system" => Some(Actor::System),
            _ => code
                .strip_prefix("agent:")
                .and_then(Tier::from_code)
                .map(|tier| Actor::Agent { tier }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for state in State::ALL {
            assert_eq!(State::from_code(state.code()), Some(state));
        }
        for tier in Tier::ALL {
            assert_eq!(Tier::from_code(tier.code()), Some(tier));
        }
        for impact in Impact::ALL {
            assert_eq!(Impact::from_code(impact.code()), Some(impact));
        }
        for urgency in Urgency::ALL {
            assert_eq!(Urgency::from_code(urgency.code()), Some(urgency));
        }
        for kind in [Kind::Incident, Kind::ServiceRequest, Kind::SecurityIncident] {
            assert_eq!(Kind::from_code(kind.code()), Some(kind));
        }
        for priority in Priority::ALL {
            assert_eq!(Priority::from_rank(priority.rank()), Some(priority));
        }
        for actor in [
            Actor::Reporter,
            Actor::Admin,
            Actor::System,
            Actor::Agent { tier: Tier::L3 },
        ] {
            assert_eq!(Actor::from_code(&actor.code()), Some(actor));
        }
        assert_eq!(Actor::from_code("agent:L4"), None);
        assert_eq!(State::from_code("open"), None);
        assert_eq!(Priority::from_rank(0), None);
        assert_eq!(Priority::from_rank(6), None);
    }

    #[test]
    fn codes_match_the_serde_names() {
        // Event data (serde) and columns (codes) must spell states the same way.
        assert_eq!(
            serde_json::to_string(&State::InProgress).ok().as_deref(),
            Some("\"in_progress\"")
        );
        assert_eq!(
            serde_json::to_string(&Kind::ServiceRequest).ok().as_deref(),
            Some("\"service_request\"")
        );
        // The report form posts impact and urgency by their codes.
        for impact in Impact::ALL {
            let serde = serde_json::to_string(&impact).ok();
            assert_eq!(serde, Some(format!("\"{}\"", impact.code())));
        }
        for urgency in Urgency::ALL {
            let serde = serde_json::to_string(&urgency).ok();
            assert_eq!(serde, Some(format!("\"{}\"", urgency.code())));
        }
    }
}
