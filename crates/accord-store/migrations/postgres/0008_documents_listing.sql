-- The export lists commitments document by document, in the order of
-- this index: it reads them without sorting every document first. It also
-- serves what documents_summit served (its first two columns).
DROP INDEX IF EXISTS documents_summit;
CREATE INDEX documents_listing ON documents (summit NULLS FIRST, issuer NULLS FIRST, source_file, id);
