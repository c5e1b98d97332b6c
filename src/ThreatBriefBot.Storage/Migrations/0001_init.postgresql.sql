-- The same tables, columns and keys as 0001_init.sqlite.sql. Times are timestamptz (UTC in, UTC out; microseconds),
-- booleans boolean, SimHash values bigint.

-- Feeds added at run time; configured feeds live in appsettings only.
CREATE TABLE feeds (
    name     text NOT NULL PRIMARY KEY,
    source   text NOT NULL,
    cron     text,
    added_at timestamptz NOT NULL
);

-- Poll state of every feed, configured or added, so not a foreign key to feeds.
CREATE TABLE feed_poll_state (
    feed_name            text NOT NULL PRIMARY KEY,
    etag                 text,
    last_modified        text,
    last_attempt         timestamptz,
    last_success         timestamptz,
    last_error           text,
    consecutive_failures integer NOT NULL DEFAULT 0
);

-- One row per story, however many feeds carried it.
-- search_text is title and summary lower-cased by the app, so LIKE searches the same text as on SQLite.
CREATE TABLE items (
    id          text NOT NULL PRIMARY KEY,
    story_key   text NOT NULL UNIQUE,
    title       text NOT NULL,
    link        text,
    summary     text NOT NULL,
    search_text text NOT NULL,
    published   timestamptz,
    seen_at     timestamptz NOT NULL
);

CREATE INDEX ix_items_seen_at ON items (seen_at);

-- Each feed entry that brought a story; the unique key is what makes a re-poll a no-op.
CREATE TABLE item_sources (
    item_id   text NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    feed_name text NOT NULL,
    entry_key text NOT NULL,
    seen_at   timestamptz NOT NULL,
    UNIQUE (feed_name, entry_key)
);

CREATE INDEX ix_item_sources_item_id ON item_sources (item_id);

-- A score for every configured topic; applied marks the ones that decided the classification.
CREATE TABLE item_topics (
    item_id  text NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    topic    text NOT NULL,
    score    double precision NOT NULL,
    evidence text,
    applied  boolean NOT NULL,
    PRIMARY KEY (item_id, topic)
);

CREATE INDEX ix_item_topics_applied ON item_topics (topic, item_id) WHERE applied;

CREATE TABLE item_countries (
    item_id text NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    country text NOT NULL,
    rank    integer NOT NULL,
    PRIMARY KEY (item_id, country)
);

CREATE INDEX ix_item_countries_country ON item_countries (country, item_id);

-- Subscriptions made from chat; topics and countries are JSON arrays of strings, kept as text like on SQLite.
CREATE TABLE subscriptions (
    id         text NOT NULL PRIMARY KEY,
    platform   text NOT NULL,
    channel_id text NOT NULL,
    topics     text NOT NULL,
    countries  text NOT NULL,
    cron       text NOT NULL,
    time_zone  text NOT NULL,
    created_at timestamptz NOT NULL
);

-- Every digest sent (replaced by the outbox in 0005; kept so the migrations match SQLite's version for version).
CREATE TABLE digests (
    subscription_id text NOT NULL,
    fire_time       timestamptz NOT NULL,
    window_start    timestamptz NOT NULL,
    window_end      timestamptz NOT NULL,
    sent_at         timestamptz NOT NULL,
    item_ids        text NOT NULL,
    PRIMARY KEY (subscription_id, fire_time)
);

CREATE INDEX ix_digests_window_end ON digests (subscription_id, window_end);
