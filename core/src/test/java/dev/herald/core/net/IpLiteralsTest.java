package dev.herald.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

  @ParameterizedTest(name = "{0} means {1}")
  @CsvSource({
    "2130706433,       127.0.0.1",
    "127.1,            127.0.0.1",
    "127.0.1,          127.0.0.1",
    "0x7f.1,           127.0.0.1",
    "0x7F000001,       127.0.0.1",
    "0177.0.0.1,       127.0.0.1",
    "017700000001,     127.0.0.1",
    "0x7f.0.0.0x1,     127.0.0.1",
    "10.0x10000,       10.1.0.0",
    "169.254.43518,    169.254.169.254",
    "0,                0.0.0.0",
    "0x,               0.0.0.0",
    "4294967295,       255.255.255.255",
    "93.184.215.14,    93.184.215.14",
  })
  void readsEveryIpv4SpellingThatInetAtonAccepts(String text, String address) {
    assertThat(IpLiterals.format(IpLiterals.parseIpv4Lenient(text))).isEqualTo(address);
  }

  @ParameterizedTest(name = "\"{0}\" is no IPv4 address")
  @ValueSource(strings = {
    "", "4294967296", "1.2.3.4.5", "256.1.1.1", "1.256.1.1", "1.2.65536", "1.16777216", "08.0.0.1",
    "0x7g.1", "1..1", "1.2.3.", ".1.2.3", "99999999999999999999", "1.2.3.-4", "+1.2.3.4", "１.2.3.4",
  })
  void refusesWhatIsNotAnIpv4Spelling(String text) {
    assertThat(IpLiterals.parseIpv4Lenient(text)).isNull();
  }

  @ParameterizedTest(name = "{0} prints as {1}")
  @CsvSource({
    "::,                          ::",
    "::1,                         ::1",
    "0:0:0:0:0:0:0:1,             ::1",
    "2001:DB8:0:0:1:0:0:1,        2001:db8::1:0:0:1",
    "2001:db8:0:1:1:1:1:1,        2001:db8:0:1:1:1:1:1",
    "fe80::,                      fe80::",
    "::ffff:127.0.0.1,            ::ffff:127.0.0.1",
    "::ffff:7f00:1,               ::ffff:127.0.0.1",
    "64:ff9b::10.0.0.1,           64:ff9b::a00:1",
    "1:2:3:4:5:6:7:8,             1:2:3:4:5:6:7:8",
    "1::,                         1::",
  })
  void readsAndPrintsIpv6(String text, String canonical) {
    assertThat(IpLiterals.format(IpLiterals.parseIpv6(text.toLowerCase()))).isEqualTo(canonical);
  }

  @ParameterizedTest(name = "\"{0}\" is no IPv6 address")
  @ValueSource(strings = {
    "", ":", ":::", "1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::8", "12345::",
    "::g", ":1::", "1::2:", "::1.2.3", "::1.2.3.4.5", "::256.0.0.1", "::0177.0.0.1", "1.2.3.4",
    "::ffff:1.2.3.4:1", "fe80::1%eth0",
  })
  void refusesWhatIsNotAnIpv6Address(String text) {
    assertThat(IpLiterals.parseIpv6(text)).isNull();
  }
}
