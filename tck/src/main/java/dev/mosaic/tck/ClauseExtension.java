package dev.mosaic.tck;

import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Makes every failure (and abort) of a clause test report the clause: the message is rewritten to
 * start with {@code <clause id>: }, and an unexpected exception thrown by the plugin becomes an
 * assertion failure {@code <clause id>: unexpected <exception>} with the original as its cause.
 * Exceptions from {@code @BeforeEach}/{@code @AfterEach} methods (e.g. closing a created instance)
 * are rewritten the same way. Registered on {@link PluginContract}, so every contract inherits it.
 */
public final class ClauseExtension implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    /** Creates the extension; JUnit instantiates it from {@code @ExtendWith}. */
    public ClauseExtension() {
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw rewrite(context, throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw rewrite(context, throwable);
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        throw rewrite(context, throwable);
    }

    private static Throwable rewrite(ExtensionContext context, Throwable t) {
        Optional<Clause> clause = context.getTestMethod().flatMap(ClauseExtension::clause);
        if (clause.isEmpty()) {
            return t;
        }
        String id = clause.get().value();
        if (t instanceof ClauseWarning) {
            return t.getMessage() != null && t.getMessage().startsWith(id)
                    ? t : new ClauseWarning(Clauses.prefixed(id, t.getMessage()));
        }
        if (t instanceof TestAbortedException) {
            return t.getMessage() != null && t.getMessage().startsWith(id)
                    ? t : new TestAbortedException(Clauses.prefixed(id, t.getMessage()), t);
        }
        if (t instanceof AssertionError) {
            if (t.getMessage() != null && t.getMessage().startsWith(id)) {
                return t;
            }
            String msg = Clauses.prefixed(id, t.getMessage());
            if (t instanceof AssertionFailedError afe && afe.isExpectedDefined() && afe.isActualDefined()) {
                return new AssertionFailedError(msg, afe.getExpected(), afe.getActual(), t);
            }
            return new AssertionFailedError(msg, t);
        }
        if (t instanceof Error e && !(t instanceof LinkageError) && !(t instanceof StackOverflowError)) {
            return e; // OutOfMemoryError and friends: do not disguise the JVM's trouble
        }
        return new AssertionFailedError(id + ": unexpected " + t, t);
    }

    private static Optional<Clause> clause(Method m) {
        return Clauses.of(m);
    }
}
