-- The live board: recently finished tickets behind a toggle, and who is
-- looking at which ticket right now.

CREATE INDEX incidents_finished ON incidents (closed_at_ms) WHERE state IN ('closed', 'cancelled');

-- One row per agent and ticket, refreshed while the ticket is open on their
-- screen; rows older than a few minutes are ignored and swept.
CREATE TABLE presence (
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    person_id INTEGER NOT NULL REFERENCES people (id),
    seen_at_ms INTEGER NOT NULL,
    PRIMARY KEY (incident_id, person_id)
);
CREATE INDEX presence_seen ON presence (seen_at_ms);
