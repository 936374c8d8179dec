package dev.herald.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.subscription.BodyFormat;
import dev.herald.model.DeliveryStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A batch's body in each body format a batch may use, and what a failing template leaves out. */
class BatchBodyTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final BatchMember PAID = member("dlv_1", "evt_1", "order.paid",
      "{\"id\":\"evt_1\",\"type\":\"order.paid\",\"timestamp\":\"2026-12-01T10:00:00Z\","
          + "\"data\":{\"orderId\":\"o-1\",\"amount\":12.50}}", Map.of("region", "eu"));
  private static final BatchMember REFUNDED = member("dlv_2", "evt_2", "order.refunded",
      "{\"id\":\"evt_2\",\"type\":\"order.refunded\",\"timestamp\":\"2026-12-01T10:00:01Z\","
          + "\"data\":{\"orderId\":\"o-1\"}}", Map.of());

  @Test
  void standardWrapsEachStoredEnvelopeByteForByte() {
    BatchBody.Rendered r = BatchBody.render(BodyFormat.STANDARD, List.of(PAID, REFUNDED), "sub_1", "s");
    assertThat(text(r.body())).isEqualTo("{\"isBatched\":true,\"events\":[" + PAID.payload() + ","
        + REFUNDED.payload() + "]}");
    assertThat(r.body()).isEqualTo(BatchBody.standard(List.of(PAID, REFUNDED)));
    assertThat(r.unrenderable()).isEmpty();
  }

  @Test
  void dataMakesEachElementTheEventsDataWithItsNumbersExact() {
    BatchBody.Rendered r = BatchBody.render(BodyFormat.DATA, List.of(PAID, REFUNDED), "sub_1", "s");
    assertThat(text(r.body())).isEqualTo(
        "{\"isBatched\":true,\"events\":[{\"orderId\":\"o-1\",\"amount\":12.50},{\"orderId\":\"o-1\"}]}");
  }

  @Test
  void aTemplateShapesEachElementAndSeesAttributesAndTheSubscription() throws Exception {
    BodyFormat template = BodyFormat.of("template",
        "{\"kind\": type, \"order\": data.orderId, \"region\": attributes.region,"
            + " \"via\": subscription.name}");
    BatchBody.Rendered r = BatchBody.render(template, List.of(PAID, REFUNDED), "sub_1", "crm");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("isBatched").asBoolean()).isTrue();
    assertThat(body.get("events")).hasSize(2);
    assertThat(body.get("events").get(0)).isEqualTo(JSON.readTree(
        "{\"kind\":\"order.paid\",\"order\":\"o-1\",\"region\":\"eu\",\"via\":\"crm\"}"));
    assertThat(body.get("events").get(1).get("kind").asText()).isEqualTo("order.refunded");
    assertThat(r.sent()).containsExactly(PAID, REFUNDED);
  }

  @Test
  void anEventTheTemplateFailsForIsLeftOutAndTheOthersStayInOrder() throws Exception {
    BodyFormat template = BodyFormat.of("template",
        "data.amount ? {\"amount\": data.amount} : $error(\"no amount in \" & id)");
    BatchMember third = member("dlv_3", "evt_3", "order.paid",
        "{\"id\":\"evt_3\",\"type\":\"order.paid\",\"timestamp\":\"2026-12-01T10:00:02Z\","
            + "\"data\":{\"amount\":3}}", Map.of());
    BatchBody.Rendered r = BatchBody.render(template, List.of(PAID, REFUNDED, third), "sub_1", "s");

    assertThat(r.sent()).containsExactly(PAID, third);
    assertThat(r.unrenderable()).containsOnlyKeys(REFUNDED);
    assertThat(r.unrenderable().get(REFUNDED).getMessage()).contains("no amount in evt_2");
    assertThat(text(r.body())).isEqualTo(
        "{\"isBatched\":true,\"events\":[{\"amount\":12.5},{\"amount\":3}]}");
  }

  @Test
  void whenTheTemplateFailsForEveryEventThereIsNoBody() {
    BodyFormat template = BodyFormat.of("template", "$error(\"never\")");
    BatchBody.Rendered r = BatchBody.render(template, List.of(PAID, REFUNDED), "sub_1", "s");
    assertThat(r.sent()).isEmpty();
    assertThat(r.unrenderable()).hasSize(2);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void eventTypesAreEachNamedOnceInOrder() {
    assertThat(BatchBody.eventTypes(List.of(PAID, REFUNDED, PAID))).isEqualTo("order.paid,order.refunded");
  }

  private static BatchMember member(
      String deliveryId, String eventId, String type, String payload, Map<String, String> attributes) {
    return new BatchMember(deliveryId, eventId, type, DeliveryStatus.PENDING, payload, attributes);
  }

  private static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }
}
