-- Compliance: who may do what, assessments of commitments per member with
-- their whole history, evidence suggestions and the audit log.

CREATE TABLE users (
    name          TEXT COLLATE "C" PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('reader', 'analyst', 'admin')),
    password_hash TEXT COLLATE "C" NOT NULL,
    created_at    TEXT NOT NULL
);

-- Only a hash of each token is kept: a token is shown once, when made.
CREATE TABLE api_tokens (
    token_hash TEXT COLLATE "C" PRIMARY KEY,
    user_name  TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    label      TEXT COLLATE "C" NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT COLLATE "C" PRIMARY KEY,
    user_name  TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);

-- Every change is a new row: (commitment, member, revision) is unique, so of
-- two writers who read the same revision only one can write the next.
-- Assessments name commitments by id without a foreign key: re-ingesting a
-- changed document never deletes an analyst's work.
CREATE TABLE assessments (
    id            TEXT COLLATE "C" PRIMARY KEY,
    commitment_id TEXT COLLATE "C" NOT NULL,
    member        TEXT COLLATE "C" NOT NULL,
    revision      BIGINT NOT NULL,
    score         BIGINT CHECK (score IN (-1, 0, 1)),
    status        TEXT COLLATE "C" NOT NULL,
    rationale     TEXT COLLATE "C" NOT NULL,
    evidence      TEXT COLLATE "C" NOT NULL,
    author        TEXT COLLATE "C" NOT NULL,
    created_at    TEXT COLLATE "C" NOT NULL,
    UNIQUE (commitment_id, member, revision)
);

CREATE TABLE audit_log (
    seq     BIGSERIAL PRIMARY KEY,
    at      TEXT COLLATE "C" NOT NULL,
    actor   TEXT COLLATE "C" NOT NULL,
    action  TEXT COLLATE "C" NOT NULL,
    subject TEXT COLLATE "C" NOT NULL,
    detail  TEXT NOT NULL
);

-- Passages of later documents that may report on a commitment. A decision
-- (accepted, rejected) is never undone by discovering the passage again.
CREATE TABLE evidence_suggestions (
    id            TEXT COLLATE "C" PRIMARY KEY,
    commitment_id TEXT COLLATE "C" NOT NULL,
    document_id   TEXT COLLATE "C" NOT NULL,
    passage       TEXT COLLATE "C" NOT NULL,
    score         DOUBLE PRECISION NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
    found_at      TEXT COLLATE "C" NOT NULL,
    decided_by    TEXT,
    decided_at    TEXT
);
CREATE INDEX evidence_suggestions_commitment ON evidence_suggestions (commitment_id);
