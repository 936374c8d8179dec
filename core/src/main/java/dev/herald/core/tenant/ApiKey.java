package dev.herald.core.tenant;

import java.util.Set;

/** A stored key: never the key itself, only its hash, prefix and scopes. */
public record ApiKey(String id, String tenantId, String prefix, Set<Scope> scopes) {}
