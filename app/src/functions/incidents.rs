use leptos::prelude::*;

use domain::change::Change;

use domain::models::{BoardView, IncidentDetail, IncidentSummary, RecentIncidents};

use crate::error::AppError;

/// How many incidents the home page lists.
pub const RECENT_LIMIT: i64 = 10;
/// The most cards of each kind (open, resolved, finished) one board load
/// returns. A change to one card costs the same however many are shown
/// (docs/performance.md, "The board with many cards").
pub const BOARD_LIMIT: i64 = 2_000;
/// How far back the board's "closed and cancelled" toggle reaches.
pub const FINISHED_DAYS: i64 = 7;
/// How far back the board looks for missed first responses, and how many.
pub const ALERT_DAYS: i64 = 7;
pub const ALERT_LIMIT: i64 = 200;
pub const SEARCH_LIMIT: i64 = 20;

/// Logs a new incident. A reporter logs their own (the name and contact
/// fields are taken from their account); the desk logs one for a caller,
/// whose name and email or phone are given.
#[server(endpoint = "log_incident")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn log_incident(
    title: String,
    name: String,
    contact: String,
) -> Result<IncidentSummary, AppError> {
    use crate::auth;
    use domain::{
        access::{acting, may_log_for_others},
        incident::{IncidentTitle, NewIncident},
        kind::Kind,
        person::Contact,
        priority::{Impact, Urgency},
    };

    let person = auth::require_signed_in().await?;
    let invalid = AppError::Invalid;
    let title = IncidentTitle::parse(&title).map_err(|e| invalid(e.to_string()))?;
    let (reporter, reporter_id) = if may_log_for_others(person.role) {
        let (email, phone) = if contact.contains('@') {
            (contact.as_str(), "")
        } else {
            ("", contact.as_str())
        };
        let caller = Contact::new(&name, email, phone).map_err(|e| invalid(e.to_string()))?;
        (caller, None)
    } else {
        let own = Contact {
            name: person.name.clone(),
            email: Some(person.email.clone()),
            phone: person.phone.clone(),
        };
        (own, Some(person.id))
    };
    // The desk triages quick reports; until then they count as medium/medium.
    let new = NewIncident {
        kind: Kind::Incident,
        title,
        description: String::new(),
        symptoms: String::new(),
        reporter,
        reporter_id,
        service: None,
        category_id: None,
        impact: Impact::Medium,
        urgency: Urgency::Medium,
        diagnosis: Vec::new(),
        started: None,
    };
    let store = super::store()?;
    let logged = store
        .report(&new, &acting(&person), crate::clock::now_ms())
        .await?;
    tracing::info!(reference = %logged.reference(), by = person.id, "incident logged");
    Ok(IncidentSummary::from(&logged))
}

/// The newest incidents the signed-in person may see, newest first: a
/// reporter's own, everything but security incidents for most agents.
#[server(endpoint = "recent_incidents")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn list_recent_incidents() -> Result<RecentIncidents, AppError> {
    use crate::auth;
    use domain::access::Scope;

    let person = auth::require_signed_in().await?;
    let store = super::store()?;
    let incidents = store
        .recent_incidents(RECENT_LIMIT, Scope::of(&person))
        .await?;
    Ok(RecentIncidents {
        server_now_ms: crate::clock::now_ms(),
        incidents,
    })
}

/// One ticket with its timeline. A ticket the person may not see answers
/// exactly like one that does not exist; reporters never get internal notes.
#[server(endpoint = "incident")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn incident(reference: String) -> Result<IncidentDetail, AppError> {
    use crate::auth;

    let person = auth::require_signed_in().await?;
    let store = super::store()?;
    let mut detail = visible_ticket(&store, &person, &reference).await?;
    detail.hide_internal_notes_from(person.role);
    Ok(detail)
}

/// The agent board's cards: every open and resolved ticket the person may
/// see (most urgent first), and with `finished` also those closed or
/// cancelled in the last week. The browser filters and groups them.
#[server(endpoint = "board")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn board(finished: Option<bool>) -> Result<BoardView, AppError> {
    use crate::auth;
    use domain::access::Scope;
    use domain::models::LeadAlert;
    use storage::BoardQuery;

    let person = auth::require_desk().await?;
    let store = super::store()?;
    let now = crate::clock::now_ms();
    // Read first: an event committed while the cards are read is then sent
    // again by the stream, never missed (the board applies it by version).
    let last_event_id = store.latest_event_id().await?;
    // One card more than shown tells whether more tickets are open.
    let mut cards = store
        .board(BoardQuery {
            tier: None,
            limit: BOARD_LIMIT + 1,
            finished_since_ms: finished
                .unwrap_or(false)
                .then_some(now - FINISHED_DAYS * 24 * 3_600_000),
            scope: Scope::of(&person),
        })
        .await?;
    let open_capped_at = cap_open(&mut cards, BOARD_LIMIT);
    let alerts = store
        .sla_alerts(
            now - ALERT_DAYS * 24 * 3_600_000,
            ALERT_LIMIT,
            Scope::of(&person),
        )
        .await?
        .iter()
        .filter_map(LeadAlert::from_entry)
        .collect();
    Ok(BoardView {
        server_now_ms: now,
        last_event_id,
        open_capped_at,
        cards,
        policy: store.rules().policy.clone(),
        me: person.id,
        role: person.role,
        alerts,
    })
}

/// One ticket's card, for a board that was refused a change and needs the
/// ticket as it now is.
/// Keeps at most `limit` open cards (the board's read returns the most
/// urgent first); says the limit when some were left out.
#[cfg(feature = "ssr")]
fn cap_open(cards: &mut Vec<IncidentSummary>, limit: i64) -> Option<i64> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut open = 0;
    let before = cards.len();
    cards.retain(|card| {
        if !domain::incident::is_open(card.state) {
            return true;
        }
        open += 1;
        open <= limit
    });
    (cards.len() < before).then_some(i64::try_from(limit).unwrap_or(i64::MAX))
}

#[server(endpoint = "card")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn card(reference: String) -> Result<IncidentSummary, AppError> {
    use crate::auth;

    let person = auth::require_desk().await?;
    let store = super::store()?;
    let detail = visible_ticket(&store, &person, &reference).await?;
    Ok(IncidentSummary::from(&detail.incident))
}

/// Full-text search over the tickets the person may see.
#[server(endpoint = "search_incidents")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn search_incidents(query: String) -> Result<Vec<IncidentSummary>, AppError> {
    use crate::auth;
    use domain::access::Scope;

    let person = auth::require_signed_in().await?;
    if query.chars().count() > 200 {
        return Err(AppError::Invalid(
            "Please keep a search to 200 characters or fewer.".to_owned(),
        ));
    }
    let store = super::store()?;
    store
        .search(&query, SEARCH_LIMIT, Scope::of(&person))
        .await
        .map_err(AppError::from)
}

/// Applies one change to a ticket the person may see, as them: the domain
/// decides whether their role and tier allow it. `version` is the one they
/// saw; if someone changed the ticket since, the answer says what changed.
#[server(endpoint = "change_incident", input = leptos::server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn change_incident(
    reference: String,
    version: i64,
    change: Change,
) -> Result<IncidentSummary, AppError> {
    use crate::auth;

    let person = auth::require_signed_in().await?;
    let store = super::store()?;
    // Checked before the write: a reporter must not learn, from a refusal's
    // wording, anything about a ticket that is not theirs.
    let current = visible_ticket(&store, &person, &reference).await?;
    let changed = change_as(&store, &person, &current, version, &change).await?;
    tracing::info!(reference = %changed.reference(), by = person.id, "incident changed");
    Ok(IncidentSummary::from(&changed))
}

/// A move from a card's "Move…" menu sent as a plain form, before the
/// board is live. The domain plans it for this agent from the ticket as
/// stored, exactly as the menu did; the answer is the board again. A move
/// that needs words (a reason, a note) opens the ticket, where they are
/// written. The live board sends its moves through `change_incident`.
/// `version`, `state` and `tier` are the card as the agent saw it: the move
/// is planned from there, as the live board plans it, and a ticket changed
/// since is a conflict the storage words.
#[server(endpoint = "move_card")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn move_card(
    reference: String,
    version: i64,
    state: String,
    tier: String,
    to: String,
) -> Result<IncidentSummary, AppError> {
    use crate::auth;
    use domain::{
        board::{plan_card_move, CardMove, Plan},
        lifecycle::State,
        tier::Tier,
    };

    let person = auth::require_desk().await?;
    let store = super::store()?;
    let current = visible_ticket(&store, &person, &reference).await?;
    let unknown = || AppError::BadRequest("The board does not know that move.".to_owned());
    let card = IncidentSummary {
        state: State::from_code(&state).ok_or_else(unknown)?,
        tier: Tier::from_code(&tier).ok_or_else(unknown)?,
        ..IncidentSummary::from(&current.incident)
    };
    let wanted = CardMove::from_code(&to).ok_or_else(unknown)?;
    let plan = plan_card_move(&card, wanted, person.id, person.role.actor())
        .map_err(|refused| AppError::Invalid(refused.to_string()))?;
    let change = match plan {
        Plan::Send(change) => change,
        Plan::Ask(words) => {
            if super::after_plain_form(&format!("/incidents/{}", card.reference)) {
                return Ok(card);
            }
            return Err(AppError::Invalid(format!(
                "{} Open the ticket to write it.",
                words.prompt()
            )));
        }
    };
    let changed = change_as(&store, &person, &current, version, &change).await?;
    tracing::info!(reference = %changed.reference(), by = person.id, "card moved from a plain form");
    super::after_plain_form(&super::board_showing(changed.state.code()));
    Ok(IncidentSummary::from(&changed))
}

/// `change` made by `person` to the ticket they saw at `version`, now.
#[cfg(feature = "ssr")]
async fn change_as(
    store: &storage::Store,
    person: &domain::person::Person,
    current: &IncidentDetail,
    version: i64,
    change: &Change,
) -> Result<domain::incident::Incident, AppError> {
    let by = domain::access::acting(person);
    let now = crate::clock::now_ms();
    Ok(store
        .change(current.incident.id, version, change, &by, now)
        .await?)
}

/// The ticket `reference` names, if `person` may see it. One that exists
/// but is not theirs answers exactly like one that does not exist. The
/// number decides: a ticket reclassified from INC to REQ keeps its old links.
#[cfg(feature = "ssr")]
pub async fn visible_ticket(
    store: &storage::Store,
    person: &domain::person::Person,
    reference: &str,
) -> Result<IncidentDetail, AppError> {
    use domain::{access::Scope, incident::parse_reference};

    let reference = reference.trim();
    let not_found =
        || AppError::NotFound(format!("There is no ticket {reference} that you can see."));
    let (_, id) = parse_reference(reference).ok_or_else(not_found)?;
    store
        .incident(id)
        .await?
        .filter(|d| Scope::of(person).includes_incident(&d.incident))
        .ok_or_else(not_found)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::cap_open;
    use domain::{
        kind::Kind, lifecycle::State, models::IncidentSummary, priority::Priority, tier::Tier,
    };

    fn card(id: i64, state: State) -> IncidentSummary {
        IncidentSummary {
            id,
            reference: format!("INC-{id:06}"),
            kind: Kind::Incident,
            title: String::new(),
            state,
            priority: Priority::P3,
            tier: Tier::L1,
            assignee: None,
            service: None,
            reported_at_ms: 0,
            response_due_ms: None,
            resolution_due_ms: None,
            version: 1,
            updated_at_ms: 0,
            reporter_id: None,
            assignee_id: None,
            category: None,
        }
    }

    #[test]
    fn the_board_says_when_more_tickets_are_open_than_it_shows() {
        let read = vec![
            card(1, State::New),
            card(2, State::InProgress),
            card(3, State::Pending),
            card(4, State::Resolved),
        ];
        // Exactly as many open as the board shows: nothing left out.
        let mut all = read.clone();
        assert_eq!(cap_open(&mut all, 3), None);
        assert_eq!(all, read);
        // One more than it shows: the least urgent open one goes, resolved stay.
        let mut capped = read.clone();
        assert_eq!(cap_open(&mut capped, 2), Some(2));
        let ids: Vec<i64> = capped.iter().map(|c| c.id).collect();
        assert_eq!(ids, [1, 2, 4]);
    }
}
