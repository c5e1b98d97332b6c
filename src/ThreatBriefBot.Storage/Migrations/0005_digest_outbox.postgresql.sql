-- The durable outbox of scheduled digests: the same tables and keys as 0005_digest_outbox.sqlite.sql (see ADR 5).

-- From when stored items are news to a subscription: set at its first digest, then fixed.
CREATE TABLE delivery_starts (
    subscription_id text NOT NULL PRIMARY KEY,
    starts_at       timestamptz NOT NULL
);

-- A subscription that had digests under the old window log carries on where its last window ended.
INSERT INTO delivery_starts (subscription_id, starts_at)
SELECT subscription_id, MAX(window_end) FROM digests GROUP BY subscription_id;

DROP TABLE digests;

CREATE TABLE outbox_digests (
    digest_key      text NOT NULL PRIMARY KEY,
    subscription_id text NOT NULL,
    fire_time       timestamptz NOT NULL,
    platform        text NOT NULL,
    channel_id      text NOT NULL,
    decided_at      timestamptz NOT NULL,
    item_count      integer NOT NULL,
    part_count      integer NOT NULL,
    completed_at    timestamptz,
    UNIQUE (subscription_id, fire_time)
);

CREATE INDEX ix_outbox_digests_unfinished ON outbox_digests (subscription_id, fire_time) WHERE completed_at IS NULL;

-- attempts > 0 with accepted_at NULL: a post started and its outcome is unknown, so the adapter checks before re-posting.
CREATE TABLE outbox_parts (
    digest_key   text NOT NULL REFERENCES outbox_digests (digest_key) ON DELETE CASCADE,
    part_index   integer NOT NULL,
    body         text NOT NULL,
    attempts     integer NOT NULL DEFAULT 0,
    last_attempt timestamptz,
    receipt      text,
    accepted_at  timestamptz,
    PRIMARY KEY (digest_key, part_index)
);

-- Each item a subscription was given, and by which digest. The key is what makes a claim exclusive.
CREATE TABLE delivered_items (
    subscription_id text NOT NULL,
    item_id         text NOT NULL,
    digest_key      text NOT NULL REFERENCES outbox_digests (digest_key) ON DELETE CASCADE,
    PRIMARY KEY (subscription_id, item_id)
);

CREATE INDEX ix_delivered_items_digest ON delivered_items (digest_key);
