-- Every publish inserts an event that refers to its tenant (a one-off delivery also a target
-- subscription row that does), and then takes the event's feed position by updating that same
-- tenant row. Checked at once, the reference took a KEY SHARE lock on the row at the insert and
-- held it to the commit: with many publishes of a tenant in flight, the row carried many lockers
-- at once, each one added a new MultiXact (PostgreSQL's shared lock list, rewritten with all its
-- members for every locker added), and each feed update had to carry them all. Checked at commit,
-- the check runs after the feed update, whose lock on the row it already holds, so no publish adds
-- a locker to another's (PublishContentionBenchmark measures both ways). The check is the same: a
-- row of a missing tenant still fails its transaction, at COMMIT, and writes nothing. Creating a
-- subscription locks its tenant's row FOR UPDATE first, so its check at commit never waits either.
ALTER TABLE events ALTER CONSTRAINT events_tenant_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE subscriptions ALTER CONSTRAINT subscriptions_tenant_id_fkey
    DEFERRABLE INITIALLY DEFERRED;
