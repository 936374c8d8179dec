-- Herald's record: tenants and their keys, subscriptions, events, deliveries and attempts.
-- Temporal holds only ids; every API read is served from these tables.

CREATE TABLE tenants (
    id                 text PRIMARY KEY,
    name               text NOT NULL,
    webhooks_enabled   boolean NOT NULL DEFAULT true,
    max_subscriptions  integer,
    created_at         timestamptz NOT NULL DEFAULT now()
);

-- Only a SHA-256 hash of a key is stored; the prefix identifies it for display and revocation.
CREATE TABLE api_keys (
    id          text PRIMARY KEY,
    tenant_id   text NOT NULL REFERENCES tenants (id),
    prefix      text NOT NULL UNIQUE,
    key_hash    text NOT NULL UNIQUE,
    scopes      text[] NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE subscriptions (
    id                          text PRIMARY KEY,
    tenant_id                   text NOT NULL REFERENCES tenants (id),
    name                        text NOT NULL,
    url                         text NOT NULL,
    event_types                 text[] NOT NULL,
    filter                      jsonb,
    headers                     jsonb NOT NULL DEFAULT '{}',
    retry_schedule              integer[] NOT NULL,
    timeout_seconds             integer NOT NULL,
    disable_after_failures      integer NOT NULL DEFAULT 20,
    disable_after_seconds       integer NOT NULL DEFAULT 86400,
    secret                      text NOT NULL,
    previous_secret             text,
    previous_secret_expires_at  timestamptz,
    is_active                   boolean NOT NULL DEFAULT true,
    is_paused                   boolean NOT NULL DEFAULT false,
    disable_reason              text,
    disabled_at                 timestamptz,
    consecutive_failures        integer NOT NULL DEFAULT 0,
    last_delivery_at            timestamptz,
    last_delivery_status        text,
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL,
    deleted_at                  timestamptz
);
CREATE INDEX subscriptions_tenant ON subscriptions (tenant_id, created_at DESC, id DESC)
    WHERE deleted_at IS NULL;

-- An event's id is its publisher's idempotency key, unique within a tenant.
-- payload holds the exact bytes every attempt sends; request_hash detects a reused id.
CREATE TABLE events (
    tenant_id       text NOT NULL REFERENCES tenants (id),
    id              text NOT NULL,
    type            text NOT NULL,
    request_hash    text NOT NULL,
    payload         text NOT NULL,
    attributes      jsonb NOT NULL DEFAULT '{}',
    delivery_count  integer NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX events_created ON events (tenant_id, created_at DESC);

CREATE TABLE deliveries (
    id               text PRIMARY KEY,
    tenant_id        text NOT NULL,
    event_id         text NOT NULL,
    subscription_id  text NOT NULL REFERENCES subscriptions (id),
    event_type       text NOT NULL,
    status           text NOT NULL
        CHECK (status IN ('pending', 'retrying', 'succeeded', 'failed', 'cancelled', 'held')),
    attempt_count    integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    completed_at     timestamptz,
    FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id)
);
CREATE INDEX deliveries_event ON deliveries (tenant_id, event_id);
CREATE INDEX deliveries_subscription ON deliveries (subscription_id, created_at DESC);
-- The sweeper's working set: unfinished deliveries only, so it stays small.
CREATE INDEX deliveries_unfinished ON deliveries (updated_at)
    WHERE status IN ('pending', 'retrying');

CREATE TABLE attempts (
    id             text PRIMARY KEY,
    delivery_id    text NOT NULL REFERENCES deliveries (id),
    number         integer NOT NULL,
    started_at     timestamptz NOT NULL,
    duration_ms    integer NOT NULL,
    status_code    integer,
    response_body  text,
    error          text,
    outcome        text NOT NULL,
    UNIQUE (delivery_id, number)
);
