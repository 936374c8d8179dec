package dev.herald.core.net;

import static dev.herald.core.net.FakeResolver.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** However an address is spelled, it is judged as that address and never looked up. */
class AddressGuardSpellingTest {

  private final AddressGuard guard = AddressGuard.strict(FakeResolver.forbidden());

  @ParameterizedTest(name = "{0} is judged as {1}")
  @CsvSource({
    "2130706433,                127.0.0.1",
    "127.1,                     127.0.0.1",
    "127.0.1,                   127.0.0.1",
    "0x7f.1,                    127.0.0.1",
    "0X7F.0.0.1,                127.0.0.1",
    "0x7f000001,                127.0.0.1",
    "0177.0.0.1,                127.0.0.1",
    "0177.0.0.01,               127.0.0.1",
    "127.0.0.1.,                127.0.0.1",
    "2852039166,                169.254.169.254",
    "0xa9fea9fe,                169.254.169.254",
    "169.254.43518,             169.254.169.254",
    "0251.0376.0251.0376,       169.254.169.254",
    "012.1,                     10.0.0.1",
    "0,                         0.0.0.0",
    "[::1],                     ::1",
    "[0:0:0:0:0:0:0:1],         ::1",
    "::1,                       ::1",
    "[::ffff:127.0.0.1],        ::ffff:127.0.0.1",
    "[::ffff:7f00:1],           ::ffff:127.0.0.1",
    "[::FFFF:A9FE:A9FE],        ::ffff:169.254.169.254",
    "[64:ff9b::127.0.0.1],      64:ff9b::7f00:1",
    "[2002:7f00:1::],           2002:7f00:1::",
    "[fe80::1],                 fe80::1",
  })
  void judgesEveryNumericSpellingAsItsAddressWithoutALookup(String host, String address) {
    assertThatExceptionOfType(BlockedAddressException.class)
        .isThrownBy(() -> guard.vet(host))
        .satisfies(e -> assertThat(IpLiterals.format(e.address().getAddress())).isEqualTo(address))
        .satisfies(e -> assertThat(e.host()).isEqualTo(host));
    String url = "https://" + (host.startsWith(":") ? "[" + host + "]" : host) + ":8443/hook";
    UrlVerdict verdict = guard.checkUrl(url);
    assertThat(verdict.code()).as(url).isEqualTo("blocked_address");
    assertThat(verdict.message()).contains(address);
  }

  @ParameterizedTest(name = "{0} is a public address")
  @CsvSource({
    "1572394766,              93.184.215.14",
    "93.184.55054,            93.184.215.14",
    "0x5d.0xb8.0xd7.0x0e,     93.184.215.14",
    "0135.0270.0327.016,      93.184.215.14",
    "93.184.215.14.,          93.184.215.14",
    "[2606:4700::1],          2606:4700::1",
  })
  void letsAPublicAddressThroughInAnySpelling(String host, String address) throws Exception {
    assertThat(guard.vet(host)).containsExactly(ip(address));
    assertThat(guard.checkUrl("https://" + host + "/").isOk()).isTrue();
  }

  @ParameterizedTest(name = "{0} is malformed, not a name")
  @ValueSource(strings = {
    "1.2.3.4.5", "256.0.0.1", "127.0.0.256", "4294967296", "0x100000000", "08.0.0.1", "0x7g.1",
    "example.123", "example.0x1f", "[::1", "[1::2::3]", "[fe80::1%25eth0]", "[127.0.0.1]",
  })
  void refusesAMalformedNumericHostWithoutLookingItUp(String host) {
    assertThatExceptionOfType(UnknownHostException.class)
        .isThrownBy(() -> guard.vet(host))
        .isNotInstanceOf(BlockedAddressException.class);
    assertThat(guard.checkUrl("https://" + host + "/").code()).isEqualTo("invalid_url");
  }

  @Test
  void treatsATrailingDotAsTheSameName() throws Exception {
    FakeResolver resolver = new FakeResolver().answer("localhost", "127.0.0.1")
        .answer("example.com", "93.184.215.14");
    AddressGuard strict = AddressGuard.strict(resolver);

    assertThat(strict.checkUrl("https://localhost./").code()).isEqualTo("blocked_address");
    assertThat(strict.checkUrl("https://LOCALHOST/").code()).isEqualTo("blocked_address");
    assertThatExceptionOfType(BlockedAddressException.class).isThrownBy(() -> strict.vet("localhost."));
    assertThat(strict.vet("Example.COM.")).containsExactly(ip("93.184.215.14"));
    assertThat(resolver.asked()).containsOnly("localhost", "example.com");
  }
}
