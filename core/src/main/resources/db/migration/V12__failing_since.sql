-- When a subscription's current streak of failed attempts began: set by the attempt that made
-- consecutive_failures 1, cleared by a success. PostgreSQL keeps the count and the streak's start
-- exactly (each attempt updates them under the row's lock), so the health workflow is told only
-- when the count crosses a threshold, not of every failure, and a disable checks them again.
ALTER TABLE subscriptions ADD COLUMN failing_since timestamptz;
-- A streak running now began at its last delivery at the latest.
UPDATE subscriptions SET failing_since = COALESCE(last_delivery_at, updated_at)
    WHERE consecutive_failures > 0;
