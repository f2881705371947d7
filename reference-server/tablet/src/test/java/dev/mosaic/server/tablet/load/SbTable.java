package dev.mosaic.server.tablet.load;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;

/**
 * A sysbench-shaped table, {@code sbtest1 (id INT PRIMARY KEY, k INT, c CHAR(120), pad CHAR(60))},
 * whose contents are a pure function of the id, so a reader can check every row it gets back
 * without keeping a copy. {@code c} is sysbench's form: ten groups of 11 digits joined by
 * {@code -} (119 characters); {@code pad} five such groups (59).
 */
public final class SbTable {
    /** The table's name. */
    public static final String NAME = "sbtest1";
    /** The point select, with the bind variable the gate would send. */
    public static final String POINT_SELECT = "SELECT c FROM " + NAME + " WHERE id = :id";
    /** The same statement for JDBC. */
    public static final String POINT_SELECT_JDBC = "SELECT c FROM " + NAME + " WHERE id = ?";

    private static final int INSERT_BATCH = 1000;

    private SbTable() {
    }

    /** {@code c} of row {@code id}. */
    public static String c(int id) {
        return groups(new SplittableRandom(mix(id)), 10);
    }

    /** {@code c} of row {@code id} as the bytes MySQL returns. */
    public static byte[] cBytes(int id) {
        return c(id).getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code k} of row {@code id}, in [1, rows]. */
    public static int k(int id, int rows) {
        return 1 + (int) Long.remainderUnsigned(mix(-id), rows);
    }

    /** {@code pad} of row {@code id}. */
    public static String pad(int id) {
        return groups(new SplittableRandom(mix(id) ^ 0x5DEECE66DL), 5);
    }

    /** (Re)creates the table in the connection's current database and fills it with ids 1..rows. */
    public static void create(Connection c, int rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + NAME);
            s.execute("CREATE TABLE " + NAME + " (id INT NOT NULL, k INT NOT NULL DEFAULT 0, "
                    + "c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', PRIMARY KEY (id), KEY k_1 (k))"
                    + " ENGINE=InnoDB");
            for (int from = 1; from <= rows; from += INSERT_BATCH) {
                StringBuilder sql = new StringBuilder("INSERT INTO ").append(NAME).append(" (id, k, c, pad) VALUES ");
                int to = Math.min(rows, from + INSERT_BATCH - 1);
                for (int id = from; id <= to; id++) {
                    if (id > from) {
                        sql.append(',');
                    }
                    sql.append('(').append(id).append(',').append(k(id, rows)).append(",'").append(c(id))
                            .append("','").append(pad(id)).append("')");
                }
                s.execute(sql.toString());
            }
        }
    }

    private static String groups(SplittableRandom r, int n) {
        StringBuilder b = new StringBuilder(n * 12);
        for (int g = 0; g < n; g++) {
            if (g > 0) {
                b.append('-');
            }
            for (int i = 0; i < 11; i++) {
                b.append((char) ('0' + r.nextInt(10)));
            }
        }
        return b.toString();
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }
}
