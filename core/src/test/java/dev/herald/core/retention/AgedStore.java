package dev.herald.core.retention;

import dev.herald.testing.db.Store;

/**
 * Sets a retention scene in SQL with {@code generate_series}, tens of thousands of rows at once:
 * events and their deliveries with chosen statuses and ages, attempts, built requests and
 * recovery items. Every event takes the tenant's next feed position, as publishing does.
 */
final class AgedStore {

  private final Store store;
  private final String subscriptionId;

  AgedStore(Store store) {
    this.store = store;
    this.subscriptionId = store.subscription(false).id();
  }

  /**
   * {@code events} events named {@code <prefix>-<n>}, created {@code ageDays} ago, with {@code
   * perEvent} deliveries each in {@code status} (finished ones completed a minute after creation)
   * and {@code attemptsEach} attempts per delivery; finished ones keep a built request.
   */
  void events(String prefix, int events, double ageDays, int perEvent, String status, int attemptsEach) {
    String age = "now() - make_interval(secs => " + ageDays * 86400 + ")";
    store.execute(
        "INSERT INTO events (tenant_id, id, type, request_hash, payload, attributes, delivery_count,"
            + " created_at, seq) SELECT ?, ? || '-' || g, 'order.aged', 'h', '{\"data\":{}}', '{}', ?,"
            + age + " + g * interval '1 ms', t.event_seq + g"
            + " FROM generate_series(1, ?) g, tenants t WHERE t.id = ?",
        store.tenantId, prefix, perEvent, events, store.tenantId);
    store.execute("UPDATE tenants SET event_seq = event_seq + ? WHERE id = ?", events, store.tenantId);
    if (perEvent == 0) {
      return;
    }
    boolean finished = status.equals("succeeded") || status.equals("failed") || status.equals("cancelled");
    store.execute(
        "INSERT INTO deliveries (id, tenant_id, event_id, subscription_id, event_type, status,"
            + " attempt_count, created_at, updated_at, completed_at)"
            + " SELECT 'dlv-' || e.id || '-' || k, e.tenant_id, e.id, ?, e.type, ?, ?, e.created_at,"
            + " e.created_at, CASE WHEN ? THEN e.created_at + interval '1 minute' END"
            + " FROM events e, generate_series(1, ?) k WHERE e.tenant_id = ? AND e.id LIKE ? || '-%'",
        subscriptionId, status, attemptsEach, finished, perEvent, store.tenantId, prefix);
    store.execute(
        "INSERT INTO attempts (id, delivery_id, number, started_at, duration_ms, status_code,"
            + " outcome) SELECT 'att-' || d.id || '-' || n, d.id, n, d.created_at, 12, 503, 'failed'"
            + " FROM deliveries d, generate_series(1, ?) n WHERE d.event_id LIKE ? || '-%'",
        attemptsEach, prefix);
    if (finished) {
      store.execute(
          "INSERT INTO delivery_requests (delivery_id, method, signature, header_names, body_format,"
              + " built_at) SELECT id, 'POST', '{}', '{}', 'standard', created_at FROM deliveries"
              + " WHERE event_id LIKE ? || '-%'",
          prefix);
    }
  }

  /** A recovery job in {@code status} whose items are the deliveries of {@code prefix}'s events. */
  void recoveryOf(String jobId, String prefix, String status) {
    store.execute(
        "INSERT INTO jobs (id, tenant_id, type, subscription_id, window_start, window_end, status,"
            + " total, created_at, updated_at) VALUES (?, ?, 'recover', ?, now() - interval '90 days',"
            + " now(), ?, 0, now(), now())",
        jobId, store.tenantId, subscriptionId, status);
    store.execute(
        "INSERT INTO job_items (job_id, delivery_id, created_at) SELECT ?, id, created_at"
            + " FROM deliveries WHERE event_id LIKE ? || '-%'",
        jobId, prefix);
  }

  long count(String sql, Object... args) {
    return store.db.jdbi().withHandle(h -> {
      var q = h.createQuery(sql);
      for (int i = 0; i < args.length; i++) {
        q.bind(i, args[i]);
      }
      return q.mapTo(Long.class).one();
    });
  }

  /** Rows of {@code table} whose {@code column} starts with {@code prefix}. */
  long rows(String table, String column, String prefix) {
    return count("SELECT count(*) FROM " + table + " WHERE " + column + " LIKE ? || '%'", prefix);
  }
}
