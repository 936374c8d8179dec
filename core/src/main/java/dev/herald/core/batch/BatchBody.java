package dev.herald.core.batch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The body of a batch: {@code {"isBatched":true,"events":[…]}}, each element the event's stored
 * envelope byte for byte (what the unbatched body would be), in the batch's order. Made from
 * stored bytes alone, so every attempt of a batch sends the same body.
 */
public final class BatchBody {

  private static final byte[] HEAD = "{\"isBatched\":true,\"events\":[".getBytes(StandardCharsets.UTF_8);
  private static final byte[] TAIL = "]}".getBytes(StandardCharsets.UTF_8);

  private BatchBody() {}

  public static byte[] of(List<BatchMember> members) {
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
