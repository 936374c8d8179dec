package dev.herald.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.event.EventPublisher;
import dev.herald.core.event.PublishResult;
import dev.herald.core.flow.FlowLimits;
import dev.herald.core.signing.WebhookSigner;
import dev.herald.core.subscription.CustomHeaders;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.WireFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * What many publishers of one tenant cost PostgreSQL, with the references to the tenant's row (an
 * event's, a one-off delivery's target subscription's) checked at commit (V21) against the same
 * checks made at once (as before V21), in one run: each side is a database of its own, migrated
 * alike, the second with its two constraints set back to {@code NOT DEFERRABLE}. Publishers call
 * {@link EventPublisher} directly on a pool of 16 connections, as the API's request threads do,
 * so that PostgreSQL's side is what is measured: first events to the tenant's one subscription,
 * then one-off deliveries. Prints publishes/s, PostgreSQL's and this JVM's CPU per publish (from
 * {@code /proc}), and the server's MultiXact lookups per publish (the shared row-lock lists that a
 * row locked by many transactions at once needs; counted for the whole server). The sides take
 * turns, each round starting with the next one.
 *
 * <p>Not part of the test run: {@code scripts/bench PublishContentionBenchmark}; {@code
 * -Dbench.size=tiny|default}, {@code -Dbench.publishers=N}, {@code -Dbench.events=N} (per side and
 * round), {@code -Dbench.rounds=N}. Needs PostgreSQL as the tests do.
 */
class PublishContentionBenchmark {

  /** What each publisher sends: events to the tenant's subscription, or one-off deliveries. */
  enum Kind {
    EVENTS("events"),
    ONE_OFF("one-off deliveries");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private static final String AT_COMMIT = "checked at commit";
  private static final String AT_ONCE = "checked at once";

  @Test
  void manyPublishersOfOneTenant() throws Exception {
    boolean tiny = "tiny".equals(System.getProperty("bench.size", "default"));
    int publishers = Integer.getInteger("bench.publishers", 16);
    int events = Integer.getInteger("bench.events", tiny ? 200 : 4000);
    int rounds = Integer.getInteger("bench.rounds", tiny ? 1 : 3);
    System.out.printf(Locale.ROOT,
        "%nPublish contention benchmark: %d publishers of one tenant, %d publishes per side and"
            + " round, %d rounds; %d cores (load average %s)%n",
        publishers, events, rounds, Runtime.getRuntime().availableProcessors(),
        CpuMeter.loadAverage());
    try (Side atCommit = new Side(AT_COMMIT, false); Side atOnce = new Side(AT_ONCE, true)) {
      List<Side> sides = List.of(atCommit, atOnce);
      for (Kind kind : Kind.values()) {
        System.out.printf(Locale.ROOT, "%n%s:%n", kind.label);
        for (Side side : sides) {
          side.run(kind, publishers, Math.max(100, events / 10), "warm");
        }
        List<Round> results = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          for (int i = 0; i < sides.size(); i++) {
            Side side = sides.get((r + i) % sides.size());
            Round round = side.run(kind, publishers, events, "r" + r);
            results.add(round);
            System.out.println("  " + round);
          }
        }
        System.out.printf(Locale.ROOT, "%-34s %18s %18s %8s%n", kind.label + ", median of rounds",
            AT_COMMIT, AT_ONCE, "ratio");
        row(results, "publishes/s", Round::perSecond, "%.0f");
        row(results, "PostgreSQL CPU ms per publish", Round::postgresMs, "%.3f");
        row(results, "this JVM's CPU ms per publish", Round::jvmMs, "%.3f");
        row(results, "MultiXact lookups per publish", Round::multiXactPerPublish, "%.1f");
        System.out.println("(ratio: checked at commit over checked at once)");
        assertThat(results).allSatisfy(r -> assertThat(r.published()).isEqualTo(events));
      }
    }
  }

  private static void row(
      List<Round> rounds, String name, ToDoubleFunction<Round> figure, String format) {
    double commit = median(rounds, AT_COMMIT, figure);
    double once = median(rounds, AT_ONCE, figure);
    System.out.printf(Locale.ROOT, "%-34s %18s %18s %7.2fx%n", name,
        String.format(Locale.ROOT, format, commit), String.format(Locale.ROOT, format, once),
        commit / once);
  }

  private static double median(List<Round> rounds, String side, ToDoubleFunction<Round> figure) {
    double[] of = rounds.stream().filter(r -> r.side().equals(side)).mapToDouble(figure)
        .sorted().toArray();
    return of[of.length / 2];
  }

  /** One side's burst: {@code published} events in {@code seconds}, and what they cost. */
  record Round(String side, String label, int published, double seconds, double postgresMs,
      double jvmMs, long multiXact) {

    double perSecond() {
      return published / seconds;
    }

    double multiXactPerPublish() {
      return (double) multiXact / published;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "%s %-18s %5.0f publishes/s, CPU per publish: PostgreSQL %.3f ms, JVM %.3f ms;"
              + " MultiXact lookups per publish %.1f",
          label, side + ":", perSecond(), postgresMs, jvmMs, multiXactPerPublish());
    }
  }

  /** A database, a tenant with one subscription to everything, and Herald's publisher on a pool. */
  private static final class Side implements AutoCloseable {

    private final String name;
    private final PublishingDatabase db;

    Side(String name, boolean checkedAtOnce) throws Exception {
      this.name = name;
      this.db = new PublishingDatabase(name, database -> {
        if (checkedAtOnce) {
          database.jdbi().useHandle(h -> {
            h.execute("ALTER TABLE events ALTER CONSTRAINT events_tenant_id_fkey NOT DEFERRABLE");
            h.execute("ALTER TABLE subscriptions ALTER CONSTRAINT subscriptions_tenant_id_fkey"
                + " NOT DEFERRABLE");
          });
        }
      }, "");
    }

    Round run(Kind kind, int publishers, int events, String label) throws Exception {
      AtomicInteger left = new AtomicInteger(events);
      AtomicInteger published = new AtomicInteger();
      long multiXactBefore = multiXactLookups();
      PublishingDatabase.Burst burst = PublishingDatabase.burst(publishers, events, () -> {
        if (left.getAndDecrement() <= 0) {
          return false;
        }
        PublishResult result = kind == Kind.EVENTS
            ? db.publisher.publish(db.tenantId, db.request())
            : db.publisher.publishOneOff(db.tenantId, db.request(), "target", oneOffTarget());
        if (result.created()) {
          published.incrementAndGet();
        }
        return true;
      });
      return new Round(name, label, published.get(), burst.seconds(), burst.cost().postgresMs(),
          burst.cost().jvmMs(), multiXactLookups() - multiXactBefore);
    }

    /** Where a one-off delivery goes: a hidden subscription row of its own, as the API makes. */
    private Subscription oneOffTarget() {
      Instant now = db.clock.instant();
      return new Subscription(db.ids.next("dst"), db.tenantId, "one-off", "https://hooks.example.com/once",
          List.of(), Map.of(), CustomHeaders.NONE, List.of(5, 300), 5, 20, 86400,
          WireFormat.DEFAULT, EndpointAuth.NONE, WebhookSigner.newSecret(), null, null, true,
          false, null, null, 0, null, null, now, now, Subscription.Kind.ONE_OFF, FlowLimits.NONE,
          null, null);
    }

    /** The server's MultiXact lookups so far (buffer hits of its two lock-list caches). */
    private long multiXactLookups() {
      return db.database.jdbi().withHandle(h -> h.createQuery(
              "SELECT coalesce(sum(blks_hit + blks_read), 0) FROM pg_stat_slru"
                  + " WHERE name IN ('MultiXactOffset', 'MultiXactMember')")
          .mapTo(Long.class)
          .one());
    }

    @Override
    public void close() throws Exception {
      db.close();
    }
  }
}
