//! The self-service portal: guided troubleshooting, reporting a problem,
//! a reporter's own tickets, and answering the desk on a ticket.

use leptos::prelude::*;

use domain::models::{
    DeflectionCount, GuideCatalog, GuideWalk, IncidentSummary, ProblemReport, RecentIncidents,
    ReportReceipt, Similar,
};

use crate::error::AppError;

/// How many tickets "My tickets" lists.
pub const MY_TICKETS_LIMIT: i64 = 100;
/// How many suggestions appear under the title.
pub const SIMILAR_LIMIT: usize = 3;

/// The troubleshooting guides in use.
#[server(endpoint = "guides")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn guides() -> Result<GuideCatalog, AppError> {
    use crate::auth;

    auth::require_signed_in().await?;
    let stored = current_guides(&super::store()?).await?;
    Ok(GuideCatalog {
        version: stored.version,
        set: stored.set,
    })
}

/// "This fixed it": records the deflected contact with the path taken. The
/// walk is replayed on the server, so only a real fix step can be recorded.
#[server(endpoint = "record_deflection")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn record_deflection(walk: GuideWalk) -> Result<(), AppError> {
    use crate::auth;
    use domain::guide::Node;
    use storage::Deflection;

    let person = auth::require_signed_in().await?;
    let store = super::store()?;
    let stored = current_guides(&store).await?;
    let (guide, replayed) = replay(&stored, &walk)?;
    let Node::Fix { title, .. } = replayed.current else {
        return Err(AppError::Invalid(
            "Only a suggested fix can be marked as having fixed the problem.".to_owned(),
        ));
    };
    store
        .record_deflection(&Deflection {
            guide_set_version: stored.version,
            guide_id: guide.id.clone(),
            fix_title: title.clone(),
            path: replayed.diagnosis(),
            person_id: Some(person.id),
            at_ms: crate::clock::now_ms(),
        })
        .await?;
    tracing::info!(guide = %guide.id, by = person.id, "problem solved by a guide");
    super::after_plain_form(
        &crate::routes::ReportAddress::start(&walk.guide_id)
            .answered_all(&walk.answers)
            .to_fixed()
            .href(),
    );
    Ok(())
}

/// Logs the signed-in person's problem from the report form: the walk (if
/// any) gives the diagnosis, category, kind and suggested impact and
/// urgency; the reporter's own choices win over the suggestion.
#[server(endpoint = "report_problem")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn report_problem(report: ProblemReport) -> Result<ReportReceipt, AppError> {
    use crate::auth;
    use domain::{
        access::acting,
        guide::{Node, DEFAULT_IMPACT, DEFAULT_URGENCY},
        incident::{parse_started, parse_text, IncidentTitle, NewIncident, SERVICE_MAX_CHARS},
        kind::Kind,
        person::Contact,
    };

    let person = auth::require_signed_in().await?;
    let invalid = AppError::Invalid;
    let title = IncidentTitle::parse(&report.title).map_err(|e| invalid(e.to_string()))?;
    let description =
        parse_text("description", &report.description).map_err(|e| invalid(e.to_string()))?;
    let symptoms = parse_text("symptoms", &report.symptoms).map_err(|e| invalid(e.to_string()))?;
    let started = parse_started(&report.started_day, &report.started_time)
        .map_err(|e| invalid(e.to_string()))?;
    let service = report.service.trim();
    if service.chars().count() > SERVICE_MAX_CHARS || service.chars().any(char::is_control) {
        return Err(invalid(format!(
            "Please name the service or device in {SERVICE_MAX_CHARS} characters or fewer, on one line."
        )));
    }
    let phone = match report.phone.trim() {
        "" => person.phone.clone().unwrap_or_default(),
        typed => typed.to_owned(),
    };
    let reporter =
        Contact::new(&person.name, &person.email, &phone).map_err(|e| invalid(e.to_string()))?;

    let store = super::store()?;
    let mut kind = Kind::Incident;
    let mut diagnosis = Vec::new();
    let mut category_id = None;
    let mut advice = Vec::new();
    let (mut impact, mut urgency) = (DEFAULT_IMPACT, DEFAULT_URGENCY);
    if let Some(walk) = &report.walk {
        let stored = current_guides(&store).await?;
        let (guide, replayed) = replay(&stored, walk)?;
        kind = guide.kind;
        diagnosis = replayed.diagnosis();
        (impact, urgency) = replayed.suggested();
        if let Node::Report { advice: lines } = replayed.current {
            advice.clone_from(lines);
        }
        if let Some(path) = replayed.category(guide) {
            category_id = store.category_by_path(path).await?;
        }
    }
    let new = NewIncident {
        kind,
        title,
        description,
        symptoms,
        reporter,
        reporter_id: Some(person.id),
        service: (!service.is_empty()).then(|| service.to_owned()),
        category_id,
        impact: report.impact.unwrap_or(impact),
        urgency: report.urgency.unwrap_or(urgency),
        diagnosis,
        started,
    };
    let logged = store
        .report(&new, &acting(&person), crate::clock::now_ms())
        .await?;
    tracing::info!(reference = %logged.reference(), by = person.id, "problem reported");
    super::after_plain_form(&format!("/incidents/{}", logged.reference()));
    Ok(ReportReceipt {
        reference: logged.reference(),
        kind: logged.kind,
        server_now_ms: logged.reported_at_ms,
        response_due_ms: logged.response_due_ms,
        advice,
    })
}

/// Resolved tickets the person may see and fix articles that look like
/// `title`, for the report form.
#[server(endpoint = "similar_incidents")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn similar_incidents(title: String) -> Result<Similar, AppError> {
    use crate::auth;
    use domain::models::SimilarIncident;
    use domain::{access::Scope, guide::known_fixes, lifecycle::State};

    let person = auth::require_signed_in().await?;
    if title.chars().count() > 200 {
        return Err(AppError::Invalid(
            "Please keep the title to 200 characters or fewer.".to_owned(),
        ));
    }
    let mut words: Vec<&str> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .collect();
    if words.is_empty() {
        return Ok(Similar::default());
    }
    let store = super::store()?;
    let scope = Scope::of(&person);
    // Search matches every word; when the whole title finds too little,
    // try its longest (likeliest specific) words on their own.
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let mut queries = vec![title.clone()];
    if words.len() > 2 {
        queries.push(words[..2].join(" "));
    }
    queries.extend(words.iter().take(2).map(|w| (*w).to_owned()));
    let mut found: Vec<IncidentSummary> = Vec::new();
    for query in queries {
        if found.len() >= SIMILAR_LIMIT {
            break;
        }
        let hits = store.search(&query, 20, scope).await?;
        for hit in hits {
            let done = matches!(hit.state, State::Resolved | State::Closed);
            if done && found.len() < SIMILAR_LIMIT && !found.iter().any(|f| f.id == hit.id) {
                found.push(hit);
            }
        }
    }
    let mut incidents = Vec::with_capacity(found.len());
    for summary in found {
        let resolution = store
            .incident(summary.id)
            .await?
            .and_then(|d| d.incident.resolution);
        incidents.push(SimilarIncident {
            summary,
            resolution,
        });
    }
    let stored = current_guides(&store).await?;
    let fixes = known_fixes(
        &stored.set,
        &title,
        SIMILAR_LIMIT.saturating_sub(incidents.len()),
    );
    Ok(Similar { incidents, fixes })
}

/// The signed-in person's own tickets: open first, then closed.
#[server(endpoint = "my_tickets")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn my_tickets() -> Result<RecentIncidents, AppError> {
    use crate::auth;

    let person = auth::require_signed_in().await?;
    let incidents = super::store()?
        .tickets_of(person.id, MY_TICKETS_LIMIT)
        .await?;
    Ok(RecentIncidents {
        server_now_ms: crate::clock::now_ms(),
        incidents,
    })
}

/// A public reply on a ticket. When the ticket was waiting on its reporter
/// and the reporter answers, it goes back to the desk.
#[server(endpoint = "reply")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn reply(
    reference: String,
    version: i64,
    text: String,
) -> Result<IncidentSummary, AppError> {
    use crate::auth;
    use domain::{
        change::Change,
        lifecycle::{State, Transition},
    };

    let person = auth::require_signed_in().await?;
    let store = super::store()?;
    let current = super::incidents::visible_ticket(&store, &person, &reference).await?;
    let by = reporter_or_self(&person, &current.incident);
    let now = crate::clock::now_ms();
    let changed = store
        .change(
            current.incident.id,
            version,
            &Change::Comment {
                text,
                internal: false,
            },
            &by,
            now,
        )
        .await?;
    let is_reporter = current.incident.reporter_id == Some(person.id);
    if is_reporter && changed.state == State::Pending {
        let resumed = store
            .change(
                changed.id,
                changed.version,
                &Change::Move(Transition::Resume),
                &by,
                now,
            )
            .await;
        super::after_plain_form(&format!("/incidents/{reference}"));
        match resumed {
            Ok(resumed) => return Ok(IncidentSummary::from(&resumed)),
            // The reply is in; an agent acting at the same moment decides the state.
            Err(err) => tracing::info!(error = %err, "reply did not resume the ticket"),
        }
    }
    super::after_plain_form(&format!("/incidents/{reference}"));
    Ok(IncidentSummary::from(&changed))
}

/// The reporter's answer to a resolution: fixed closes the ticket, not
/// fixed reopens it with `comment` saying what is still wrong.
#[server(endpoint = "confirm_fix")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn confirm_fix(
    reference: String,
    version: i64,
    fixed: bool,
    comment: String,
) -> Result<IncidentSummary, AppError> {
    use crate::auth;
    use domain::{change::Change, lifecycle::Transition};

    let person = auth::require_signed_in().await?;
    let store = super::store()?;
    let current = super::incidents::visible_ticket(&store, &person, &reference).await?;
    if current.incident.reporter_id != Some(person.id) {
        return Err(AppError::Forbidden(
            "Only the person who reported the problem can confirm the fix.".to_owned(),
        ));
    }
    let step = if fixed {
        Transition::Close
    } else {
        Transition::Reopen { comment }
    };
    let changed = store
        .change(
            current.incident.id,
            version,
            &Change::Move(step),
            &reporter_or_self(&person, &current.incident),
            crate::clock::now_ms(),
        )
        .await?;
    tracing::info!(reference = %changed.reference(), fixed, "reporter answered the resolution");
    super::after_plain_form(&format!("/incidents/{reference}"));
    Ok(IncidentSummary::from(&changed))
}

/// An administrator replaces the guides with a new document (JSON). Every
/// problem in it is listed, one per line; nothing changes unless it is valid.
#[server(endpoint = "import_guides")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn import_guides(document: String) -> Result<i64, AppError> {
    use crate::auth;
    use domain::guide;

    let admin = auth::viewer::require_admin("change the troubleshooting guides").await?;
    let set = guide::parse(&document).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        AppError::Invalid(lines.join("\n"))
    })?;
    let version = super::store()?
        .import_guides(&set, Some(admin.id), crate::clock::now_ms())
        .await?;
    tracing::info!(version, by = admin.id, "guides imported");
    Ok(version)
}

/// The guides in use as a document an administrator can edit and import.
#[server(endpoint = "export_guides")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn export_guides() -> Result<String, AppError> {
    use crate::auth;

    auth::viewer::require_admin("export the troubleshooting guides").await?;
    let stored = current_guides(&super::store()?).await?;
    serde_json::to_string_pretty(&stored.set).map_err(|err| {
        tracing::error!(error = %err, "cannot serialise guides");
        AppError::Internal
    })
}

/// How often each suggested fix solved the problem.
#[server(endpoint = "deflections")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all))]
pub async fn deflections() -> Result<Vec<DeflectionCount>, AppError> {
    use crate::auth;

    auth::viewer::require_admin("see guide reports").await?;
    super::store()?
        .deflection_counts()
        .await
        .map_err(AppError::from)
}

/// The guides in use; the shipped set is imported the first time.
#[cfg(feature = "ssr")]
async fn current_guides(store: &storage::Store) -> Result<storage::StoredGuides, AppError> {
    storage::ensure_guides(store, crate::clock::now_ms())
        .await
        .map_err(AppError::from)
}

/// The guide a walk names, replayed against the version it was made on.
#[cfg(feature = "ssr")]
fn replay<'a>(
    stored: &'a storage::StoredGuides,
    walk: &GuideWalk,
) -> Result<(&'a domain::guide::Guide, domain::guide::Replayed<'a>), AppError> {
    let restart = |_| {
        AppError::Invalid(
            "The troubleshooting questions changed while you were answering them. Please start again."
                .to_owned(),
        )
    };
    if walk.version != stored.version {
        return Err(restart(()));
    }
    let guide = stored
        .set
        .guides
        .iter()
        .find(|g| g.id == walk.guide_id)
        .ok_or_else(|| restart(()))?;
    let walked = domain::guide::Walk {
        answers: walk.answers.clone(),
    };
    let replayed = walked.replay(guide).map_err(|_| restart(()))?;
    Ok((guide, replayed))
}

/// Someone acting on a ticket they reported acts as its reporter, whatever
/// their role: an agent confirms their own fix like anyone else.
#[cfg(feature = "ssr")]
fn reporter_or_self(
    person: &domain::person::Person,
    incident: &domain::incident::Incident,
) -> domain::change::Acting {
    use domain::{access::acting, lifecycle::Actor};

    let mut by = acting(person);
    if incident.reporter_id == Some(person.id) {
        by.actor = Actor::Reporter;
    }
    by
}
