package dev.herald.core.stats;

import dev.herald.model.Outcome;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;

/**
 * Per-subscription statistics of attempts, kept per {@link StatsWindow#BUCKET} and shard
 * ({@code attempt_stats}, {@code attempt_errors}). They are written by the statement that records
 * an attempt ({@link #RECORD}, with {@link #bindings}), so that counting costs no round trip of
 * its own, and read here by summing a window's rows.
 */
public final class AttemptStatsDao {

  /**
   * How many rows one subscription's attempts of one bucket are spread over, so that concurrent
   * attempts to one endpoint queue on a quarter of the locks.
   */
  static final int SHARDS = 4;

  /**
   * Common table expressions to add to the statement that records an attempt, after a CTE
   * {@code a} that returns a row only when the attempt was inserted (a repeated recording counts
   * nothing). {@code :s} is the subscription; the other parameters are {@link #bindings}. The
   * errors row is written after the counts row it depends on, so that every statement takes the
   * rows' locks in one order.
   */
  public static final String RECORD =
      " st AS (INSERT INTO attempt_stats AS t (subscription_id, bucket_start, shard, attempts,"
          + " succeeded, failed, duration_ms_sum, duration_ms_max, latency)"
          + " SELECT :s, :statsBucket, :statsShard, 1, :statsSucceeded, 1 - :statsSucceeded,"
          + " :statsSumMs, :statsSumMs, CAST(:statsLatency AS bigint[])"
          + " WHERE EXISTS (SELECT 1 FROM a)"
          + " ON CONFLICT (subscription_id, bucket_start, shard) DO UPDATE SET"
          + " attempts = t.attempts + 1, succeeded = t.succeeded + EXCLUDED.succeeded,"
          + " failed = t.failed + EXCLUDED.failed,"
          + " duration_ms_sum = t.duration_ms_sum + EXCLUDED.duration_ms_sum,"
          + " duration_ms_max = GREATEST(t.duration_ms_max, EXCLUDED.duration_ms_max),"
          + " latency[:statsSlot] = t.latency[:statsSlot] + EXCLUDED.latency[:statsSlot]"
          + " RETURNING 1),"
          + " se AS (INSERT INTO attempt_errors AS t (subscription_id, bucket_start, shard, code,"
          + " attempts) SELECT :s, :statsBucket, :statsShard, CAST(:statsError AS text), 1 FROM st"
          + " WHERE CAST(:statsError AS text) IS NOT NULL"
          + " ON CONFLICT (subscription_id, bucket_start, shard, code) DO UPDATE SET"
          + " attempts = t.attempts + 1)";

  /** The window's histogram: the sum of each bucket over its rows, as one bigint[]. */
  private static final String LATENCY_SUMS =
      IntStream.rangeClosed(1, LatencyHistogram.SLOTS)
          .mapToObj(i -> "COALESCE(sum(latency[" + i + "]), 0)")
          .collect(Collectors.joining(", ", "ARRAY[", "]"));

  private final Jdbi jdbi;

  public AttemptStatsDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * The parameters of {@link #RECORD} for one attempt. One whose request was never sent ({@code
   * sent} false) is counted without a duration.
   */
  public static Map<String, Object> bindings(
      String attemptId, Instant startedAt, long durationMs, Integer statusCode, String error,
      Outcome outcome, boolean sent) {
    boolean succeeded = outcome.succeeded();
    int slot = LatencyHistogram.slotOf(durationMs);
    StringJoiner latency = new StringJoiner(",", "{", "}");
    for (int i = 0; i < LatencyHistogram.SLOTS; i++) {
      latency.add(sent && i == slot ? "1" : "0");
    }
    Map<String, Object> b = new HashMap<>();
    b.put("statsBucket", Timestamp.from(StatsWindow.bucketStart(startedAt)));
    b.put("statsShard", Math.floorMod(attemptId.hashCode(), SHARDS));
    b.put("statsSucceeded", succeeded ? 1 : 0);
    b.put("statsSumMs", sent ? durationMs : 0L);
    b.put("statsLatency", latency.toString());
    b.put("statsSlot", slot + 1);
    b.put("statsError", succeeded ? null : errorCode(statusCode, error));
    return b;
  }

  /** The code a failed attempt is counted under. */
  static String errorCode(Integer statusCode, String error) {
    if (error != null) {
      return error;
    }
    return statusCode != null ? "http_" + statusCode : "unknown";
  }

  /**
   * The statistics of the tenant's subscription over {@code window} read at {@code now}, in one
   * query; empty when the tenant has no such subscription.
   */
  public Optional<AttemptStats> read(
      String tenantId, String subscriptionId, StatsWindow window, Instant now) {
    Instant from = window.firstBucket(now);
    Instant last = StatsWindow.bucketStart(now);
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT c.*, e.codes, e.counts FROM subscriptions s,"
                + " (SELECT COALESCE(sum(attempts), 0) AS attempts, COALESCE(sum(succeeded), 0) AS succeeded, COALESCE(sum(failed), 0) AS failed,"
                + " COALESCE(sum(duration_ms_sum), 0) AS sum_ms,"
                + " COALESCE(max(duration_ms_max), 0) AS max_ms, " + LATENCY_SUMS + " AS latency"
                + " FROM attempt_stats WHERE subscription_id = :s"
                + " AND bucket_start BETWEEN :from AND :last) c,"
                + " (SELECT array_agg(code ORDER BY code) AS codes,"
                + " array_agg(n ORDER BY code) AS counts FROM (SELECT code, sum(attempts) AS n FROM attempt_errors"
                + " WHERE subscription_id = :s AND bucket_start BETWEEN :from AND :last"
                + " GROUP BY code) g) e"
                + " WHERE s.id = :s AND s.tenant_id = :t AND s.deleted_at IS NULL"
                + " AND s.kind = 'subscription'")
        .bind("s", subscriptionId)
        .bind("t", tenantId)
        .bind("from", Timestamp.from(from))
        .bind("last", Timestamp.from(last))
        .map((rs, ctx) -> new AttemptStats(
            subscriptionId,
            window,
            from,
            now,
            rs.getLong("attempts"),
            rs.getLong("succeeded"),
            rs.getLong("failed"),
            new LatencyHistogram(longs(rs.getArray("latency"), LatencyHistogram.SLOTS),
                rs.getLong("sum_ms"), rs.getLong("max_ms")),
            errors(rs.getArray("codes"), rs.getArray("counts"))))
        .findOne());
  }

  private static long[] longs(Array array, int length) throws SQLException {
    long[] out = new long[length];
    if (array != null) {
      Object[] values = (Object[]) array.getArray();
      for (int i = 0; i < values.length; i++) {
        out[i] = ((Number) values[i]).longValue();
      }
    }
    return out;
  }

  private static Map<String, Long> errors(Array codes, Array counts) throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    if (codes != null) {
      String[] names = (String[]) codes.getArray();
      long[] n = longs(counts, names.length);
      for (int i = 0; i < names.length; i++) {
        out.put(names[i], n[i]);
      }
    }
    return out;
  }
}
