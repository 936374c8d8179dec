package dev.herald.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.delivery.Delivery;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.ids.Ids;
import dev.herald.core.metrics.HeraldMetrics;
import dev.herald.core.subscription.Route;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.model.DeliveryInput;
import dev.herald.model.DeliveryStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Accepts an event: the event, one delivery per matching subscription and the event's position
 * in the tenant's feed are committed in one transaction, at PostgreSQL's default isolation, READ
 * COMMITTED (naming it to JDBI would cost two more round trips per publish: the driver asks for
 * the connection's level and sets it back). Starting the workflows is the caller's job, after the commit; the sweeper covers a
 * caller that dies in between.
 */
public final class EventPublisher {

  /** The type of the event {@link #publishTest} sends. */
  public static final String TEST_EVENT_TYPE = "webhook.test";

  private final Jdbi jdbi;
  private final EventDao events;
  private final SubscriptionDao subscriptions;
  private final DeliveryDao deliveries;
  private final ObjectMapper json;
  private final Ids ids;
  private final Clock clock;
  private final HeraldMetrics metrics;

  /** A publisher that counts the events it accepts and the deliveries it makes. */
  public EventPublisher(
      Jdbi jdbi,
      EventDao events,
      SubscriptionDao subscriptions,
      DeliveryDao deliveries,
      ObjectMapper json,
      Ids ids,
      Clock clock,
      HeraldMetrics metrics) {
    this.jdbi = jdbi;
    this.events = events;
    this.subscriptions = subscriptions;
    this.deliveries = deliveries;
    this.json = json;
    this.ids = ids;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Publishes, idempotently on the event id.
   *
   * @throws EventIdConflictException when the id was published before with another body
   */
  public PublishResult publish(String tenantId, EventRequest request) {
    String hash = requestHash(request);
    String eventId = request.id() != null ? request.id() : ids.next("evt");
    try {
      return counted(inOwnTransaction(h -> {
            List<Route> matching =
                subscriptions.routesForTenant(h, tenantId).stream()
                    .filter(r -> r.matches(request.type(), request.attributes()))
                    .toList();
            return insert(h, tenantId, eventId, request, hash, matching, true)
                .orElseThrow(AlreadyPublished::new);
          }));
    } catch (AlreadyPublished e) {
      return repeat(tenantId, eventId, hash);
    }
  }

  /**
   * Accepts a one-off delivery: its event, {@code target} (the hidden subscription row that says
   * where and how to send it) and the delivery, in one transaction, with the event's place in the
   * feed. Idempotent on the event id like {@link #publish}: a repeat with the same request answers
   * the first delivery and writes nothing.
   *
   * @param targetForHash what the caller sent about the target besides the event, without secret
   *     values: a repeat must send the same
   * @throws EventIdConflictException when the id was used before for another request
   */
  public PublishResult publishOneOff(
      String tenantId, EventRequest request, Object targetForHash, Subscription target) {
    if (!target.isOneOff()) {
      throw new IllegalArgumentException("not a one-off target: " + target.id());
    }
    String hash = requestHash(request, targetForHash);
    String eventId = request.id() != null ? request.id() : ids.next("evt");
    try {
      return counted(inOwnTransaction(h -> {
            subscriptions.insert(h, target);
            // An id used before: the throw undoes the target row too.
            return insert(h, tenantId, eventId, request, hash, List.of(Route.of(target)), true)
                .orElseThrow(AlreadyPublished::new);
          }));
    } catch (AlreadyPublished e) {
      return repeat(tenantId, eventId, hash);
    }
  }

  /**
   * {@code work} in a transaction on a handle of its own, never joined to a caller's: taking the
   * feed position commits the transaction ({@link EventDao#assignPositionAndCommit}), which would
   * otherwise also commit whatever a caller's transaction had done so far, and leave the rest of it
   * outside one.
   */
  private PublishResult inOwnTransaction(HandleCallback<PublishResult, RuntimeException> work) {
    try (Handle h = jdbi.open()) {
      return h.inTransaction(work);
    }
  }

  /** {@code result}, counted when it accepted its event now. */
  private PublishResult counted(PublishResult result) {
    if (result.created()) {
      metrics.published(result.event().tenantId(), result.event().type(),
          result.deliveryIds().size());
    }
    return result;
  }

  /** The event id was published before (or at the same moment): the transaction is undone. */
  private static final class AlreadyPublished extends RuntimeException {
    AlreadyPublished() {
      super(null, null, false, false);
    }
  }

  /**
   * Publishes a {@code webhook.test} event to {@code target} alone, whatever its event types and
   * filter say: a client checking that its endpoint receives and verifies Herald's webhooks. Like
   * any delivery it is held while the subscription is paused or disabled. It takes no place in the
   * tenant's feed: a feed reader sees the events the tenant published, not Herald's tests.
   */
  public PublishResult publishTest(Subscription target) {
    ObjectNode data = json.createObjectNode();
    data.put("subscriptionId", target.id());
    data.put("message", "A test event from Herald for the subscription " + target.name() + ".");
    EventRequest request = new EventRequest(null, TEST_EVENT_TYPE, data, Map.of());
    String eventId = ids.next("evt");
    return counted(jdbi.inTransaction(h -> insert(h, target.tenantId(), eventId, request,
                requestHash(request), List.of(Route.of(target)), false)
            .orElseThrow()));
  }

  /**
   * Publishes to the tenant's subscriptions that match, except {@code excludedSubscriptionId}:
   * how Herald tells an owner about one of their subscriptions through the ordinary pipeline
   * without sending the news to the endpoint it concerns. Deliveries are pending or held as for
   * any event.
   *
   * <p>Idempotent on the event id alone: an id published before answers the first answer
   * whatever the body, since a retried caller may have read a renamed subscription meanwhile.
   *
   * @param request an event whose id is set
   */
  public PublishResult publishExcept(
      String tenantId, EventRequest request, String excludedSubscriptionId) {
    Objects.requireNonNull(request.id(), "the event id is the idempotency key here");
    String hash = requestHash(request);
    try {
      return counted(inOwnTransaction(h -> {
            Optional<Event> first = events.find(h, tenantId, request.id());
            if (first.isPresent()) {
              return new PublishResult(first.get(), false, List.of(), List.of());
            }
            List<Route> matching =
                subscriptions.routesForTenant(h, tenantId).stream()
                    .filter(r -> !r.id().equals(excludedSubscriptionId))
                    .filter(r -> r.matches(request.type(), request.attributes()))
                    .toList();
            return insert(h, tenantId, request.id(), request, hash, matching, true)
                .orElseThrow(AlreadyPublished::new);
          }));
    } catch (AlreadyPublished e) {
      // A concurrent publish of the same id committed first.
      return new PublishResult(
          events.find(tenantId, request.id()).orElseThrow(), false, List.of(), List.of());
    }
  }

  /**
   * The event and its deliveries (one statement) and, when {@code inFeed}, its place in the
   * tenant's feed; empty when an event with this id exists already (nothing written). An event
   * without a place is left out of the feed, whose positions stay without gaps. Taking the place
   * commits the caller's transaction in the same round trip, so nothing may follow it there; an
   * event without a place leaves the commit to the caller.
   */
  private Optional<PublishResult> insert(
      Handle h,
      String tenantId,
      String eventId,
      EventRequest request,
      String hash,
      List<Route> targets,
      boolean inFeed) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Event event =
        new Event(tenantId, eventId, request.type(), payload(eventId, request, now),
            request.attributes(), targets.size(), now);
    List<DeliveryInput> toStart = new ArrayList<>();
    List<String> toGather = new ArrayList<>();
    java.util.Set<String> batched = new java.util.HashSet<>();
    List<Delivery> created = new ArrayList<>();
    List<String> orderingKeys = new ArrayList<>();
    for (Route r : targets) {
      DeliveryStatus status = r.deliverable() ? DeliveryStatus.PENDING : DeliveryStatus.HELD;
      Delivery d =
          new Delivery(ids.next("dlv"), tenantId, eventId, r.id(), request.type(), status, 0,
              null, now, now, null, r.kind(), r.isOneOff() ? r.url() : null);
      // Order is the order of feed positions: an event without one (a test) goes unordered.
      String orderingKey = inFeed && !r.batched() ? r.orderingValue(request.attributes()) : null;
      created.add(d);
      orderingKeys.add(orderingKey);
      if (r.batched()) {
        // Gathered by the subscription's batcher: no workflow of its own.
        batched.add(d.id());
        if (status == DeliveryStatus.PENDING) {
          toGather.add(r.id());
        }
      } else if (status == DeliveryStatus.PENDING) {
        toStart.add(
            new DeliveryInput(d.id(), tenantId, r.id(), request.type(), r.url(),
                r.retrySchedule(), 1, 0, orderingKey));
      }
    }
    if (!events.insertWithDeliveries(h, event, hash, created, orderingKeys, batched)) {
      return Optional.empty();
    }
    // Last, and sent with COMMIT: the tenant's feed lock is held only for the server's commit.
    if (inFeed) {
      events.assignPositionAndCommit(h, tenantId, eventId,
          orderingKeys.stream().anyMatch(Objects::nonNull));
    }
    return Optional.of(new PublishResult(event, true, toStart,
        created.stream().map(Delivery::id).toList(), toGather));
  }

  /** The answer to an id published before: the first event, if the request is the same. */
  private PublishResult repeat(String tenantId, String id, String hash) {
    return jdbi.withHandle(h -> repeat(h, tenantId, id, hash,
        events.requestHash(h, tenantId, id).orElseThrow()));
  }

  private PublishResult repeat(
      Handle h, String tenantId, String id, String hash, String storedHash) {
    if (!storedHash.equals(hash)) {
      throw new EventIdConflictException(id);
    }
    return new PublishResult(events.find(h, tenantId, id).orElseThrow(), false, List.of(), List.of());
  }

  /** The bytes endpoints receive: id, type, timestamp, data, in that order. */
  private String payload(String eventId, EventRequest request, Instant createdAt) {
    return EventEnvelope.of(json, eventId, request.type(), createdAt, request.data());
  }

  /** A hash of what the publisher sent, independent of key order, to recognise a repeat. */
  private String requestHash(EventRequest request) {
    return requestHash(request, null);
  }

  private String requestHash(EventRequest request, Object target) {
    Map<String, Object> canonical = new LinkedHashMap<>();
    canonical.put("type", request.type());
    canonical.put("data", json.convertValue(request.data(), Object.class));
    canonical.put("attributes", request.attributes());
    if (target != null) {
      canonical.put("oneOff", json.convertValue(target, Object.class));
    }
    try {
      byte[] bytes =
          json.writer()
              .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
              .writeValueAsBytes(canonical);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
