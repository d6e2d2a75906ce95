-- One name per initiative across the ledger: every key under which an
-- initiative was seen (its acronym, its normalised long form) maps to the
-- name it was first stored under.
CREATE TABLE initiative_names (
    key  TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
