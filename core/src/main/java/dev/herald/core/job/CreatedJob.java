package dev.herald.core.job;

/**
 * The job a recovery request came to.
 *
 * @param created true when this request made it; false when the same window was already being
 *     recovered and {@code job} is that running job
 */
public record CreatedJob(Job job, boolean created) {}
