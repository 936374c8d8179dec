package dev.herald.core.flow;

import dev.herald.core.flow.Admission.Admitted;
import dev.herald.core.flow.Admission.Wait;
import dev.herald.model.DeliveryStatus;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The flow of attempts to each endpoint, held in PostgreSQL so that every worker process obeys
 * the same limits: a subscription's row in {@code subscription_flow} is locked while one attempt
 * is admitted, its attempts in flight are leases in {@code attempt_leases}, and a {@code
 * Retry-After} the endpoint sent is a time before which none of its attempts starts.
 */
public final class EndpointFlowDao {

  /**
   * How long past the subscription's timeout a lease outlives a worker that died mid-attempt:
   * the token request and the recording around the exchange fit well within it.
   */
  public static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

  private final Jdbi jdbi;

  public EndpointFlowDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Admits one attempt of {@code deliveryId} to a subscription with {@code limits}, or says how
   * long it waits: while the endpoint's {@code Retry-After} runs; while {@code maxConcurrency}
   * attempts are in flight; until the rate limit's next free start, which is then reserved for
   * it. Admitted under {@code maxConcurrency}, the attempt holds a lease until {@link #release}
   * or its timeout and {@link #LEASE_MARGIN} have passed.
   *
   * @param reserved whether this attempt already holds a rate-limit reservation for about now
   */
  public Admission admit(
      String subscriptionId,
      String deliveryId,
      FlowLimits limits,
      int timeoutSeconds,
      boolean reserved,
      Instant now) {
    return jdbi.inTransaction(h -> {
      // The row is created on first use and locked for the rest of the transaction.
      FlowRow row =
          h.createQuery(
                  "INSERT INTO subscription_flow (subscription_id) VALUES (:s)"
                      + " ON CONFLICT (subscription_id) DO UPDATE SET subscription_id ="
                      + " EXCLUDED.subscription_id RETURNING backoff_until, rate_next_at")
              .bind("s", subscriptionId)
              .map((rs, ctx) -> new FlowRow(instant(rs.getTimestamp(1)), instant(rs.getTimestamp(2))))
              .one();
      if (row.backoffUntil() != null && row.backoffUntil().isAfter(now)) {
        return new Wait(row.backoffUntil(), backoffReason(row.backoffUntil()), false);
      }
      Integer max = limits.maxConcurrency();
      if (max != null) {
        int inFlight = inFlight(h, subscriptionId, deliveryId, now);
        if (inFlight >= max) {
          return new Wait(now, SLOT_REASON + max + ": " + inFlight + " attempts in flight", false);
        }
      }
      FlowLimits.RateLimit rate = limits.rateLimit();
      if (rate != null && !reserved) {
        Instant slot = row.rateNextAt() == null || row.rateNextAt().isBefore(now) ? now : row.rateNextAt();
        h.createUpdate("UPDATE subscription_flow SET rate_next_at = :next WHERE subscription_id = :s")
            .bind("next", Timestamp.from(slot.plus(rate.interval())))
            .bind("s", subscriptionId)
            .execute();
        if (slot.isAfter(now)) {
          return new Wait(slot, "rateLimit " + rate + ": its start is reserved for " + slot, true);
        }
      }
      if (max == null) {
        return new Admitted(false);
      }
      h.createUpdate(
              "INSERT INTO attempt_leases (delivery_id, subscription_id, expires_at)"
                  + " VALUES (:d, :s, :expires) ON CONFLICT (delivery_id) DO UPDATE"
                  + " SET subscription_id = EXCLUDED.subscription_id, expires_at = EXCLUDED.expires_at")
          .bind("d", deliveryId)
          .bind("s", subscriptionId)
          .bind("expires", Timestamp.from(now.plusSeconds(timeoutSeconds).plus(LEASE_MARGIN)))
          .execute();
      return new Admitted(true);
    });
  }

  /**
   * Other deliveries' live leases on the subscription; expired ones (a worker died holding them)
   * are deleted on the way.
   */
  private static int inFlight(Handle h, String subscriptionId, String deliveryId, Instant now) {
    return h.createQuery(
            "WITH expired AS (DELETE FROM attempt_leases WHERE subscription_id = :s"
                + " AND expires_at <= :now) SELECT count(*) FROM attempt_leases"
                + " WHERE subscription_id = :s AND expires_at > :now AND delivery_id <> :d")
        .bind("s", subscriptionId)
        .bind("d", deliveryId)
        .bind("now", Timestamp.from(now))
        .mapTo(Integer.class)
        .one();
  }

  /** Ends the lease of {@code deliveryId}'s attempt: the slot is free for another. */
  public void release(String deliveryId) {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM attempt_leases WHERE delivery_id = :d")
        .bind("d", deliveryId)
        .execute());
  }

  /**
   * Ends the lease of {@code deliveryId}'s attempt and claims the delivery of the subscription
   * that has waited for a slot the longest (its next look is soonest), to be woken now rather
   * than at its next look; one statement. See {@link #findWaiter} for the claim.
   */
  public Optional<String> releaseAndFindWaiter(String deliveryId, String subscriptionId) {
    return findWaiter("WITH gone AS (DELETE FROM attempt_leases WHERE delivery_id = :d) ",
        deliveryId, subscriptionId, SLOT_REASON);
  }

  /**
   * Claims the delivery of the subscription, other than {@code deliveryId}, that has waited
   * longest for a reason beginning {@code reasonPrefix}: its reason is cleared, so that the next
   * freed place wakes the next waiter rather than this one again before it has asked (it writes
   * its reason again if it is told to wait once more). Concurrent claims skip each other's row.
   */
  public Optional<String> findWaiter(String deliveryId, String subscriptionId, String reasonPrefix) {
    return findWaiter("", deliveryId, subscriptionId, reasonPrefix);
  }

  private Optional<String> findWaiter(
      String before, String deliveryId, String subscriptionId, String reasonPrefix) {
    return jdbi.withHandle(h -> h.createQuery(
            before + "UPDATE deliveries SET waiting_reason = NULL WHERE id = (SELECT id FROM"
                + " deliveries WHERE subscription_id = :s AND waiting_reason LIKE :reason"
                + " AND status IN "
                + DeliveryStatus.sqlList(DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
                + " AND id <> :d ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)"
                + " RETURNING id")
        .bind("d", deliveryId)
        .bind("s", subscriptionId)
        .bind("reason", reasonPrefix.replace("%", "\\%").replace("_", "\\_") + "%")
        .mapTo(String.class)
        .findOne());
  }

  /** How the reason of a wait for a {@code maxConcurrency} slot begins. */
  static final String SLOT_REASON = "maxConcurrency ";

  /**
   * The endpoint answered 429 or 503 with {@code Retry-After}: none of its attempts starts before
   * {@code until} (a later time already set stays).
   */
  public void backOff(String subscriptionId, Instant until) {
    jdbi.useHandle(h -> h.createUpdate(
            "INSERT INTO subscription_flow (subscription_id, backoff_until) VALUES (:s, :until)"
                + " ON CONFLICT (subscription_id) DO UPDATE SET backoff_until ="
                + " GREATEST(subscription_flow.backoff_until, EXCLUDED.backoff_until)")
        .bind("s", subscriptionId)
        .bind("until", Timestamp.from(until))
        .execute());
  }

  /** Attempts of the subscription in flight now, by their leases. */
  public int inFlight(String subscriptionId, Instant now) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT count(*) FROM attempt_leases WHERE subscription_id = :s AND expires_at > :now")
        .bind("s", subscriptionId)
        .bind("now", Timestamp.from(now))
        .mapTo(Integer.class)
        .one());
  }

  /** The reason shown while the endpoint's {@code Retry-After} runs. */
  public static String backoffReason(Instant until) {
    return "the endpoint asked to wait (429 or 503 with Retry-After) until " + until;
  }

  private record FlowRow(Instant backoffUntil, Instant rateNextAt) {}

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
