package dev.mosaic.server.tablet.manager;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.cluster.TabletAlias;
import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.proto.topo.TabletType;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which ChangeType transitions are allowed: from, to, expected error code (null: allowed), message part. */
class TypeChangeTest {
    private static final TabletAlias ALIAS = TabletAlias.parse("zone1-101");

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(TabletType.REPLICA, TabletType.RDONLY, null, ""),
                Arguments.of(TabletType.RDONLY, TabletType.REPLICA, null, ""),
                Arguments.of(TabletType.REPLICA, TabletType.SPARE, null, ""),
                Arguments.of(TabletType.SPARE, TabletType.REPLICA, null, ""),
                Arguments.of(TabletType.REPLICA, TabletType.BACKUP, null, ""),
                Arguments.of(TabletType.BACKUP, TabletType.RDONLY, null, ""),
                Arguments.of(TabletType.REPLICA, TabletType.DRAINED, null, ""),
                Arguments.of(TabletType.DRAINED, TabletType.REPLICA, null, ""),
                Arguments.of(TabletType.RESTORE, TabletType.SPARE, null, ""),
                Arguments.of(TabletType.REPLICA, TabletType.REPLICA, null, ""),
                Arguments.of(TabletType.RDONLY, TabletType.RDONLY, null, ""),
                Arguments.of(TabletType.PRIMARY, TabletType.PRIMARY, null, ""),
                Arguments.of(TabletType.DRAINED, TabletType.DRAINED, ErrorCode.FAILED_PRECONDITION,
                        "Tablet: zone1-0000000101, is already drained"),
                Arguments.of(TabletType.REPLICA, TabletType.PRIMARY, ErrorCode.FAILED_PRECONDITION,
                        "type change REPLICA -> PRIMARY is not an allowed transition for ChangeType"),
                Arguments.of(TabletType.PRIMARY, TabletType.REPLICA, ErrorCode.FAILED_PRECONDITION,
                        "type change PRIMARY -> REPLICA is not an allowed transition"),
                Arguments.of(TabletType.RESTORE, TabletType.REPLICA, ErrorCode.FAILED_PRECONDITION,
                        "type change RESTORE -> REPLICA is not an allowed transition"),
                Arguments.of(TabletType.REPLICA, TabletType.RESTORE, ErrorCode.FAILED_PRECONDITION,
                        "type change REPLICA -> RESTORE"),
                Arguments.of(TabletType.REPLICA, TabletType.UNKNOWN, ErrorCode.INVALID_ARGUMENT,
                        "needs a tablet type"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("cases")
    void transition(TabletType from, TabletType to, ErrorCode code, String message) {
        if (code == null) {
            assertDoesNotThrow(() -> TypeChange.check(ALIAS, from, to));
            return;
        }
        MosaicException e = assertThrows(MosaicException.class, () -> TypeChange.check(ALIAS, from, to));
        assertEquals(code, e.code());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
