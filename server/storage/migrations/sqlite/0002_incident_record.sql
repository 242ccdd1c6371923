-- The full incident record, the people who work on it, the category tree,
-- the append-only event log and full-text search.

CREATE TABLE people (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    email         TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    phone         TEXT,
    role          TEXT    NOT NULL CHECK (role IN ('reporter', 'agent', 'admin')),
    tier          TEXT    CHECK (tier IN ('L1', 'L2', 'L3')),
    security_team INTEGER NOT NULL DEFAULT 0 CHECK (security_team IN (0, 1)),
    created_at_ms INTEGER NOT NULL,
    CHECK ((role = 'agent') = (tier IS NOT NULL))
);

-- `path` ("Network › VPN") is kept beside the tree so that reads need no recursion.
CREATE TABLE categories (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id INTEGER REFERENCES categories (id),
    name      TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    path      TEXT    NOT NULL COLLATE NOCASE UNIQUE
);

ALTER TABLE incidents RENAME TO incidents_v1;
DROP INDEX incidents_reported_at;

CREATE TABLE incidents (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    version              INTEGER NOT NULL CHECK (version >= 1),
    kind                 TEXT    NOT NULL CHECK (kind IN ('incident', 'service_request', 'security_incident')),
    title                TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description          TEXT    NOT NULL DEFAULT '',
    symptoms             TEXT    NOT NULL DEFAULT '',
    reporter_name        TEXT    NOT NULL,
    reporter_email       TEXT,
    reporter_phone       TEXT,
    reporter_id          INTEGER REFERENCES people (id),
    service              TEXT,
    category_id          INTEGER REFERENCES categories (id),
    impact               TEXT    NOT NULL CHECK (impact IN ('low', 'medium', 'high')),
    urgency              TEXT    NOT NULL CHECK (urgency IN ('low', 'medium', 'high')),
    priority             INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    priority_reason      TEXT,
    tier                 TEXT    NOT NULL CHECK (tier IN ('L1', 'L2', 'L3')),
    state                TEXT    NOT NULL CHECK (state IN ('new', 'assigned', 'in_progress', 'pending', 'resolved', 'closed', 'cancelled')),
    assignee_id          INTEGER REFERENCES people (id),
    resolution           TEXT,
    reported_at_ms       INTEGER NOT NULL,
    first_response_at_ms INTEGER,
    resolved_at_ms       INTEGER,
    closed_at_ms         INTEGER,
    response_due_ms      INTEGER,
    resolution_due_ms    INTEGER,
    updated_at_ms        INTEGER NOT NULL
);

-- Tickets logged before reporters were recorded keep their id and time; they
-- start as new P3 tickets at L1 with the default P3 targets (2 h / 24 h).
INSERT INTO incidents (id, version, kind, title, reporter_name, impact, urgency, priority,
                       tier, state, reported_at_ms, response_due_ms, resolution_due_ms, updated_at_ms)
SELECT id, 1, 'incident', title, 'Unknown reporter', 'medium', 'medium', 3,
       'L1', 'new', reported_at_ms, reported_at_ms + 7200000, reported_at_ms + 86400000, reported_at_ms
FROM incidents_v1;

-- The board reads only open tickets, a small share of the table.
CREATE INDEX incidents_open ON incidents (priority, resolution_due_ms)
    WHERE state IN ('new', 'assigned', 'in_progress', 'pending');
CREATE INDEX incidents_assignee ON incidents (assignee_id) WHERE assignee_id IS NOT NULL;
CREATE INDEX incidents_reporter ON incidents (reporter_id) WHERE reporter_id IS NOT NULL;

-- Append-only: the audit trail and the timeline. `version` is the ticket's
-- version this event produced.
CREATE TABLE incident_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    version     INTEGER NOT NULL,
    actor_id    INTEGER REFERENCES people (id),
    actor_name  TEXT    NOT NULL,
    actor_role  TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    data        TEXT    NOT NULL CHECK (json_valid(data)),
    at_ms       INTEGER NOT NULL,
    UNIQUE (incident_id, version)
);

INSERT INTO incident_events (incident_id, version, actor_name, actor_role, kind, data, at_ms)
SELECT id, 1, 'Unknown reporter', 'reporter', 'reported',
       json_object('kind', 'reported', 'ticket', 'incident', 'title', title, 'priority', 'P3', 'tier', 'L1'),
       reported_at_ms
FROM incidents_v1;

DROP TABLE incidents_v1;

CREATE TRIGGER incident_events_no_update BEFORE UPDATE ON incident_events
BEGIN
    SELECT RAISE(ABORT, 'incident_events is append-only');
END;

CREATE TRIGGER incident_events_no_delete BEFORE DELETE ON incident_events
BEGIN
    SELECT RAISE(ABORT, 'incident_events is append-only');
END;

-- Full-text search over what a ticket says and how it was resolved.
CREATE VIRTUAL TABLE incidents_search USING fts5 (
    title, description, resolution,
    content = 'incidents', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER incidents_search_insert AFTER INSERT ON incidents
BEGIN
    INSERT INTO incidents_search (rowid, title, description, resolution)
    VALUES (new.id, new.title, new.description, new.resolution);
END;

CREATE TRIGGER incidents_search_update AFTER UPDATE OF title, description, resolution ON incidents
BEGIN
    INSERT INTO incidents_search (incidents_search, rowid, title, description, resolution)
    VALUES ('delete', old.id, old.title, old.description, old.resolution);
    INSERT INTO incidents_search (rowid, title, description, resolution)
    VALUES (new.id, new.title, new.description, new.resolution);
END;

CREATE TRIGGER incidents_search_delete AFTER DELETE ON incidents
BEGIN
    INSERT INTO incidents_search (incidents_search, rowid, title, description, resolution)
    VALUES ('delete', old.id, old.title, old.description, old.resolution);
END;

INSERT INTO incidents_search (incidents_search) VALUES ('rebuild');
