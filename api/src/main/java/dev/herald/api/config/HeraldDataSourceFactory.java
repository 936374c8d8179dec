package dev.herald.api.config;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.util.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;

/**
 * The {@code database} section, with defaults that let the pool ride out a PostgreSQL outage: a
 * connection is checked when borrowed unless it was checked within the last second (so that one
 * broken while PostgreSQL was away is dropped, not handed out, once it is back), a request waits
 * at most {@value #MAX_WAIT_SECONDS} seconds for a pooled connection, and a new connection gives up
 * after {@value #CONNECT_TIMEOUT_SECONDS} seconds. Each can be set in the configuration as usual.
 */
public class HeraldDataSourceFactory extends DataSourceFactory {

  static final int MAX_WAIT_SECONDS = 5;
  static final int CONNECT_TIMEOUT_SECONDS = 5;

  public HeraldDataSourceFactory() {
    setCheckConnectionOnBorrow(true);
    setValidationInterval(Duration.seconds(1));
    setValidationQueryTimeout(Duration.seconds(2));
    setMaxWaitForConnection(Duration.seconds(MAX_WAIT_SECONDS));
  }

  /** The driver's {@code connectTimeout} (seconds) unless the configuration sets one. */
  @Override
  public ManagedDataSource build(MetricRegistry metricRegistry, String name) {
    Map<String, String> properties = new LinkedHashMap<>(getProperties());
    properties.putIfAbsent("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
    setProperties(properties);
    ManagedDataSource built = super.build(metricRegistry, name);
    if (built instanceof DataSourceProxy pool) {
      // The pool hands out the driver's own statements and result sets: by default it wraps each
      // in a reflective proxy (so that a closed statement still answers equals and hashCode),
      // and every call of a statement or result set went through it: several percent of a
      // publish's and an attempt's CPU in the delivery benchmark. Herald closes what it opens
      // through JDBI and never compares statements.
      pool.getPoolProperties().setUseStatementFacade(false);
    }
    return built;
  }
}
