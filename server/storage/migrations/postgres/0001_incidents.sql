-- The first slice of the incident record; later migrations extend it.
CREATE TABLE incidents (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title          TEXT   NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    reported_at_ms BIGINT NOT NULL
);

CREATE INDEX incidents_reported_at ON incidents (reported_at_ms DESC);
