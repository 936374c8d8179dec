package dev.herald.api.views;

import java.util.List;

/**
 * A page of the event feed ({@code GET /v1/events}), oldest first.
 *
 * @param nextCursor the {@code after} for the next call: the position of the last event here,
 *     or, when there is none, the {@code after} this call was given (null if it was given none),
 *     so that a poller keeps polling with it
 */
public record Feed(List<FeedEvent> data, String nextCursor) {}
