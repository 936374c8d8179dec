-- Retention of what owners read about their subscriptions: notifications by age, and finished
-- recovery jobs by completion (a running job is never removed). Each purge is a range of one of
-- these indexes.
CREATE INDEX notifications_created ON notifications (created_at);
CREATE INDEX jobs_finished ON jobs (completed_at) WHERE status IN ('completed', 'failed');
