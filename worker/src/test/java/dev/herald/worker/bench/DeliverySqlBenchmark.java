package dev.herald.worker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.delivery.Attempt;
import dev.herald.core.delivery.AttemptContext;
import dev.herald.core.delivery.AttemptRecord;
import dev.herald.core.event.EventRequest;
import dev.herald.core.subscription.BuiltRequest;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.template.TemplateInput;
import dev.herald.model.DeliveryStatus;
import dev.herald.model.Outcome;
import dev.herald.testing.db.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * What a delivery's SQL costs PostgreSQL, statement by statement, with Herald's own code on a
 * pool of 16 connections and no Temporal or HTTP around it: the publish (its match, the insert of
 * the event and its delivery, the feed position with {@code COMMIT}), the attempt's load, and the
 * record of a first-attempt success with its built request kept, each as a burst of 16 threads.
 * Beside them, two yardsticks: a bare round trip ({@code SELECT 1}) and a one-row insert in a
 * transaction of its own. Prints PostgreSQL's CPU per delivery for each, and this JVM's for all.
 *
 * <p>Two databases take turns, each round starting with the other: {@code as migrated}, and
 * {@code changed} by {@code -Dbench.change=SQL} (statements separated by {@code ;}, run after the
 * migrations: an index dropped, a constraint set back) and {@code -Dbench.url=...} (appended to
 * its JDBC URL, such as {@code &sslmode=disable}). With neither, the two are alike, and their
 * spread is the noise of the run.
 *
 * <p>Not part of the test run: {@code scripts/bench DeliverySqlBenchmark}; {@code
 * -Dbench.size=tiny|default}, {@code -Dbench.events=N} (per side and round), {@code
 * -Dbench.rounds=N}. Needs PostgreSQL as the tests do.
 */
class DeliverySqlBenchmark {

  private static final int THREADS = 16;
  private static final String AS_MIGRATED = "as migrated";
  private static final String CHANGED = "changed";

  @Test
  void aDeliverysStatements() throws Exception {
    boolean tiny = "tiny".equals(System.getProperty("bench.size", "default"));
    int events = Integer.getInteger("bench.events", tiny ? 200 : 4000);
    int rounds = Integer.getInteger("bench.rounds", tiny ? 1 : 4);
    String change = System.getProperty("bench.change", "");
    String url = System.getProperty("bench.url", "");
    System.out.printf(Locale.ROOT,
        "%nDelivery SQL benchmark: %d deliveries per side and round from %d threads, %d rounds;"
            + " side %s: SQL [%s], URL suffix [%s]; %d cores (load average %s)%n",
        events, THREADS, rounds, CHANGED, change, url, Runtime.getRuntime().availableProcessors(),
        CpuMeter.loadAverage());
    try (PublishingDatabase asMigrated =
            new PublishingDatabase(AS_MIGRATED, DeliverySqlBenchmark::yardstickTable, "");
        PublishingDatabase changed = new PublishingDatabase(CHANGED, db -> {
          yardstickTable(db);
          Arrays.stream(change.split(";"))
              .filter(sql -> !sql.isBlank())
              .forEach(sql -> db.jdbi().useHandle(h -> h.execute(sql)));
        }, url)) {
      List<PublishingDatabase> sides = List.of(asMigrated, changed);
      List<String> names = List.of(AS_MIGRATED, CHANGED);
      for (int i = 0; i < sides.size(); i++) {
        System.out.println("  " + round(names.get(i), sides.get(i), Math.max(100, events / 4), "warm"));
      }
      List<Round> results = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < sides.size(); i++) {
          int s = (r + i) % sides.size();
          Round round = round(names.get(s), sides.get(s), events, "r" + r);
          results.add(round);
          System.out.println("  " + round);
        }
      }
      System.out.printf(Locale.ROOT, "%-46s %12s %12s %8s%n", "median of rounds, CPU ms per delivery",
          AS_MIGRATED, CHANGED, "ratio");
      row(results, "PostgreSQL: publish (3 round trips, COMMIT)", Round::publish);
      row(results, "PostgreSQL: the attempt's load", Round::load);
      row(results, "PostgreSQL: the attempt's record", Round::record);
      row(results, "PostgreSQL: a delivery's statements", Round::delivery);
      row(results, "PostgreSQL: a bare round trip (SELECT 1)", Round::roundTrip);
      row(results, "PostgreSQL: a one-row insert and COMMIT", Round::insert);
      row(results, "this JVM: a delivery's statements", Round::jvm);
      System.out.println("(ratio: changed over as migrated)");
    }
  }

  /** The table of the one-row insert, the second yardstick. */
  private static void yardstickTable(TestDatabase db) {
    db.jdbi().useHandle(h -> h.execute("CREATE TABLE bench_rows (id text PRIMARY KEY)"));
  }

  private static void row(List<Round> rounds, String name, ToDoubleFunction<Round> figure) {
    double before = median(rounds, AS_MIGRATED, figure);
    double after = median(rounds, CHANGED, figure);
    System.out.printf(Locale.ROOT, "%-46s %12.3f %12.3f %7.2fx%n", name, before, after, after / before);
  }

  private static double median(List<Round> rounds, String side, ToDoubleFunction<Round> figure) {
    double[] of = rounds.stream().filter(r -> r.side().equals(side)).mapToDouble(figure)
        .sorted().toArray();
    return of[of.length / 2];
  }

  /** PostgreSQL's CPU ms per delivery in each burst of one round, and this JVM's over the first three. */
  record Round(String side, String label, double publish, double load, double record,
      double roundTrip, double insert, double jvm) {

    double delivery() {
      return publish + load + record;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "%s %-12s PostgreSQL CPU ms per delivery: publish %.3f, load %.3f, record %.3f (sum"
              + " %.3f); SELECT 1 %.3f, one-row insert %.3f; this JVM %.3f",
          label, side + ":", publish, load, record, delivery(), roundTrip, insert, jvm);
    }
  }

  private static Round round(String name, PublishingDatabase db, int events, String label)
      throws Exception {
    Queue<EventRequest> requests = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < events; i++) {
      requests.add(db.request());
    }
    Queue<String> published = new ConcurrentLinkedQueue<>();
    PublishingDatabase.Burst publish = PublishingDatabase.burst(THREADS, events, () -> {
      EventRequest r = requests.poll();
      if (r != null) {
        published.addAll(db.publisher.publish(db.tenantId, r).deliveryIds());
      }
      return r != null;
    });
    assertThat(published).hasSize(events);
    Queue<String> toLoad = new ConcurrentLinkedQueue<>(published);
    Queue<AttemptContext> loaded = new ConcurrentLinkedQueue<>();
    PublishingDatabase.Burst load = PublishingDatabase.burst(THREADS, events, () -> {
      String id = toLoad.poll();
      if (id != null) {
        loaded.add(db.deliveries.loadForAttempt(id, 1).orElseThrow());
      }
      return id != null;
    });
    AtomicInteger recorded = new AtomicInteger();
    PublishingDatabase.Burst record = PublishingDatabase.burst(THREADS, events, () -> {
      AttemptContext c = loaded.poll();
      if (c == null) {
        return false;
      }
      // As a first attempt that succeeded records itself: its built request kept for later ones.
      Subscription s = c.subscription();
      BuiltRequest built = BuiltRequest.build(s.wire(),
          new TemplateInput(c.payload(), c.attributes(), s.id(), s.name()));
      Instant started = db.clock.instant();
      Attempt attempt = new Attempt(db.ids.next("att"), c.delivery().id(), 1, started, 3, 200,
          "ok", null, Outcome.SUCCEEDED);
      if (db.deliveries.recordAttempt(new AttemptRecord(attempt, DeliveryStatus.SUCCEEDED, null,
          s.id(), true, built)).isPresent()) {
        recorded.incrementAndGet();
      }
      return true;
    });
    assertThat(recorded).hasValue(events);
    AtomicInteger trips = new AtomicInteger(events);
    PublishingDatabase.Burst roundTrip = PublishingDatabase.burst(THREADS, events, () ->
        trips.getAndDecrement() > 0
            && db.jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1);
    AtomicInteger inserts = new AtomicInteger(events);
    PublishingDatabase.Burst insert = PublishingDatabase.burst(THREADS, events, () -> {
      int n = inserts.getAndDecrement();
      return n > 0 && db.jdbi.withHandle(h -> h.createUpdate(
              "INSERT INTO bench_rows (id) VALUES (:id)").bind("id", label + "-" + n).execute()) == 1;
    });
    return new Round(name, label, publish.cost().postgresMs(), load.cost().postgresMs(),
        record.cost().postgresMs(), roundTrip.cost().postgresMs(), insert.cost().postgresMs(),
        publish.cost().jvmMs() + load.cost().jvmMs() + record.cost().jvmMs());
  }
}
