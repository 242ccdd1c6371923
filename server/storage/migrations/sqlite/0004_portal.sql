-- The self-service portal: what guided troubleshooting adds to a ticket,
-- the guides themselves, and the problems they solved without a ticket.

-- The questions and answers walked before reporting, as a JSON list of
-- {question, answer}; and when the reporter says it started, as they gave it.
ALTER TABLE incidents ADD COLUMN diagnosis TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(diagnosis));
ALTER TABLE incidents ADD COLUMN started TEXT;

-- The auto-close job looks for resolved tickets by when they were resolved.
CREATE INDEX incidents_resolved ON incidents (resolved_at_ms) WHERE state = 'resolved';

-- Every import is kept: the newest version is the one in use, and a
-- deflection names the version its reporter walked.
CREATE TABLE guide_sets (
    version        INTEGER PRIMARY KEY AUTOINCREMENT,
    document       TEXT    NOT NULL CHECK (json_valid(document)),
    imported_by    INTEGER REFERENCES people (id),
    imported_at_ms INTEGER NOT NULL
);

-- "This fixed it": a contact the desk never had to take.
CREATE TABLE deflections (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    guide_set_version INTEGER NOT NULL REFERENCES guide_sets (version),
    guide_id          TEXT    NOT NULL,
    fix_title         TEXT    NOT NULL,
    -- The questions and answers on the way, as a JSON list of {question, answer}.
    path              TEXT    NOT NULL CHECK (json_valid(path)),
    person_id         INTEGER REFERENCES people (id),
    at_ms             INTEGER NOT NULL
);
CREATE INDEX deflections_by_guide ON deflections (guide_id, at_ms);
