package dev.herald.core.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BuiltInFormatsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The sample event of docs/WIRE_FORMATS_BUILTIN.md. */
  static final String ORDER_PAID_DATA =
      "{\"orderId\":\"981\",\"amount\":42.10,\"currency\":\"EUR\",\"paid\":true,\"coupon\":null,"
          + "\"itemCount\":2,\"note\":\"Leave at the \\\"back\\\" door\\nRing twice – Zoë 🚚\","
          + "\"customer\":{\"id\":\"cus_77\",\"name\":\"Zoë Müller\",\"email\":\"zoe@example.com\","
          + "\"address\":{\"city\":\"Zürich\",\"country\":\"CH\"}},"
          + "\"items\":[{\"sku\":\"A-1\",\"qty\":2,\"price\":15.05},{\"sku\":\"B-2\",\"qty\":1,\"price\":12}]}";

  private static final TemplateInput ORDER_PAID =
      event("evt_01HZX3K9Q2", "order.paid", "2026-12-01T10:00:00Z", ORDER_PAID_DATA,
          Map.of("region", "eu"));

  private static final TemplateInput EMPTY =
      event("evt_01HZX3KA00", "account.ping", "2026-12-01T10:05:00Z", "{}", Map.of());

  static List<String> names() {
    return BuiltInFormats.NAMES;
  }

  /** Loads and warms JSONata once, with time to spare: its class loading is not a template's time. */
  @BeforeAll
  static void warmUp() {
    TemplateEngine patient =
        new TemplateEngine(
            new TemplateLimits(Duration.ofSeconds(30), 200, 1L << 30, 256 << 10, 100_000, 256 << 10));
    for (String name : BuiltInFormats.NAMES) {
      patient.render(BuiltInFormats.source(name), ORDER_PAID);
    }
  }

  // --- the list and the sources ---

  @Test
  void theNamesAreTheSevenFormatsInOrder() {
    assertThat(BuiltInFormats.NAMES)
        .containsExactly("slack", "discord", "teams", "zendesk", "intercom", "salesforce", "generic");
    assertThat(BuiltInFormats.NAMES).allMatch(BuiltInFormats::exists);
    assertThat(BuiltInFormats.exists("template")).isFalse();
    assertThat(BuiltInFormats.exists("Slack")).isFalse();
    assertThat(BuiltInFormats.exists(null)).isFalse();
    assertThatThrownBy(() -> BuiltInFormats.source("email"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("email");
    assertThatThrownBy(() -> BuiltInFormats.source(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @MethodSource("names")
  void everyFormatCompiles(String name) {
    String source = BuiltInFormats.source(name);
    assertThat(source).isNotBlank().hasSizeLessThanOrEqualTo(TemplateLimits.MAX_SOURCE_CHARS);
    assertThatCode(() -> TemplateEngine.check(source)).doesNotThrowAnyException();
    assertThat(BuiltInFormats.source(name)).isSameAs(source); // read once
  }

  // --- the exact bodies ---

  @ParameterizedTest
  @MethodSource("names")
  void theOrderPaidSampleRendersExactlyAsItsFixture(String name) {
    assertRendersAsFixture(name, ORDER_PAID, name + ".order-paid.json");
  }

  @ParameterizedTest
  @MethodSource("names")
  void anEventWithEmptyDataRendersExactlyAsItsFixture(String name) {
    assertRendersAsFixture(name, EMPTY, name + ".empty.json");
  }

  private static void assertRendersAsFixture(String name, TemplateInput input, String fixture) {
    byte[] actual = render(name, input);
    byte[] expected = fixture(fixture);
    assertThat(new String(actual, StandardCharsets.UTF_8))
        .as("%s against formats/%s", name, fixture)
        .isEqualTo(new String(expected, StandardCharsets.UTF_8));
    assertThat(actual).isEqualTo(expected);
  }

  // --- what a user of each target notices ---

  @Test
  void slackHasAReadableFallbackTextAndBlocks() {
    JsonNode body = renderJson("slack", ORDER_PAID);
    assertThat(body.get("text").asText())
        .startsWith("order.paid (evt_01HZX3K9Q2): orderId 981, amount 42.1, currency EUR")
        .doesNotContain("\n");
    assertThat(body.get("blocks").get(0).get("text").get("text").asText())
        .contains("order.paid", "evt_01HZX3K9Q2");
    JsonNode fields = body.get("blocks").get(1).get("fields");
    assertThat(fields.get(0).get("text").asText()).isEqualTo("*orderId*\n981");
    assertThat(fields.size()).isLessThanOrEqualTo(10);
    assertThat(renderJson("slack", EMPTY).get("text").asText()).isEqualTo("account.ping (evt_01HZX3KA00)");
  }

  @Test
  void slackEscapesMarkupSoAnEventCannotMentionTheChannel() {
    JsonNode body =
        renderJson("slack", event("evt_1", "a.b", "2026-12-01T10:00:00Z",
            "{\"who\":\"<!channel> & <https://x.test|click>\"}", Map.of()));
    assertThat(body.get("text").asText())
        .contains("&lt;!channel&gt; &amp; &lt;https://x.test|click&gt;")
        .doesNotContain("<!channel>");
  }

  @Test
  void discordHasAtMost25StringFieldsAndPingsNobody() {
    JsonNode body = renderJson("discord", wideEvent(200));
    JsonNode embed = body.get("embeds").get(0);
    assertThat(embed.get("fields").size()).isEqualTo(25);
    for (JsonNode field : embed.get("fields")) {
      assertThat(field.get("name").isTextual()).isTrue();
      assertThat(field.get("value").isTextual()).isTrue();
      assertThat(field.get("value").asText()).isNotBlank();
      assertThat(field.get("inline").asBoolean()).isTrue();
    }
    assertThat(embed.get("description").asText()).contains("175 more fields not shown");
    assertThat(body.get("allowed_mentions").get("parse").size()).isZero();
    assertThat(body.get("content").asText().length()).isLessThanOrEqualTo(2000);

    JsonNode order = renderJson("discord", ORDER_PAID).get("embeds").get(0);
    assertThat(order.get("title").asText()).isEqualTo("order.paid");
    assertThat(order.get("timestamp").asText()).isEqualTo("2026-12-01T10:00:00Z");
    assertThat(order.get("fields").get(1).get("value").asText()).isEqualTo("42.1");
    assertThat(renderJson("discord", EMPTY).get("embeds").get(0).has("fields")).isFalse();
  }

  @Test
  void teamsCarriesAnAdaptiveCardWithAFactSet() {
    JsonNode body = renderJson("teams", ORDER_PAID);
    assertThat(body.get("type").asText()).isEqualTo("message");
    JsonNode attachment = body.get("attachments").get(0);
    assertThat(attachment.get("contentType").asText())
        .isEqualTo("application/vnd.microsoft.card.adaptive");
    JsonNode card = attachment.get("content");
    assertThat(card.get("$schema").asText()).isEqualTo("http://adaptivecards.io/schemas/adaptive-card.json");
    assertThat(card.get("type").asText()).isEqualTo("AdaptiveCard");
    assertThat(card.get("version").asText()).isEqualTo("1.4");
    assertThat(card.get("body").get(0).get("text").asText()).isEqualTo("order.paid");
    JsonNode facts = card.get("body").get(2).get("facts");
    assertThat(facts.get(0).get("title").asText()).isEqualTo("orderId");
    assertThat(facts.get(0).get("value").asText()).isEqualTo("981");
  }

  @Test
  void zendeskMakesATicketKeyedByTheEventId() {
    JsonNode ticket = renderJson("zendesk", ORDER_PAID).get("ticket");
    assertThat(ticket.get("external_id").asText()).isEqualTo("evt_01HZX3K9Q2");
    assertThat(ticket.get("subject").asText()).contains("order.paid");
    assertThat(ticket.get("tags")).containsExactly(JSON.valueToTree("herald"), JSON.valueToTree("order_paid"));
    assertThat(ticket.get("comment").get("body").asText())
        .contains("customer.name: Zoë Müller", "amount: 42.1");
    assertThat(ticket.has("priority")).isFalse();

    JsonNode urgent =
        renderJson("zendesk", event("evt_2", "ticket.raised", "2026-12-01T10:00:00Z",
            "{\"priority\":\"High\"}", Map.of())).get("ticket");
    assertThat(urgent.get("priority").asText()).isEqualTo("high");
    JsonNode odd =
        renderJson("zendesk", event("evt_3", "ticket.raised", "2026-12-01T10:00:00Z",
            "{\"priority\":3}", Map.of())).get("ticket");
    assertThat(odd.has("priority")).isFalse();
  }

  @Test
  void intercomSendsFromTheFirstContactTheEventNames() {
    assertThat(renderJson("intercom", ORDER_PAID).get("from"))
        .isEqualTo(JSON.valueToTree(Map.of("type", "user", "id", "cus_77")));
    assertThat(renderJson("intercom", ORDER_PAID).get("body").asText())
        .startsWith("order.paid (evt_01HZX3K9Q2) at 2026-12-01T10:00:00Z");
    String data = "{\"customerId\":\"c_1\",\"userId\":77,\"contactId\":\"\",\"customer\":{\"id\":\"x\"}}";
    assertThat(intercomFrom(data, Map.of())).isEqualTo("77");
    assertThat(intercomFrom(data, Map.of("intercom_contact_id", "6650abc"))).isEqualTo("6650abc");
    assertThat(intercomFrom("{\"customerId\":\"c_1\"}", Map.of())).isEqualTo("c_1");
    // No contact named: the subscription's name.
    assertThat(renderJson("intercom", EMPTY).get("from").get("id").asText()).isEqualTo("crm");
  }

  private static String intercomFrom(String data, Map<String, String> attributes) {
    return renderJson("intercom", event("evt_4", "order.paid", "2026-12-01T10:00:00Z", data, attributes))
        .get("from").get("id").asText();
  }

  @Test
  void salesforceCarriesTheDataAsJsonThatReadsBackTheSame() throws IOException {
    JsonNode body = renderJson("salesforce", ORDER_PAID);
    assertThat(iterable(body.fieldNames()))
        .containsExactly("Herald_Event_Id__c", "Event_Type__c", "Occurred_At__c", "Payload__c");
    assertThat(body.get("Herald_Event_Id__c").asText()).isEqualTo("evt_01HZX3K9Q2");
    assertThat(JSON.readTree(body.get("Payload__c").asText())).isEqualTo(JSON.readTree(ORDER_PAID_DATA));
    assertThat(renderJson("salesforce", EMPTY).get("Payload__c").asText()).isEqualTo("{}");
  }

  @Test
  void genericIsFlatWithDottedKeys() {
    JsonNode body = renderJson("generic", ORDER_PAID);
    assertThat(body.get("customer.name").asText()).isEqualTo("Zoë Müller");
    assertThat(body.get("customer.address.city").asText()).isEqualTo("Zürich");
    assertThat(body.has("customer")).isFalse();
    assertThat(body.get("items").isArray()).isTrue();
    assertThat(body.get("coupon").isNull()).isTrue();
    assertThat(body.get("attributes.region").asText()).isEqualTo("eu");
    assertThat(body.get("event_id").asText()).isEqualTo("evt_01HZX3K9Q2");
    for (JsonNode value : body) {
      assertThat(value.isObject()).isFalse();
    }
  }

  @Test
  void genericFlattensFiveLevelsAndKeepsTheEventFieldsFromData() {
    JsonNode body =
        renderJson("generic", event("evt_5", "deep.one", "2026-12-01T10:00:00Z",
            "{\"event_id\":\"spoofed\",\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":1}}}}},\"empty\":{}}",
            Map.of()));
    assertThat(body.get("a.b.c.d.e.f").asInt()).isEqualTo(1);
    assertThat(body.get("empty")).isEqualTo(JSON.createObjectNode());
    assertThat(body.get("event_id").asText()).isEqualTo("evt_5");
  }

  // --- robustness ---

  @ParameterizedTest
  @MethodSource("names")
  void twoHundredScalarFieldsStayWithinTheEnginesLimits(String name) {
    assertThatCode(() -> JSON.readTree(render(name, wideEvent(200)))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @MethodSource("names")
  void awkwardDataStillMakesJson(String name) throws IOException {
    StringBuilder deep = new StringBuilder("{\"leaf\":true}");
    for (int i = 30; i > 0; i--) {
      deep.insert(0, "{\"level" + i + "\":").append('}');
    }
    String data =
        "{\"\":\"empty key\",\"a.b\":1,\"a\":{\"b\":2,\"c\":{}},\"arr\":[[1,[2]],[],null,{\"x\":null}],"
            + "\"emptyArray\":[],\"emptyObject\":{},\"nothing\":null,\"yes\":true,\"no\":false,"
            + "\"zero\":0,\"small\":-1.5e-7,\"big\":12345678901234567890,\"huge\":1e300,"
            + "\"blank\":\"\",\"spaces\":\" \\t \",\"quoted\":\"He said \\\"hi\\\" \\\\ back\\r\\nline2\","
            + "\"unicode\":\"日本語 ✓ 🚀 \\u0000\",\"markup\":\"<b>&</b> <!channel> @everyone\","
            + "\"long\":\"" + "x🚀".repeat(3000) + "\",\"priority\":\"URGENT\",\"userId\":42,"
            + "\"key with spaces\":\"v\",\"ключ\":\"значение\",\"deep\":" + deep + "}";
    for (TemplateInput input :
        List.of(
            event("evt_6", "odd-type_1.x", "2026-12-01T10:00:00.123+02:00", data,
                Map.of("intercom_contact_id", " ")),
            event("evt_7", "list.data", "2026-12-01T10:00:00Z", "[1,2]", Map.of()),
            event("evt_8", "text.data", "2026-12-01T10:00:00Z", "\"text\"", Map.of()),
            event("evt_9", "null.data", "2026-12-01T10:00:00Z", "null", Map.of()))) {
      JsonNode body = JSON.readTree(render(name, input));
      assertThat(body.isObject()).isTrue();
    }
  }

  // --- helpers ---

  private static TemplateInput event(
      String id, String type, String timestamp, String data, Map<String, String> attributes) {
    String payload =
        "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"timestamp\":\"" + timestamp
            + "\",\"data\":" + data + "}";
    return new TemplateInput(payload, new LinkedHashMap<>(attributes), "sub_1", "crm");
  }

  private static TemplateInput wideEvent(int fields) {
    ObjectNode data = JSON.createObjectNode();
    for (int i = 0; i < fields; i++) {
      switch (i % 4) {
        case 0 -> data.put("field" + i, "value \"" + i + "\"\nnext line");
        case 1 -> data.put("field" + i, i * 1.5);
        case 2 -> data.put("field" + i, i % 3 == 0);
        default -> data.putNull("field" + i);
      }
    }
    return event("evt_wide", "wide.event", "2026-12-01T10:00:00Z", data.toString(), Map.of());
  }

  private static byte[] render(String name, TemplateInput input) {
    return TemplateEngine.DEFAULT.render(BuiltInFormats.source(name), input);
  }

  private static JsonNode renderJson(String name, TemplateInput input) {
    try {
      return JSON.readTree(render(name, input));
    } catch (IOException e) {
      throw new AssertionError(name + " did not make JSON", e);
    }
  }

  private static byte[] fixture(String file) {
    try (InputStream in = BuiltInFormatsTest.class.getResourceAsStream("/formats/" + file)) {
      assertThat(in).as("fixture formats/%s", file).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
    Iterable<T> items = () -> iterator;
    return StreamSupport.stream(items.spliterator(), false).toList();
  }
}
