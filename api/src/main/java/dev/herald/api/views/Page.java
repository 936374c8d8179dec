package dev.herald.api.views;

import java.util.List;

/**
 * One page of a list: {@code nextCursor} fetches the next page, and is null on the
 * last one.
 */
public record Page<T>(List<T> data, String nextCursor) {}
