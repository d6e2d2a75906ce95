-- Compliance: who may do what, assessments of commitments per member with
-- their whole history, evidence suggestions and the audit log.

CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('reader', 'analyst', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- Only a hash of each token is kept: a token is shown once, when made.
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);

-- Every change is a new row: (commitment, member, revision) is unique, so of
-- two writers who read the same revision only one can write the next.
-- Assessments name commitments by id without a foreign key: re-ingesting a
-- changed document never deletes an analyst's work.
CREATE TABLE assessments (
    id            TEXT PRIMARY KEY,
    commitment_id TEXT NOT NULL,
    member        TEXT NOT NULL,
    revision      INTEGER NOT NULL,
    score         INTEGER CHECK (score IN (-1, 0, 1)),
    status        TEXT NOT NULL,
    rationale     TEXT NOT NULL,
    evidence      TEXT NOT NULL,
    author        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (commitment_id, member, revision)
);

CREATE TABLE audit_log (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT NOT NULL
);

-- Passages of later documents that may report on a commitment. A decision
-- (accepted, rejected) is never undone by discovering the passage again.
CREATE TABLE evidence_suggestions (
    id            TEXT PRIMARY KEY,
    commitment_id TEXT NOT NULL,
    document_id   TEXT NOT NULL,
    passage       TEXT NOT NULL,
    score         REAL NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
    found_at      TEXT NOT NULL,
    decided_by    TEXT,
    decided_at    TEXT
);
CREATE INDEX evidence_suggestions_commitment ON evidence_suggestions (commitment_id);
