-- What owners are told about their subscriptions (GET /v1/notifications). notice_key names the
-- happening (type, subscription, start of the failure streak): a retried activity records once.
CREATE TABLE notifications (
    id               text PRIMARY KEY,
    tenant_id        text NOT NULL REFERENCES tenants (id),
    type             text NOT NULL
        CHECK (type IN ('subscription.failing', 'subscription.disabled')),
    subscription_id  text NOT NULL REFERENCES subscriptions (id),
    detail           text NOT NULL,
    notice_key       text NOT NULL UNIQUE,
    created_at       timestamptz NOT NULL
);
-- A tenant's list, newest first, paged by (created_at, id).
CREATE INDEX notifications_tenant ON notifications (tenant_id, created_at DESC, id DESC);
