package dev.herald.core.net;

import static dev.herald.core.net.FakeResolver.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every refused range, with addresses at its edges and just outside it. */
class AddressGuardRangesTest {

  private final AddressGuard guard = AddressGuard.strict(FakeResolver.forbidden());

  @ParameterizedTest(name = "{0} is refused as in {1}")
  @CsvSource({
    "0.0.0.0,          0.0.0.0/8",
    "0.255.255.255,    0.0.0.0/8",
    "10.0.0.0,         10.0.0.0/8",
    "10.255.255.255,   10.0.0.0/8",
    "100.64.0.0,       100.64.0.0/10",
    "100.127.255.255,  100.64.0.0/10",
    "127.0.0.1,        127.0.0.0/8",
    "127.255.255.255,  127.0.0.0/8",
    "169.254.0.0,      169.254.0.0/16",
    "169.254.169.254,  169.254.0.0/16",
    "172.16.0.0,       172.16.0.0/12",
    "172.31.255.255,   172.16.0.0/12",
    "192.0.0.0,        192.0.0.0/24",
    "192.0.0.255,      192.0.0.0/24",
    "192.0.2.1,        192.0.2.0/24",
    "192.0.2.255,      192.0.2.0/24",
    "192.88.99.0,      192.88.99.0/24",
    "192.88.99.255,    192.88.99.0/24",
    "192.168.0.0,      192.168.0.0/16",
    "192.168.255.255,  192.168.0.0/16",
    "198.18.0.0,       198.18.0.0/15",
    "198.19.255.255,   198.18.0.0/15",
    "198.51.100.0,     198.51.100.0/24",
    "198.51.100.255,   198.51.100.0/24",
    "203.0.113.0,      203.0.113.0/24",
    "203.0.113.255,    203.0.113.0/24",
    "224.0.0.0,        224.0.0.0/4",
    "239.255.255.255,  224.0.0.0/4",
    "240.0.0.0,        240.0.0.0/4",
    "255.255.255.254,  240.0.0.0/4",
    "::,                        ::/8",
    "::1,                       ::/8",
    "::10.0.0.1,                ::/8",
    "::93.184.215.14,           ::/8",
    "::ffff:93.184.215.14,      ::/8",
    "ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, ::/8",
    "64:ff9b::5db8:d70e,        64:ff9b::/96",
    "64:ff9b::dfff:ffff,        64:ff9b::/96",
    "64:ff9b:1::1,              64:ff9b:1::/48",
    "64:ff9b:1:ffff:ffff:ffff:ffff:ffff, 64:ff9b:1::/48",
    "100::,                     100::/64",
    "100::ffff:ffff:ffff:ffff,  100::/64",
    "2001::1,                   2001::/23",
    "2001:1ff:ffff:ffff::,      2001::/23",
    "2001:db8::1,               2001:db8::/32",
    "2001:db8:ffff:ffff::1,     2001:db8::/32",
    "2002:5db8:d70e::1,         2002::/16",
    "2002:dfff:ffff:ffff::,     2002::/16",
    "fc00::,                    fc00::/7",
    "fdff:ffff:ffff:ffff::1,    fc00::/7",
    "fe80::1,                   fe80::/10",
    "febf:ffff::1,              fe80::/10",
    "fec0::1,                   fec0::/10",
    "feff:ffff::1,              fec0::/10",
    "ff00::,                    ff00::/8",
    "ff02::1,                   ff00::/8",
  })
  void refusesEveryAddressInsideARefusedRange(String address, String range) {
    assertThatExceptionOfType(BlockedAddressException.class)
        .isThrownBy(() -> guard.vet(address.contains(":") ? "[" + address + "]" : address))
        .satisfies(e -> assertThat(e.reason()).contains(range))
        .satisfies(e -> assertThat(e.address()).isEqualTo(ip(address)));
    assertThat(guard.refusal(ip(address))).get().asString().contains(range);
  }

  @ParameterizedTest(name = "{0} is refused")
  @ValueSource(strings = {"255.255.255.255"})
  void refusesTheLimitedBroadcastAddress(String address) {
    assertThat(guard.refusal(ip(address))).isPresent();
  }

  @ParameterizedTest(name = "{0} passes")
  @ValueSource(strings = {
    "1.0.0.0", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
    "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0",
    "192.0.1.0", "192.0.3.0", "192.88.98.255", "192.88.100.0", "192.167.255.255", "192.169.0.0",
    "198.17.255.255", "198.20.0.0", "198.51.99.255", "198.51.101.0", "203.0.112.255", "203.0.114.0",
    "223.255.255.255", "93.184.215.14", "8.8.8.8",
    "100:0:0:1::", "1ff::1", "0100:0:0:1::1", "2001:200::", "2001:db7:ffff:ffff::",
    "2001:db9::", "2003::1", "2001:ffff::1", "fbff:ffff::1", "fe7f:ffff::1", "2606:4700::1",
    "2a00:1450:4001::1",
  })
  void letsThroughAddressesJustOutsideTheRefusedRanges(String address) throws Exception {
    String host = address.contains(":") ? "[" + address + "]" : address;
    assertThat(guard.vet(host)).containsExactly(ip(address));
    assertThat(guard.refusal(ip(address))).isEmpty();
  }

  @ParameterizedTest(name = "{0} embeds a refused IPv4 address")
  @CsvSource({
    "::ffff:127.0.0.1,     127.0.0.1",
    "::ffff:169.254.169.254, 169.254.169.254",
    "64:ff9b::10.0.0.1,    10.0.0.1",
    "64:ff9b::a9fe:a9fe,   169.254.169.254",
    "2002:7f00:1::,        127.0.0.1",
    "2002:c0a8:101::1,     192.168.1.1",
  })
  void judgesAnIpv6AddressAlsoByTheIpv4AddressItEmbeds(String address, String embedded) {
    AddressGuard permissive = new AddressGuard(
        List.of(Cidr.parse("::/8"), Cidr.parse("64:ff9b::/96"), Cidr.parse("2002::/16")),
        false, FakeResolver.forbidden());
    assertThat(permissive.refusal(ip(address))).get().asString().contains("embeds " + embedded);
  }

  @Test
  void allowingTheTranslationPrefixesStillLetsPublicEmbeddedAddressesThrough() {
    AddressGuard permissive = new AddressGuard(
        List.of(Cidr.parse("64:ff9b::/96"), Cidr.parse("2002::/16")), false,
        FakeResolver.forbidden());
    assertThat(permissive.refusal(ip("64:ff9b::93.184.215.14"))).isEmpty();
    assertThat(permissive.refusal(ip("2002:5db8:d70e::1"))).isEmpty();
  }

  @ParameterizedTest(name = "{0}, outside the NAT64 prefixes, is still in ::/8")
  @ValueSource(strings = {"64:ff9b::1:0:0", "64:ff9b:2::", "64:ff9a:ffff::"})
  void theNat64PrefixesLieInsideTheRefusedZeroRange(String address) {
    assertThat(guard.refusal(ip(address))).contains("in ::/8");
  }

  @Test
  void listsTheRefusedRangesOfTheContract() {
    assertThat(AddressGuard.refusedNetworks()).hasSize(27)
        .contains(Cidr.parse("169.254.0.0/16"), Cidr.parse("fc00::/7"));
  }
}
