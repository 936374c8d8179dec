package dev.herald.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import dev.herald.api.auth.ApiKeyAuthFeature;
import dev.herald.api.config.FileOrResourceSourceProvider;
import dev.herald.api.errors.ContentEncodingGuard;
import dev.herald.api.errors.JettyProblemErrorHandler;
import dev.herald.api.errors.JsonErrorMapper;
import dev.herald.api.errors.NumberRangeGuard;
import dev.herald.api.errors.ProblemExceptionMapper;
import dev.herald.api.errors.RefusedBodyDrain;
import dev.herald.api.errors.RequestSizeLimit;
import dev.herald.api.errors.UnexpectedExceptionMapper;
import dev.herald.api.errors.WebApplicationExceptionMapper;
import dev.herald.api.health.DatabaseHealthCheck;
import dev.herald.api.health.DatabaseOutage;
import dev.herald.api.health.TemporalHealthCheck;
import dev.herald.api.metrics.MetricsExport;
import dev.herald.api.oneoff.OneOffDeliveries;
import dev.herald.api.resources.DeliveriesResource;
import dev.herald.api.resources.DeliveryResource;
import dev.herald.api.resources.EventResource;
import dev.herald.api.resources.EventsResource;
import dev.herald.api.resources.JobResource;
import dev.herald.api.resources.NotificationsResource;
import dev.herald.api.resources.OneOffSecretResource;
import dev.herald.api.resources.OpenApiResource;
import dev.herald.api.resources.RecoveryResource;
import dev.herald.api.resources.SecretRotationResource;
import dev.herald.api.resources.SubscriptionDefaultsResource;
import dev.herald.api.resources.SubscriptionPreviewResource;
import dev.herald.api.resources.SubscriptionResource;
import dev.herald.api.resources.SubscriptionStatsResource;
import dev.herald.api.resources.SubscriptionTestResource;
import dev.herald.api.resources.SubscriptionsResource;
import dev.herald.api.resources.UrlVetting;
import dev.herald.api.temporal.Handoff;
import dev.herald.api.temporal.SearchAttributeRegistrar;
import dev.herald.api.temporal.TemporalConnection;
import dev.herald.api.views.MillisecondInstants;
import dev.herald.core.crypto.SecretCipher;
import dev.herald.core.crypto.SecretKeyRing;
import dev.herald.core.db.Database;
import dev.herald.core.delivery.DeliveryDao;
import dev.herald.core.delivery.DeliveryListDao;
import dev.herald.core.event.EventDao;
import dev.herald.core.event.EventPublisher;
import dev.herald.core.ids.Ids;
import dev.herald.core.job.JobDao;
import dev.herald.core.metrics.HeraldMetrics;
import dev.herald.core.notification.NotificationDao;
import dev.herald.core.stats.AttemptStatsDao;
import dev.herald.core.subscription.SubscriptionDao;
import dev.herald.core.tenant.OneOffSecretDao;
import dev.herald.core.tenant.SubscriptionDefaultsDao;
import dev.herald.core.tenant.TenantDao;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.ManagedDataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Herald's Dropwizard application: the REST API, and whatever extensions the process adds. */
public class HeraldApplication extends Application<HeraldConfiguration> {

  private static final Logger log = LoggerFactory.getLogger(HeraldApplication.class);

  private final List<HeraldExtension> extensions;
  private final Clock clock;

  public HeraldApplication(List<HeraldExtension> extensions, Clock clock) {
    this.extensions = List.copyOf(extensions);
    this.clock = clock;
  }

  @Override
  public String getName() {
    return "herald";
  }

  /** {@code server} reports a port in use in one line; {@code check} as Dropwizard has it. */
  @Override
  protected void addDefaultCommands(Bootstrap<HeraldConfiguration> bootstrap) {
    bootstrap.addCommand(new HeraldServerCommand(this));
    bootstrap.addCommand(new CheckCommand<>(this));
  }

  @Override
  public void initialize(Bootstrap<HeraldConfiguration> bootstrap) {
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            new FileOrResourceSourceProvider(), new EnvironmentVariableSubstitutor(false)));
  }

  @Override
  public void run(HeraldConfiguration config, Environment environment) throws Exception {
    // Duplicate keys make a body ambiguous; decimals are kept exactly as sent (1e400 is not
    // Infinity, 19.90 keeps its zero) so that a receiver gets the numbers the publisher wrote.
    // Every time shown has millisecond precision, whatever precision it was stored with.
    ObjectMapper json =
        environment
            .getObjectMapper()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .registerModule(new MillisecondInstants());
    MetricsExport metricsExport = new MetricsExport(config.telemetry, config.role());
    environment.lifecycle().manage(metricsExport);
    metricsExport.serve(environment);
    HeraldMetrics metrics =
        new HeraldMetrics(metricsExport.registry(), config.telemetry.maxLabelValues);
    ManagedDataSource dataSource = config.database.build(environment.metrics(), "postgresql");
    environment.lifecycle().manage(dataSource);
    if (config.api.migrateOnStart) {
      int applied = Database.migrate(dataSource);
      log.info("schema up to date ({} migrations applied now)", applied);
    }
    Jdbi jdbi = Database.jdbi(dataSource);
    Ids ids = new Ids(clock);
    TenantDao tenants = new TenantDao(jdbi, ids, clock);
    SecretCipher cipher = new SecretCipher(secretKeys(config));
    SubscriptionDao subscriptions = new SubscriptionDao(jdbi, json, cipher);
    EventDao events = new EventDao(jdbi, json);
    DeliveryDao deliveries = new DeliveryDao(jdbi, subscriptions);
    TemporalConnection temporal = new TemporalConnection(config.temporal, metrics.registry());
    environment.lifecycle().manage(temporal);
    if (config.temporal.registerSearchAttributes) {
      registerSearchAttributes(temporal);
    }
    DatabaseOutage outage = new DatabaseOutage(jdbi, clock);
    environment.lifecycle().manage(outage);
    Handoff handoff =
        new Handoff(temporal.requestClient(), temporal.client(), config.delivery.startThreads,
            config.delivery.releaseRatePerSecond, config.delivery.recoveryRatePerSecond, clock);
    environment.lifecycle().manage(handoff);
    HeraldContext context =
        new HeraldContext(config, environment, jdbi, json, clock, ids, tenants, subscriptions,
            events, deliveries, config.security.addressGuard(), temporal, handoff,
            new EventPublisher(jdbi, events, subscriptions, deliveries, json, ids, clock, metrics),
            new NotificationDao(jdbi),
            new JobDao(jdbi, deliveries, ids),
            new OneOffSecretDao(jdbi, cipher),
            outage,
            metrics);

    environment.healthChecks().register("postgresql", new DatabaseHealthCheck(jdbi, outage));
    environment.healthChecks().register("temporal", new TemporalHealthCheck(temporal));

    ((AbstractServerFactory) config.getServerFactory()).setRegisterDefaultExceptionMappers(false);
    var jersey = environment.jersey();
    jersey.register(new ProblemExceptionMapper());
    jersey.register(new WebApplicationExceptionMapper());
    jersey.register(new JsonErrorMapper(json.getFactory().streamReadConstraints()));
    jersey.register(new UnexpectedExceptionMapper(outage));
    jersey.register(new NumberRangeGuard());
    jersey.register(new ContentEncodingGuard());
    JettyProblemErrorHandler.install(environment);
    if (config.api.enabled) {
      registerApi(context);
    }
    for (HeraldExtension extension : extensions) {
      extension.run(context);
    }
  }

  private void registerApi(HeraldContext c) {
    var jersey = c.environment().jersey();
    jersey.register(new RequestSizeLimit(c.config().delivery.maxRequestBytes));
    jersey.register(new RefusedBodyDrain(c.config().delivery.maxRequestBytes));
    jersey.register(new ApiKeyAuthFeature(c.tenants(),
        Duration.ofSeconds(c.config().security.apiKeyCacheSeconds), c.metrics()));
    UrlVetting urls = new UrlVetting(c.addressGuard());
    SubscriptionDefaultsDao defaults = new SubscriptionDefaultsDao(c.jdbi());
    jersey.register(new SubscriptionsResource(c.subscriptions(), defaults, c.json(), urls, c.ids(), clock));
    jersey.register(new SubscriptionDefaultsResource(defaults, c.json()));
    jersey.register(
        new SubscriptionResource(c.subscriptions(), urls, c.handoff(), c.json(), clock));
    jersey.register(new SecretRotationResource(c.subscriptions(), c.json(), clock));
    jersey.register(new SubscriptionTestResource(c.subscriptions(), c.publisher(), c.handoff()));
    jersey.register(new SubscriptionPreviewResource(c.subscriptions(), c.json(), clock));
    jersey.register(new SubscriptionStatsResource(new AttemptStatsDao(c.jdbi()), clock));
    jersey.register(new EventsResource(c.publisher(), c.handoff(), c.events(), c.json()));
    jersey.register(new EventResource(c.events(), c.deliveries(), c.json()));
    jersey.register(new DeliveryResource(c.deliveries(),
        new dev.herald.core.batch.BatchDao(c.jdbi(), c.subscriptions()), c.handoff(), clock));
    jersey.register(
        new DeliveriesResource(new DeliveryListDao(c.jdbi()),
            new OneOffDeliveries(c.publisher(), c.deliveries(), c.oneOffSecrets(), c.handoff(), urls,
                c.ids(), clock),
            defaults, c.json()));
    jersey.register(new OneOffSecretResource(c.oneOffSecrets(), c.json(), clock));
    jersey.register(new NotificationsResource(c.notifications()));
    jersey.register(new RecoveryResource(c.jobs(), c.handoff(), c.json(), clock));
    jersey.register(new JobResource(c.jobs()));
    jersey.register(OpenApiResource.fromClasspath());
  }

  /** The keys of endpoint secrets; Herald refuses to start without a valid one. */
  private static SecretKeyRing secretKeys(HeraldConfiguration config) {
    try {
      SecretKeyRing keys = config.security.secretKeys();
      log.info("endpoint secrets are encrypted with key {}", keys.currentId());
      return keys;
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Herald cannot start: " + e.getMessage(), e);
    }
  }

  private static void registerSearchAttributes(TemporalConnection temporal) {
    try {
      SearchAttributeRegistrar.register(temporal);
    } catch (RuntimeException e) {
      // Workflows started before they exist fail to start and are retried by the sweeper.
      log.warn("could not register Herald's search attributes with Temporal: {}", e.toString());
    }
  }
}
