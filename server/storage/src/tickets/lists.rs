//! The lists a ticket appears in: the board, live cards, the newest,
//! search results, a reporter's own tickets, and the resolved ones waiting
//! for their reporter's answer.

use super::rows::{bind_scope, cards_from, scope_filter, summaries, SummaryRow};
use crate::{database::Database, search_floors, BoardQuery, StorageError};
use domain::{access::Scope, models::IncidentSummary};

/// A resolved ticket waiting for its reporter's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwaitingConfirmation {
    pub id: i64,
    pub version: i64,
}

/// One of the board's reads, each served by its own partial index: open
/// tickets most urgent first, resolved ones awaiting confirmation, and (on
/// request) recently closed or cancelled ones. Binds, in order: the limit,
/// the tier code (`''` for any), `since` when present, then the scope's.
struct BoardPart {
    pub sql: String,
    pub since: Option<i64>,
}

fn board_parts(board: &BoardQuery) -> Vec<BoardPart> {
    let from = format!("{} WHERE", cards_from());
    let tier = "($2 = '' OR i.tier = $2)";
    let mut parts = vec![
        BoardPart {
            sql: format!(
                "{from} i.state IN ('new', 'assigned', 'in_progress', 'pending') AND {tier}{} \
                 ORDER BY i.priority, i.resolution_due_ms IS NULL, i.resolution_due_ms, i.id LIMIT $1",
                scope_filter(board.scope, 3)
            ),
            since: None,
        },
        BoardPart {
            sql: format!(
                "{from} i.state = 'resolved' AND {tier}{} ORDER BY i.resolved_at_ms DESC, i.id LIMIT $1",
                scope_filter(board.scope, 3)
            ),
            since: None,
        },
    ];
    if let Some(since) = board.finished_since_ms {
        parts.push(BoardPart {
            sql: format!(
                "{from} i.state IN ('closed', 'cancelled') AND i.closed_at_ms >= $3 AND {tier}{} \
                 ORDER BY i.closed_at_ms DESC, i.id LIMIT $1",
                scope_filter(board.scope, 4)
            ),
            since: Some(since),
        });
    }
    parts
}

/// Cards by id, for the live hub: `$1 … $n`.
fn cards_sql(count: usize) -> String {
    let binds: Vec<String> = (1..=count).map(|n| format!("${n}")).collect();
    format!("{} WHERE i.id IN ({})", cards_from(), binds.join(", "))
}

impl Database {
    /// Open tickets, most urgent first: by priority, then resolution due time.
    pub async fn board(&self, board: BoardQuery) -> Result<Vec<IncidentSummary>, StorageError> {
        let tier = board.tier.map_or("", |t| t.code());
        let mut cards = Vec::new();
        for part in board_parts(&board) {
            let mut query = sqlx::query_as(&part.sql).bind(board.limit).bind(tier);
            if let Some(since) = part.since {
                query = query.bind(since);
            }
            query = bind_scope(query, board.scope);
            let rows: Vec<SummaryRow> = query.fetch_all(&self.pool).await?;
            cards.extend(summaries(rows)?);
        }
        Ok(cards)
    }

    /// The cards of these tickets, in no particular order; missing ids are skipped.
    pub async fn cards(&self, ids: &[i64]) -> Result<Vec<IncidentSummary>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = cards_sql(ids.len());
        let mut query = sqlx::query_as(&sql);
        for id in ids {
            query = query.bind(*id);
        }
        let rows: Vec<SummaryRow> = query.fetch_all(&self.pool).await?;
        summaries(rows)
    }

    /// Newest first, within what `scope` lets the reader see.
    pub async fn recent_incidents(
        &self,
        limit: i64,
        scope: Scope,
    ) -> Result<Vec<IncidentSummary>, StorageError> {
        let sql = format!(
            "{} WHERE true{} ORDER BY i.id DESC LIMIT $1",
            cards_from(),
            scope_filter(scope, 2)
        );
        let mut query = sqlx::query_as(&sql).bind(limit);
        query = bind_scope(query, scope);
        let rows: Vec<SummaryRow> = query.fetch_all(&self.pool).await?;
        summaries(rows)
    }

    /// Full-text search over title, description and resolution, best match
    /// first. It ranks the matches among the newest [`SEARCH_WINDOW`](crate::SEARCH_WINDOW)
    /// tickets and looks further back only when those give fewer than
    /// `limit`: ranking every match of a common word ("password") across a
    /// million tickets takes hundreds of milliseconds, and recent fixes are
    /// the likelier ones to reuse.
    pub async fn search(
        &self,
        text: &str,
        limit: i64,
        scope: Scope,
    ) -> Result<Vec<IncidentSummary>, StorageError> {
        let search = self.dialect.search;
        let Some(terms) = search.terms(text) else {
            return Ok(Vec::new());
        };
        let newest: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM incidents")
            .fetch_one(&self.pool)
            .await?;
        let mut rows = Vec::new();
        for floor in search_floors(newest) {
            let sql = search.sql(floor > 0, scope);
            let mut query = sqlx::query_as(&sql).bind(&terms).bind(limit).bind(floor);
            query = bind_scope(query, scope);
            rows = query.fetch_all(&self.pool).await?;
            if rows.len() as i64 >= limit {
                break;
            }
        }
        summaries(rows)
    }

    /// A reporter's own tickets: open ones first, then the rest; each group
    /// most recently updated first.
    pub async fn tickets_of(
        &self,
        reporter_id: i64,
        limit: i64,
    ) -> Result<Vec<IncidentSummary>, StorageError> {
        let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
            "{} WHERE i.reporter_id = $1 \
             ORDER BY CASE WHEN i.state IN ('closed', 'cancelled') THEN 1 ELSE 0 END, \
             i.updated_at_ms DESC, i.id DESC LIMIT $2",
            cards_from()
        ))
        .bind(reporter_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        summaries(rows)
    }

    /// Tickets resolved before `cutoff_ms` and still waiting for their
    /// reporter, oldest first.
    pub async fn resolved_before(
        &self,
        cutoff_ms: i64,
        limit: i64,
    ) -> Result<Vec<AwaitingConfirmation>, StorageError> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, version FROM incidents WHERE state = 'resolved' \
             AND resolved_at_ms < $1 ORDER BY resolved_at_ms, id LIMIT $2",
        )
        .bind(cutoff_ms)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, version)| AwaitingConfirmation { id, version })
            .collect())
    }
}
