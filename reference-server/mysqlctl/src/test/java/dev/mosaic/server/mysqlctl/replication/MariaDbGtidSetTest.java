package dev.mosaic.server.mysqlctl.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MariaDbGtidSetTest {

    @ParameterizedTest(name = "''{0}'' formats as ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "''                          | ''",
            "0-1-5                       | 0-1-5",
            "' 0-1-5 '                   | 0-1-5",
            "1-2-3,0-1-5                 | 0-1-5,1-2-3",
            "'0-1-5,\n 2-9-18446744073709551615' | 0-1-5,2-9-18446744073709551615",
            "4294967295-4294967295-0     | 4294967295-4294967295-0",
    })
    void parseAndFormat(String text, String canonical) {
        MariaDbGtidSet set = MariaDbGtidSet.parse(text);
        assertEquals(canonical, set.toString());
        assertEquals(set, MariaDbGtidSet.parse(set.toString()));
        assertEquals(set.hashCode(), MariaDbGtidSet.parse(set.toString()).hashCode());
    }

    @ParameterizedTest(name = "''{0}'' is rejected")
    @CsvSource(delimiter = '|', value = {
            "0-1",
            "0-1-2-3",
            "a-1-2",
            "0-1-x",
            "-1-1-2",
            "0-4294967296-1",
            "0-1-5,",
            "0-1-5,0-2-6",
            "0-1-18446744073709551616",
    })
    void rejects(String text) {
        MosaicException e = assertThrows(MosaicException.class, () -> MariaDbGtidSet.parse(text));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @ParameterizedTest(name = "''{0}'' contains ''{1}'': {2}")
    @CsvSource(delimiter = '|', value = {
            "0-1-5       | 0-1-5       | true",
            "0-1-5       | 0-1-4       | true",
            "0-1-5       | 0-1-6       | false",
            "0-1-5       | ''          | true",
            "''          | ''          | true",
            "''          | 0-1-1       | false",
            // the server id does not matter: after a failover another server continues the domain
            "0-2-5       | 0-1-5       | true",
            "0-1-5,1-1-3 | 1-1-3       | true",
            "0-1-5       | 0-1-5,1-1-1 | false",
            "0-1-18446744073709551615 | 0-1-9223372036854775808 | true",
            "0-1-9223372036854775808  | 0-1-18446744073709551615 | false",
    })
    void contains(String a, String b, boolean expected) {
        assertEquals(expected, MariaDbGtidSet.parse(a).contains(MariaDbGtidSet.parse(b)));
    }

    @ParameterizedTest(name = "''{0}'' + ''{1}'' = ''{2}''")
    @CsvSource(delimiter = '|', value = {
            "0-1-5 | 0-2-7       | 0-2-7",
            "0-1-9 | 0-2-7       | 0-1-9",
            "0-1-5 | 1-1-1       | 0-1-5,1-1-1",
            "''    | 0-1-1       | 0-1-1",
    })
    void union(String a, String b, String expected) {
        assertEquals(expected, MariaDbGtidSet.parse(a).union(MariaDbGtidSet.parse(b)).toString());
    }

    @org.junit.jupiter.api.Test
    void neverContainsAnotherFlavor() {
        assertEquals(false, MariaDbGtidSet.parse("0-1-5").contains(MySqlGtidSet.empty()));
        assertThrows(MosaicException.class, () -> MariaDbGtidSet.parse("0-1-5").union(MySqlGtidSet.empty()));
    }

    @org.junit.jupiter.api.Test
    void gtidAccessors() {
        MariaDbGtid g = MariaDbGtidSet.parse("3-7-42").byDomain().get(3L);
        assertEquals(new MariaDbGtid(3, 7, 42), g);
        assertEquals(MariaDbGtidSet.parse("0-1-1,3-7-42"), MariaDbGtidSet.of(new MariaDbGtid(3, 7, 42), new MariaDbGtid(0, 1, 1)));
    }
}
