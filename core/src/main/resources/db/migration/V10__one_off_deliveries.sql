-- One-off deliveries (POST /v1/deliveries) go to a URL given on the request. Each has a hidden
-- subscriptions row of kind 'one-off' holding where and how to send it, so the whole pipeline
-- (signing, credentials, wire formats, retries, the attempt log) serves it unchanged. Such rows
-- are never listed, never matched against events, never counted against a tenant's limit and
-- never watched for health.
ALTER TABLE subscriptions ADD COLUMN kind text NOT NULL DEFAULT 'subscription'
    CHECK (kind IN ('subscription', 'one-off'));

-- Matching and listing read the client's subscriptions only; one-off rows must not slow them.
DROP INDEX subscriptions_tenant;
CREATE INDEX subscriptions_tenant ON subscriptions (tenant_id, created_at DESC, id DESC)
    WHERE deleted_at IS NULL AND kind = 'subscription';

-- The tenant's signing secret for one-off deliveries that bring none of their own: sealed like
-- a subscription's, bound to the tenant's row, rotated with a grace like a subscription's.
ALTER TABLE tenants ADD COLUMN one_off_secret text;
ALTER TABLE tenants ADD COLUMN one_off_previous_secret text;
ALTER TABLE tenants ADD COLUMN one_off_previous_secret_expires_at timestamptz;

-- GET /v1/deliveries?kind=one-off
ALTER TABLE deliveries ADD COLUMN kind text NOT NULL DEFAULT 'subscription'
    CHECK (kind IN ('subscription', 'one-off'));
CREATE INDEX deliveries_one_off ON deliveries (tenant_id, created_at DESC, id DESC)
    WHERE kind = 'one-off';
