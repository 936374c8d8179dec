package dev.herald.core.net;

import static dev.herald.core.net.FakeResolver.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names are judged by every answer of one lookup, at save time and again at connect time. */
class AddressGuardResolutionTest {

  @Test
  void acceptsANameWhoseAnswersAreAllPublicAndReturnsExactlyThem() throws Exception {
    FakeResolver resolver = new FakeResolver()
        .answer("hooks.example.com", "93.184.215.14", "2606:4700::1", "8.8.8.8");
    AddressGuard guard = AddressGuard.strict(resolver);

    assertThat(guard.checkUrl("https://hooks.example.com/in").isOk()).isTrue();
    assertThat(guard.vet("hooks.example.com"))
        .containsExactly(ip("93.184.215.14"), ip("2606:4700::1"), ip("8.8.8.8"));
    assertThat(resolver.asked()).containsExactly("hooks.example.com", "hooks.example.com");
  }

  @ParameterizedTest(name = "one answer {0} among public ones refuses the name")
  @ValueSource(strings = {
    "10.0.0.1", "127.0.0.1", "169.254.169.254", "::1", "fd00::1", "fe80::1", "::ffff:10.0.0.1",
    "64:ff9b::a9fe:a9fe", "2002:a00:1::1",
  })
  void refusesANameWhenAnyOneAnswerIsRefused(String bad) {
    FakeResolver resolver = new FakeResolver()
        .answer("mixed.example.com", "93.184.215.14", bad, "2606:4700::1");
    AddressGuard guard = AddressGuard.strict(resolver);

    UrlVerdict verdict = guard.checkUrl("https://mixed.example.com/");
    assertThat(verdict.code()).isEqualTo("blocked_address");
    assertThat(verdict.message()).contains("mixed.example.com", IpLiterals.format(ip(bad).getAddress()));
    assertThatExceptionOfType(BlockedAddressException.class)
        .isThrownBy(() -> guard.vet("mixed.example.com"))
        .satisfies(e -> assertThat(e.address()).isEqualTo(ip(bad)))
        .satisfies(e -> assertThat(e.host()).isEqualTo("mixed.example.com"));
  }

  @Test
  void refusesAnIpv4MappedAnswerHandedOverAsAnIpv6Address() throws Exception {
    InetAddress mapped = Inet6Address.getByAddress(null, IpLiterals.parseIpv6("::ffff:127.0.0.1"), -1);
    AddressGuard guard = AddressGuard.strict(new FakeResolver().answer("sneaky.example", mapped));

    assertThatExceptionOfType(BlockedAddressException.class)
        .isThrownBy(() -> guard.vet("sneaky.example"))
        .withMessageContaining("127.0.0.0/8");
  }

  @Test
  void aNameRePointedAfterSavingIsRefusedAtConnectTime() throws Exception {
    FakeResolver resolver = new FakeResolver()
        .answer("rebind.example.com", "93.184.215.14")
        .answer("rebind.example.com", "169.254.169.254");
    AddressGuard guard = AddressGuard.strict(resolver);

    assertThat(guard.checkUrl("https://rebind.example.com/hook").isOk()).isTrue();
    assertThatExceptionOfType(BlockedAddressException.class)
        .isThrownBy(() -> guard.vet("rebind.example.com"))
        .satisfies(e -> assertThat(e.address()).isEqualTo(ip("169.254.169.254")));
    assertThat(resolver.asked()).hasSize(2);
  }

  @Test
  void vetLooksTheNameUpOnceAndHandsBackThatAnswerOnly() throws Exception {
    FakeResolver resolver = new FakeResolver()
        .answer("flip.example.com", "93.184.215.14")
        .answer("flip.example.com", "10.0.0.1");
    AddressGuard guard = AddressGuard.strict(resolver);

    assertThat(guard.vet("flip.example.com")).containsExactly(ip("93.184.215.14"));
    assertThat(resolver.asked()).containsExactly("flip.example.com");
  }

  @Test
  void aNameThatDoesNotResolveIsAnInvalidUrlAtSaveTimeAndUnknownAtConnectTime() {
    AddressGuard guard = AddressGuard.strict(new FakeResolver());

    UrlVerdict verdict = guard.checkUrl("https://nowhere.example/hook");
    assertThat(verdict.code()).isEqualTo("invalid_url");
    assertThat(verdict.message()).contains("does not resolve");
    assertThatExceptionOfType(UnknownHostException.class)
        .isThrownBy(() -> guard.vet("nowhere.example"))
        .isNotInstanceOf(BlockedAddressException.class);
  }

  @Test
  void aNameWithNoAnswersDoesNotResolve() {
    AddressGuard guard = AddressGuard.strict(new FakeResolver().answer("empty.example", new InetAddress[0]));

    assertThat(guard.checkUrl("https://empty.example/").message()).contains("does not resolve");
    assertThatExceptionOfType(UnknownHostException.class).isThrownBy(() -> guard.vet("empty.example"));
  }

  @Test
  void theSystemResolverReadsLiteralsLikeTheJdk() throws Exception {
    // a numeric literal: InetAddress.getAllByName parses it, no DNS query is made
    assertThat(HostResolver.system().resolve("192.0.2.1")).containsExactly(ip("192.0.2.1"));
  }
}
