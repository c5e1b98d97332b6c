-- Subscriptions whose channel refused the bot for good (gone, archived, no access, bad token). A paused one is not
-- posted to until an operator resumes it or someone subscribes the channel again. Keyed by id, not a foreign key:
-- configured subscriptions can pause too, and they are not stored in subscriptions.
CREATE TABLE subscription_pauses (
    subscription_id TEXT NOT NULL PRIMARY KEY,
    paused_at       TEXT NOT NULL,
    reason          TEXT NOT NULL
) STRICT;
