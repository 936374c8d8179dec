package dev.herald.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The save-time check of a subscription URL's form and scheme. */
class AddressGuardUrlTest {

  private final FakeResolver resolver = new FakeResolver()
      .answer("example.com", "93.184.215.14", "2606:4700::1")
      .answer("a_b.example.com", "93.184.215.14");
  private final AddressGuard guard = AddressGuard.strict(resolver);

  @ParameterizedTest(name = "{0} is accepted")
  @ValueSource(strings = {
    "https://example.com", "https://example.com/", "https://example.com:8443/hooks?x=1#f",
    "HTTPS://EXAMPLE.COM/Hooks", "https://example.com:1/", "https://example.com:65535/",
    "https://a_b.example.com/", "https://93.184.215.14/", "https://[2606:4700::1]:443/",
  })
  void acceptsAnAbsoluteHttpsUrlWithAPublicHost(String url) {
    assertThat(guard.checkUrl(url)).isEqualTo(UrlVerdict.ok());
  }

  @ParameterizedTest(name = "\"{0}\" is invalid: {1}")
  @CsvSource(delimiter = '|', value = {
    "/hooks                              | absolute",
    "example.com/hooks                   | absolute",
    "ftp://example.com/                  | scheme",
    "javascript:alert(1)                 | scheme",
    "file:///etc/passwd                  | scheme",
    "gopher://example.com:6379/_INFO     | scheme",
    "https:example.com                   | no host",
    "https:///hooks                      | no host",
    "https://:443/                       | no host",
    "https://user:pass@example.com/      | user name",
    "https://user@example.com/           | user name",
    "https://@example.com/               | user name",
    "https://example.com:0/              | port",
    "https://example.com:65536/          | port",
    "https://example.com:99999999999/    | port",
    "https://example.com:/               | port",
    "https://example.com:http/           | port",
    "https://example.com:-1/             | port",
    "https://[::1]x/                     | not a valid URL",
    "https://exa%6Dple.com/              | contains",
    "https://ex\u00e4mple.com/           | contains",
    "https://example..com/               | empty label",
    "https://example.com:443:443/        | port",
  })
  void refusesAMalformedUrlAsInvalid(String url, String why) {
    UrlVerdict verdict = guard.checkUrl(url);
    assertThat(verdict.code()).as(url).isEqualTo("invalid_url");
    assertThat(verdict.message()).as(url).containsIgnoringCase(why);
  }

  @ParameterizedTest(name = "{0} is invalid")
  @NullAndEmptySource
  @ValueSource(strings = {
    "https://example.com/a b", " https://example.com/", "https://example.com/\t", "https://exa\nmple.com/",
    "https://example.com/\u0000", "https://example.com/\u00a0",
  })
  void refusesAMissingUrlAndOneWithWhitespaceOrControlCharacters(String url) {
    assertThat(guard.checkUrl(url).code()).isEqualTo("invalid_url");
  }

  @Test
  void refusesAUrlLongerThan2048Characters() {
    String base = "https://example.com/";
    String fits = base + "a".repeat(2048 - base.length());
    assertThat(guard.checkUrl(fits).isOk()).isTrue();
    UrlVerdict verdict = guard.checkUrl(fits + "a");
    assertThat(verdict.code()).isEqualTo("invalid_url");
    assertThat(verdict.message()).contains("2048");
  }

  @Test
  void refusesHttpUnlessAllowed() {
    UrlVerdict verdict = guard.checkUrl("http://example.com/hook");
    assertThat(verdict.code()).isEqualTo("invalid_url");
    assertThat(verdict.message()).isEqualTo("https is required");

    AddressGuard lenient = new AddressGuard(List.of(), true, resolver);
    assertThat(lenient.checkUrl("http://example.com/hook").isOk()).isTrue();
    assertThat(lenient.checkUrl("http://10.0.0.1/hook").code()).isEqualTo("blocked_address");
  }

  @Test
  void aRefusedAddressIsNamedInTheMessage() {
    UrlVerdict verdict = guard.checkUrl("https://2130706433/hook");
    assertThat(verdict.outcome()).isEqualTo(UrlVerdict.Outcome.BLOCKED_ADDRESS);
    assertThat(verdict.message())
        .isEqualTo("the host 2130706433 is refused: 127.0.0.1 is not a public address (in 127.0.0.0/8)");
  }
}
