-- The ledger: documents and the commitments extracted from them, and the
-- pairs that join commitments across versions and summits. The same tables
-- as migrations/sqlite/0001: integers are BIGINT, reals DOUBLE PRECISION and
-- text sorts bytewise (COLLATE "C"), as in SQLite.

CREATE TABLE documents (
    id           TEXT COLLATE "C" PRIMARY KEY,
    source_file  TEXT COLLATE "C" NOT NULL,
    source_path  TEXT COLLATE "C" NOT NULL,
    content_hash TEXT COLLATE "C" NOT NULL UNIQUE,
    format       TEXT COLLATE "C" NOT NULL,
    title        TEXT COLLATE "C",
    date         TEXT COLLATE "C",
    issuer       TEXT COLLATE "C",
    summit       TEXT COLLATE "C",
    language     TEXT COLLATE "C",
    kind         TEXT COLLATE "C",
    source_url   TEXT COLLATE "C",
    original     TEXT NOT NULL,
    text         TEXT NOT NULL,
    ingested_at  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX documents_source_path ON documents (source_path);
CREATE INDEX documents_summit ON documents (summit, issuer);

CREATE TABLE commitments (
    id          TEXT COLLATE "C" PRIMARY KEY,
    document_id TEXT COLLATE "C" NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal     BIGINT NOT NULL,
    text        TEXT COLLATE "C" NOT NULL,
    span_start  BIGINT NOT NULL,
    span_end    BIGINT NOT NULL,
    section     TEXT COLLATE "C",
    actors      TEXT NOT NULL,
    strength    TEXT COLLATE "C" NOT NULL,
    theme       TEXT COLLATE "C" NOT NULL,
    targets     TEXT NOT NULL,
    n_targets   BIGINT NOT NULL,
    deadline    TEXT COLLATE "C",
    initiatives TEXT NOT NULL,
    confidence  DOUBLE PRECISION NOT NULL,
    UNIQUE (document_id, ordinal)
);
CREATE INDEX commitments_document ON commitments (document_id);
CREATE INDEX commitments_theme ON commitments (theme);

CREATE TABLE same_commitment (
    a     TEXT COLLATE "C" NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    b     TEXT COLLATE "C" NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    score DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (a, b)
);

CREATE TABLE follows_up (
    later    TEXT COLLATE "C" NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    earlier  TEXT COLLATE "C" NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    score    DOUBLE PRECISION NOT NULL,
    kind     TEXT COLLATE "C",
    PRIMARY KEY (later, earlier)
);
