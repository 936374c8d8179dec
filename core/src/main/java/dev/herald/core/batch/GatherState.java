package dev.herald.core.batch;

import dev.herald.core.subscription.Batching;
import java.time.Instant;

/**
 * What a subscription's batcher sees: its batch settings and its batched deliveries not yet
 * claimed (pending, in no batch).
 *
 * @param live whether the subscription still exists
 * @param batching its settings now, or null when batching was switched off (what was gathered is
 *     sent at once)
 * @param count gathered deliveries, counted up to the settings' {@code maxEvents} (or the most a
 *     batch takes)
 * @param bytes the size of those deliveries' events' JSON
 * @param oldest when the oldest gathered delivery was made, or null when none is
 */
public record GatherState(boolean live, Batching batching, int count, long bytes, Instant oldest) {}
