-- Batched delivery, opt-in per subscription: its deliveries are gathered until one limit is
-- reached (events, bytes of the events' JSON, or seconds since the first gathered) and sent as
-- one request. All three columns are set, or none (one request per event).
ALTER TABLE subscriptions
    ADD COLUMN batch_max_events       integer CHECK (batch_max_events BETWEEN 1 AND 1000),
    ADD COLUMN batch_max_wait_seconds integer CHECK (batch_max_wait_seconds BETWEEN 1 AND 300),
    ADD COLUMN batch_max_bytes        integer CHECK (batch_max_bytes BETWEEN 1024 AND 1048576),
    ADD CONSTRAINT subscriptions_batch_whole
        CHECK ((batch_max_events IS NULL) = (batch_max_wait_seconds IS NULL)
               AND (batch_max_events IS NULL) = (batch_max_bytes IS NULL));

-- One request's worth of deliveries, attempted and retried as a unit by the workflow
-- batch-<id>. Its members are the deliveries whose batch_id names it, in (created_at, id) order;
-- the body is made from their events' stored bytes, so every attempt sends the same bytes.
CREATE TABLE batches (
    id               text PRIMARY KEY,
    tenant_id        text NOT NULL,
    subscription_id  text NOT NULL REFERENCES subscriptions (id),
    status           text NOT NULL
        CHECK (status IN ('pending', 'retrying', 'succeeded', 'failed', 'cancelled', 'held')),
    event_count      integer NOT NULL,
    body_bytes       integer NOT NULL,
    attempt_count    integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    completed_at     timestamptz
);
-- The sweeper's working set: batches whose workflow should be moving them.
CREATE INDEX batches_unfinished ON batches (updated_at) WHERE status IN ('pending', 'retrying');
-- Finished batches by completion: what retention removes once their deliveries are gone.
CREATE INDEX batches_finished ON batches (completed_at)
    WHERE status IN ('succeeded', 'failed', 'cancelled');
-- Held batches of a subscription, told when it is released.
CREATE INDEX batches_held ON batches (subscription_id) WHERE status = 'held';

-- batched: made for a subscription with batch settings; such a delivery has no workflow of its
-- own. batch_id: the batch that claimed it (NULL while it is being gathered).
ALTER TABLE deliveries
    ADD COLUMN batched  boolean NOT NULL DEFAULT false,
    ADD COLUMN batch_id text REFERENCES batches (id);
-- The batcher's working set: a subscription's batched deliveries not yet claimed, oldest first.
CREATE INDEX deliveries_gathering ON deliveries (subscription_id, created_at, id)
    WHERE batched AND batch_id IS NULL AND status = 'pending';
CREATE INDEX deliveries_batch ON deliveries (batch_id) WHERE batch_id IS NOT NULL;
