package dev.mosaic.server.tablet.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The migration list's invariants and name validation. */
class SidecarTest {
    @Test
    void migrationsAreNumberedWithoutGapsAndIdempotent() {
        List<SidecarMigration> ms = Sidecar.migrations();
        for (int i = 0; i < ms.size(); i++) {
            assertEquals(i + 1, ms.get(i).version());
            for (String sql : ms.get(i).statements()) {
                assertTrue(sql.toUpperCase(Locale.ROOT).startsWith("CREATE TABLE IF NOT EXISTS "),
                        "every statement must be safe to run twice: " + sql);
            }
        }
        assertEquals(ms.size(), Sidecar.latestVersion());
    }

    @Test
    void holdsHeartbeatAndTwoPhaseCommitTables() {
        String all = String.join("\n", Sidecar.migrations().stream().flatMap(m -> m.statements().stream()).toList());
        for (String t : List.of("heartbeat", "redo_state", "redo_statement", "dt_state", "dt_participant")) {
            assertTrue(all.contains("CREATE TABLE IF NOT EXISTS " + t + " ("), t);
        }
    }

    @ParameterizedTest
    @CsvSource({"_vt,true", "_mosaic_1,true", "vt-x,false", "'',false", "a b,false", "`x`,false"})
    void names(String name, boolean ok) {
        if (ok) {
            assertEquals(name, Sidecar.validateName("sidecar.db-name", name));
        } else {
            MosaicException e = assertThrows(MosaicException.class, () -> Sidecar.validateName("sidecar.db-name", name));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().startsWith("tablet config sidecar.db-name: "), e.getMessage());
        }
    }

    @Test
    void migrationNeedsStatements() {
        assertThrows(IllegalArgumentException.class, () -> new SidecarMigration(1, "x", List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SidecarMigration(0, "x", List.of("CREATE TABLE IF NOT EXISTS a (b int)")));
    }
}
