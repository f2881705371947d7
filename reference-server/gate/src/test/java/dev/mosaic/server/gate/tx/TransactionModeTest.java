package dev.mosaic.server.gate.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mosaic.api.error.MosaicException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code transaction_mode} values, and the coordinator's transaction id a resolver reads from a dtid. */
class TransactionModeTest {
    @Test
    void modesParseCaseInsensitively() {
        Map<String, TransactionMode> cases = Map.of("single", TransactionMode.SINGLE, "MULTI", TransactionMode.MULTI,
                " TwoPc ", TransactionMode.TWOPC);
        cases.forEach((text, mode) -> assertEquals(mode, TransactionMode.parse(text), text));
    }

    @Test
    void anyOtherValueIsError1231() {
        for (String bad : new String[] {"atomic", "", "2pc"}) {
            MosaicException e = assertThrows(MosaicException.class, () -> TransactionMode.parse(bad));
            assertEquals(1231, e.mysqlErrno(), bad);
            assertEquals("Variable 'transaction_mode' can't be set to the value of '" + bad + "'", e.getMessage());
        }
        assertThrows(MosaicException.class, () -> TransactionMode.parse(null));
    }

    @Test
    void theCoordinatorsTransactionIdComesFromTheDtid() {
        assertEquals(1763800000000001L, TransactionResolver.coordinatorTxId("customer:-80:1763800000000001"));
        assertEquals(0, TransactionResolver.coordinatorTxId("no-id"));
        assertEquals(0, TransactionResolver.coordinatorTxId("ks:80-:x"));
    }
}
