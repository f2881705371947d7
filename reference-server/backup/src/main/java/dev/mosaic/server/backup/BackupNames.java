package dev.mosaic.server.backup;

import dev.mosaic.api.cluster.TabletAlias;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Backup names as Vitess forms them: {@code 2006-01-02.150405.zone1-0000000101}, the start time in
 * UTC to the second, then the tablet alias. Names of one directory therefore sort by time.
 */
public final class BackupNames {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd.HHmmss");
    private static final int TIME_LENGTH = "2006-01-02.150405".length();

    private BackupNames() {
    }

    /** The name of a backup started at {@code start} on {@code alias}. */
    public static String name(Instant start, TabletAlias alias) {
        return FORMAT.format(LocalDateTime.ofInstant(start, ZoneOffset.UTC)) + "." + alias;
    }

    /** The start time encoded in {@code name}, or empty if it is not a name of this form. */
    public static Optional<Instant> timeOf(String name) {
        if (name == null || name.length() < TIME_LENGTH + 2 || name.charAt(TIME_LENGTH) != '.') {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(name.substring(0, TIME_LENGTH), FORMAT).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
