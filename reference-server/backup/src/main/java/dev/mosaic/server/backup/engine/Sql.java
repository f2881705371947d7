package dev.mosaic.server.backup.engine;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.spi.backup.MysqldControl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The few SQL calls the engines make through {@link MysqldControl#connect()}. */
final class Sql {
    private Sql() {
    }

    static void execute(MysqldControl mysqld, List<String> statements) {
        try (Connection c = mysqld.connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                try {
                    s.execute(sql);
                } catch (SQLException e) {
                    throw new MosaicException(ErrorCode.UNAVAILABLE, sql + " failed: " + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, "cannot reach mysqld: " + e.getMessage(), e);
        }
    }

    static List<String> column(MysqldControl mysqld, String query) {
        try (Connection c = mysqld.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new MosaicException(ErrorCode.UNAVAILABLE, query + " failed: " + e.getMessage(), e);
        }
    }

    /** The user databases: all but the system schemas Vitess also leaves out. */
    static List<String> userDatabases(MysqldControl mysqld) {
        return column(mysqld, "SELECT schema_name FROM information_schema.schemata WHERE schema_name NOT IN "
                + "('mysql', 'information_schema', 'performance_schema', 'sys') ORDER BY schema_name");
    }
}
