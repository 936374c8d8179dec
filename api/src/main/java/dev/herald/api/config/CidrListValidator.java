package dev.herald.api.config;

import dev.herald.core.net.Cidr;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/** Checks a {@link CidrList}, reporting each wrong entry with the reason {@link Cidr} gives. */
public final class CidrListValidator implements ConstraintValidator<CidrList, String> {

  /** The CIDRs of a comma-separated list, ignoring blanks around and between entries. */
  public static List<Cidr> parse(String list) {
    List<Cidr> out = new ArrayList<>();
    if (list == null) {
      return out;
    }
    for (String entry : list.split(",")) {
      if (!entry.isBlank()) {
        out.add(Cidr.parse(entry.trim()));
      }
    }
    return out;
  }

  @Override
  public boolean isValid(String value, ConstraintValidatorContext context) {
    try {
      parse(value);
      return true;
    } catch (IllegalArgumentException e) {
      // The reason goes in as a parameter, never as template text: it quotes the operator's input.
      context.disableDefaultConstraintViolation();
      context
          .unwrap(HibernateConstraintValidatorContext.class)
          .addMessageParameter("reason", e.getMessage())
          .buildConstraintViolationWithTemplate("must be comma-separated CIDRs: {reason}")
          .addConstraintViolation();
      return false;
    }
  }
}
