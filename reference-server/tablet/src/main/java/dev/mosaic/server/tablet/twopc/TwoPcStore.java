package dev.mosaic.server.tablet.twopc;

import dev.mosaic.api.error.ErrorCode;
import dev.mosaic.api.error.MosaicException;
import dev.mosaic.server.tablet.query.QueryResult;
import dev.mosaic.server.tablet.sidecar.Sidecar;
import dev.mosaic.server.tablet.tx.DetachedTransaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two-phase commit rows of the sidecar database (the tables of sidecar version 2), read and
 * written inside a caller's transaction, as Vitess's {@code TwoPC}: the redo log of the prepared
 * transactions ({@code redo_state}, {@code redo_statement}) and the coordinator's records
 * ({@code dt_state}, {@code dt_participant}). Text goes to MySQL as hex literals, so no dtid or
 * statement needs quoting. Stateless and thread-safe.
 */
public final class TwoPcStore {
    private final String redoState;
    private final String redoStatement;
    private final String dtState;
    private final String dtParticipant;

    /** The store in sidecar database {@code sidecarDb}. */
    public TwoPcStore(String sidecarDb) {
        String db = Sidecar.quoteId(Sidecar.validateName("sidecar.db-name", sidecarDb)) + ".";
        this.redoState = db + "redo_state";
        this.redoStatement = db + "redo_statement";
        this.dtState = db + "dt_state";
        this.dtParticipant = db + "dt_participant";
    }

    // ---- redo log ----------------------------------------------------------------------------

    /** Records a prepared transaction's statements (state PREPARE). */
    public void saveRedo(DetachedTransaction t, String dtid, List<String> statements) {
        t.execute("INSERT INTO " + redoState + " (dtid, state, time_created) VALUES (" + hex(dtid) + ", "
                + DtState.PREPARE.code() + ", " + nowNanos() + ")");
        if (statements.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(redoStatement)
                .append(" (dtid, id, statement) VALUES ");
        for (int i = 0; i < statements.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append('(').append(hex(dtid)).append(", ").append(i + 1).append(", ")
                    .append(hex(statements.get(i))).append(')');
        }
        t.execute(sql.toString());
    }

    /** Forgets a prepared transaction's redo entry (it committed or rolled back). */
    public void deleteRedo(DetachedTransaction t, String dtid) {
        t.execute("DELETE FROM " + redoState + " WHERE dtid = " + hex(dtid));
        t.execute("DELETE FROM " + redoStatement + " WHERE dtid = " + hex(dtid));
    }

    /** Marks a redo entry FAILED with the reason (its statements stay, for an operator to look at). */
    public void markRedoFailed(DetachedTransaction t, String dtid, String message) {
        t.execute("UPDATE " + redoState + " SET state = " + DtState.FAILED.code() + ", message = "
                + hex(message.length() > 4000 ? message.substring(0, 4000) : message) + " WHERE dtid = " + hex(dtid));
    }

    /** The redo entry of {@code dtid}, or null. */
    public RedoEntry readRedo(DetachedTransaction t, String dtid) {
        List<RedoEntry> all = readRedoWhere(t, " WHERE dtid = " + hex(dtid));
        return all.isEmpty() ? null : all.get(0);
    }

    /** Every redo entry, oldest first. */
    public List<RedoEntry> readAllRedo(DetachedTransaction t) {
        return readRedoWhere(t, "");
    }

    private List<RedoEntry> readRedoWhere(DetachedTransaction t, String where) {
        QueryResult states = t.execute("SELECT dtid, state, time_created, message FROM " + redoState + where
                + " ORDER BY time_created, dtid");
        Map<String, List<String>> statements = new LinkedHashMap<>();
        QueryResult rows = t.execute("SELECT dtid, statement FROM " + redoStatement + where + " ORDER BY dtid, id");
        for (byte[][] r : rows.rows()) {
            statements.computeIfAbsent(text(r[0]), k -> new ArrayList<>()).add(text(r[1]));
        }
        List<RedoEntry> out = new ArrayList<>();
        for (byte[][] r : states.rows()) {
            String dtid = text(r[0]);
            out.add(new RedoEntry(dtid, DtState.of(number(r[1])), number(r[2]), r[3] == null ? "" : text(r[3]),
                    statements.getOrDefault(dtid, List.of())));
        }
        return out;
    }

    // ---- coordinator records -----------------------------------------------------------------

    /** Creates the record of {@code dtid} in state PREPARE, with its participants. */
    public void createTransaction(DetachedTransaction t, String dtid, List<TransactionRecord.Participant> participants) {
        t.execute("INSERT INTO " + dtState + " (dtid, state, time_created) VALUES (" + hex(dtid) + ", "
                + DtState.PREPARE.code() + ", " + nowNanos() + ")");
        if (participants.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(dtParticipant)
                .append(" (dtid, id, keyspace, shard) VALUES ");
        for (int i = 0; i < participants.size(); i++) {
            TransactionRecord.Participant p = participants.get(i);
            sql.append(i == 0 ? "" : ", ").append('(').append(hex(dtid)).append(", ").append(i + 1).append(", ")
                    .append(hex(p.keyspace())).append(", ").append(hex(p.shard())).append(')');
        }
        t.execute(sql.toString());
    }

    /**
     * Moves the record of {@code dtid} from PREPARE to {@code to} (the decision). Already in
     * {@code to} is fine (a retry); otherwise it fails.
     *
     * @throws MosaicException NOT_FOUND "could not transition to STATE: dtid" when there is no
     *     record or it holds the other decision
     */
    public void transition(DetachedTransaction t, String dtid, DtState to) {
        QueryResult r = t.execute("UPDATE " + dtState + " SET state = " + to.code() + " WHERE dtid = " + hex(dtid)
                + " AND state = " + DtState.PREPARE.code());
        if (r.rowsAffected() == 1) {
            return;
        }
        TransactionRecord now = readTransaction(t, dtid);
        if (now != null && now.state() == to) {
            return;
        }
        throw new MosaicException(ErrorCode.NOT_FOUND, "could not transition to " + to + ": " + dtid
                + (now == null ? " (no record)" : " (it is " + now.state() + ")"));
    }

    /** The UPDATE that records the commit decision inside the coordinator's own transaction. */
    public String commitDecisionSql(String dtid) {
        return "UPDATE " + dtState + " SET state = " + DtState.COMMIT.code() + " WHERE dtid = " + hex(dtid)
                + " AND state = " + DtState.PREPARE.code();
    }

    /** Deletes the record of {@code dtid} and its participants (the transaction is concluded). */
    public void deleteTransaction(DetachedTransaction t, String dtid) {
        t.execute("DELETE FROM " + dtState + " WHERE dtid = " + hex(dtid));
        t.execute("DELETE FROM " + dtParticipant + " WHERE dtid = " + hex(dtid));
    }

    /** The record of {@code dtid}, or null. */
    public TransactionRecord readTransaction(DetachedTransaction t, String dtid) {
        List<TransactionRecord> all = readTransactions(t, " WHERE dtid = " + hex(dtid));
        return all.isEmpty() ? null : all.get(0);
    }

    /** The records created before {@code createdBeforeNanos}, oldest first. */
    public List<TransactionRecord> unresolved(DetachedTransaction t, long createdBeforeNanos) {
        return readTransactions(t, " WHERE time_created < " + createdBeforeNanos);
    }

    private List<TransactionRecord> readTransactions(DetachedTransaction t, String where) {
        QueryResult states = t.execute("SELECT dtid, state, time_created FROM " + dtState + where
                + " ORDER BY time_created, dtid");
        List<TransactionRecord> out = new ArrayList<>();
        for (byte[][] r : states.rows()) {
            String dtid = text(r[0]);
            List<TransactionRecord.Participant> ps = new ArrayList<>();
            for (byte[][] p : t.execute("SELECT keyspace, shard FROM " + dtParticipant + " WHERE dtid = " + hex(dtid)
                    + " ORDER BY id").rows()) {
                ps.add(new TransactionRecord.Participant(text(p[0]), text(p[1])));
            }
            out.add(new TransactionRecord(dtid, DtState.of(number(r[1])), number(r[2]), ps));
        }
        return out;
    }

    // ---- helpers -----------------------------------------------------------------------------

    static String hex(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length == 0 ? "''" : "X'" + HexFormat.of().formatHex(b) + "'";
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static long number(byte[] b) {
        return Long.parseLong(text(b));
    }

    private static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
