-- Sign-in attempts within the lockout window, kept in the database so that
-- every instance of the desk counts against the same limits. `key` is a
-- hash of the counter ("account:<email>" or "address:<ip>"), so the table
-- holds no email addresses. Rows older than the window are swept.
CREATE TABLE sign_in_attempts (
    id    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key   TEXT   NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX sign_in_attempts_key ON sign_in_attempts (key, at_ms);
CREATE INDEX sign_in_attempts_age ON sign_in_attempts (at_ms);
