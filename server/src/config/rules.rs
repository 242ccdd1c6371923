//! The rules sections of the configuration file: business hours, SLA
//! targets and the priority matrix. The domain validates them; this module
//! only reads the file's notation.

use std::collections::BTreeMap;

use domain::{
    calendar::{parse_date, BusinessHours, Calendar},
    change::Rules,
    priority::{Priority, PriorityMatrix},
    sla::{SlaPolicy, Target},
};
use serde::Deserialize;

use super::ConfigError;

/// `[business_hours]`: when the SLA clock runs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BusinessHoursFile {
    time_zone: String,
    open: String,
    close: String,
    days: Vec<String>,
    #[serde(default)]
    holidays: Vec<String>,
}

/// `[sla_targets]`: `P1 = "15m / 4h"`; priorities not named keep their default.
pub(super) type SlaTargetsFile = BTreeMap<String, String>;

/// `[priority_matrix]`: one row per impact, columns by urgency high, medium, low.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MatrixFile {
    high: Vec<String>,
    medium: Vec<String>,
    low: Vec<String>,
}

pub(super) fn resolve(
    hours: Option<BusinessHoursFile>,
    targets: Option<SlaTargetsFile>,
    matrix: Option<MatrixFile>,
) -> Result<Rules, ConfigError> {
    let defaults = Rules::default();
    Ok(Rules {
        calendar: match hours {
            Some(hours) => hours.calendar()?,
            None => defaults.calendar,
        },
        policy: match targets {
            Some(targets) => policy(&targets)?,
            None => defaults.policy,
        },
        matrix: match matrix {
            Some(matrix) => matrix.matrix()?,
            None => defaults.matrix,
        },
    })
}

fn error(section: &'static str) -> impl Fn(String) -> ConfigError {
    move |message| ConfigError::Rules { section, message }
}

impl BusinessHoursFile {
    fn calendar(self) -> Result<Calendar, ConfigError> {
        let bad = error("business_hours");
        let zone = crate::zones::zone_named(&self.time_zone).map_err(|e| bad(e.to_string()))?;
        let open = clock_minute(&self.open).ok_or_else(|| {
            bad(format!(
                "open = {:?} is not a time like \"09:00\"",
                self.open
            ))
        })?;
        let close = clock_minute(&self.close).ok_or_else(|| {
            bad(format!(
                "close = {:?} is not a time like \"17:00\"",
                self.close
            ))
        })?;
        let mut working_days = [false; 7];
        for day in &self.days {
            let index = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
                .iter()
                .position(|d| day.trim().to_ascii_lowercase().starts_with(d))
                .ok_or_else(|| {
                    bad(format!(
                        "days: {day:?} is not a day of the week (mon … sun)"
                    ))
                })?;
            working_days[index] = true;
        }
        let holidays = self
            .holidays
            .iter()
            .map(|d| parse_date(d).map_err(|e| bad(e.to_string())))
            .collect::<Result<_, _>>()?;
        let hours = BusinessHours::new(zone, open, close, working_days, holidays)
            .map_err(|e| bad(e.to_string()))?;
        Ok(Calendar::Business(hours))
    }
}

/// `"09:00"` → minutes after midnight; `"24:00"` is the end of the day.
fn clock_minute(text: &str) -> Option<u32> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

/// `"1h30m"`, `"15m"`, `"2d"` → minutes.
fn minutes(text: &str) -> Option<i64> {
    let mut total = 0i64;
    let mut number = String::new();
    for c in text.trim().chars() {
        match c {
            '0'..='9' => number.push(c),
            'd' | 'h' | 'm' if !number.is_empty() => {
                let n: i64 = number.parse().ok()?;
                let unit = match c {
                    'd' => 24 * 60,
                    'h' => 60,
                    _ => 1,
                };
                total = total.checked_add(n.checked_mul(unit)?)?;
                number.clear();
            }
            ' ' => {}
            _ => return None,
        }
    }
    (number.is_empty() && total > 0).then_some(total)
}

fn priority(text: &str) -> Option<Priority> {
    let rank = text.trim().strip_prefix(['P', 'p'])?.parse().ok()?;
    Priority::from_rank(rank)
}

fn policy(targets: &SlaTargetsFile) -> Result<SlaPolicy, ConfigError> {
    let bad = error("sla_targets");
    let defaults = SlaPolicy::default();
    let mut all = Priority::ALL.map(|p| defaults.target(p));
    for (key, value) in targets {
        let p = priority(key).ok_or_else(|| bad(format!("{key} is not a priority (P1 … P5)")))?;
        let parsed = value.split_once('/').and_then(|(response, resolution)| {
            Some(Target {
                first_response_minutes: minutes(response)?,
                resolution_minutes: minutes(resolution)?,
            })
        });
        all[p as usize] = parsed.ok_or_else(|| {
            bad(format!(
                "{key} = {value:?}: write the first response and the resolution target like \"15m / 4h\""
            ))
        })?;
    }
    SlaPolicy::new(all).map_err(|e| bad(e.to_string()))
}

impl MatrixFile {
    fn matrix(self) -> Result<PriorityMatrix, ConfigError> {
        let bad = error("priority_matrix");
        let row = |name: &str, cells: &[String]| -> Result<[Priority; 3], ConfigError> {
            let parsed: Option<Vec<Priority>> = cells.iter().map(|c| priority(c)).collect();
            parsed
                .and_then(|v| <[Priority; 3]>::try_from(v).ok())
                .ok_or_else(|| {
                    bad(format!(
                        "{name} needs three priorities, for high, medium and low urgency"
                    ))
                })
        };
        let cells = [
            row("high", &self.high)?,
            row("medium", &self.medium)?,
            row("low", &self.low)?,
        ];
        PriorityMatrix::new(cells).map_err(|e| bad(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_minutes() {
        assert_eq!(minutes("15m"), Some(15));
        assert_eq!(minutes(" 1h30m "), Some(90));
        assert_eq!(minutes("2d"), Some(2 * 24 * 60));
        assert_eq!(minutes("0m"), None);
        assert_eq!(minutes("15"), None);
        assert_eq!(minutes("soon"), None);
        assert_eq!(clock_minute("24:00"), Some(24 * 60));
        assert_eq!(clock_minute("24:30"), None);
    }
}
