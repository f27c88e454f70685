-- 0004 data version: a counter per study that every import into the study
-- (run folder, patient sheet, score TSV, archive) raises in its own
-- transaction. The web app keys its cache of rendered patient parts by it,
-- and reads it in the same query that checks the caller's credentials.
ALTER TABLE studies ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;
