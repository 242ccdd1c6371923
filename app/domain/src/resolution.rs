//! How a ticket was resolved, as a code for reports next to the note the
//! reporter reads (ITIL-style closure codes).

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResolutionCode {
    /// The cause was found and fixed.
    Solved,
    /// Service restored, the cause is still there.
    Workaround,
    /// Nothing was wrong on the IT side.
    NoFaultFound,
    /// Fixed by showing the reporter how.
    UserError,
    /// Another ticket covers it.
    Duplicate,
    /// The problem could not be made to happen again.
    NotReproducible,
}

impl ResolutionCode {
    pub const ALL: [ResolutionCode; 6] = [
        ResolutionCode::Solved,
        ResolutionCode::Workaround,
        ResolutionCode::NoFaultFound,
        ResolutionCode::UserError,
        ResolutionCode::Duplicate,
        ResolutionCode::NotReproducible,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ResolutionCode::Solved => "solved",
            ResolutionCode::Workaround => "workaround",
            ResolutionCode::NoFaultFound => "no_fault_found",
            ResolutionCode::UserError => "user_error",
            ResolutionCode::Duplicate => "duplicate",
            ResolutionCode::NotReproducible => "not_reproducible",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ResolutionCode::Solved => "Solved",
            ResolutionCode::Workaround => "Workaround",
            ResolutionCode::NoFaultFound => "No fault found",
            ResolutionCode::UserError => "Solved by advice",
            ResolutionCode::Duplicate => "Duplicate",
            ResolutionCode::NotReproducible => "Not reproducible",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code.trim())
    }
}

impl fmt::Display for ResolutionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_their_json() {
        for code in ResolutionCode::ALL {
            assert_eq!(ResolutionCode::from_code(code.code()), Some(code));
            assert_eq!(
                serde_json::to_value(code).ok(),
                Some(serde_json::Value::String(code.code().to_owned()))
            );
        }
        assert_eq!(ResolutionCode::from_code("fixed-ish"), None);
    }
}
