-- Retention of the per-subscription statistics (V14): buckets older than the longest window a
-- reader can ask for are removed in batches by bucket time, which these indexes make a range.
CREATE INDEX attempt_stats_bucket ON attempt_stats (bucket_start);
CREATE INDEX attempt_errors_bucket ON attempt_errors (bucket_start);
