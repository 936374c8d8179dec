-- Ordered delivery: a subscription may deliver the events that share the value of one of their
-- attributes one at a time, in the order of their feed positions (the order their publishes
-- committed).
--   subscriptions.ordering_key   the name of that attribute (NULL: unordered, as before)
--   deliveries.ordering_key      the attribute's value on the delivery's event when its
--                                subscription was ordered and the event carried it (NULL:
--                                unordered); the subscription and this value name the key
--   deliveries.ordering_position the event's feed position, written by the statement that
--                                takes it, the publishing transaction's last
ALTER TABLE subscriptions ADD COLUMN ordering_key text;
ALTER TABLE deliveries
    ADD COLUMN ordering_key      text,
    ADD COLUMN ordering_position bigint;

-- A key's unfinished deliveries in feed order: the sequencer's next delivery is the first, and
-- the sweeper reads each key's first to find keys that stopped moving. Partial, so unordered and
-- finished deliveries cost it nothing.
CREATE INDEX deliveries_ordered ON deliveries (subscription_id, ordering_key, ordering_position)
    WHERE ordering_key IS NOT NULL AND status IN ('pending', 'retrying', 'held');
