package dev.mosaic.server.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mosaic.api.cluster.TabletAlias;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackupNamesTest {
    @ParameterizedTest
    @CsvSource({
        "2006-01-02T15:04:05Z, zone1, 101, 2006-01-02.150405.zone1-0000000101",
        "2024-12-31T23:59:59.999Z, us_east, 4294967295, 2024-12-31.235959.us_east-4294967295",
        "1970-01-01T00:00:00Z, c, 0, 1970-01-01.000000.c-0000000000"})
    void namesAreVitessStyleInUtc(String start, String cell, long uid, String name) {
        assertEquals(name, BackupNames.name(Instant.parse(start), new TabletAlias(cell, uid)));
        assertEquals(Optional.of(Instant.parse(start).with(java.time.temporal.ChronoField.NANO_OF_SECOND, 0)),
                BackupNames.timeOf(name));
    }

    @ParameterizedTest
    @CsvSource({"garbage", "2006-01-02.150405", "2006-13-02.150405.zone1-1", "2006-01-02-150405.zone1-1", "''"})
    void timeOfRejectsOtherNames(String name) {
        assertEquals(Optional.empty(), BackupNames.timeOf(name));
    }
}
