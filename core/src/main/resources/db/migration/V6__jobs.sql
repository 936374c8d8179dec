-- Jobs an owner started through the API and follows at GET /v1/jobs/{id}: so far, recovering a
-- subscription's failed deliveries of a time window. The row is the record; Temporal runs it.
CREATE TABLE jobs (
    id                   text PRIMARY KEY,
    tenant_id            text NOT NULL REFERENCES tenants (id),
    type                 text NOT NULL CHECK (type IN ('recover')),
    subscription_id      text NOT NULL REFERENCES subscriptions (id),
    window_start         timestamptz NOT NULL,
    window_end           timestamptz NOT NULL,
    status               text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    total                integer NOT NULL,
    done                 integer NOT NULL DEFAULT 0,
    failed               integer NOT NULL DEFAULT 0,
    -- Where the job stands: the last item it handled, in (created_at, id) order. A batch
    -- retried after a crash goes on from here, so nothing is reopened twice.
    position_created_at  timestamptz,
    position_id          text,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    completed_at         timestamptz,
    CHECK (window_start < window_end)
);
-- One running recovery per subscription and window, however many POSTs race for it.
CREATE UNIQUE INDEX jobs_one_running_recovery ON jobs (subscription_id, window_start, window_end)
    WHERE type = 'recover' AND status = 'running';
-- The sweeper's working set: running jobs not touched for a while.
CREATE INDEX jobs_running ON jobs (updated_at) WHERE status = 'running';

-- What a recovery covers: the deliveries that were failed in its window when it was created,
-- so that total is exact and a delivery failing later is not taken by surprise. Rows go as the
-- job handles them.
CREATE TABLE job_items (
    job_id       text NOT NULL REFERENCES jobs (id),
    delivery_id  text NOT NULL REFERENCES deliveries (id),
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (job_id, created_at, delivery_id)
);

-- A subscription's failed deliveries by creation time: what a recovery counts and takes.
CREATE INDEX deliveries_failed ON deliveries (subscription_id, created_at, id)
    WHERE status = 'failed';
