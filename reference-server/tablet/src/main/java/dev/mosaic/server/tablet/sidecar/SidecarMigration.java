package dev.mosaic.server.tablet.sidecar;

import java.util.List;
import java.util.Objects;

/**
 * One versioned step of the sidecar database's schema: statements that take the sidecar from
 * {@code version - 1} to {@code version}. Every statement must be idempotent on its own
 * ({@code CREATE TABLE IF NOT EXISTS}, ...), because a tablet that dies between running them and
 * recording the version runs them again on its next start.
 *
 * @param version the version reached, from 1, without gaps
 * @param description what the step adds, recorded with the version
 * @param statements the DDL, run in order in the sidecar database
 */
public record SidecarMigration(int version, String description, List<String> statements) {
    public SidecarMigration {
        if (version < 1) {
            throw new IllegalArgumentException("a sidecar migration version starts at 1: " + version);
        }
        Objects.requireNonNull(description, "description");
        statements = List.copyOf(statements);
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("sidecar migration " + version + " has no statement");
        }
    }
}
