-- Each story's 64-bit SimHash as the signed bigint of the same bits, and its four 16-bit bands (0..65535), as in
-- 0003_story_fingerprints.sqlite.sql: candidates are found by equality on a band, the distance checked in the application.
ALTER TABLE items ADD COLUMN fingerprint bigint;
ALTER TABLE items ADD COLUMN fingerprint_band0 integer;
ALTER TABLE items ADD COLUMN fingerprint_band1 integer;
ALTER TABLE items ADD COLUMN fingerprint_band2 integer;
ALTER TABLE items ADD COLUMN fingerprint_band3 integer;

CREATE INDEX ix_items_fingerprint_band0 ON items (fingerprint_band0, seen_at) WHERE fingerprint_band0 IS NOT NULL;
CREATE INDEX ix_items_fingerprint_band1 ON items (fingerprint_band1, seen_at) WHERE fingerprint_band1 IS NOT NULL;
CREATE INDEX ix_items_fingerprint_band2 ON items (fingerprint_band2, seen_at) WHERE fingerprint_band2 IS NOT NULL;
CREATE INDEX ix_items_fingerprint_band3 ON items (fingerprint_band3, seen_at) WHERE fingerprint_band3 IS NOT NULL;
