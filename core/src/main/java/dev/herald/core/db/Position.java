package dev.herald.core.db;

import java.time.Instant;

/**
 * A position in a list ordered by creation time, then id: where a page ends, so that the next
 * page starts right after it however many rows are added meanwhile.
 */
public record Position(Instant createdAt, String id) {}
