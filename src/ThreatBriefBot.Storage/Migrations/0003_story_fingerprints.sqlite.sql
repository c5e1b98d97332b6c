-- Each story's text fingerprint (a 64-bit SimHash, see StoryFingerprint), to join the same story arriving under
-- another link. Stored as the signed 64-bit integer of the same bits. NULL for a text too short to fingerprint
-- and for stories stored before this migration: those are joined by entry and link only.
ALTER TABLE items ADD COLUMN fingerprint INTEGER;

-- Its four 16-bit bands (0 holds the lowest bits), each 0..65535. Fingerprints at most 3 bits apart share one band
-- exactly, so candidates are found by equality on these indexes, then the distance is checked in the application.
ALTER TABLE items ADD COLUMN fingerprint_band0 INTEGER;
ALTER TABLE items ADD COLUMN fingerprint_band1 INTEGER;
ALTER TABLE items ADD COLUMN fingerprint_band2 INTEGER;
ALTER TABLE items ADD COLUMN fingerprint_band3 INTEGER;

CREATE INDEX ix_items_fingerprint_band0 ON items (fingerprint_band0, seen_at) WHERE fingerprint_band0 IS NOT NULL;
CREATE INDEX ix_items_fingerprint_band1 ON items (fingerprint_band1, seen_at) WHERE fingerprint_band1 IS NOT NULL;
CREATE INDEX ix_items_fingerprint_band2 ON items (fingerprint_band2, seen_at) WHERE fingerprint_band2 IS NOT NULL;
CREATE INDEX ix_items_fingerprint_band3 ON items (fingerprint_band3, seen_at) WHERE fingerprint_band3 IS NOT NULL;
