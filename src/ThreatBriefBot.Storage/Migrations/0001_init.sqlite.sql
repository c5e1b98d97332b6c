-- Times are ISO-8601 UTC text of fixed width (see SqliteDialect), so text order is time order.
-- STRICT tables reject a value of the wrong type instead of storing it silently.

-- Feeds added at run time; configured feeds live in appsettings only.
CREATE TABLE feeds (
    name     TEXT NOT NULL PRIMARY KEY,
    source   TEXT NOT NULL,
    cron     TEXT,
    added_at TEXT NOT NULL
) STRICT;

-- Poll state of every feed, configured or added, so not a foreign key to feeds.
CREATE TABLE feed_poll_state (
    feed_name            TEXT NOT NULL PRIMARY KEY,
    etag                 TEXT,
    last_modified        TEXT,
    last_attempt         TEXT,
    last_success         TEXT,
    last_error           TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0
) STRICT;

-- One row per story, however many feeds carried it.
-- search_text is title and summary lower-cased by the app: SQLite's LIKE and lower() fold ASCII only.
CREATE TABLE items (
    id          TEXT NOT NULL PRIMARY KEY,
    story_key   TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    link        TEXT,
    summary     TEXT NOT NULL,
    search_text TEXT NOT NULL,
    published   TEXT,
    seen_at     TEXT NOT NULL
) STRICT;

CREATE INDEX ix_items_seen_at ON items (seen_at);

-- Each feed entry that brought a story; the unique key is what makes a re-poll a no-op.
CREATE TABLE item_sources (
    item_id   TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    feed_name TEXT NOT NULL,
    entry_key TEXT NOT NULL,
    seen_at   TEXT NOT NULL,
    UNIQUE (feed_name, entry_key)
) STRICT;

CREATE INDEX ix_item_sources_item_id ON item_sources (item_id);

-- A score for every configured topic; applied marks the ones that decided the classification.
CREATE TABLE item_topics (
    item_id  TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    topic    TEXT NOT NULL,
    score    REAL NOT NULL,
    evidence TEXT,
    applied  INTEGER NOT NULL,
    PRIMARY KEY (item_id, topic)
) STRICT;

CREATE INDEX ix_item_topics_applied ON item_topics (topic, item_id) WHERE applied;

CREATE TABLE item_countries (
    item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    country TEXT NOT NULL,
    rank    INTEGER NOT NULL,
    PRIMARY KEY (item_id, country)
) STRICT;

CREATE INDEX ix_item_countries_country ON item_countries (country, item_id);

-- Subscriptions made from chat; topics and countries are JSON arrays of strings.
CREATE TABLE subscriptions (
    id         TEXT NOT NULL PRIMARY KEY,
    platform   TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    topics     TEXT NOT NULL,
    countries  TEXT NOT NULL,
    cron       TEXT NOT NULL,
    time_zone  TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- Every digest sent. The key on fire time makes a second send of the same scheduled digest a no-op.
-- Not a foreign key: configured subscriptions are not stored in subscriptions.
CREATE TABLE digests (
    subscription_id TEXT NOT NULL,
    fire_time       TEXT NOT NULL,
    window_start    TEXT NOT NULL,
    window_end      TEXT NOT NULL,
    sent_at         TEXT NOT NULL,
    item_ids        TEXT NOT NULL,
    PRIMARY KEY (subscription_id, fire_time)
) STRICT;

CREATE INDEX ix_digests_window_end ON digests (subscription_id, window_end);
