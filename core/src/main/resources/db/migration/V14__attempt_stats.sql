-- Per-subscription statistics, pre-aggregated per 5-minute bucket of attempt start times, so
-- that reading a window sums at most a few thousand small rows and never scans attempts.
-- Written by the statement that records an attempt, only when the attempt is new; each attempt
-- goes to one of a few shards (chosen from its id), so that concurrent attempts to one endpoint
-- do not all queue on one row's lock. A reader sums the shards.
-- Only attempts with an outcome of succeeded or failed count.
--   attempts, succeeded, failed  counts of attempts;
--   duration_ms_sum, duration_ms_max  over the attempts that sent a request (not those whose
--                 request could not be built);
--   latency       how many of those took at most 10, 25, 50, 100, 250, 500, 1000, 2500, 5000,
--                 10000 and 30000 ms, and more (each duration counted once, in the first bucket
--                 whose bound it does not exceed).
-- Updated in place often: room on each page for HOT updates.
CREATE TABLE attempt_stats (
    subscription_id  text NOT NULL,
    bucket_start     timestamptz NOT NULL,
    shard            smallint NOT NULL,
    attempts         bigint NOT NULL,
    succeeded        bigint NOT NULL,
    failed           bigint NOT NULL,
    duration_ms_sum  bigint NOT NULL,
    duration_ms_max  bigint NOT NULL,
    latency          bigint[] NOT NULL CHECK (cardinality(latency) = 12),
    PRIMARY KEY (subscription_id, bucket_start, shard)
) WITH (fillfactor = 70);

-- Failed attempts by error code, per bucket and shard as above: the attempt's error code when it
-- has one (timeout, connection_refused, dns, tls, blocked_address, redirect, auth, template, ...),
-- otherwise http_<status> for the endpoint's non-2xx answer.
CREATE TABLE attempt_errors (
    subscription_id  text NOT NULL,
    bucket_start     timestamptz NOT NULL,
    shard            smallint NOT NULL,
    code             text NOT NULL,
    attempts         bigint NOT NULL,
    PRIMARY KEY (subscription_id, bucket_start, shard, code)
) WITH (fillfactor = 70);
