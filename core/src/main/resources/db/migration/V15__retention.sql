-- Retention: finished deliveries whose completion is older than the retention period are removed
-- with their attempts and the rows that hang on them, in short batches, and then the events no
-- delivery refers to any more. Each batch is a range of one of these indexes, never a scan.

-- Finished deliveries by completion, oldest first: what a batch takes. Partial, so unfinished
-- deliveries (which are never removed) cost it nothing.
CREATE INDEX deliveries_finished ON deliveries (completed_at)
    WHERE status IN ('succeeded', 'failed', 'cancelled');

-- Events that made no delivery (no subscription matched): no removed delivery leads to them.
CREATE INDEX events_undelivered ON events (created_at) WHERE delivery_count = 0;

-- A removed delivery's place in a recovery job, found by the delivery.
CREATE INDEX job_items_delivery ON job_items (delivery_id);

-- The highest feed position removed, per tenant: a feed cursor before it may have lost events,
-- and GET /v1/events answers 410 `purged` with the position to go on from. Its own table, not a
-- column of tenants, so that a batch never waits on (or holds up) a publish's lock on the tenant.
CREATE TABLE event_feed_purged (
    tenant_id  text PRIMARY KEY REFERENCES tenants (id),
    position   bigint NOT NULL
);
