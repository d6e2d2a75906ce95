-- Evidence discovery reads the dated documents a page at a time in date
-- and id order, each page after the last one read: without this index
-- every page sorts the whole table.
CREATE INDEX documents_date ON documents (date, id);
