package dev.herald.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.api.health.DatabaseOutage;
import dev.herald.api.temporal.Handoff;
import dev.herald.api.temporal.TemporalConnection;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.event.EventDao;
import dev.herald.core.event.EventPublisher;
import dev.herald.core.ids.Ids;
import dev.herald.core.job.JobDao;
import dev.herald.core.metrics.HeraldMetrics;
import dev.herald.core.net.AddressGuard;
import dev.herald.core.notification.NotificationDao;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.tenant.OneOffSecretDao;
import dev.herald.core.tenant.TenantDao;
import io.dropwizard.core.setup.Environment;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/** What a running Herald process is made of, wired once in {@link HeraldApplication#run}. */
public record HeraldContext(
    HeraldConfiguration config,
    Environment environment,
    Jdbi jdbi,
    ObjectMapper json,
    Clock clock,
    Ids ids,
    TenantDao tenants,
    SubscriptionDao subscriptions,
    EventDao events,
    DeliveryDao deliveries,
    AddressGuard addressGuard,
    TemporalConnection temporal,
    Handoff handoff,
    EventPublisher publisher,
    NotificationDao notifications,
    JobDao jobs,
    OneOffSecretDao oneOffSecrets,
    DatabaseOutage databaseOutage,
    HeraldMetrics metrics) {}
