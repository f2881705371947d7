package dev.mosaic.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a contract test method as the check of one clause of a plugin contract.
 *
 * <p>The id has the form {@code spi.short-name} ({@link Clauses#ID}), e.g.
 * {@code registry.type-name}; it is what the runner prints, what the display name starts with
 * (see {@link ClauseDisplayNames}) and what every failure message of the method starts with (see
 * {@link ClauseExtension}). Put a JUnit {@code @Tag} with the same id on the method too, so that
 * tag filters ({@code --include-tag registry.type-name}, surefire {@code groups}) select it; the
 * TCK's own tests check that every clause method carries both.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Clause {
    /**
     * The clause id.
     *
     * @return {@code spi.short-name}: lower case, dots separate the parts, dashes join words
     */
    String value();

    /**
     * What the clause requires.
     *
     * @return one sentence, shown next to the id
     */
    String text();
}
