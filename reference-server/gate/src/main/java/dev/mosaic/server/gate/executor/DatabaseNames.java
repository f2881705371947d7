package dev.mosaic.server.gate.executor;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The MySQL database each keyspace's tablets use, and back. Clients see keyspace names; queries on
 * {@code information_schema} name the tablets' databases, so the gate translates in both directions.
 * Vitess's default (and our tablets' default) is {@code vt_<keyspace>}: {@link #VITESS}. A gate
 * whose tablets use other names is given them with {@link #of}. Implementations are immutable and
 * thread-safe.
 */
public interface DatabaseNames {
    /** {@code vt_<keyspace>}. */
    DatabaseNames VITESS = new DatabaseNames() {
        @Override
        public String database(String keyspace) {
            return "vt_" + keyspace;
        }

        @Override
        public Optional<String> keyspace(String database) {
            return database.startsWith("vt_") && database.length() > 3 ? Optional.of(database.substring(3)) : Optional.empty();
        }
    };

    /** The database of {@code keyspace}'s tablets. */
    String database(String keyspace);

    /**
     * The keyspace whose tablets use {@code database}, if the name follows this mapping (the caller
     * still checks that such a keyspace exists).
     */
    Optional<String> keyspace(String database);

    /**
     * Explicit names for some keyspaces ({@code keyspace -> database}); the others use
     * {@link #VITESS}'s {@code vt_<keyspace>}.
     *
     * @throws IllegalArgumentException if two keyspaces are given the same database
     */
    static DatabaseNames of(Map<String, String> databases) {
        Map<String, String> forward = Map.copyOf(databases);
        Map<String, String> back = new HashMap<>();
        forward.forEach((ks, db) -> {
            if (back.put(db, ks) != null) {
                throw new IllegalArgumentException("database " + db + " is given to two keyspaces");
            }
        });
        return new DatabaseNames() {
            @Override
            public String database(String keyspace) {
                String db = forward.get(Objects.requireNonNull(keyspace, "keyspace"));
                return db != null ? db : VITESS.database(keyspace);
            }

            @Override
            public Optional<String> keyspace(String database) {
                String ks = back.get(database);
                if (ks != null) {
                    return Optional.of(ks);
                }
                // A vt_ name of a keyspace that was given another database is not that keyspace's.
                return VITESS.keyspace(database).filter(k -> !forward.containsKey(k));
            }
        };
    }
}
