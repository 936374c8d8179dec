package dev.herald.core.net;

import static dev.herald.core.net.FakeResolver.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An allowed network lifts the refusal for exactly the addresses it contains. */
class AddressGuardAllowListTest {

  private static AddressGuard allowing(String... cidrs) {
    return new AddressGuard(
        java.util.Arrays.stream(cidrs).map(Cidr::parse).toList(), false, FakeResolver.forbidden());
  }

  @Test
  void allowingOneLoopbackAddressDoesNotAllowItsNeighbours() throws Exception {
    AddressGuard guard = allowing("127.0.0.2/32");

    assertThat(guard.vet("127.0.0.2")).containsExactly(ip("127.0.0.2"));
    assertThat(guard.checkUrl("https://127.0.0.2/").isOk()).isTrue();
    assertThatExceptionOfType(BlockedAddressException.class).isThrownBy(() -> guard.vet("127.0.0.1"));
    assertThatExceptionOfType(BlockedAddressException.class).isThrownBy(() -> guard.vet("127.0.0.3"));
    assertThat(guard.checkUrl("https://127.1/").code()).isEqualTo("blocked_address");
    assertThat(guard.checkUrl("https://[::ffff:127.0.0.1]/").code()).isEqualTo("blocked_address");
  }

  @ParameterizedTest(name = "with 10.0.0.0/8 allowed, {0} passes: {1}")
  @CsvSource({
    "10.1.2.3,            true",
    "10.0.0.0,            true",
    "10.255.255.255,      true",
    "012.1.2.3,           true",
    "[::ffff:10.1.2.3],   true",
    "192.168.1.1,         false",
    "172.16.0.1,          false",
    "127.0.0.1,           false",
    "[64:ff9b::10.1.2.3], false",
    "[2002:a01:203::],    false",
    "[fd00::1],           false",
  })
  void anAllowedNetworkLetsThroughOnlyWhatItContains(String host, boolean allowed) {
    AddressGuard guard = allowing("10.0.0.0/8");
    assertThat(guard.checkUrl("https://" + host + "/").isOk()).as(host).isEqualTo(allowed);
  }

  @Test
  void anAllowedIpv6NetworkNeverAllowsAnEmbeddedRefusedIpv4Address() {
    AddressGuard guard = allowing("::ffff:0.0.0.0/96");

    assertThat(guard.checkUrl("https://[::ffff:127.0.0.1]/").code()).isEqualTo("blocked_address");
    assertThat(guard.checkUrl("https://[::ffff:93.184.215.14]/").isOk()).isTrue();
  }

  @Test
  void developmentAllowsLoopbackAndHttpAndSaysSo() throws Exception {
    AddressGuard guard = AddressGuard.forDevelopment(FakeResolver.forbidden());

    assertThat(guard.allowHttp()).isTrue();
    assertThat(guard.allowedNetworks())
        .containsExactly(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
    assertThat(guard.checkUrl("http://127.0.0.1:8080/hook").isOk()).isTrue();
    assertThat(guard.checkUrl("http://[::1]:8080/hook").isOk()).isTrue();
    assertThat(guard.checkUrl("http://[::ffff:127.0.0.1]:8080/hook").isOk()).isTrue();
    assertThat(guard.vet("[::1]")).containsExactly(ip("::1"));
    assertThat(guard.vet("::1")).containsExactly(ip("::1"));
    assertThat(guard.vet("127.1")).containsExactly(ip("127.0.0.1"));
  }

  @Test
  void developmentStillRefusesEverythingElseInternal() {
    AddressGuard guard = AddressGuard.forDevelopment(
        new FakeResolver().answer("localhost", "127.0.0.1", "::1").answer("db.internal", "10.0.0.5"));

    assertThat(guard.checkUrl("http://localhost:9000/").isOk()).isTrue();
    assertThat(guard.checkUrl("http://db.internal/").code()).isEqualTo("blocked_address");
    assertThat(guard.checkUrl("http://169.254.169.254/").code()).isEqualTo("blocked_address");
    assertThat(guard.checkUrl("http://[::2]/").code()).isEqualTo("blocked_address");
    assertThat(guard.checkUrl("http://[fe80::1]/").code()).isEqualTo("blocked_address");
  }

  @Test
  void strictAllowsNothingAndRequiresHttps() {
    AddressGuard guard = AddressGuard.strict(FakeResolver.forbidden());

    assertThat(guard.allowHttp()).isFalse();
    assertThat(guard.allowedNetworks()).isEmpty();
    assertThat(guard.checkUrl("https://[::1]/").code()).isEqualTo("blocked_address");
  }

  @Test
  void theAllowListIsCopied() {
    java.util.ArrayList<Cidr> networks = new java.util.ArrayList<>(List.of(Cidr.parse("10.0.0.0/8")));
    AddressGuard guard = new AddressGuard(networks, true, FakeResolver.forbidden());
    networks.add(Cidr.parse("127.0.0.0/8"));

    assertThat(guard.allowedNetworks()).containsExactly(Cidr.parse("10.0.0.0/8"));
  }
}
