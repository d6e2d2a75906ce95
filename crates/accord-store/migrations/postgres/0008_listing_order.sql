-- Listings of any length are read in the order of an index, not sorted
-- whole first (in a large ledger, millions of rows held at once).
--
-- Suggestions are listed best first (score, then id), narrowed by status
-- or not; the status is read from the index. A commitment's own
-- suggestions are still read by evidence_suggestions_commitment.
CREATE INDEX evidence_suggestions_rank ON evidence_suggestions (score DESC, id, status);

-- The export lists commitments document by document, in this order. It
-- also serves what documents_summit served (its first two columns).
DROP INDEX documents_summit;
CREATE INDEX documents_listing ON documents (summit NULLS FIRST, issuer NULLS FIRST, source_file, id);
