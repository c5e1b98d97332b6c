-- Text search by words instead of LIKE over search_text (ADR 7). search_words is the item's title and summary folded
-- by the application (SearchWords: lower case, no diacritics, letters and digits only, each word once, spaces between),
-- so SQLite and PostgreSQL index the same words. SearchWordsBackfill has put existing items' words in the temporary
-- table item_search_words.
ALTER TABLE items ADD COLUMN search_words TEXT NOT NULL DEFAULT '';
UPDATE items SET search_words = (SELECT w.words FROM item_search_words w WHERE w.id = items.id);
DROP TABLE item_search_words;
ALTER TABLE items DROP COLUMN search_text;

-- An FTS5 table with its own copy of the words, keyed by item id: an external-content table would key on items'
-- rowid, which VACUUM may renumber (items has a TEXT primary key). The words are already folded, so the tokenizer
-- only splits on spaces; remove_diacritics 0 because a second fold here and not in PostgreSQL could make the two
-- stores disagree.
CREATE VIRTUAL TABLE items_search USING fts5 (item_id UNINDEXED, search_words, tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO items_search (item_id, search_words) SELECT id, search_words FROM items;

-- Kept in step in the item's own transaction. Items are never updated, and deleted only by hand (a delete scans
-- items_search, which has no index on item_id).
CREATE TRIGGER items_search_insert AFTER INSERT ON items
BEGIN
    INSERT INTO items_search (item_id, search_words) VALUES (new.id, new.search_words);
END;

CREATE TRIGGER items_search_delete AFTER DELETE ON items
BEGIN
    DELETE FROM items_search WHERE item_id = old.id;
END;

CREATE TRIGGER items_search_update AFTER UPDATE OF id, search_words ON items
BEGIN
    DELETE FROM items_search WHERE item_id = old.id;
    INSERT INTO items_search (item_id, search_words) VALUES (new.id, new.search_words);
END;
