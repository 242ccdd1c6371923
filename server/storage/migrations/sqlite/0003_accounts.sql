-- Local accounts and the sessions they sign in with.

-- NULL: the person is in the directory (a reporter who phoned in, say) but
-- cannot sign in until an admin gives them a password.
ALTER TABLE people ADD COLUMN password_hash TEXT;
ALTER TABLE people ADD COLUMN password_changed_at_ms INTEGER;

-- tower-sessions records: `data` is the session's JSON map. Expired rows
-- are refused on load and swept periodically.
CREATE TABLE sessions (
    id            TEXT    PRIMARY KEY,
    data          TEXT    NOT NULL CHECK (json_valid(data)),
    expires_at_ms INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at_ms);

-- Sign-in looks people up by lower(email), as PostgreSQL's unique index does.
CREATE INDEX people_email_lower ON people (lower(email));
