-- The self-service portal: what guided troubleshooting adds to a ticket,
-- the guides themselves, and the problems they solved without a ticket.

-- The questions and answers walked before reporting, as a JSON list of
-- {question, answer}; and when the reporter says it started, as they gave it.
-- Text, not jsonb: it is only ever read back whole.
ALTER TABLE incidents ADD COLUMN diagnosis TEXT NOT NULL DEFAULT '[]';
ALTER TABLE incidents ADD COLUMN started TEXT;

-- The auto-close job looks for resolved tickets by when they were resolved.
CREATE INDEX incidents_resolved ON incidents (resolved_at_ms) WHERE state = 'resolved';

-- Every import is kept: the newest version is the one in use, and a
-- deflection names the version its reporter walked.
CREATE TABLE guide_sets (
    version        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document       JSONB  NOT NULL,
    imported_by    BIGINT REFERENCES people (id),
    imported_at_ms BIGINT NOT NULL
);

-- "This fixed it": a contact the desk never had to take.
CREATE TABLE deflections (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guide_set_version BIGINT NOT NULL REFERENCES guide_sets (version),
    guide_id          TEXT   NOT NULL,
    fix_title         TEXT   NOT NULL,
    -- The questions and answers on the way: [{question, answer}].
    path              JSONB  NOT NULL,
    person_id         BIGINT REFERENCES people (id),
    at_ms             BIGINT NOT NULL
);
CREATE INDEX deflections_by_guide ON deflections (guide_id, at_ms);
