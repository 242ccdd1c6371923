-- The first slice of the incident record; later migrations extend it.
CREATE TABLE incidents (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    title          TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    reported_at_ms INTEGER NOT NULL
);

CREATE INDEX incidents_reported_at ON incidents (reported_at_ms DESC);
