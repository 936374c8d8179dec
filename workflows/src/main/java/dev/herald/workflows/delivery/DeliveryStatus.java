package dev.herald.workflows.delivery;

/**
 * The words for a delivery's status, shared by the workflow's query, its search attribute and
 * the API.
 */
public final class DeliveryStatus {

  /** Accepted; no attempt has settled it yet. */
  public static final String PENDING = "pending";
  /** An attempt failed and another is scheduled. */
  public static final String RETRYING = "retrying";
  /** An attempt got a 2xx. */
  public static final String SUCCEEDED = "succeeded";
  /** Every attempt of the schedule failed. */
  public static final String FAILED = "failed";
  /** Cancelled by a signal, an operator or the subscription's deletion. */
  public static final String CANCELLED = "cancelled";
  /** Waiting for a paused or disabled subscription. */
  public static final String HELD = "held";

  private DeliveryStatus() {}
}
