package dev.herald.core.tenant;

/**
 * A tenant as listed for operators.
 *
 * @param tenant the tenant
 * @param liveKeys how many of its keys are not revoked
 */
public record TenantSummary(Tenant tenant, int liveKeys) {}
