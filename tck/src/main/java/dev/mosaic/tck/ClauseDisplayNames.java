package dev.mosaic.tck;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * Names each clause test {@code <id>: <text>}, e.g.
 * {@code registry.type-name: type() matches [a-z][a-z0-9_]{0,63} and is stable}, so reports read as
 * the specification. Methods without {@link Clause} keep JUnit's standard names.
 */
public class ClauseDisplayNames extends DisplayNameGenerator.Standard {
    /** Creates the generator; JUnit instantiates it from {@code @DisplayNameGeneration}. */
    public ClauseDisplayNames() {
    }

    @Override
    public String generateDisplayNameForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass,
                                               Method testMethod) {
        return Clauses.of(testMethod)
                .map(c -> c.value() + ": " + c.text())
                .orElseGet(() -> super.generateDisplayNameForMethod(enclosingInstanceTypes, testClass, testMethod));
    }
}
