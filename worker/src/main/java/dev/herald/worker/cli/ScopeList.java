package dev.herald.worker.cli;

import dev.herald.core.tenant.Scope;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The value of {@code --scopes}: wire names separated by commas, at least one.
 *
 * @param scopes the scopes named, in enum order
 */
record ScopeList(Set<Scope> scopes) {

  /** Every valid wire name, for messages. */
  static String validNames() {
    return Arrays.stream(Scope.values()).map(Scope::wireName).collect(Collectors.joining(", "));
  }

  /** Wire names joined with commas, in enum order. */
  static String format(Set<Scope> scopes) {
    return Arrays.stream(Scope.values())
        .filter(scopes::contains)
        .map(Scope::wireName)
        .collect(Collectors.joining(","));
  }

  /** Reads {@code --scopes}; picocli reports a refusal as a usage error. */
  static final class Converter implements ITypeConverter<ScopeList> {
    @Override
    public ScopeList convert(String value) {
      Set<Scope> scopes = EnumSet.noneOf(Scope.class);
      for (String part : value.split(",")) {
        String name = part.trim();
        if (!name.isEmpty()) {
          scopes.add(
              Scope.fromWireName(name)
                  .orElseThrow(
                      () -> new TypeConversionException(
                          "unknown scope '" + name + "'; valid scopes: " + validNames())));
        }
      }
      if (scopes.isEmpty()) {
        throw new TypeConversionException("name at least one scope: " + validNames());
      }
      return new ScopeList(Collections.unmodifiableSet(scopes));
    }
  }
}
