package dev.herald.workflows.ordering;

/**
 * Where a sequencer stands, for its {@code progress} query.
 *
 * @param state {@value #LOOKING}, {@value #DELIVERING}, {@value #IDLE} or {@value #HELD}
 * @param delivered deliveries run so far, across continue-as-new
 * @param deliveryId the delivery being sent or waited for, or null
 * @param position that delivery's feed position, or 0
 */
public record OrderedProgress(String state, long delivered, String deliveryId, long position) {

  public static final String LOOKING = "looking";
  public static final String DELIVERING = "delivering";
  /** The key had nothing left: the sequencer ended. */
  public static final String IDLE = "idle";
  /** The key's next delivery is held (subscription paused or disabled): the sequencer ended. */
  public static final String HELD = "held";
}
