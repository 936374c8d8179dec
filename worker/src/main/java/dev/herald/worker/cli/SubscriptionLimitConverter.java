package dev.herald.worker.cli;

import dev.herald.core.tenant.SubscriptionLimit;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --max-subscriptions}: a non-negative integer or {@code unlimited}. */
final class SubscriptionLimitConverter implements ITypeConverter<SubscriptionLimit> {
  @Override
  public SubscriptionLimit convert(String value) {
    try {
      return SubscriptionLimit.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
