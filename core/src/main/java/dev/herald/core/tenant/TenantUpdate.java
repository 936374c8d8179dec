package dev.herald.core.tenant;

/**
 * A change to a tenant's settings; a {@code null} component leaves that setting as it is.
 *
 * @param webhooksEnabled switches every API call of the tenant on or off
 * @param maxSubscriptions the new limit; {@link SubscriptionLimit#UNLIMITED} clears it
 */
public record TenantUpdate(Boolean webhooksEnabled, SubscriptionLimit maxSubscriptions) {

  /** Whether this update changes nothing. */
  public boolean isEmpty() {
    return webhooksEnabled == null && maxSubscriptions == null;
  }
}
