package dev.herald.core.batch;

import dev.herald.core.subscription.BodyFormat;
import dev.herald.core.template.TemplateException;
import dev.herald.core.template.TemplateInput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of a batch: {@code {"isBatched":true,"events":[…]}}, each element exactly the body its
 * event would have had unbatched, in the subscription's body format: the stored envelope byte for
 * byte ({@code standard}), the event's {@code data} ({@code data}), or what the subscription's
 * template makes of it ({@code template}). Every format's output is JSON, so each element is one
 * JSON value.
 */
public final class BatchBody {

  private static final byte[] HEAD = "{\"isBatched\":true,\"events\":[".getBytes(StandardCharsets.UTF_8);
  private static final byte[] TAIL = "]}".getBytes(StandardCharsets.UTF_8);

  private BatchBody() {}

  /**
   * A batch's body in its subscription's format, and the members it could not be made for.
   *
   * @param body the body of the members in {@code sent}; empty when none could be rendered
   * @param sent the members whose element is in the body, in body order
   * @param unrenderable the members whose template failed, with why: they are not in the body
   */
  public record Rendered(
      byte[] body, List<BatchMember> sent, Map<BatchMember, TemplateException> unrenderable) {}

  /**
   * The body of these members in {@code format}; a template sees the subscription's id and name
   * as it does unbatched.
   */
  public static Rendered render(
      BodyFormat format, List<BatchMember> members, String subscriptionId, String subscriptionName) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(HEAD);
    List<BatchMember> sent = new ArrayList<>();
    Map<BatchMember, TemplateException> unrenderable = new LinkedHashMap<>();
    for (BatchMember m : members) {
      byte[] element;
      try {
        element = format.render(
            new TemplateInput(m.payload(), m.attributes(), subscriptionId, subscriptionName));
      } catch (TemplateException e) {
        unrenderable.put(m, e);
        continue;
      }
      if (!sent.isEmpty()) {
        out.write(',');
      }
      out.writeBytes(element);
      sent.add(m);
    }
    out.writeBytes(TAIL);
    return new Rendered(sent.isEmpty() ? new byte[0] : out.toByteArray(), List.copyOf(sent),
        unrenderable);
  }

  /** The body in format {@code standard}: the members' stored envelopes, which never fail. */
  public static byte[] standard(List<BatchMember> members) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(HEAD);
    for (int i = 0; i < members.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(members.get(i).payload().getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(TAIL);
    return out.toByteArray();
  }

  /** The batch's event types, each once, in order of first appearance, comma-separated. */
  public static String eventTypes(List<BatchMember> members) {
    Set<String> types = new LinkedHashSet<>();
    members.forEach(m -> types.add(m.eventType()));
    return String.join(",", types);
  }
}
