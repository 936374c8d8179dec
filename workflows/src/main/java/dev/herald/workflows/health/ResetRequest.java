package dev.herald.workflows.health;

/**
 * Counting starts again from zero.
 *
 * @param reason why, for the workflow's details and log (e.g. "re-enabled through the API")
 */
public record ResetRequest(String reason) {}
