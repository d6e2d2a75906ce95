-- One name per initiative across the ledger: every key under which an
-- initiative was seen (its acronym, its normalised long form) maps to the
-- name it was first stored under.
CREATE TABLE initiative_names (
    key  TEXT COLLATE "C" PRIMARY KEY,
    name TEXT COLLATE "C" NOT NULL
);
