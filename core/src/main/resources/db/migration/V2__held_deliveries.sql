-- The release job's working set: a subscription's held deliveries, oldest first. Partial, so
-- deliveries that are not held cost it nothing.
CREATE INDEX deliveries_held ON deliveries (subscription_id, created_at, id)
    WHERE status = 'held';
