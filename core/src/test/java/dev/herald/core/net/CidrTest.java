package dev.herald.core.net;

import static dev.herald.core.net.FakeResolver.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CidrTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "10.0.0.0/8,       10.0.0.0,        true",
    "10.0.0.0/8,       10.255.255.255,  true",
    "10.0.0.0/8,       9.255.255.255,   false",
    "10.0.0.0/8,       11.0.0.0,        false",
    "100.64.0.0/10,    100.127.255.255, true",
    "100.64.0.0/10,    100.128.0.0,     false",
    "127.0.0.2,        127.0.0.2,       true",
    "127.0.0.2,        127.0.0.1,       false",
    "127.0.0.2/32,     127.0.0.3,       false",
    "0.0.0.0/0,        203.0.113.9,     true",
    "255.255.255.255/32, 255.255.255.255, true",
    "::1/128,          ::1,             true",
    "::1,              ::2,             false",
    "fc00::/7,         fdff:ffff::1,    true",
    "fc00::/7,         fe00::,          false",
    "fe80::/10,        febf:ffff::,     true",
    "fe80::/10,        fec0::,          false",
    "2001:db8::/32,    2001:db8:ffff::1, true",
    "2001:db8::/32,    2001:db9::,      false",
    "::/0,             2606:4700::1,    true",
  })
  void containsExactlyTheAddressesUnderItsPrefix(String cidr, String address, boolean expected) {
    assertThat(Cidr.parse(cidr).contains(ip(address))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} does not contain {1}")
  @CsvSource({
    "0.0.0.0/0, ::1",
    "0.0.0.0/0, ::ffff:127.0.0.1",
    "::/0,      127.0.0.1",
    "::/8,      10.0.0.1",
  })
  void neverMatchesAnAddressOfTheOtherFamily(String cidr, String address) {
    assertThat(Cidr.parse(cidr).contains(ip(address))).isFalse();
  }

  @Test
  void aBareAddressIsASingleAddressNetwork() {
    assertThat(Cidr.parse("192.0.2.7").prefixLength()).isEqualTo(32);
    assertThat(Cidr.parse("2001:db8::7").prefixLength()).isEqualTo(128);
    assertThat(Cidr.parse("192.0.2.7")).isEqualTo(Cidr.parse("192.0.2.7/32"));
  }

  @ParameterizedTest(name = "{0} prints as {1}")
  @CsvSource({
    "10.0.0.0/8,                 10.0.0.0/8,   true",
    "FC00::/7,                   fc00::/7,     false",
    "2001:0db8:0000::/32,        2001:db8::/32, false",
    "0:0:0:0:0:0:0:1,            ::1/128,      false",
    "::ffff:0.0.0.0/96,          ::ffff:0.0.0.0/96, false",
  })
  void printsInCanonicalFormAndKnowsItsFamily(String text, String canonical, boolean ipv4) {
    Cidr cidr = Cidr.parse(text);
    assertThat(cidr).hasToString(canonical);
    assertThat(cidr.isIpv4()).isEqualTo(ipv4);
  }

  @ParameterizedTest(name = "\"{0}\" is refused")
  @ValueSource(strings = {
    "", "10/8", "10.0.0/8", "010.0.0.0/8", "0x0a.0.0.0/8", "256.0.0.0/8", "10.0.0.0/33",
    "10.0.0.0/", "/8", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/08", "10.0.0.0/8/8", " 10.0.0.0/8",
    "10.0.0.0/8 ", "10.0.0.1/8", "192.168.1.1/16", "::1/129", "fe80::1%eth0/64", "1:2:3:4:5:6:7:8:9",
    "1::2::3", ":::/0", "localhost", "example.com/24", "2130706433/32", "127.1/32", "[::1]/128",
  })
  void refusesAnythingButANumericNetworkWithoutLookingItUp(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(text));
  }

  @Test
  void aTypoWideningTheNetworkSuggestsTheMaskedForm() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Cidr.parse("192.168.1.1/16"))
        .withMessageContaining("192.168.0.0/16");
  }
}
