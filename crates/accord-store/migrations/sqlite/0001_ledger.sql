-- The ledger: documents and the commitments extracted from them, and the
-- pairs that join commitments across versions and summits.

CREATE TABLE documents (
    id           TEXT PRIMARY KEY,
    source_file  TEXT NOT NULL,
    source_path  TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    format       TEXT NOT NULL,
    title        TEXT,
    date         TEXT,
    issuer       TEXT,
    summit       TEXT,
    language     TEXT,
    kind         TEXT,
    source_url   TEXT,
    original     TEXT NOT NULL,
    text         TEXT NOT NULL,
    ingested_at  TEXT NOT NULL
);
CREATE INDEX documents_source_path ON documents (source_path);
CREATE INDEX documents_summit ON documents (summit, issuer);

CREATE TABLE commitments (
    id          TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal     INTEGER NOT NULL,
    text        TEXT NOT NULL,
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL,
    section     TEXT,
    actors      TEXT NOT NULL,
    strength    TEXT NOT NULL,
    theme       TEXT NOT NULL,
    targets     TEXT NOT NULL,
    n_targets   INTEGER NOT NULL,
    deadline    TEXT,
    initiatives TEXT NOT NULL,
    confidence  REAL NOT NULL,
    UNIQUE (document_id, ordinal)
);
CREATE INDEX commitments_document ON commitments (document_id);
CREATE INDEX commitments_theme ON commitments (theme);

CREATE TABLE same_commitment (
    a     TEXT NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    b     TEXT NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    score REAL NOT NULL,
    PRIMARY KEY (a, b)
);

CREATE TABLE follows_up (
    later    TEXT NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    earlier  TEXT NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    score    REAL NOT NULL,
    kind     TEXT,
    PRIMARY KEY (later, earlier)
);
