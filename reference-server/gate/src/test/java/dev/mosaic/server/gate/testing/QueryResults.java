package dev.mosaic.server.gate.testing;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Results read into lists of strings ({@link ResultSet#getString}), for tests to compare whole. */
public final class QueryResults {
    private QueryResults() {
    }

    /** Every row of {@code sql}, each as its columns' values. */
    public static List<List<String>> rows(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rows(rs);
        }
    }

    /** The first column of every row of {@code sql}. */
    public static List<String> column(Statement st, String sql) throws SQLException {
        return rows(st, sql).stream().map(r -> r.get(0)).toList();
    }

    /** The first column of every row {@code ps} returns, with the parameters bound so far. */
    public static List<String> column(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rows(rs).stream().map(r -> r.get(0)).toList();
        }
    }

    private static List<List<String>> rows(ResultSet rs) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            List<String> row = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                row.add(rs.getString(i));
            }
            out.add(row);
        }
        return out;
    }
}
