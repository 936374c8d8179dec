package dev.herald.model;

import java.util.Locale;

/**
 * Where a delivery stands: one vocabulary for the API, the {@code deliveries.status} column, the
 * workflow's query and its {@code HeraldDeliveryStatus} search attribute. The lower-case name is
 * the word each of them uses.
 */
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

  /** The status as an SQL literal: {@code 'pending'}. */
  public String sql() {
    return "'" + wireName() + "'";
  }

  /** Statuses as an SQL list: {@code ('pending', 'retrying')}. */
  public static String sqlList(DeliveryStatus... statuses) {
    StringBuilder out = new StringBuilder("(");
    for (DeliveryStatus s : statuses) {
      out.append(out.length() > 1 ? ", " : "").append(s.sql());
    }
    return out.append(')').toString();
  }

  /** Whether no further attempt follows on its own. */
  public boolean isFinished() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
