package dev.herald.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.herald.api.HeraldConfiguration;
import dev.herald.api.config.FileOrResourceSourceProvider;
import dev.herald.core.net.AddressGuard;
import dev.herald.core.net.Cidr;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.security.Security;
import java.util.List;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;

/**
 * The bundled configurations' {@code security} block as each command reads it, with the
 * environment given explicitly, and the JVM's DNS cache settings made by the command line.
 */
class SecurityConfigurationTest {

  @Test
  void serverAllowsNoNetworkAndOnlyHttpsByDefault() throws Exception {
    AddressGuard guard = load("herald.yml", Map.of()).security.addressGuard();

    assertThat(guard.allowedNetworks()).isEmpty();
    assertThat(guard.allowHttp()).isFalse();
    assertThat(guard.checkUrl("http://203.0.114.10/").code()).isEqualTo("invalid_url");
    assertThat(guard.checkUrl("https://127.0.0.1/").code()).isEqualTo("blocked_address");
    assertThat(guard.checkUrl("https://[::1]/").code()).isEqualTo("blocked_address");
  }

  @Test
  void workerAllowsNoNetworkAndOnlyHttpsByDefault() throws Exception {
    AddressGuard guard = load("herald-worker.yml", Map.of()).security.addressGuard();

    assertThat(guard.allowedNetworks()).isEmpty();
    assertThat(guard.allowHttp()).isFalse();
  }

  @Test
  void theEnvironmentAllowsNetworksAndHttp() throws Exception {
    Map<String, String> env =
        Map.of("HERALD_ALLOWED_NETWORKS", " 10.1.0.0/16, fd00::/8 ,", "HERALD_ALLOW_HTTP", "true");

    for (String file : List.of("herald.yml", "herald-worker.yml")) {
      AddressGuard guard = load(file, env).security.addressGuard();

      assertThat(guard.allowedNetworks())
          .as(file)
          .containsExactly(Cidr.parse("10.1.0.0/16"), Cidr.parse("fd00::/8"));
      assertThat(guard.allowHttp()).as(file).isTrue();
      assertThat(guard.checkUrl("http://10.1.2.3/").isOk()).as(file).isTrue();
      assertThat(guard.checkUrl("http://10.2.0.1/").code()).as(file).isEqualTo("blocked_address");
    }
  }

  @Test
  void devAllowsLoopbackAndHttpOnly() throws Exception {
    AddressGuard guard = load("herald-dev.yml", Map.of()).security.addressGuard();

    assertThat(guard.allowHttp()).isTrue();
    assertThat(guard.checkUrl("http://127.0.0.1:9000/").isOk()).isTrue();
    assertThat(guard.checkUrl("http://127.8.9.10/").isOk()).isTrue();
    assertThat(guard.checkUrl("http://[::1]:9000/").isOk()).isTrue();
    assertThat(guard.checkUrl("http://10.0.0.1/").code()).isEqualTo("blocked_address");
    assertThat(guard.checkUrl("http://169.254.169.254/").code()).isEqualTo("blocked_address");
  }

  @Test
  void devTakesItsAllowedNetworksFromTheEnvironmentInsteadOfLoopback() throws Exception {
    AddressGuard guard =
        load("herald-dev.yml", Map.of("HERALD_ALLOWED_NETWORKS", "10.20.0.0/16,fd00:1::/48"))
            .security.addressGuard();

    assertThat(guard.allowedNetworks())
        .containsExactly(Cidr.parse("10.20.0.0/16"), Cidr.parse("fd00:1::/48"));
    assertThat(guard.allowHttp()).isTrue();
    assertThat(guard.checkUrl("http://10.20.3.4:9000/").isOk()).isTrue();
    assertThat(guard.checkUrl("http://[fd00:1::5]/").isOk()).isTrue();
    // The variable replaces the default, as it does for herald server and worker.
    assertThat(guard.checkUrl("http://127.0.0.1:9000/").code()).isEqualTo("blocked_address");
    assertThat(guard.checkUrl("http://10.21.0.1/").code()).isEqualTo("blocked_address");
  }

  @Test
  void aWrongNetworkStopsTheStartWithAMessageNamingIt() {
    for (String wrong : List.of("10.0.0.0/33", "10.0.0.1/8", "intranet", "10.0.0.0/8;192.168.0.0/16")) {
      assertThatExceptionOfType(ConfigurationValidationException.class)
          .as(wrong)
          .isThrownBy(() -> load("herald.yml", Map.of("HERALD_ALLOWED_NETWORKS", "fd00::/8," + wrong)))
          .satisfies(
              e -> {
                System.out.println(e.getMessage());
                assertThat(e.getMessage())
                    .contains("security.allowedNetworks must be comma-separated CIDRs")
                    .contains(wrong);
              });
    }
  }

  @Test
  void theCommandLineBoundsTheJvmsDnsCache() {
    new Herald();

    assertThat(Security.getProperty("networkaddress.cache.ttl")).isEqualTo("30");
    assertThat(Security.getProperty("networkaddress.cache.negative.ttl")).isEqualTo("5");
  }

  /** A bundled configuration as the application reads it, with this environment. */
  static HeraldConfiguration load(String file, Map<String, String> env) throws Exception {
    StringSubstitutor substitutor = new StringSubstitutor(env::get);
    substitutor.setEnableSubstitutionInVariables(true);
    return new YamlConfigurationFactory<>(
            HeraldConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
        .build(new SubstitutingSourceProvider(new FileOrResourceSourceProvider(), substitutor), file);
  }
}
