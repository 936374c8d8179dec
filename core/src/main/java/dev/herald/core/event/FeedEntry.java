package dev.herald.core.event;

/**
 * An event at its place in the tenant's feed.
 *
 * @param position the event's place in the tenant's feed: 1 for the tenant's first event, then
 *     one more for each event in the order their publishing transactions committed
 */
public record FeedEntry(long position, Event event) {}
