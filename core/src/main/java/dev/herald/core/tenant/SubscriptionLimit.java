package dev.herald.core.tenant;

/**
 * How many subscriptions a tenant may have: a non-negative number, or no limit.
 *
 * @param max the limit, or {@code null} for none
 */
public record SubscriptionLimit(Integer max) {

  /** No limit. */
  public static final SubscriptionLimit UNLIMITED = new SubscriptionLimit(null);

  public SubscriptionLimit {
    if (max != null && max < 0) {
      throw new IllegalArgumentException("a subscription limit cannot be negative: " + max);
    }
  }

  /**
   * Reads {@code unlimited} or a non-negative integer, as the command line spells them.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static SubscriptionLimit parse(String text) {
    String value = text.trim();
    if (value.equalsIgnoreCase("unlimited")) {
      return UNLIMITED;
    }
    int max;
    try {
      max = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is neither a non-negative integer nor 'unlimited'");
    }
    if (max < 0) {
      throw new IllegalArgumentException(
          "'" + text + "' is negative; give a non-negative integer or 'unlimited'");
    }
    return new SubscriptionLimit(max);
  }

  public boolean isUnlimited() {
    return max == null;
  }

  @Override
  public String toString() {
    return isUnlimited() ? "unlimited" : max.toString();
  }
}
