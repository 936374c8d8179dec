package dev.herald.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.HeraldConfiguration;
import dev.herald.api.config.FileOrResourceSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.util.List;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;

/**
 * The addresses the bundled configurations listen on: the admin port (no authentication) on
 * loopback unless {@code HERALD_ADMIN_BIND_HOST} says otherwise, for every command.
 */
class BindAddressConfigurationTest {

  private static final List<String> FILES = List.of("herald.yml", "herald-worker.yml", "herald-dev.yml");

  @Test
  void theAdminPortListensOnLoopbackByDefault() throws Exception {
    for (String file : FILES) {
      assertThat(adminBindHost(load(file, Map.of()))).as(file).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void theEnvironmentMovesTheAdminPort() throws Exception {
    for (String file : FILES) {
      HeraldConfiguration config =
          load(file, Map.of("HERALD_ADMIN_BIND_HOST", "0.0.0.0", "HERALD_ADMIN_PORT", "18581"));
      assertThat(adminBindHost(config)).as(file).isEqualTo("0.0.0.0");
      assertThat(admin(config).getPort()).as(file).isEqualTo(18581);
    }
  }

  @Test
  void theServersApiListensOnEveryInterfaceAndDevsOnLoopback() throws Exception {
    assertThat(application(load("herald.yml", Map.of())).getBindHost()).isNull();
    assertThat(application(load("herald-dev.yml", Map.of())).getBindHost()).isEqualTo("127.0.0.1");
    assertThat(((DefaultServerFactory) load("herald-worker.yml", Map.of()).getServerFactory())
        .getApplicationConnectors()).isEmpty();
  }

  private static String adminBindHost(HeraldConfiguration config) {
    return admin(config).getBindHost();
  }

  private static HttpConnectorFactory admin(HeraldConfiguration config) {
    var connectors = ((DefaultServerFactory) config.getServerFactory()).getAdminConnectors();
    assertThat(connectors).hasSize(1);
    return (HttpConnectorFactory) connectors.get(0);
  }

  private static HttpConnectorFactory application(HeraldConfiguration config) {
    var connectors = ((DefaultServerFactory) config.getServerFactory()).getApplicationConnectors();
    assertThat(connectors).hasSize(1);
    return (HttpConnectorFactory) connectors.get(0);
  }

  /** A bundled configuration as the application reads it, with this environment. */
  private static HeraldConfiguration load(String file, Map<String, String> env) throws Exception {
    StringSubstitutor substitutor = new StringSubstitutor(env::get);
    substitutor.setEnableSubstitutionInVariables(true);
    return new YamlConfigurationFactory<>(
            HeraldConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
        .build(new SubstitutingSourceProvider(new FileOrResourceSourceProvider(), substitutor), file);
  }
}
