package dev.herald.api.config;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A comma-separated list of CIDRs; empty entries are ignored. Checked when the configuration is
 * loaded, so that a typo stops the start with a message naming the entry.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = CidrListValidator.class)
public @interface CidrList {

  String message() default "must be comma-separated CIDRs such as 10.1.0.0/16,fd00::/8";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
