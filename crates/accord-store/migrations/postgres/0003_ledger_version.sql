-- A counter every write transaction bumps, so that readers (the web
-- server's in-memory snapshot) can tell cheaply whether the ledger changed.
CREATE TABLE ledger_version (
    id      BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO ledger_version (id, version) VALUES (1, 0);
