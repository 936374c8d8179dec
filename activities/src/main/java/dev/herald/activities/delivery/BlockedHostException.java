package dev.herald.activities.delivery;

import java.net.UnknownHostException;

/**
 * The address guard refused every way to reach a host. An {@link UnknownHostException} so that it
 * travels through HttpClient's name resolution unchanged; the attempt records it as {@code
 * blocked_address}.
 */
public final class BlockedHostException extends UnknownHostException {

  public BlockedHostException(String message) {
    super(message);
  }
}
