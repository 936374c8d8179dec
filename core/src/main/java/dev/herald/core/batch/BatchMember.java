package dev.herald.core.batch;

import dev.herald.model.DeliveryStatus;

/** One delivery of a batch, with its event's stored bytes: one element of the batch's body. */
public record BatchMember(
    String deliveryId, String eventId, String eventType, DeliveryStatus status, String payload) {}
