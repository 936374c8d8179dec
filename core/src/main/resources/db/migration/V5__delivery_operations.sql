-- A delivery retried by hand after it finished may make one more attempt than its schedule:
-- max_attempts holds the last attempt number its workflow may make (NULL: the schedule's).
ALTER TABLE deliveries ADD COLUMN max_attempts integer;

-- GET /v1/deliveries: a tenant's deliveries, newest first.
CREATE INDEX deliveries_tenant_created ON deliveries (tenant_id, created_at DESC, id DESC);
