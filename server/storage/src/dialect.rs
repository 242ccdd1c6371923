//! What differs between SQLite and PostgreSQL, as data. Every statement is
//! written once, in the module of its aggregate, and takes these pieces
//! where the two backends disagree: how a write begins and serialises, how
//! JSON is written and read, how ids are reserved for an import, and the
//! full-text search.

use sqlx::migrate::Migrator;

use super::Backend;
use domain::access::Scope;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// An empty statement means "nothing to run" on that backend.
#[derive(Debug)]
pub(crate) struct Dialect {
    pub backend: Backend,
    pub migrations: &'static Migrator,
    pub max_connections: u32,
    /// Runs on every new connection.
    pub on_connect: &'static str,
    /// Begins a transaction that writes.
    pub begin_write: &'static str,
    /// Begins a read of a ticket and its timeline from one snapshot.
    pub begin_snapshot: &'static str,
    /// Appended to the read of the ticket a change is about to write.
    pub row_lock: &'static str,
    /// Runs before an event is appended.
    pub before_append: &'static str,
    /// Runs first when the first administrator is added.
    pub first_admin_lock: &'static str,
    /// Holds one sign-in counter (`$1`, its lock number) until the transaction ends.
    pub attempt_lock: &'static str,
    /// Turns a bound JSON text into a JSON column's type.
    pub json_param: &'static str,
    /// Reads a JSON column as text.
    pub json_text: &'static str,
    /// Reserves `$1` new ticket ids for an import, one row each.
    pub reserve_ids: &'static str,
    /// Between `INSERT INTO incidents (…)` and `VALUES` when the ids are given.
    pub given_ids: &'static str,
    /// Parameters of many-row statements are written `?`, counted by
    /// position: SQLite finds every `$n` by a walk through the statement's
    /// list of names, so thousands of them cost quadratic time to bind.
    pub positional_params: bool,
    pub search: TextSearch,
}

pub(crate) static SQLITE: Dialect = Dialect {
    backend: Backend::Sqlite,
    migrations: &SQLITE_MIGRATIONS,
    max_connections: 8,
    // WAL lets readers go on while one writes; WAL + NORMAL keeps every
    // committed transaction across a process crash. (Foreign keys and the
    // five-second busy timeout are the driver's defaults.)
    on_connect: "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
    // IMMEDIATE takes the write lock up front: a deferred transaction that
    // reads, then writes after another writer committed, would fail at once
    // instead of waiting its turn.
    begin_write: "BEGIN IMMEDIATE",
    // A WAL reader sees one snapshot from its first read to its end.
    begin_snapshot: "BEGIN",
    // BEGIN IMMEDIATE already serialises writers: no row lock, no event-order
    // lock, no table lock, no counter lock.
    row_lock: "",
    before_append: "",
    first_admin_lock: "",
    attempt_lock: "",
    json_param: "",
    json_text: "",
    // Inside the write transaction nobody else can take an id meanwhile.
    reserve_ids: "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < $1) \
        SELECT (SELECT coalesce(max(id), 0) FROM incidents) + k FROM n",
    given_ids: "",
    positional_params: true,
    search: TextSearch::Fts5,
};

pub(crate) static POSTGRES: Dialect = Dialect {
    backend: Backend::Postgres,
    migrations: &POSTGRES_MIGRATIONS,
    max_connections: 16,
    on_connect: "SET application_name = 'frontline'",
    begin_write: "BEGIN",
    begin_snapshot: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    // A second writer waits for the first to commit, then reads the new
    // version and reports the conflict.
    row_lock: " FOR UPDATE OF i",
    // The advisory lock (held to commit) makes events commit in id order, so
    // a reader that has seen id n never later finds a smaller id committing
    // behind it; the notification (sent at commit) wakes the live streams of
    // every other instance on this database.
    before_append: "SELECT pg_advisory_xact_lock(8163021), pg_notify('frontline_events', '')",
    // Makes "add an admin if there is none" one decision at a time.
    first_admin_lock: "LOCK TABLE people IN SHARE ROW EXCLUSIVE MODE",
    // Attempts on one account from every instance are counted one at a
    // time; other accounts are not held up.
    attempt_lock: "SELECT pg_advisory_xact_lock(8163022, $1)",
    json_param: "::jsonb",
    json_text: "::text",
    reserve_ids:
        "SELECT nextval(pg_get_serial_sequence('incidents', 'id')) FROM generate_series(1, $1)",
    given_ids: " OVERRIDING SYSTEM VALUE",
    positional_params: false,
    search: TextSearch::TsVector,
};

impl Dialect {
    pub fn of(backend: Backend) -> &'static Dialect {
        match backend {
            Backend::Sqlite => &SQLITE,
            Backend::Postgres => &POSTGRES,
        }
    }

    /// The URL the driver opens: an SQLite file is created when missing.
    pub fn connect_url(&self, url: &str) -> String {
        if self.backend == Backend::Sqlite && !url.contains("mode=") && !url.contains(":memory:") {
            let joiner = if url.contains('?') { '&' } else { '?' };
            format!("{url}{joiner}mode=rwc")
        } else {
            url.to_owned()
        }
    }
}

/// How each backend finds tickets by their words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextSearch {
    /// SQLite's FTS5 table `incidents_search`, ranked by bm25.
    Fts5,
    /// PostgreSQL's generated `search` column, ranked by ts_rank.
    TsVector,
}

impl TextSearch {
    /// What the statement binds as `$1`, or `None` when the text holds no word.
    pub fn terms(self, text: &str) -> Option<String> {
        match self {
            // Every word quoted, so punctuation the user typed can never be
            // read as query syntax.
            TextSearch::Fts5 => {
                let words: Vec<String> = text
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .take(16)
                    .map(|w| format!("\"{w}\""))
                    .collect();
                (!words.is_empty()).then(|| words.join(" "))
            }
            // plainto_tsquery takes every word as a plain term, ANDed.
            TextSearch::TsVector => (!text.trim().is_empty()).then(|| text.to_owned()),
        }
    }

    /// Matches for `$1`, best first, `$2` at most, with ids above `$3`;
    /// `windowed` when `$3` leaves only the newest tickets. Title matches
    /// weigh most, then the resolution, then the description.
    pub fn sql(self, windowed: bool, scope: Scope) -> String {
        use super::tickets::rows::{scope_filter, SUMMARY_COLUMNS};
        let scope = scope_filter(scope, 4);
        match self {
            TextSearch::Fts5 => format!(
                "SELECT {SUMMARY_COLUMNS} FROM incidents_search s \
                 JOIN incidents i ON i.id = s.rowid LEFT JOIN people p ON p.id = i.assignee_id \
                 WHERE incidents_search MATCH $1 AND s.rowid > $3{scope} \
                 ORDER BY bm25(incidents_search, 10.0, 2.0, 4.0), i.id DESC LIMIT $2"
            ),
            TextSearch::TsVector => {
                // A window is read through the primary key and checked row by
                // row (OFFSET 0 keeps the planner from turning it into a scan
                // of every match); the full pass goes through the GIN index.
                // The weights are in the migration.
                let source = if windowed {
                    "(SELECT * FROM incidents WHERE id > $3 OFFSET 0) i"
                } else {
                    "incidents i"
                };
                format!(
                    "SELECT {SUMMARY_COLUMNS} FROM {source} LEFT JOIN people p ON p.id = i.assignee_id, \
                     plainto_tsquery('english', $1) q \
                     WHERE i.search @@ q AND i.id > $3{scope} \
                     ORDER BY ts_rank(i.search, q) DESC, i.id DESC LIMIT $2"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_becomes_quoted_words_for_fts5() {
        let fts5 = TextSearch::Fts5;
        assert_eq!(
            fts5.terms("VPN drops"),
            Some("\"VPN\" \"drops\"".to_owned())
        );
        assert_eq!(
            fts5.terms("\"printer\" OR NEAR(x) -*"),
            Some("\"printer\" \"OR\" \"NEAR\" \"x\"".to_owned())
        );
        assert_eq!(fts5.terms("  ...  "), None);
        assert_eq!(TextSearch::TsVector.terms("  "), None);
        assert_eq!(
            TextSearch::TsVector.terms("VPN drops"),
            Some("VPN drops".to_owned())
        );
    }

    #[test]
    fn an_sqlite_file_is_created_when_missing() {
        assert_eq!(
            SQLITE.connect_url("sqlite://data/frontline.db"),
            "sqlite://data/frontline.db?mode=rwc"
        );
        assert_eq!(
            SQLITE.connect_url("sqlite://data/frontline.db?cache=shared"),
            "sqlite://data/frontline.db?cache=shared&mode=rwc"
        );
        assert_eq!(
            SQLITE.connect_url("sqlite://data/frontline.db?mode=ro"),
            "sqlite://data/frontline.db?mode=ro"
        );
        assert_eq!(
            POSTGRES.connect_url("postgres://u@h/db"),
            "postgres://u@h/db"
        );
    }
}
