-- Text search by words instead of LIKE over search_text (ADR 7), as in 0006_text_search.sqlite.sql: search_words is
-- the item's title and summary folded by the application, and SearchWordsBackfill has put existing items' words in
-- the temporary table item_search_words.
ALTER TABLE items ADD COLUMN search_words text NOT NULL DEFAULT '';
UPDATE items SET search_words = w.words FROM item_search_words w WHERE w.id = items.id;
DROP TABLE item_search_words;
ALTER TABLE items DROP COLUMN search_text;

-- Each word becomes one lexeme as it is: array_to_tsvector skips the text search parser and configuration, which
-- would split or stem words differently from SQLite. Generated, so it cannot fall out of step with search_words.
ALTER TABLE items ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (array_to_tsvector(string_to_array(search_words, ' '))) STORED;
CREATE INDEX ix_items_search_vector ON items USING gin (search_vector);
