-- Flow control: limits a subscription's owner sets on how hard Herald may call the endpoint.
--   max_concurrency      attempts in flight at once, across every worker (NULL: no limit);
--   rate_limit / rate_period_seconds   at most rate_limit attempts per period (1 or 60), spaced
--                        evenly (NULL: no limit).
ALTER TABLE subscriptions
    ADD COLUMN max_concurrency     integer CHECK (max_concurrency BETWEEN 1 AND 1000),
    ADD COLUMN rate_limit          integer CHECK (rate_limit BETWEEN 1 AND 100000),
    ADD COLUMN rate_period_seconds integer CHECK (rate_period_seconds IN (1, 60)),
    ADD CONSTRAINT subscriptions_rate_limit_whole
        CHECK ((rate_limit IS NULL) = (rate_period_seconds IS NULL));

-- What the endpoint's flow looks like now, one row per subscription that has limits or was told
-- to wait; the row is locked while an attempt is admitted, so that concurrent workers count
-- exactly.
--   backoff_until  a 429 or 503 with Retry-After: no attempt to this endpoint starts before it;
--   rate_next_at   the earliest start not yet promised to an attempt (rate limit reservations).
CREATE TABLE subscription_flow (
    subscription_id text PRIMARY KEY,
    backoff_until   timestamptz,
    rate_next_at    timestamptz
);

-- Attempts in flight to a subscription with max_concurrency: one row per delivery, deleted when
-- its attempt is recorded; a worker that died leaves one that expires after the subscription's
-- timeout and a margin.
CREATE TABLE attempt_leases (
    delivery_id     text PRIMARY KEY,
    subscription_id text NOT NULL,
    expires_at      timestamptz NOT NULL
);
CREATE INDEX attempt_leases_by_subscription ON attempt_leases (subscription_id, expires_at);

-- Why an unfinished delivery waits without an attempt (the endpoint's limits, or its
-- Retry-After); NULL once its attempt starts. next_attempt_at holds when it looks again.
ALTER TABLE deliveries ADD COLUMN waiting_reason text;
-- The deliveries waiting on a subscription, soonest first: a freed slot wakes the first.
CREATE INDEX deliveries_waiting ON deliveries (subscription_id, next_attempt_at)
    WHERE waiting_reason IS NOT NULL;
