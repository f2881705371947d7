package dev.mosaic.tck;

import org.opentest4j.TestAbortedException;

/**
 * Thrown by a warning clause: the plugin keeps the contract, but its answers suggest a
 * configuration that cannot work as intended (e.g. a policy that needs more semi-sync acks than
 * any replica set could give). The runner reports it as {@code WARN}, which does not fail the run;
 * under plain JUnit it shows as an aborted test.
 */
public final class ClauseWarning extends TestAbortedException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the warning.
     *
     * @param message what looks wrong; the clause prefix is added by {@link ClauseExtension}
     */
    public ClauseWarning(String message) {
        super(message);
    }

    /**
     * Warns with {@code reason} unless {@code condition} holds.
     *
     * @param condition what the clause expects
     * @param reason    what looks wrong
     * @throws ClauseWarning if {@code condition} is false
     */
    public static void warnUnless(boolean condition, String reason) {
        if (!condition) {
            throw new ClauseWarning(reason);
        }
    }
}
