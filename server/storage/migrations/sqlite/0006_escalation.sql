-- Hierarchical escalation: each tier may have a lead, alerted when a ticket
-- at that tier misses its first-response target.
CREATE TABLE tier_leads (
    tier      TEXT   PRIMARY KEY CHECK (tier IN ('L1', 'L2', 'L3')),
    person_id INTEGER NOT NULL REFERENCES people (id),
    set_at_ms INTEGER NOT NULL
);

-- The board lists recent lead alerts; the SLA watcher reads a ticket's marks.
CREATE INDEX incident_events_sla_alerts ON incident_events (at_ms) WHERE kind = 'sla_alert';
