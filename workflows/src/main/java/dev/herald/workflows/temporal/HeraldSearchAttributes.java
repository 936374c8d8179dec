package dev.herald.workflows.temporal;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/** The search attributes Herald sets on its workflows, registered at start when missing. */
public final class HeraldSearchAttributes {

  public static final SearchAttributeKey<String> TENANT_ID =
      SearchAttributeKey.forKeyword("HeraldTenantId");
  public static final SearchAttributeKey<String> SUBSCRIPTION_ID =
      SearchAttributeKey.forKeyword("HeraldSubscriptionId");
  public static final SearchAttributeKey<String> EVENT_TYPE =
      SearchAttributeKey.forKeyword("HeraldEventType");
  public static final SearchAttributeKey<String> DELIVERY_STATUS =
      SearchAttributeKey.forKeyword("HeraldDeliveryStatus");
  public static final SearchAttributeKey<Long> ATTEMPTS = SearchAttributeKey.forLong("HeraldAttempts");

  /** Every key, for registration. */
  public static final List<SearchAttributeKey<?>> ALL =
      List.of(TENANT_ID, SUBSCRIPTION_ID, EVENT_TYPE, DELIVERY_STATUS, ATTEMPTS);

  private HeraldSearchAttributes() {}
}
