package dev.herald.activities.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.activities.http.HttpExchange;
import dev.herald.activities.http.WebhookRequest;
import dev.herald.activities.http.WebhookSender;
import dev.herald.core.signing.SignatureScheme;
import dev.herald.core.signing.WebhookSigner;
import dev.herald.core.subscription.AttemptShape;
import dev.herald.core.subscription.BodyFormat;
import dev.herald.core.subscription.BuiltRequest;
import dev.herald.core.subscription.HeraldHeaderNames;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.subscription.EndpointAuth;
import dev.herald.core.subscription.WireFormat;
import dev.herald.core.template.TemplateInput;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a body format costs an attempt: attempts per second, building the request (body and
 * signature) alone and building and sending it to a receiver on loopback, for Herald's envelope,
 * the event's data, a template of the user's own and two built-in formats. Not part of the test
 * run (its name does not end in Test): {@code scripts/bench} runs it and it prints its figures.
 * The formats take turns within each round, so that the machine's noise falls on all of them;
 * compare the ratios, not the absolute figures.
 */
class WireFormatBenchmark {

  private static final int ROUNDS = 5;
  private static final Duration BUILD_TIME = Duration.ofMillis(600);
  private static final Duration SEND_TIME = Duration.ofMillis(900);

  private static final String TEMPLATE =
      "{\"event\": type, \"eventId\": id, \"occurredAt\": timestamp, \"payload\": data,"
          + " \"meta\": {\"endpoint\": subscription.name, \"region\": attributes.region}}";

  @Test
  void attemptsPerSecondByBodyFormat() throws Exception {
    Map<String, BodyFormat> formats = new LinkedHashMap<>();
    formats.put("standard", BodyFormat.STANDARD);
    formats.put("data", BodyFormat.DATA);
    formats.put("template", BodyFormat.of("template", TEMPLATE));
    formats.put("slack", BodyFormat.of("slack", null));
    formats.put("generic", BodyFormat.of("generic", null));
    TemplateInput input = new TemplateInput(payload(), Map.of("region", "eu"), "sub_bench", "bench");

    Map<String, double[]> build = new LinkedHashMap<>();
    Map<String, double[]> send = new LinkedHashMap<>();
    formats.keySet().forEach(f -> {
      build.put(f, new double[ROUNDS]);
      send.put(f, new double[ROUNDS]);
    });
    try (LoopbackReceiver receiver = LoopbackReceiver.start()) {
      receiver.setDefault(ReceiverResponse.status(204));
      WebhookSender sender =
          new WebhookSender(new WebhookSender.Settings(8, "Herald/bench"));
      for (int round = -1; round < ROUNDS; round++) { // round -1 warms up
        for (Map.Entry<String, BodyFormat> f : formats.entrySet()) {
          Subscription s = subscription(receiver.url("/bench"), f.getValue());
          double built = rate(BUILD_TIME, () -> shape(s, input));
          double sent = rate(SEND_TIME, () -> {
            HttpExchange exchange = sender.send(request(shape(s, input)));
            if (exchange.statusCode() == null || exchange.statusCode() != 204) {
              throw new IllegalStateException("the receiver answered " + exchange);
            }
          });
          if (round >= 0) {
            build.get(f.getKey())[round] = built;
            send.get(f.getKey())[round] = sent;
          }
        }
      }
      sender.close();
    }

    System.out.printf("%nattempts/s by body format (median of %d rounds; body of %d bytes' event)%n",
        ROUNDS, payload().length());
    System.out.printf("%-10s %14s %10s %16s %10s%n", "format", "build+sign/s", "vs std", "build+send/s", "vs std");
    double stdBuild = median(build.get("standard"));
    double stdSend = median(send.get("standard"));
    for (String f : formats.keySet()) {
      double b = median(build.get(f));
      double s = median(send.get(f));
      System.out.printf("%-10s %14.0f %9.2fx %16.0f %9.2fx%n", f, b, b / stdBuild, s, s / stdSend);
    }
    assertThat(median(send.get("template"))).isPositive();
  }

  private static AttemptShape shape(Subscription s, TemplateInput input) {
    BuiltRequest built = BuiltRequest.build(s.wire(), input);
    return AttemptShape.of(s, built, "evt_bench", "order.paid", "dlv_bench", 1, Instant.now());
  }

  private static WebhookRequest request(AttemptShape shape) {
    return new WebhookRequest(shape.method(), URI.create(shape.url()), shape.body(),
        shape.headers().stream().map(h -> new WebhookRequest.Header(h.name(), h.value())).toList(),
        Duration.ofSeconds(5));
  }

  /** Calls per second of {@code action}, run for about {@code time}. */
  private static double rate(Duration time, Runnable action) {
    long deadline = System.nanoTime() + time.toNanos();
    long started = System.nanoTime();
    int n = 0;
    while (System.nanoTime() < deadline) {
      action.run();
      n++;
    }
    return n / ((System.nanoTime() - started) / 1e9);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static Subscription subscription(String url, BodyFormat body) {
    Instant now = Instant.now();
    WireFormat wire = new WireFormat("POST", new SignatureScheme.StandardWebhooks(), HeraldHeaderNames.DEFAULT, body);
    return new Subscription("sub_bench", "ten_bench", "bench", url, List.of("*"), Map.of(), Map.of(),
        List.of(5, 300), 5, 20, 86400, wire, EndpointAuth.NONE, WebhookSigner.newSecret(), null, null, true, false, null,
        null, 0, null, null, now, now);
  }

  /** An order of the size platforms send: nested customer, a few items, decimals, non-ASCII. */
  private static String payload() {
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      items.append(i == 0 ? "" : ",").append("{\"sku\":\"SKU-").append(i)
          .append("\",\"name\":\"Item ").append(i).append(" – café\",\"qty\":").append(i + 1)
          .append(",\"price\":").append(9.99 + i).append("}");
    }
    return "{\"id\":\"evt_bench\",\"type\":\"order.paid\",\"timestamp\":\"2026-12-01T10:00:00Z\","
        + "\"data\":{\"orderId\":\"981\",\"amount\":142.10,\"currency\":\"EUR\",\"paid\":true,"
        + "\"customer\":{\"id\":\"cus_42\",\"name\":\"Zoë Martin\",\"email\":\"zoe@example.com\"},"
        + "\"items\":[" + items + "],\"note\":\"leave at the door\"}}";
  }
}
