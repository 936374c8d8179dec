package dev.herald.core.tenant;

/**
 * A key just made: the clear key is shown once and never stored.
 *
 * @param key the clear key, {@code hrk_…}
 * @param stored what is stored of it
 */
public record IssuedKey(String key, ApiKey stored) {}
