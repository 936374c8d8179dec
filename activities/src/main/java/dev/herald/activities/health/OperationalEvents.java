package dev.herald.activities.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.event.EventRequest;
import dev.herald.core.notification.Notification;
import dev.herald.core.subscription.Subscription;
import dev.herald.core.tls.ClientCertificate;
import dev.herald.workflows.health.OwnerNotice;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The event that tells a tenant's other endpoints about a notice: type {@code
 * subscription.failing} or {@code subscription.disabled}, data {@code {subscriptionId, name, url,
 * reason, consecutiveFailures, disabledAt}}; or {@code subscription.certificate_expiring}, data
 * {@code {subscriptionId, name, url, subject, issuer, expiresAt, fingerprintSha256}}. Each has the
 * attribute {@code subscriptionId} so that a filter can follow one subscription.
 */
final class OperationalEvents {

  private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  private OperationalEvents() {}

  /**
   * The event's id, the same for the same notice, so that publishing it again answers the first
   * event: {@code evt_<key>} when that is a valid event id, else {@code evt_} and a hash of it.
   */
  static String eventId(OwnerNotice notice) {
    return eventId(notice.key());
  }

  /** The event id of the notice named {@code key}. */
  static String eventId(String key) {
    String readable = "evt_" + key;
    if (EVENT_ID.matcher(readable).matches()) {
      return readable;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "evt_" + HexFormat.of().formatHex(digest, 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static EventRequest of(OwnerNotice notice, Subscription subscription, ObjectMapper json) {
    ObjectNode data = json.createObjectNode();
    data.put("subscriptionId", subscription.id());
    data.put("name", subscription.name());
    data.put("url", subscription.url());
    data.put("reason", notice.reason());
    data.put("consecutiveFailures", notice.consecutiveFailures());
    if (OwnerNotice.DISABLED.equals(notice.type())) {
      data.put("disabledAt", Instant.ofEpochMilli(notice.atMillis()).toString());
    } else {
      data.putNull("disabledAt");
    }
    return new EventRequest(
        eventId(notice), notice.type(), data, Map.of("subscriptionId", subscription.id()));
  }

  /** The {@code subscription.certificate_expiring} event of the notice named {@code key}. */
  static EventRequest certificateExpiring(
      String key, Subscription subscription, ClientCertificate certificate, ObjectMapper json) {
    ObjectNode data = json.createObjectNode();
    data.put("subscriptionId", subscription.id());
    data.put("name", subscription.name());
    data.put("url", subscription.url());
    data.put("subject", certificate.subject());
    data.put("issuer", certificate.issuer());
    data.put("expiresAt", certificate.expiresAt().toString());
    data.put("fingerprintSha256", certificate.fingerprint());
    return new EventRequest(eventId(key), Notification.CERTIFICATE_EXPIRING, data,
        Map.of("subscriptionId", subscription.id()));
  }
}
