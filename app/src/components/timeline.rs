//! A ticket's timeline in plain words. Reporters read what happened to
//! their problem ("Waiting on you"), not the desk's codes.

use domain::{
    call::when_words,
    change::{kind_words, Event},
    lifecycle::State,
};

use domain::models::TimelineEntry;

/// One line of the timeline and the text that goes with it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Told {
    pub headline: String,
    pub body: Option<String>,
}

/// Says what `entry` did. When the viewer reported the ticket, their own
/// entries read "You"; the desk also reads escalation reasons.
pub fn tell(entry: &TimelineEntry, reporter_is_viewer: bool, for_desk: bool) -> Told {
    let by_system = entry.actor_role == "system";
    let who = if reporter_is_viewer && entry.actor_role == "reporter" {
        "You".to_owned()
    } else {
        entry.actor_name.clone()
    };
    let told = |headline: String, body: Option<String>| Told { headline, body };
    match &entry.event {
        Event::Reported { .. } => told(format!("{who} reported the problem"), None),
        Event::Assigned { assignee, .. } => told(format!("{assignee} is looking after it"), None),
        Event::StateChanged {
            from,
            to,
            note,
            code,
        } => {
            let headline = match (from, to) {
                (State::Resolved, State::InProgress) => {
                    format!("{who} said it is still broken; it is back with the desk")
                }
                (State::Pending, State::InProgress) => "Back with the desk".to_owned(),
                (_, State::InProgress) => format!("{who} started working on it"),
                (_, State::Pending) if for_desk => format!("{who} is waiting on the reporter"),
                (_, State::Pending) => "Waiting on you: the desk needs an answer".to_owned(),
                (_, State::Resolved) => match code {
                    Some(code) => format!("{who} resolved it ({})", code.label()),
                    None => format!("{who} resolved it"),
                },
                (_, State::Closed) if by_system => {
                    "Closed automatically: nobody answered after it was resolved".to_owned()
                }
                (_, State::Closed) => format!("{who} confirmed the fix; closed"),
                (_, State::Cancelled) => format!("{who} cancelled it"),
                (_, State::Assigned) => "Assigned".to_owned(),
                (_, State::New) => "Reopened as new".to_owned(),
            };
            told(headline, note.clone())
        }
        Event::Reprioritised { to, .. } | Event::PriorityOverridden { to, .. } => {
            told(format!("Priority set to {to}"), None)
        }
        Event::TierChanged { to, reason, .. } => told(
            format!("Passed to the {} team", to.code()),
            for_desk.then(|| reason.clone()),
        ),
        Event::Commented {
            text,
            internal: true,
        } => told(format!("{who} added an internal note"), Some(text.clone())),
        Event::Commented { text, .. } => told(format!("{who} wrote"), Some(text.clone())),
        Event::Recategorised { to: Some(to), .. } => told(format!("Category set to {to}"), None),
        Event::Recategorised { to: None, .. } => told("Category removed".to_owned(), None),
        Event::Reclassified { to, .. } => told(format!("Identified as {}", kind_words(*to)), None),
        Event::CallScheduled {
            at_ms,
            minutes,
            channel,
            note,
            zone,
            offset_minutes,
        } => told(
            format!(
                "Call scheduled: {} {}",
                when_words(*at_ms, *minutes, *offset_minutes, zone),
                channel.words()
            ),
            note.clone(),
        ),
        // Only the desk reads these (they are internal): the summary says it all.
        event @ Event::SlaAlert { .. } => {
            let summary = event.summary();
            let mut letters = summary.chars();
            let headline = letters
                .next()
                .map(|first| first.to_uppercase().chain(letters).collect())
                .unwrap_or_default();
            told(headline, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(actor_role: &str, event: Event) -> TimelineEntry {
        TimelineEntry {
            id: 1,
            incident_id: 1,
            version: 1,
            actor_name: "Dana Reyes".to_owned(),
            actor_role: actor_role.to_owned(),
            event,
            at_ms: 0,
        }
    }

    fn moved(from: State, to: State) -> Event {
        Event::StateChanged {
            from,
            to,
            note: None,
            code: None,
        }
    }

    #[test]
    fn reporters_read_plain_words() {
        let agent = |event| tell(&entry("agent", event), true, false).headline;
        assert_eq!(
            agent(moved(State::InProgress, State::Pending)),
            "Waiting on you: the desk needs an answer"
        );
        assert_eq!(
            agent(moved(State::Assigned, State::InProgress)),
            "Dana Reyes started working on it"
        );
        assert_eq!(
            tell(
                &entry("reporter", moved(State::Resolved, State::Closed)),
                true,
                false
            )
            .headline,
            "You confirmed the fix; closed"
        );
        assert_eq!(
            tell(
                &entry("system", moved(State::Resolved, State::Closed)),
                true,
                false
            )
            .headline,
            "Closed automatically: nobody answered after it was resolved"
        );
    }

    #[test]
    fn calls_and_resolution_codes_read_plainly() {
        let call = Event::CallScheduled {
            at_ms: domain::call::at_utc(2026, 12, 1, 13, 0),
            minutes: 30,
            channel: domain::call::CallChannel::Phone {
                number: "+44 20 7946 0958".to_owned(),
            },
            note: Some("Have the laptop at hand".to_owned()),
            zone: "Europe/Paris".to_owned(),
            offset_minutes: 60,
        };
        let told = tell(&entry("agent", call), true, false);
        assert_eq!(
            told.headline,
            "Call scheduled: Tue 1 Dec 2026, 14:00–14:30 (Europe/Paris) by phone (+44 20 7946 0958)"
        );
        assert_eq!(told.body.as_deref(), Some("Have the laptop at hand"));
        let resolved = Event::StateChanged {
            from: State::InProgress,
            to: State::Resolved,
            note: Some("Reset the token".to_owned()),
            code: Some(domain::resolution::ResolutionCode::Workaround),
        };
        assert_eq!(
            tell(&entry("agent", resolved), true, false).headline,
            "Dana Reyes resolved it (Workaround)"
        );
    }

    #[test]
    fn escalation_reasons_are_for_the_desk() {
        let event = Event::TierChanged {
            from: domain::tier::Tier::L1,
            to: domain::tier::Tier::L2,
            reason: "Needs a network engineer".to_owned(),
        };
        assert_eq!(tell(&entry("agent", event.clone()), true, false).body, None);
        assert_eq!(
            tell(&entry("agent", event), false, true).body.as_deref(),
            Some("Needs a network engineer")
        );
    }
}
