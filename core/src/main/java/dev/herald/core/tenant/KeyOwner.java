package dev.herald.core.tenant;

/** A live API key and the tenant it belongs to, read together in one query. */
public record KeyOwner(ApiKey key, Tenant tenant) {}
