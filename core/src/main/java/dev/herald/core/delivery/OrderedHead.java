package dev.herald.core.delivery;

import dev.herald.model.DeliveryInput;
import dev.herald.model.DeliveryStatus;

/**
 * The next delivery of an ordered key: the unfinished one with the lowest feed position.
 *
 * @param delivery what starts its workflow
 * @param status pending, retrying or held (a held one holds the key until it is released)
 * @param position its event's feed position
 */
public record OrderedHead(DeliveryInput delivery, DeliveryStatus status, long position) {}
