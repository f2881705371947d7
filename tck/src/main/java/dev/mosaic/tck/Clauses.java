package dev.mosaic.tck;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.opentest4j.AssertionFailedError;

/** Reading clause declarations off contract classes. Stateless; thread-safe. */
public final class Clauses {
    /** The valid form of a clause id: {@code spi.short-name}, e.g. {@code registry.config-unknown-key}. */
    public static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9]+(-[a-z0-9]+)*)+");

    private Clauses() {
    }

    /**
     * The clause a method checks.
     *
     * @param method a test method
     * @return its {@link Clause}, if annotated
     */
    public static Optional<Clause> of(Method method) {
        return Optional.ofNullable(method.getAnnotation(Clause.class));
    }

    /**
     * Every clause declared by {@code contract} and its superclasses, sorted by id.
     *
     * @param contract a contract class (abstract or concrete)
     * @return the clause annotations; empty if none
     */
    public static List<Clause> declaredBy(Class<?> contract) {
        List<Clause> out = new ArrayList<>();
        for (Class<?> c = contract; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                of(m).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparing(Clause::value));
        return out;
    }

    /**
     * Prefixes {@code message} with {@code clauseId + ": "} unless it already starts with it.
     *
     * @param clauseId the clause id
     * @param message  a failure reason, may be null
     * @return the message as it should be reported
     */
    public static String prefixed(String clauseId, String message) {
        if (message == null || message.isBlank()) {
            return clauseId + ": failed";
        }
        return message.startsWith(clauseId) ? message : clauseId + ": " + message;
    }

    /**
     * Fails the current clause with {@code reason} unless {@code condition} holds. Unlike
     * {@code assertTrue} the message carries no {@code expected: <true>} noise; the clause prefix
     * is added by {@link ClauseExtension}.
     *
     * @param condition what the clause requires
     * @param reason    what is wrong, computed only on failure
     * @throws AssertionFailedError if {@code condition} is false
     */
    public static void require(boolean condition, Supplier<String> reason) {
        if (!condition) {
            throw new AssertionFailedError(reason.get());
        }
    }
}
