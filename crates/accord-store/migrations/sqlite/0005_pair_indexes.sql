-- Pairs are found by either side: replacing the pairs of a summit series
-- and deleting a replaced document's commitments (ON DELETE CASCADE) look
-- them up by their second commitment too, which without an index scans
-- every pair of the ledger once per series or commitment.
CREATE INDEX same_commitment_b ON same_commitment (b);
CREATE INDEX follows_up_earlier ON follows_up (earlier);
-- The unique (document_id, ordinal) index already finds a document's
-- commitments; this one only cost a write per commitment.
DROP INDEX commitments_document;
