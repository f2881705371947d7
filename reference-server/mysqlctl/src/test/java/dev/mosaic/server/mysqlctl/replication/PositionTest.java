package dev.mosaic.server.mysqlctl.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.MosaicException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PositionTest {

    @ParameterizedTest
    @ValueSource(strings = {"MariaDB/", "MariaDB/0-1-5", "MariaDB/0-1-5,1-2-3",
            "MySQL56/", "MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7"})
    void encodeDecodeRoundTrip(String text) {
        Position p = Position.decode(text);
        assertEquals(text, p.encode());
        assertEquals(p, Position.decode(p.encode()));
    }

    @Test
    void decodePicksTheFlavor() {
        assertInstanceOf(MariaDbGtidSet.class, Position.decode("MariaDB/0-1-5").gtidSet());
        assertInstanceOf(MySqlGtidSet.class, Position.decode("MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1").gtidSet());
        assertTrue(Position.decode("MariaDB/").isZero());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0-1-5", "Postgres/1", "MariaDB/x", "MySQL56/0-1-5"})
    void rejects(String text) {
        assertThrows(MosaicException.class, () -> Position.decode(text));
    }

    @Test
    void atLeast() {
        Position five = Position.decode("MariaDB/0-1-5");
        Position six = Position.decode("MariaDB/0-1-6");
        assertTrue(six.atLeast(five));
        assertFalse(five.atLeast(six));
        assertTrue(five.atLeast(Position.decode("MariaDB/")));
        assertFalse(five.atLeast(Position.decode("MySQL56/")));
    }
}
