package dev.mosaic.server.gate.differential;

import dev.mosaic.server.gate.differential.ShardedDifferentialIT.Result;

/**
 * How one statement's answer through the gate compares with the plain MariaDB's. A rejection as
 * unsupported (MySQL error 1235, SQLSTATE 42000, {@code VT12001}) is counted, not failed; errors on
 * both sides with the same MySQL error number are a match; everything else that differs is a
 * mismatch.
 */
enum Verdict {
    MATCH,
    REJECTED,
    /** Both answered, differently. */
    WRONG_ANSWER,
    /** MariaDB answered, the gate failed with something other than a VT12001 rejection. */
    GATE_ERROR,
    /** The gate answered, MariaDB failed. */
    ORACLE_ERROR,
    /** Both failed, with different error numbers (a rejection included). */
    DIFFERENT_ERRORS;

    boolean mismatch() {
        return this != MATCH && this != REJECTED;
    }

    /** The verdict on {@code gate} against {@code oracle}; {@code ordered}: compare row order too. */
    static Verdict judge(Result oracle, Result gate, boolean ordered, boolean caseInsensitive) {
        if (oracle.error() != null) {
            if (gate.error() == null) {
                return ORACLE_ERROR;
            }
            return errno(oracle.error()).equals(errno(gate.error())) ? MATCH : DIFFERENT_ERRORS;
        }
        if (gate.error() != null) {
            return rejected(gate.error()) ? REJECTED : GATE_ERROR;
        }
        return oracle.diff(gate, ordered, caseInsensitive) == null ? MATCH : WRONG_ANSWER;
    }

    /** Whether an error (as {@link ShardedDifferentialIT#run} records it) is the gate's "unsupported". */
    static boolean rejected(String error) {
        return error.startsWith("1235 42000 ") && error.contains("VT12001");
    }

    private static String errno(String error) {
        int sp = error.indexOf(' ');
        return sp < 0 ? error : error.substring(0, sp);
    }
}
