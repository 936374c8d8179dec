package dev.herald.core.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.subscription.BuiltRequest;
import dev.herald.core.subscription.WireFormat;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Deliveries' built requests ({@code delivery_requests}): kept by a delivery's first attempt and
 * read by every later one, so that all of them send the same bytes the same way.
 */
public final class BuiltRequestDao {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  /** The columns {@link #map} reads, from {@code delivery_requests r} (all null when none). */
  static final String COLUMNS =
      "r.method AS r_method, r.signature::text AS r_signature,"
          + " r.header_names::text AS r_header_names, r.body_format AS r_body_format,"
          + " r.body AS r_body";

  private final Jdbi jdbi;

  public BuiltRequestDao(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Keeps {@code request} as the delivery's, unless one is kept already (by a concurrent run of
   * the same attempt): answers the one kept.
   *
   * @param payload the event's stored envelope, the body of a {@code standard} request
   */
  public BuiltRequest keep(String deliveryId, BuiltRequest request, String payload, Instant now) {
    return jdbi.withHandle(
        h -> {
          int inserted =
              h.createUpdate(
                      "INSERT INTO delivery_requests (delivery_id, method, signature, header_names,"
                          + " body_format, body, built_at) VALUES (:d, :method,"
                          + " CAST(:signature AS jsonb), CAST(:headerNames AS jsonb), :format,"
                          + " :body, :now) ON CONFLICT (delivery_id) DO NOTHING")
                  .bind("d", deliveryId)
                  .bind("method", request.method())
                  .bind("signature", json(request.signature().fields()))
                  .bind("headerNames", json(WireFormat.storedHeaderNames(request.headerNames())))
                  .bind("format", request.bodyFormat())
                  .bind("body", request.bodyIsTheEnvelope() ? null : request.body())
                  .bind("now", Timestamp.from(now))
                  .execute();
          if (inserted == 1) {
            return request;
          }
          return h.createQuery("SELECT " + COLUMNS + " FROM delivery_requests r WHERE r.delivery_id = :d")
              .bind("d", deliveryId)
              .map((rs, ctx) -> map(rs, payload))
              .one();
        });
  }

  /** The kept request in a row selected with {@link #COLUMNS}, or null when there is none. */
  static BuiltRequest map(ResultSet rs, String payload) throws SQLException {
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

  static Map<String, String> stringMap(String json) {
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
