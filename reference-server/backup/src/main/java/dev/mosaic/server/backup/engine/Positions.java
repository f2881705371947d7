package dev.mosaic.server.backup.engine;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.util.List;

/**
 * The flavor-specific SQL that makes a restored server's replication position the backup's, so
 * that {@code CHANGE MASTER ... MASTER_USE_GTID=slave_pos} (MariaDB) or GTID auto-positioning
 * (MySQL) continues from it and the server reports it as its own position.
 *
 * <p>Positions are in {@link dev.mosaic.spi.backup.MysqldControl#currentPosition()}'s notation,
 * optionally prefixed with a flavor tag ({@code MariaDB/0-1-42}); the tag is kept when a position
 * read from a tool's output is reported.
 */
final class Positions {
    private Positions() {
    }

    /** The GTID set without its flavor tag. */
    static String gtids(String position) {
        int slash = position.indexOf('/');
        // MySQL GTID sets contain no '/', MariaDB ones neither: a slash can only end the tag.
        return slash < 0 ? position : position.substring(slash + 1);
    }

    /** {@code gtids} in the notation of {@code like} (with its flavor tag, if it has one). */
    static String like(String like, String gtids) {
        int slash = like.indexOf('/');
        return slash < 0 ? gtids : like.substring(0, slash + 1) + gtids;
    }

    /** The statements that set a freshly restored server's position. */
    static List<String> restoreStatements(String flavor, String position) {
        String g = gtids(position);
        if (g.indexOf('\'') >= 0 || g.indexOf('\\') >= 0) {
            throw new MosaicException(ErrorCode.INVALID_ARGUMENT, "malformed position '" + position + "'");
        }
        return switch (flavor) {
            // gtid_binlog_state makes the server report the position as its own (gtid_binlog_pos);
            // gtid_slave_pos is where MASTER_USE_GTID=slave_pos replication resumes.
            case "mariadb" -> List.of("RESET MASTER", "SET GLOBAL gtid_binlog_state = '" + g + "'",
                    "SET GLOBAL gtid_slave_pos = '" + g + "'");
            case "mysql" -> List.of("RESET MASTER", "SET GLOBAL gtid_purged = '" + g + "'");
            default -> throw new MosaicException(ErrorCode.UNIMPLEMENTED, "unknown mysqld flavor '" + flavor + "'");
        };
    }
}
