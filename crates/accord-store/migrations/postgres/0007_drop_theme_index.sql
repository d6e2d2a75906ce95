-- No read looks commitments up by theme alone: a theme is one of a dozen
-- values, so the filter of `accord list --theme` reads most pages of the
-- table either way. The index only cost a write per commitment stored.
DROP INDEX commitments_theme;
