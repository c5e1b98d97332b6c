-- Subscriptions whose channel refused the bot for good; keyed by id, not a foreign key (configured ones pause too).
CREATE TABLE subscription_pauses (
    subscription_id text NOT NULL PRIMARY KEY,
    paused_at       timestamptz NOT NULL,
    reason          text NOT NULL
);
