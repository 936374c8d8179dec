package dev.herald.workflows.health;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The ids of the latest reports, oldest first, bounded: a report Temporal delivers again (its
 * activity was retried) is recognised as long as fewer than {@link #CAPACITY} others came after.
 */
final class RecentAttemptIds {

  static final int CAPACITY = 1_000;

  private final LinkedHashSet<String> ids = new LinkedHashSet<>();

  RecentAttemptIds(List<String> carried) {
    if (carried != null) {
      carried.forEach(this::add);
    }
  }

  /** Remembers {@code id}; false when it was seen already. */
  boolean add(String id) {
    if (!ids.add(id)) {
      return false;
    }
    if (ids.size() > CAPACITY) {
      Iterator<String> oldest = ids.iterator();
      oldest.next();
      oldest.remove();
    }
    return true;
  }

  List<String> toList() {
    return new ArrayList<>(ids);
  }
}
