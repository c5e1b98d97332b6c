-- The durable outbox of scheduled digests (see IDigestOutbox). A digest is decided once per subscription and fire
-- time, with its items and its rendered parts, in one transaction; posting then records each part as it starts and
-- as the platform accepts it. Items are given to a subscription by a claim written in that same transaction, never by
-- a clock window that could race with a poll's commit.

-- From when stored items are news to a subscription: set at its first digest, then fixed.
CREATE TABLE delivery_starts (
    subscription_id TEXT NOT NULL PRIMARY KEY,
    starts_at       TEXT NOT NULL
) STRICT;

-- A subscription that had digests under the old window log carries on where its last window ended.
INSERT INTO delivery_starts (subscription_id, starts_at)
SELECT subscription_id, MAX(window_end) FROM digests GROUP BY subscription_id;

DROP TABLE digests;

CREATE TABLE outbox_digests (
    digest_key      TEXT NOT NULL PRIMARY KEY,
    subscription_id TEXT NOT NULL,
    fire_time       TEXT NOT NULL,
    platform        TEXT NOT NULL,
    channel_id      TEXT NOT NULL,
    decided_at      TEXT NOT NULL,
    item_count      INTEGER NOT NULL,
    part_count      INTEGER NOT NULL,
    completed_at    TEXT,
    UNIQUE (subscription_id, fire_time)
) STRICT;

CREATE INDEX ix_outbox_digests_unfinished ON outbox_digests (subscription_id, fire_time) WHERE completed_at IS NULL;

-- attempts > 0 with accepted_at NULL: a post started and its outcome is unknown, so the adapter checks before re-posting.
CREATE TABLE outbox_parts (
    digest_key   TEXT NOT NULL REFERENCES outbox_digests (digest_key) ON DELETE CASCADE,
    part_index   INTEGER NOT NULL,
    body         TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_attempt TEXT,
    receipt      TEXT,
    accepted_at  TEXT,
    PRIMARY KEY (digest_key, part_index)
) STRICT;

-- Each item a subscription was given, and by which digest. The key is what makes a claim exclusive.
CREATE TABLE delivered_items (
    subscription_id TEXT NOT NULL,
    item_id         TEXT NOT NULL,
    digest_key      TEXT NOT NULL REFERENCES outbox_digests (digest_key) ON DELETE CASCADE,
    PRIMARY KEY (subscription_id, item_id)
) STRICT;

CREATE INDEX ix_delivered_items_digest ON delivered_items (digest_key);
