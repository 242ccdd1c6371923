//! The writer: opens tickets and comments on them at the asked rate
//! through the real `change_incident` function.

use super::*;

/// A ticket a writer comments on, and the version it last saw.
pub(crate) struct Ticket {
    pub(crate) id: i64,
    pub(crate) reference: String,
    pub(crate) version: i64,
}

/// A change the server accepted: the event every board should receive.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Made {
    pub(crate) incident_id: i64,
    pub(crate) version: i64,
    pub(crate) sent_us: i64,
    pub(crate) answered_us: i64,
}

/// The open tickets on the board of the given session.
pub(crate) async fn open_tickets(host: &str, cookie: &str) -> Result<Vec<Ticket>, String> {
    let reply = call(host, "board", FORM, b"", Some(cookie)).await?;
    if reply.status != 200 {
        return Err(format!(
            "the board failed ({}): {}",
            reply.status,
            reply.text()
        ));
    }
    let board = reply.json()?;
    // `incidents` until the board sends cards, `cards` after (issue 6).
    let tickets: Vec<Ticket> = board["cards"]
        .as_array()
        .or_else(|| board["incidents"].as_array())
        .ok_or("the board has neither cards nor incidents")?
        .iter()
        // Resolved tickets may be closed by the server's own job meanwhile.
        .filter(|t| {
            matches!(
                t["state"].as_str(),
                Some("new" | "assigned" | "in_progress" | "pending")
            )
        })
        .filter_map(|t| {
            Some(Ticket {
                id: t["id"].as_i64()?,
                reference: t["reference"].as_str()?.to_owned(),
                version: t["version"].as_i64()?,
            })
        })
        .collect();
    if tickets.is_empty() {
        return Err("the demo data has no open tickets to change".to_owned());
    }
    Ok(tickets)
}

/// Makes `rate` changes a second, evenly spaced, for `seconds`, spread over
/// the tickets round-robin. Each ticket has a lock, so its changes go one
/// after another with the version the last one returned: no conflicts.
pub(crate) async fn make_changes(
    host: &str,
    writer: &str,
    tickets: Vec<Ticket>,
    options: &Options,
) -> (Vec<Made>, Vec<String>) {
    let tickets: Arc<Vec<Mutex<Ticket>>> = Arc::new(tickets.into_iter().map(Mutex::new).collect());
    let total = options.rate as u64 * options.seconds;
    let mut every = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(options.rate)));
    // A late tick is made up at once, so the total stays rate × seconds.
    every.set_missed_tick_behavior(MissedTickBehavior::Burst);
    let mut changes: Vec<JoinHandle<Result<Made, String>>> = Vec::new();
    for n in 0..total {
        every.tick().await;
        let tickets = Arc::clone(&tickets);
        let host = host.to_owned();
        let writer = writer.to_owned();
        changes.push(tokio::spawn(async move {
            let index = (n % tickets.len() as u64) as usize;
            let mut ticket = tickets[index].lock().await;
            comment(&host, &writer, &mut ticket, n).await
        }));
    }
    let mut made = Vec::new();
    let mut failures = Vec::new();
    for change in changes {
        match change.await {
            Ok(Ok(m)) => made.push(m),
            Ok(Err(message)) => failures.push(message),
            Err(err) => failures.push(format!("a writer task failed: {err}")),
        }
    }
    (made, failures)
}

pub(crate) async fn comment(
    host: &str,
    writer: &str,
    ticket: &mut Ticket,
    n: u64,
) -> Result<Made, String> {
    let body = json!({
        "reference": ticket.reference,
        "version": ticket.version,
        "change": { "Comment": { "text": format!("Load test comment {n}"), "internal": false } },
    })
    .to_string();
    let sent_us = now_us();
    let reply = call(
        host,
        "change_incident",
        "application/json",
        body.as_bytes(),
        Some(writer),
    )
    .await?;
    let answered_us = now_us();
    if reply.status != 200 {
        // Someone else (a server job) may have changed it: start again from
        // its current version next time.
        if let Some(version) = current_version(host, writer, &ticket.reference).await {
            ticket.version = version;
        }
        return Err(format!(
            "change to {} refused ({}): {}",
            ticket.reference,
            reply.status,
            reply.text()
        ));
    }
    let version = reply.json()?["version"]
        .as_i64()
        .ok_or_else(|| format!("the change to {} returned no version", ticket.reference))?;
    ticket.version = version;
    Ok(Made {
        incident_id: ticket.id,
        version,
        sent_us,
        answered_us,
    })
}

pub(crate) async fn current_version(host: &str, cookie: &str, reference: &str) -> Option<i64> {
    let body = form_encode(&[("reference", reference)]);
    let reply = call(host, "incident", FORM, body.as_bytes(), Some(cookie))
        .await
        .ok()?;
    reply.json().ok()?["incident"]["version"].as_i64()
}
