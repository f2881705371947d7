package dev.mosaic.server.mysqlctl.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MySqlGtidSetTest {
    static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final String B = "8f52c2ac-0b2a-11ef-a1c4-0242ac120002";

    @ParameterizedTest(name = "''{0}'' formats as ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "''                                            | ''",
            A + ":1-5                                      | " + A + ":1-5",
            A + ":7                                        | " + A + ":7",
            A + ":7-7                                      | " + A + ":7",
            // sorted and merged: overlapping and adjacent intervals collapse
            A + ":7-9:1-5                                  | " + A + ":1-5:7-9",
            A + ":1-5:6-9                                  | " + A + ":1-9",
            A + ":1-5:3-8                                  | " + A + ":1-8",
            A + ":1-5," + A + ":6-7                        | " + A + ":1-7",
            // MySQL prints ",\n" between sources; upper case UUIDs normalize to lower case
            "'" + B + ":1-3,\n" + A + ":2'                  | " + A + ":2," + B + ":1-3",
            "3E11FA47-71CA-11E1-9E33-C80AA9429562:4        | " + A + ":4",
            "3e11fa4771ca11e19e33c80aa9429562:1-2          | " + A + ":1-2",
    })
    void parseAndFormat(String text, String canonical) {
        MySqlGtidSet set = MySqlGtidSet.parse(text);
        assertEquals(canonical, set.toString());
        assertEquals(set, MySqlGtidSet.parse(canonical));
    }

    @ParameterizedTest(name = "''{0}'' is rejected")
    @CsvSource(delimiter = '|', value = {
            A,
            A + ":",
            A + ":0",
            A + ":5-3",
            A + ":x-3",
            "not-a-uuid:1-5",
            A + ":tag:1-5",
            A + ":1-5,",
    })
    void rejects(String text) {
        MosaicException e = assertThrows(MosaicException.class, () -> MySqlGtidSet.parse(text));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void taggedGtidsSayWhy() {
        MosaicException e = assertThrows(MosaicException.class, () -> MySqlGtidSet.parse(A + ":mytag:1-5"));
        assertTrue(e.getMessage().contains("tagged GTIDs"), e.getMessage());
    }

    @ParameterizedTest(name = "''{0}'' contains ''{1}'': {2}")
    @CsvSource(delimiter = '|', value = {
            A + ":1-5     | " + A + ":1-5     | true",
            A + ":1-5     | " + A + ":2-3     | true",
            A + ":1-5     | " + A + ":5-6     | false",
            A + ":1-5:7-9 | " + A + ":4-8     | false",
            A + ":1-5:7-9 | " + A + ":3:8     | true",
            A + ":1-5     | ''                | true",
            "''           | " + A + ":1       | false",
            A + ":1-5     | " + B + ":1       | false",
            A + ":1-5," + B + ":1-2 | " + B + ":2 | true",
    })
    void contains(String a, String b, boolean expected) {
        assertEquals(expected, MySqlGtidSet.parse(a).contains(MySqlGtidSet.parse(b)));
    }

    @ParameterizedTest(name = "''{0}'' + ''{1}'' = ''{2}''")
    @CsvSource(delimiter = '|', value = {
            A + ":1-5 | " + A + ":6-9 | " + A + ":1-9",
            A + ":1-5 | " + A + ":8   | " + A + ":1-5:8",
            A + ":1-5 | " + B + ":1   | " + A + ":1-5," + B + ":1",
            "''       | " + B + ":1   | " + B + ":1",
    })
    void union(String a, String b, String expected) {
        assertEquals(expected, MySqlGtidSet.parse(a).union(MySqlGtidSet.parse(b)).toString());
    }

    @Test
    void neverContainsAnotherFlavor() {
        assertFalse(MySqlGtidSet.parse(A + ":1").contains(MariaDbGtidSet.empty()));
        assertThrows(MosaicException.class, () -> MySqlGtidSet.parse(A + ":1").union(MariaDbGtidSet.empty()));
    }
}
