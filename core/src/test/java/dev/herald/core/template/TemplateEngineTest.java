package dev.herald.core.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateEngineTest {

  private static final TemplateInput ORDER =
      new TemplateInput(
          "{\"id\":\"evt_1\",\"type\":\"order.paid\",\"timestamp\":\"2026-12-01T10:00:00Z\","
              + "\"data\":{\"orderId\":\"981\",\"amount\":42.10,\"items\":[{\"sku\":\"a\"},{\"sku\":\"b\"}]}}",
          Map.of("region", "eu"),
          "sub_1",
          "crm");

  private final TemplateEngine engine = TemplateEngine.DEFAULT;

  private String render(String template) {
    return new String(engine.render(template, ORDER), StandardCharsets.UTF_8);
  }

  @Test
  void rendersTheEventTheAttributesAndTheSubscription() {
    assertThat(
            render(
                "{\"order\": data.orderId, \"total\": data.amount, \"skus\": data.items.sku,"
                    + " \"kind\": type, \"region\": attributes.region, \"to\": subscription.name,"
                    + " \"n\": $count(data.items)}"))
        .isEqualTo(
            "{\"order\":\"981\",\"total\":42.1,\"skus\":[\"a\",\"b\"],\"kind\":\"order.paid\","
                + "\"region\":\"eu\",\"to\":\"crm\",\"n\":2}");
  }

  @Test
  void aStringResultIsAJsonString() {
    assertThat(render("'Order ' & data.orderId & ' paid'")).isEqualTo("\"Order 981 paid\"");
  }

  @Test
  void stringFunctionsWithoutRegularExpressionsWork() {
    assertThat(render("$replace($uppercase(type), '.', '_')")).isEqualTo("\"ORDER_PAID\"");
    assertThat(render("$split(type, '.')")).isEqualTo("[\"order\",\"paid\"]");
    assertThat(render("$contains(type, 'paid')")).isEqualTo("true");
    assertThat(render("$pad(data.orderId, 6, '0')")).isEqualTo("\"981000\"");
    assertThat(render("$pad(data.orderId, -6, '#*')")).isEqualTo("\"#*#981\"");
  }

  @Test
  void aTemplateThatDoesNotCompileSaysWhere() {
    assertThatThrownBy(() -> TemplateEngine.check("{\"a\": data.orderId,, }"))
        .isInstanceOfSatisfying(
            TemplateCompileException.class,
            e -> {
              assertThat(e.position()).isBetween(18, 20);
              assertThat(e.getMessage()).isNotBlank();
            });
    assertThatThrownBy(() -> TemplateEngine.check("data.(")).isInstanceOf(TemplateCompileException.class);
    assertThatThrownBy(() -> TemplateEngine.check("  ")).isInstanceOf(TemplateCompileException.class);
    assertThatThrownBy(() -> TemplateEngine.check("1" + " ".repeat(TemplateLimits.MAX_SOURCE_CHARS)))
        .hasMessageContaining("longer than");
  }

  @Test
  void aRuntimeErrorIsATemplateException() {
    assertThatThrownBy(() -> render("data.orderId + 1"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("must evaluate to a number");
    assertThatThrownBy(() -> render("$error('no order')"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("no order");
  }

  @Test
  void nothingOrAFunctionIsNotABody() {
    assertThatThrownBy(() -> render("data.missing"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("nothing");
    assertThatThrownBy(() -> render("function($x){$x}"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("not JSON");
  }

  @Test
  void endlessRecursionStopsAtTheDepthLimit() {
    assertThatThrownBy(() -> render("($f := function($n){ 1 + $f($n + 1) }; $f(0))"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("deeper than 200");
  }

  @Test
  void endlessTailRecursionStopsAtATimeOrMemoryLimit() {
    // JSONata runs a call in tail position as a loop: the depth stays flat, the clock does not.
    assertThatThrownBy(() -> render("($f := function($n){ $f($n + 1) }; $f(0))"))
        .isInstanceOf(TemplateException.class)
        .hasMessageMatching("the template (ran longer than 250 ms|allocated more than 64 MiB)");
  }

  @Test
  void aLongLoopStopsAtTheTimeLimit() {
    TemplateEngine quick =
        new TemplateEngine(
            new TemplateLimits(Duration.ofMillis(100), 200, 1L << 30, 1 << 20, 100_000, 1 << 18));
    long started = System.nanoTime();
    assertThatThrownBy(
            // 10 billion evaluation steps; each inner item is evaluated, so nothing can be folded.
            () -> quick.render("$sum([1..100000].($sum([1..100000].($ * 2))))", ORDER))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("longer than 100 ms");
    // Stopped near its limit, not after the hours its steps would take.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aStringThatDoublesEachStepStopsAtTheStringLimit() {
    assertThatThrownBy(
            () -> render("$reduce([1..64], function($s, $i){ $s & $s }, 'xxxxxxxx')"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("string longer than");
  }

  @Test
  void aHugeArrayStopsAtTheItemLimit() {
    assertThatThrownBy(() -> render("[1..1000000]"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("more than 100000 items");
  }

  @Test
  void manyLargeStringsStopAtTheMemoryLimit() {
    assertThatThrownBy(() -> render("$count([1..50000].$pad('', 250000))"))
        .isInstanceOf(TemplateException.class)
        .hasMessageMatching("(?s).*(allocated more than|longer than 250 ms).*");
  }

  @Test
  void padBeyondTheStringLimitIsRefusedBeforeItAllocates() {
    assertThatThrownBy(() -> render("$pad('x', 2000000000)"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("$pad");
  }

  @Test
  void outputLargerThanTheLimitIsRefused() {
    assertThatThrownBy(() -> render("[1..3000].$pad('', 100)"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("more than the limit");
  }

  @Test
  void regularExpressionsAndEvalAreRefused() {
    // A pattern that backtracks for hours on this input, were it run.
    assertThatThrownBy(() -> render("$contains('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', /^(a+)+$/)"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("regular expression");
    assertThatThrownBy(() -> render("$match(type, /o+/)"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("not available");
    assertThatThrownBy(() -> render("$replace(type, /o/, 'x')"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("regular expression");
    assertThatThrownBy(() -> render("$eval('1 + 1')"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("$eval");
  }

  @Test
  void oneThreadsFailureLeavesTheNextRenderingUnharmed() {
    assertThatThrownBy(() -> render("($f := function($n){ $f($n + 1) }; $f(0))"))
        .isInstanceOf(TemplateException.class);
    assertThat(render("data.orderId")).isEqualTo("\"981\"");
  }

  @Test
  void aCompiledTemplateRendersAgainAndAgainOnOneThread() {
    // jsonata-java 0.9.8 left each rendering's innermost frame as the expression's environment:
    // lookups walked a chain one frame longer per rendering, and the stack overflowed at ~20,000.
    String template = "($t := type; $f := function($s){ $s & '!' }; [1, 2].($f($t)))";
    for (int i = 0; i < 30_000; i++) {
      assertThat(render(template)).isEqualTo("[\"order.paid!\",\"order.paid!\"]");
    }
  }
}
