package dev.mosaic.server.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad arguments to {@code mosaic local} are usage errors (exit 2) naming the flag; nothing is started. */
class LocalCommandTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "local up --shards 0          | --shards must be between 1 and 7",
        "local up --shards 8          | --shards must be between 1 and 7",
        "local up --replicas 6        | --replicas must be between 0 and 5",
        "local up --topo consul       | --topo must be memory, etcd or zk, got 'consul'",
        "local up --shards two        | Invalid value for option '--shards'",
        "local                        | missing subcommand; see 'mosaic local --help'",
        "local start                  | Unmatched argument",
    })
    void badUsageIsNamed(String args, String message) {
        MosaicCliTest.Result r = MosaicCliTest.run(args.trim().split("\\s+"));
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(message), r.err());
    }
}
