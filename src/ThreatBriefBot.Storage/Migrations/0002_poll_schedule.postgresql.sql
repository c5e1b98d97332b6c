-- When a feed may be polled next (caching headers, ttl, Retry-After, back-off), and where it moved for good.
ALTER TABLE feed_poll_state ADD COLUMN next_poll_at timestamptz;
ALTER TABLE feed_poll_state ADD COLUMN redirected_to text;
