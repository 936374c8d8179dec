package dev.herald.workflows.recovery;

/**
 * One batch of a recovery.
 *
 * @param jobId the job ({@code job_…}) whose deliveries are reopened
 * @param limit the most deliveries this batch may take
 */
public record RecoveryBatch(String jobId, int limit) {}
