package dev.herald.core.delivery;

import java.util.Locale;

/** Where a delivery stands. The lower-case name is the API's word and the column's value. */
public enum DeliveryStatus {
  PENDING,
  RETRYING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  HELD;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DeliveryStatus fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** Whether no further attempt follows on its own. */
  public boolean isFinished() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
