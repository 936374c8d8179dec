package dev.herald.core.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.subscription.BuiltRequest;
import dev.herald.core.subscription.WireFormat;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * Deliveries' built requests ({@code delivery_requests}): kept with a delivery's first attempt's
 * record ({@link DeliveryDao#recordAttempt}) and read by every later attempt, so that all of them
 * send the same bytes the same way.
 */
public final class BuiltRequestDao {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  /** The columns {@link #map} reads, from {@code delivery_requests r} (all null when none). */
  static final String COLUMNS =
      "r.method AS r_method, r.signature::text AS r_signature,"
          + " r.header_names::text AS r_header_names, r.body_format AS r_body_format,"
          + " r.body AS r_body";

  private BuiltRequestDao() {}

  /**
   * The values a statement that keeps {@code request} binds: {@code rMethod}, {@code
   * rSignature}, {@code rHeaderNames}, {@code rFormat}, {@code rBody} (all null for none).
   */
  public static Map<String, Object> bindings(BuiltRequest request) {
    Map<String, Object> values = new java.util.HashMap<>();
    values.put("rMethod", request == null ? null : request.method());
    values.put("rSignature", request == null ? null : json(request.signature().fields()));
    values.put("rHeaderNames",
        request == null ? null : json(WireFormat.storedHeaderNames(request.headerNames())));
    values.put("rFormat", request == null ? null : request.bodyFormat());
    values.put("rBody", request == null || request.bodyIsTheEnvelope() ? null : request.body());
    return values;
  }

  /** The kept request in a row selected with {@link #COLUMNS}, or null when there is none. */
  public static BuiltRequest map(ResultSet rs, String payload) throws SQLException {
    String method = rs.getString("r_method");
    if (method == null) {
      return null;
    }
    byte[] body = rs.getBytes("r_body");
    return new BuiltRequest(
        method,
        WireFormat.signatureOf(stringMap(rs.getString("r_signature"))),
        WireFormat.headerNamesOf(stringMap(rs.getString("r_header_names"))),
        rs.getString("r_body_format"),
        body == null ? payload.getBytes(StandardCharsets.UTF_8) : body);
  }

  public static Map<String, String> stringMap(String json) {
    try {
      return JSON.readValue(json, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable JSON column", e);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
