-- The full incident record, the people who work on it, the category tree,
-- the append-only event log and full-text search.

CREATE TABLE people (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          TEXT    NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
    email         TEXT    NOT NULL,
    phone         TEXT,
    role          TEXT    NOT NULL CHECK (role IN ('reporter', 'agent', 'admin')),
    tier          TEXT    CHECK (tier IN ('L1', 'L2', 'L3')),
    security_team BOOLEAN NOT NULL DEFAULT FALSE,
    created_at_ms BIGINT  NOT NULL,
    CHECK ((role = 'agent') = (tier IS NOT NULL))
);
CREATE UNIQUE INDEX people_email_key ON people (lower(email));

-- `path` ("Network › VPN") is kept beside the tree so that reads need no recursion.
CREATE TABLE categories (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id BIGINT REFERENCES categories (id),
    name      TEXT   NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
    path      TEXT   NOT NULL
);
CREATE UNIQUE INDEX categories_path_key ON categories (lower(path));

-- Tickets logged before reporters were recorded keep their id and time; they
-- become new P3 tickets at L1 with the default P3 targets (2 h / 24 h).
ALTER TABLE incidents
    ADD COLUMN version              BIGINT  NOT NULL DEFAULT 1 CHECK (version >= 1),
    ADD COLUMN kind                 TEXT    NOT NULL DEFAULT 'incident'
        CHECK (kind IN ('incident', 'service_request', 'security_incident')),
    ADD COLUMN description          TEXT    NOT NULL DEFAULT '',
    ADD COLUMN symptoms             TEXT    NOT NULL DEFAULT '',
    ADD COLUMN reporter_name        TEXT    NOT NULL DEFAULT 'Unknown reporter',
    ADD COLUMN reporter_email       TEXT,
    ADD COLUMN reporter_phone       TEXT,
    ADD COLUMN reporter_id          BIGINT  REFERENCES people (id),
    ADD COLUMN service              TEXT,
    ADD COLUMN category_id          BIGINT  REFERENCES categories (id),
    ADD COLUMN impact               TEXT    NOT NULL DEFAULT 'medium' CHECK (impact IN ('low', 'medium', 'high')),
    ADD COLUMN urgency              TEXT    NOT NULL DEFAULT 'medium' CHECK (urgency IN ('low', 'medium', 'high')),
    ADD COLUMN priority             INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
    ADD COLUMN priority_reason      TEXT,
    ADD COLUMN tier                 TEXT    NOT NULL DEFAULT 'L1' CHECK (tier IN ('L1', 'L2', 'L3')),
    ADD COLUMN state                TEXT    NOT NULL DEFAULT 'new'
        CHECK (state IN ('new', 'assigned', 'in_progress', 'pending', 'resolved', 'closed', 'cancelled')),
    ADD COLUMN assignee_id          BIGINT  REFERENCES people (id),
    ADD COLUMN resolution           TEXT,
    ADD COLUMN first_response_at_ms BIGINT,
    ADD COLUMN resolved_at_ms       BIGINT,
    ADD COLUMN closed_at_ms         BIGINT,
    ADD COLUMN response_due_ms      BIGINT,
    ADD COLUMN resolution_due_ms    BIGINT,
    ADD COLUMN updated_at_ms        BIGINT;

UPDATE incidents SET response_due_ms = reported_at_ms + 7200000,
                     resolution_due_ms = reported_at_ms + 86400000,
                     updated_at_ms = reported_at_ms;

-- From now on every ticket states these explicitly.
ALTER TABLE incidents
    ALTER COLUMN version DROP DEFAULT,
    ALTER COLUMN kind DROP DEFAULT,
    ALTER COLUMN reporter_name DROP DEFAULT,
    ALTER COLUMN impact DROP DEFAULT,
    ALTER COLUMN urgency DROP DEFAULT,
    ALTER COLUMN priority DROP DEFAULT,
    ALTER COLUMN tier DROP DEFAULT,
    ALTER COLUMN state DROP DEFAULT,
    ALTER COLUMN updated_at_ms SET NOT NULL;

DROP INDEX incidents_reported_at;
-- The board reads only open tickets, a small share of the table.
CREATE INDEX incidents_open ON incidents (priority, resolution_due_ms)
    WHERE state IN ('new', 'assigned', 'in_progress', 'pending');
CREATE INDEX incidents_assignee ON incidents (assignee_id) WHERE assignee_id IS NOT NULL;
CREATE INDEX incidents_reporter ON incidents (reporter_id) WHERE reporter_id IS NOT NULL;

-- Append-only: the audit trail and the timeline. `version` is the ticket's
-- version this event produced.
CREATE TABLE incident_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id BIGINT NOT NULL REFERENCES incidents (id),
    version     BIGINT NOT NULL,
    actor_id    BIGINT REFERENCES people (id),
    actor_name  TEXT   NOT NULL,
    actor_role  TEXT   NOT NULL,
    kind        TEXT   NOT NULL,
    data        JSONB  NOT NULL,
    at_ms       BIGINT NOT NULL,
    CONSTRAINT incident_events_version_key UNIQUE (incident_id, version)
);

INSERT INTO incident_events (incident_id, version, actor_name, actor_role, kind, data, at_ms)
SELECT id, 1, 'Unknown reporter', 'reporter', 'reported',
       jsonb_build_object('kind', 'reported', 'ticket', 'incident', 'title', title, 'priority', 'P3', 'tier', 'L1'),
       reported_at_ms
FROM incidents;

CREATE FUNCTION incident_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'incident_events is append-only';
END;
$$;

CREATE TRIGGER incident_events_append_only BEFORE UPDATE OR DELETE ON incident_events
    FOR EACH ROW EXECUTE FUNCTION incident_events_append_only();
CREATE TRIGGER incident_events_no_truncate BEFORE TRUNCATE ON incident_events
    FOR EACH STATEMENT EXECUTE FUNCTION incident_events_append_only();

-- Full-text search over what a ticket says and how it was resolved.
ALTER TABLE incidents ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, title), 'A')
    || setweight(to_tsvector('english'::regconfig, description), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(resolution, '')), 'B')
) STORED;
CREATE INDEX incidents_search ON incidents USING GIN (search);
