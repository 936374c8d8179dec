package dev.herald.activities.http;

import static dev.herald.activities.http.Webhooks.USER_AGENT;
import static dev.herald.activities.http.Webhooks.errorCode;
import static dev.herald.activities.http.Webhooks.post;
import static dev.herald.activities.http.Webhooks.timed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.herald.activities.delivery.GuardedDnsResolver;
import dev.herald.core.net.AddressGuard;
import dev.herald.core.net.BlockedAddressException;
import dev.herald.core.net.Cidr;
import dev.herald.core.net.HostResolver;
import dev.herald.testing.receiver.LoopbackReceiver;
import dev.herald.testing.receiver.ReceiverResponse;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The address guard at connect time, through the real sender: HttpClient connects only to the
 * addresses vetted in the one lookup of each attempt, and the lookup itself fits in the deadline.
 */
class WebhookSenderGuardTest {

  private static final InetAddress RECEIVER = address(127, 0, 0, 1);
  private static final InetAddress INTERNAL = address(127, 0, 0, 2);

  private final LoopbackReceiver receiver = LoopbackReceiver.start();
  private final ScriptedResolver dns = new ScriptedResolver();
  // Only the receiver's address is allowed; 127.0.0.2 stands for an internal service that a
  // rebound name points to, reachable on loopback so that a mistake could not leave this machine.
  private final AddressGuard guard =
      new AddressGuard(List.of(Cidr.parse("127.0.0.1/32")), true, dns);
  private final WebhookSender sender =
      new WebhookSender(new WebhookSender.Settings(4, USER_AGENT, new GuardedDnsResolver(guard)));

  @AfterEach
  void tearDown() {
    sender.close();
    receiver.close();
  }

  @Test
  void aNameReboundToAnInternalAddressIsRefusedAndNothingReachesIt() throws Exception {
    try (ServerSocket internal = new ServerSocket(receiver.port(), 50, INTERNAL)) {
      dns.answer(RECEIVER);
      dns.answer(INTERNAL);
      receiver.enqueue(ReceiverResponse.status(204));
      String url = "http://hooks.rebinding.test:" + receiver.port() + "/hook";

      HttpExchange first = sender.send(post(url, Duration.ofSeconds(5)));
      HttpExchange second = sender.send(post(url, Duration.ofSeconds(5)));

      assertThat(first.statusCode()).as("the vetted answer is the one connected to").isEqualTo(204);
      assertThat(second.statusCode()).isNull();
      assertThat(errorCode(second)).isEqualTo("blocked_address");
      assertThat(causes(second.failure()))
          .filteredOn(BlockedAddressException.class::isInstance)
          .singleElement()
          .asInstanceOf(InstanceOfAssertFactories.type(BlockedAddressException.class))
          .satisfies(b -> assertThat(b.address()).isEqualTo(INTERNAL));
      assertThat(dns.calls()).as("one lookup per attempt, never a second one").isEqualTo(2);
      assertThat(receiver.connectionCount()).isEqualTo(1);
      internal.setSoTimeout(200);
      assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(internal::accept);
    }
  }

  @Test
  void oneRefusedAnswerAmongSeveralRefusesTheAttempt() {
    dns.answer(RECEIVER, INTERNAL);

    HttpExchange exchange =
        sender.send(post("http://hooks.mixed.test:" + receiver.port() + "/", Duration.ofSeconds(5)));

    assertThat(errorCode(exchange)).isEqualTo("blocked_address");
    assertThat(dns.calls()).isEqualTo(1);
    assertThat(receiver.connectionCount()).isZero();
  }

  @Test
  void aLiteralInternalAddressIsRefusedWithoutALookup() {
    HttpExchange exchange =
        sender.send(post("http://127.0.0.2:" + receiver.port() + "/", Duration.ofSeconds(5)));

    assertThat(errorCode(exchange)).isEqualTo("blocked_address");
    assertThat(dns.calls()).isZero();
  }

  @Test
  void aSlowNameServerCannotHoldTheAttemptPastItsDeadline() {
    CountDownLatch release = new CountDownLatch(1);
    dns.stallUntil(release);
    HttpExchange[] result = new HttpExchange[1];
    try {
      long elapsed =
          timed(
              () ->
                  result[0] =
                      sender.send(
                          post("http://hooks.slow-dns.test:" + receiver.port() + "/",
                              Duration.ofSeconds(1))));

      System.out.printf("slow DNS: the attempt with a 1000 ms budget ended after %d ms%n", elapsed);
      assertThat(elapsed).isBetween(900L, 1500L);
      assertThat(errorCode(result[0])).isEqualTo("timeout");
      assertThat(receiver.connectionCount()).isZero();
    } finally {
      release.countDown();
    }
  }

  private static List<Throwable> causes(Throwable failure) {
    List<Throwable> chain = new java.util.ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static InetAddress address(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Answers each lookup with the next scripted answer, counting lookups; or stalls. */
  private static final class ScriptedResolver implements HostResolver {
    private final Deque<InetAddress[]> answers = new ArrayDeque<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile CountDownLatch stall;

    synchronized void answer(InetAddress... addresses) {
      answers.add(addresses);
    }

    void stallUntil(CountDownLatch latch) {
      stall = latch;
    }

    int calls() {
      return calls.get();
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      calls.incrementAndGet();
      CountDownLatch latch = stall;
      if (latch != null) {
        awaitIgnoringInterrupts(latch);
      }
      synchronized (this) {
        if (answers.isEmpty()) {
          throw new UnknownHostException(host);
        }
        return answers.remove();
      }
    }

    /** Like a blocking system lookup, which an interrupt does not end. */
    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
      boolean interrupted = false;
      // Bounded, so that a sender without the bound fails the test instead of hanging it.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < until) {
        try {
          if (latch.await(until - System.nanoTime(), TimeUnit.NANOSECONDS)) {
            break;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
