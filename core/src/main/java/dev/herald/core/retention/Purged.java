package dev.herald.core.retention;

/**
 * What one retention batch removed.
 *
 * @param deliveries finished deliveries removed, with their built requests and recovery items
 * @param attempts their attempts
 * @param events events removed: no delivery refers to them any more and they are older than the
 *     cutoff
 * @param full whether the batch took as many as it could: more may be waiting
 */
public record Purged(int deliveries, int attempts, int events, boolean full) {}
