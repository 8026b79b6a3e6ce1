package io.diveteacher.question;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** The fields of a request body that no property took (collected by {@code @JsonAnySetter}) must be none. */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = KnownFieldsOnly.Check.class)
@interface KnownFieldsOnly {

    /** The fields there are, as the message names them. */
    String fields();

    String message() default "unknown field";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** One violation per unknown field, naming it and the fields there are. */
    final class Check implements ConstraintValidator<KnownFieldsOnly, Map<String, ?>> {

        private String fields;

        @Override
        public void initialize(KnownFieldsOnly annotation) {
            fields = annotation.fields();
        }

        @Override
        public boolean isValid(Map<String, ?> unknown, ConstraintValidatorContext context) {
            if (unknown == null || unknown.isEmpty()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            for (String name : unknown.keySet()) {
                // The name came from the client: passed as a parameter, never interpolated as a message template.
                context.unwrap(org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext.class)
                        .addMessageParameter("field", name)
                        .buildConstraintViolationWithTemplate("unknown field '{field}': the fields are " + fields)
                        .addConstraintViolation();
            }
            return false;
        }
    }
}
