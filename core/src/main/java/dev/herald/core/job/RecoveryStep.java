package dev.herald.core.job;

import dev.herald.model.DeliveryInput;
import java.util.List;

/**
 * One batch of a recovery, committed.
 *
 * @param job the job after the batch (finished when the batch found nothing left)
 * @param reopened the deliveries reopened by this batch, oldest first, whose workflows are to be
 *     started now
 */
public record RecoveryStep(Job job, List<DeliveryInput> reopened) {}
